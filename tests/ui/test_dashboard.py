"""Kvalitet: the dashboard computes off the GUI thread and shows the exact figures of a
small known store, the cases behind a figure for those allowed to see them, and exports
the figures as CSV and as a PDF report."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.ui.conftest import LEAD_PASSWORD
from tsbplace.access import Workspace
from tsbplace.accounts import AccountService, Role
from tsbplace.cases import CaseService, Decision
from tsbplace.national_id import synthetic_national_id
from tsbplace.ui.dashboard import DashboardDialog
from tsbplace.ui.main_window import MainWindow

TODAY = dt.date.today()
ANSWERS = {"rus": {"rating": 2}}


def signed(service: CaseService, name: str, birth: dt.date) -> int:
    case = service.create_case(name, synthetic_national_id(birth), TODAY - dt.timedelta(days=2))
    record = service.save_assessment(case.id, ANSWERS)
    level = record.suggested_level
    record = service.save_decision(case.id, Decision(
        chosen_level=level, care_right="rett", frist_weeks=6, latest_start_date=TODAY + dt.timedelta(weeks=6),
        patient_goals="Slutte å drikke", patient_preferred_level=level, patient_agreement="enig"))
    service.sign_assessment(case.id, expected_version=record.version)
    return case.id


@pytest.fixture
def known(workspace: Workspace) -> dict[str, int]:
    """Two cases signed by the lead kari, one unsigned case of the clinician ola."""
    workspace.accounts.add_user("ola", "Ola Hansen", Role.CLINICIAN, LEAD_PASSWORD)
    service = workspace.cases
    first = signed(service, "Anne Berg", dt.date(1980, 1, 2))
    second = signed(service, "Bjørn Dahl", dt.date(1975, 3, 4))
    third = service.create_case("Cecilie Eng", synthetic_national_id(dt.date(1990, 5, 6)),
                                TODAY - dt.timedelta(days=1))
    service.assign_case(third.id, "ola")
    return {"first": first, "second": second, "third": third.id}


def dashboard(qtbot, service: CaseService, accounts: AccountService) -> DashboardDialog:  # type: ignore[no-untyped-def]
    dialog = DashboardDialog(service, accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.data is not None and not dialog.runner.busy)
    return dialog


def as_clinician(workspace: Workspace, user: str) -> AccountService:
    me = next(record for record in workspace.accounts.list_users() if record.user_name == user)
    return AccountService(workspace.accounts.store, me, workspace.accounts.actor)


def test_the_key_figures_of_a_known_store(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    cards = dialog.cards
    assert cards["received"].value.text() == "3"
    assert cards["received"].n_label.text() == "3 saker"
    assert cards["assessed"].value.text() == "67 %"
    assert cards["assessed"].n_label.text() == "2 av 3 saker"
    assert cards["agreement"].value.text() == "100 %"
    assert cards["within_deadline"].n_label.text() == "2 av 2 saker"
    assert "Få saker" in cards["agreement"].toolTip()
    month = TODAY.strftime("%m.%Y")
    assert f"{month}: Mottatt 3, Vurdert 2" in dialog.trend.toolTip()
    assert f"{month}: 100 % (2 av 2)" in dialog.deadline_chart.toolTip()
    level = workspace.cases.get_case(known["first"]).chosen_level
    assert dialog.matrix.counts == {(level, level): 2}


def test_the_period_and_the_clinician_recompute(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    dialog.clinician_box.setCurrentIndex(dialog.clinician_box.findData("ola"))
    with qtbot.waitSignal(dialog.computed, timeout=5000):
        dialog.schedule()
    assert dialog.data.overall.filter.clinician == "ola"
    assert dialog.cards["received"].value.text() == "1"
    dialog.clinician_box.setCurrentIndex(0)
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(40))  # after every case: custom dates
    with qtbot.waitSignal(dialog.computed, timeout=5000):
        pass
    assert dialog.period_box.currentData() == "custom"
    assert dialog.cards["received"].value.text() == "0"
    with qtbot.waitSignal(dialog.computed, timeout=5000):
        dialog.set_period("all")
    assert dialog.data.overall.filter.start is None
    assert dialog.cards["received"].value.text() == "3"


def test_what_if_is_the_leads_and_opens_from_the_dashboard(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    assert dialog.what_if_button.isVisibleTo(dialog)
    what_if = dialog.open_what_if()
    assert what_if is not None and what_if.isVisible()
    what_if.close()
    clinician = dashboard(qtbot, workspace.cases, as_clinician(workspace, "ola"))
    assert not clinician.what_if_button.isVisibleTo(clinician) and clinician.open_what_if() is None


def test_a_lead_picks_a_unit_when_units_are_named(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    """Without units there is no unit chooser; once users work in units, a lead can look at one."""
    plain = dashboard(qtbot, workspace.cases, workspace.accounts)
    assert plain.unit_box.count() == 1 and not plain.unit_box.isVisibleTo(plain)
    workspace.accounts.set_unit("ola", "Rusteam Gjøvik")
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    assert dialog.unit_box.isVisibleTo(dialog)
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("Rusteam Gjøvik"))
    with qtbot.waitSignal(dialog.computed, timeout=5000):
        dialog.schedule()
    assert dialog.data.overall.filter.unit == "Rusteam Gjøvik"
    assert dialog.cards["received"].value.text() == "1"  # ola's one case


def test_the_clinician_table_shows_the_cases_behind_each_figure(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    assert dialog.clinician_rows == ["kari", "ola"]
    kari = dialog.clinician_cell("kari", "agreement")
    assert kari.text() == "100 % (2)"
    assert "Få saker" in kari.toolTip()
    assert dialog.clinician_cell("ola", "received").text() == "1"
    assert dialog.clinician_cell("ola", "agreement").text() == "–"
    headers = [dialog.clinician_table.horizontalHeaderItem(c).text()
               for c in range(1, dialog.clinician_table.columnCount())]
    assert headers[0] == "Henvisninger\nmottatt"  # short lines, so twelve columns fit
    assert all(len(line) <= 14 for header in headers for line in header.split("\n") if " " in line)
    assert dialog.definition_table.rowCount() >= len(dialog.data.overall.figures)


def test_a_lead_drills_down_to_the_cases_and_opens_one(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    assert dialog.drill("assessed", None)
    qtbot.waitUntil(lambda: dialog.cases_dialog is not None and dialog.cases_dialog.isVisible())
    listed = dialog.cases_dialog
    numbers = {workspace.cases.get_case(known[key]).case_number for key in known}
    assert set(listed.case_numbers()) == numbers
    counted = {listed.table.item(row, 1).text(): listed.table.item(row, 4).text() for row in range(3)}
    assert counted == {"Anne Berg": "Ja", "Bjørn Dahl": "Ja", "Cecilie Eng": "Nei"}
    dialog.cases_dialog = None
    dialog._on_clinician_cell(dialog.clinician_rows.index("ola"), 1)  # ola's received
    qtbot.waitUntil(lambda: dialog.cases_dialog is not None and dialog.cases_dialog.isVisible())
    assert dialog.cases_dialog.case_numbers() == [workspace.cases.get_case(known["third"]).case_number]
    with qtbot.waitSignal(dialog.open_case) as opened:
        dialog.cases_dialog.choose(0)
    assert opened.args == [known["third"]]


def test_a_clinician_drills_only_into_their_own_cases(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    dialog = dashboard(qtbot, workspace.cases, as_clinician(workspace, "ola"))
    assert dialog.clinician_rows == ["ola"]  # no colleague's figures
    assert not dialog.cards["received"].drillable  # every clinician's cases
    assert not dialog.drill("received", None)
    assert not dialog.drill("received", "kari")
    assert "Dobbeltklikk" not in dialog.cards["received"].toolTip()
    assert dialog.drill("received", "ola")
    qtbot.waitUntil(lambda: dialog.cases_dialog is not None)
    assert dialog.cases_dialog.case_numbers() == [workspace.cases.get_case(known["third"]).case_number]


def test_the_figures_export_as_csv_and_are_audited(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known, tmp_path: Path) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    target = tmp_path / "tall.csv"
    dialog.ask_csv_path = lambda _parent, name, _filter: target
    dialog.per_clinician_box.setChecked(True)
    assert dialog.export_csv()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "scope;indicator;label;kind;numerator;denominator;percent"
    assert "*;received;Henvisninger mottatt;structure;3;;" in lines
    assert "*;assessed;Vurdert;process;2;3;66.7" in lines
    assert any(line.startswith("ola;received;") and ";1;;" in line for line in lines)
    exports = [entry for entry in workspace.cases.audit_trail() if entry.action == "case.exported"]
    assert exports[-1].detail["kind"] == "indicators-csv"


def test_the_pdf_report_holds_the_title_and_figures(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known, tmp_path: Path) -> None:
    dialog = dashboard(qtbot, workspace.cases, workspace.accounts)
    target = tmp_path / "tall.pdf"
    dialog.ask_pdf_path = lambda _parent, name, _filter: target
    assert dialog.export_pdf()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Kvalitetsindikatorer" in text
    assert "67 % (2 av 3)" in text
    assert "Henvisninger mottatt" in text


def test_the_main_window_offers_kvalitet_to_a_lead_and_opens_a_case(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    window = MainWindow(workspace.cases, user_name="Kari Nordmann", accounts=workspace.accounts)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.case_model.busy)
    assert window.dashboard_action is not None
    window.dashboard_action.trigger()
    dialog = window.dashboard
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.data is not None)
    dialog.open_case.emit(known["second"])
    assert window.case_page is not None and window.case_page.case.id == known["second"]
    window.dashboard_action.trigger()
    window.lock()
    assert not window.dashboard.isVisible()


def test_a_clinician_gets_no_kvalitet_action(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, known) -> None:
    window = MainWindow(workspace.cases, user_name="Ola", accounts=as_clinician(workspace, "ola"))
    qtbot.addWidget(window)
    assert window.dashboard_action is None

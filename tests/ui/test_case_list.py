"""The case list on the real main window and a real store: pages fetched on demand off the
GUI thread, search as you type after a pause, filters, deadline marks, assigning, and
outdated answers dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.access import Workspace
from tsbplace.cases import CasePage, CaseService
from tsbplace.content import Content
from tsbplace.demo_data import make_demo_cases
from tsbplace.legal import add_working_days
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store
from tsbplace.ui.case_list import COLUMNS, DEADLINE_COLUMN, CaseListModel, CaseQuery
from tsbplace.ui.main_window import LAST_CASE_KEY, MainWindow
from tsbplace.ui.qt import QApplication, QSettings, Qt


def open_window(qtbot, service: CaseService, **options) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(service, user_name="Kari", **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.case_model.busy)
    return window


def settled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """After the search pause and the query: wait until the list has its answer."""
    qtbot.waitUntil(lambda: not window.filter_bar.pause.isActive() and not window.case_model.busy)


def test_pages_are_fetched_on_demand_and_the_total_is_shown(
        qtbot, store: Store, service: CaseService, content: Content) -> None:  # type: ignore[no-untyped-def]
    make_demo_cases(store, content, 250)
    window = open_window(qtbot, service)
    model = window.case_model
    assert (model.rowCount(), model.total) == (100, 250)
    assert window.filter_bar.count_label.text() == "250 saker"
    assert model.canFetchMore()
    model.fetchMore()
    assert model.busy and not model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 200)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 250)
    qtbot.waitUntil(lambda: not model.busy)
    assert not model.canFetchMore()
    ids = [model.case_at(row).id for row in range(250)]
    assert len(set(ids)) == 250  # no page twice


def test_typing_searches_after_a_pause(qtbot, store: Store, service: CaseService,  # type: ignore[no-untyped-def]
                                       content: Content) -> None:
    make_demo_cases(store, content, 120)
    window = open_window(qtbot, service)
    model = window.case_model
    target = model.case_at(57)
    word = target.patient_name.split()[-1]
    type_text(window.filter_bar.search_edit, word[:4])
    assert window.filter_bar.pause.isActive() and model.rowCount() == 100  # not yet: the pause
    settled(qtbot, window)
    assert 0 < model.total < 120 and target.id in [model.case_at(r).id for r in range(model.rowCount())]
    prefix = word[:4].lower()
    assert all(any(part.lower().startswith(prefix) for part in model.case_at(r).patient_name.split())
               for r in range(model.rowCount()))
    window.filter_bar.search_edit.clear()
    settled(qtbot, window)
    type_text(window.filter_bar.search_edit, target.case_number)
    settled(qtbot, window)
    assert [model.case_at(r).id for r in range(model.rowCount())] == [target.id]
    assert window.filter_bar.count_label.text() == "1 sak"


def test_ctrl_f_focuses_the_search_and_esc_clears_it(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, service)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    edit = window.filter_bar.search_edit
    assert edit.hasFocus()
    assert edit.placeholderText() == "Søk: navn, fødselsnummer eller saksnummer"
    type_text(edit, "Sár")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == ""


def test_status_filter(qtbot, store: Store, service: CaseService, content: Content) -> None:  # type: ignore[no-untyped-def]
    make_demo_cases(store, content, 60)
    window = open_window(qtbot, service)
    combo = window.filter_bar.status_combo
    combo.setCurrentIndex(combo.findData("new"))
    settled(qtbot, window)
    model = window.case_model
    assert 0 < model.total < 60
    assert {model.case_at(r).status for r in range(model.rowCount())} == {"new"}


def received_for_deadline_in(working_days: int, today: dt.date) -> dt.date:
    """A received date whose deadline (10 working days later) is ``working_days`` working days from today."""
    wanted = add_working_days(today, working_days)
    received = today
    while add_working_days(received, 10) > wanted:
        received -= dt.timedelta(days=1)
    return received


def test_deadlines_are_marked_in_words_and_filtered(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    old = service.create_case(PATIENT_NAME, PATIENT_ID, today - dt.timedelta(days=60))
    soon = service.create_case("Ánde Čoavji", synthetic_national_id(dt.date(1990, 1, 1)),
                               received_for_deadline_in(1, today))
    fresh = service.create_case("Kari Østby", synthetic_national_id(dt.date(1971, 9, 30)), today)
    window = open_window(qtbot, service)
    model = window.case_model

    def deadline(case_id: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
        row = model.row_of(case_id)
        assert row is not None
        return model.index(row, DEADLINE_COLUMN).data(role)

    assert deadline(old.id).startswith("⚠") and "forfalt" in deadline(old.id)
    assert "snart" in deadline(soon.id)
    assert deadline(fresh.id) == add_working_days(today, 10).strftime("%d.%m.%Y")
    assert "passert" in deadline(old.id, Qt.ItemDataRole.ToolTipRole)
    old_cell = model.index(model.row_of(old.id) or 0, DEADLINE_COLUMN)
    assert old_cell.data(Qt.ItemDataRole.ForegroundRole) is not None  # and a quiet colour

    combo = window.filter_bar.deadline_combo
    combo.setCurrentIndex(combo.findData("overdue"))
    settled(qtbot, window)
    assert [model.case_at(r).id for r in range(model.rowCount())] == [old.id]
    combo.setCurrentIndex(combo.findData("soon"))
    settled(qtbot, window)
    assert {model.case_at(r).id for r in range(model.rowCount())} == {old.id, soon.id}


def test_a_signed_case_is_not_marked(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today() - dt.timedelta(days=60))
    model = CaseListModel(service)
    signed = type(case)(**{**case.__dict__, "status": "signed"})
    model.set_cases([signed])
    assert model.deadline_state(signed) == ""
    assert "forfalt" not in model.index(0, DEADLINE_COLUMN).data()


def test_mine_and_assigning(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    service = workspace.cases
    first = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    second = service.create_case("Ánde Čoavji", synthetic_national_id(dt.date(1990, 1, 1)), dt.date.today())
    window = open_window(qtbot, service, accounts=workspace.accounts)
    model = window.case_model
    assert window.assign_case(first.id, mine=True) is not None
    assert service.get_case(first.id).assigned_to == "kari"
    qtbot.waitUntil(lambda: not model.busy)
    row = model.row_of(first.id)
    assert row is not None
    assert model.index(row, COLUMNS.index("assigned_to")).data() == "kari"
    combo = window.filter_bar.clinician_combo
    combo.setCurrentIndex(1)  # "Mine saker"
    settled(qtbot, window)
    assert [model.case_at(r).id for r in range(model.rowCount())] == [first.id]
    combo.setCurrentIndex(2)  # "Ikke tildelt"
    settled(qtbot, window)
    assert [model.case_at(r).id for r in range(model.rowCount())] == [second.id]
    combo.setCurrentIndex(1)
    settled(qtbot, window)
    window.assign_case(first.id, mine=False)
    assert service.get_case(first.id).assigned_to is None
    settled(qtbot, window)
    assert model.rowCount() == 0
    assert second.assigned_to is None


def test_assigning_needs_an_account(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    window = open_window(qtbot, service)
    assert window.assign_case(case.id, mine=True) is None
    assert not window.filter_bar.clinician_combo.isVisibleTo(window)


def test_selecting_a_row_still_opens_the_case(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    window = open_window(qtbot, service)
    window.case_table.selectRow(window.case_model.row_of(case.id))
    assert window.case_page is not None and window.case_page.case.id == case.id


def test_an_outdated_answer_is_dropped(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    model = CaseListModel(service)
    model.set_query(CaseQuery(text="Sár"))
    outdated = model._generation
    model.set_query(CaseQuery(text="zzz"))
    qtbot.waitUntil(lambda: not model.busy)
    assert model.rowCount() == 0
    model._relay.done.emit(outdated, 0, CasePage((case,), 1, 100, 0))  # late, from the first query
    QApplication.processEvents()
    assert model.rowCount() == 0 and model.total == 0


def test_the_last_case_opens_though_it_is_not_on_the_first_page(  # type: ignore[no-untyped-def]
        qtbot, store: Store, service: CaseService, content: Content, tmp_path: Path) -> None:
    make_demo_cases(store, content, 150)
    oldest = service.search_cases(offset=149, limit=1).rows[0]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(LAST_CASE_KEY, oldest.id)
    window = open_window(qtbot, service, settings=settings)
    assert window.case_page is not None and window.case_page.case.id == oldest.id
    assert window.case_model.row_of(oldest.id) is None  # not fetched, yet open


@pytest.mark.parametrize("column", ["national_id", "chosen_level", "assigned_to"])
def test_narrow_columns_are_hidden_and_can_be_shown(qtbot, service: CaseService,  # type: ignore[no-untyped-def]
                                                    column: str) -> None:
    window = open_window(qtbot, service)
    index = COLUMNS.index(column)
    assert window.case_table.isColumnHidden(index)
    window.show_column(column, True)
    assert not window.case_table.isColumnHidden(index)


def test_a_referral_we_prepare_reads_as_one(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today() - dt.timedelta(days=60),
                               side="referrer")
    model = CaseListModel(service)
    referred = type(case)(**{**case.__dict__, "status": "referred"})
    model.set_cases([case, referred])
    status = COLUMNS.index("status")
    assert [model.index(row, status).data() for row in (0, 1)] == ["Henvisning (utkast)", "Henvist"]
    # TSB's assessment deadline starts when TSB receives it: no date, never overdue.
    assert model.index(0, DEADLINE_COLUMN).data() == "—" and model.deadline_state(case) == ""
    assert "når TSB mottar" in model.index(0, DEADLINE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)


def test_the_status_filter_offers_referred(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today(), side="referrer")
    service.save_assessment(case.id, {"rus": {"main_substance": "alcohol", "rating": 2}})
    service.record_issued_document(case.id, "henvisning", b"%PDF-", "henvisning.pdf")
    service.create_case("Ánde Čoavji", synthetic_national_id(dt.date(1990, 1, 1)), dt.date.today())
    window = open_window(qtbot, service)
    combo = window.filter_bar.status_combo
    combo.setCurrentIndex(combo.findData("referred"))
    assert combo.currentText() == "Henvist"
    settled(qtbot, window)
    model = window.case_model
    assert [model.case_at(r).id for r in range(model.rowCount())] == [case.id]

"""Signed assessments on the real main window: shown read-only with who signed and when,
corrected into a new version after the clinician gives a reason, and every opening and
issued note lands in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService, CaseSummary, Decision
from tsbplace.ui.case_list import COLUMNS
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, Qt

TODAY = dt.date.today()


def signed_case(service: CaseService) -> CaseSummary:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    record = service.save_assessment(case.id, {"rus": {"rating": 2, "note": "Første versjon"}})
    service.save_decision(case.id, Decision(chosen_level=record.suggested_level,
                                            care_right="ikke_rett", patient_agreement="enig"))
    service.sign_assessment(case.id)
    return case


def window_on(qtbot, service: CaseService, case: CaseSummary, **options) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(service, user_name="Kari", **options)
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.case_table.selectRow(window.case_model.row_of(case.id))
    assert window.case_page is not None and window.case_page.case.id == case.id
    return window


def test_a_signed_version_is_shown_read_only_with_who_signed_it(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService) -> None:
    case = signed_case(service)
    window = window_on(qtbot, service, case)
    page = window.case_page
    assert page is not None and page.signed
    assert f"signert av {service.actor.user}" in page.version_label.text()
    assert all(not domain_page.isEnabled() for domain_page in page.pages.values())
    assert page.pages["rus"].answers()["note"] == "Første versjon"  # readable all the same
    row = window.case_model.row_of(case.id)
    assert row is not None
    status = window.case_model.index(row, COLUMNS.index("status")).data()
    assert status == "Signert"
    window.close()  # leaving saves nothing: nothing could change
    assert [v.revision for v in service.assessment_versions(case.id)] == [1]


def test_correcting_asks_why_and_opens_a_new_editable_version(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService) -> None:
    case = signed_case(service)
    reasons = iter([None, "Feil vurdering av abstinens"])
    window = window_on(qtbot, service, case, ask_reason=lambda _parent: next(reasons))
    page = window.case_page
    assert page is not None
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)  # cancelled: nothing happens
    assert window.case_page is page and len(service.assessment_versions(case.id)) == 1
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    assert page is not None and not page.signed
    assert "Feil vurdering av abstinens" in page.version_label.text()
    assert all(domain_page.isEnabled() for domain_page in page.pages.values())
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the list is fetched again off the GUI thread
    row = window.case_model.row_of(case.id)
    assert row is not None
    assert window.case_model.index(row, COLUMNS.index("status")).data() == "Under arbeid"
    assert "ny versjon" in window.statusBar().currentMessage()
    first, second = service.assessment_versions(case.id)
    assert (second.revision, second.supersedes_id, second.status) == (2, first.id, "draft")
    assert first.signed and first.answers["rus"]["note"] == "Første versjon"


def test_the_note_pdf_of_a_signed_case_is_recorded_as_issued(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, tmp_path: Path) -> None:
    case = signed_case(service)
    target = tmp_path / "notat.pdf"
    window = window_on(qtbot, service, case, ask_save_path=lambda *_: target)
    assert window.save_note_pdf() == target
    [issued] = service.issued_documents(case.id)
    assert issued.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert (issued.kind, issued.file_name) == ("notat", "notat.pdf")
    actions = [entry.action for entry in service.audit_trail(case.id)]
    assert actions[-2:] == ["case.opened", "document.issued"]
    assert QApplication.activeModalWidget() is None


def test_after_a_decision_with_a_right_the_start_of_treatment_is_recorded(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService) -> None:
    """Oppstart: asked for, kept on the case (the signed version stays as it was), shown
    over the version, audited; a decision without a right offers nothing to record."""
    without = signed_case(service)
    case = service.create_case("Áile Ŋuolja", "15076500565", TODAY - dt.timedelta(days=10))
    record = service.save_assessment(case.id, {"rus": {"rating": 2}})
    service.save_decision(case.id, Decision(
        chosen_level=record.suggested_level, care_right="rett", frist_weeks=6,
        latest_start_date=TODAY + dt.timedelta(weeks=5), patient_agreement="enig"))
    signed = service.sign_assessment(case.id)
    asked: list[tuple[dt.date, dt.date | None]] = []

    def ask(_parent, received, current):  # type: ignore[no-untyped-def]
        asked.append((received, current))
        return None if len(asked) == 1 else TODAY - dt.timedelta(days=1)

    window = window_on(qtbot, service, without, ask_start=ask)
    assert not hasattr(window.case_page, "start_button")  # no right: no frist to meet
    window.case_table.selectRow(window.case_model.row_of(case.id))
    page = window.case_page
    assert page is not None and page.start_label.text() == "Oppstart ikke registrert."
    page.start_button.click()  # cancelled: nothing recorded
    assert service.get_case(case.id).treatment_started_on is None
    window.case_page.start_button.click()
    yesterday = TODAY - dt.timedelta(days=1)
    assert service.get_case(case.id).treatment_started_on == yesterday
    assert window.case_page.start_label.text() == f"Behandling startet {yesterday:%d.%m.%Y}."
    assert asked == [(case.received_date, None), (case.received_date, None)]
    assert service.load_assessment(case.id) == signed  # the signed version is untouched
    assert service.audit_trail(case.id)[-2].action == "case.treatment_started"


def test_the_start_dialog_allows_only_days_from_receipt_to_today(qtbot) -> None:  # type: ignore[no-untyped-def]
    from tsbplace.ui.treatment_start import TreatmentStartDialog

    received = TODAY - dt.timedelta(days=20)
    dialog = TreatmentStartDialog(received, None)
    qtbot.addWidget(dialog)
    assert dialog.day() == TODAY  # the usual answer: it started today
    dialog.edit.setDate(dialog.edit.minimumDate().addDays(-5))
    assert dialog.day() == received
    dialog.edit.setDate(dialog.edit.maximumDate().addDays(5))
    assert dialog.day() == TODAY

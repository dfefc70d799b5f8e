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

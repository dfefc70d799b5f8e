"""Henvisning til TSB: a case prepared on the referring side ends on this page instead of
the decision; its button previews the referral letter, and the Brev menu has only the
letters that make sense for the case's side."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import StubPrinter
from tsbplace.cases import CaseService, ReferralDetails
from tsbplace.national_id import synthetic_national_id
from tsbplace.ui.case_page import DECISION, SEND, CasePage
from tsbplace.ui.domain_nav import Progress
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QKeySequence, Qt
from tsbplace.ui.referral_send_page import ReferralSendPage

ALCOHOL = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 3}}


def referral_case(service: CaseService) -> int:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today(), side="referrer")
    service.save_assessment(case.id, ALCOHOL)
    details = ReferralDetails(source="fastlege", referrer="Dr. Berg", reason="Økende alkoholbruk",
                              present_items=("substances",))
    service.save_referral(case.id, details)
    return case.id


@pytest.fixture
def window(qtbot, service: CaseService) -> MainWindow:  # type: ignore[no-untyped-def]
    opened = MainWindow(service, user_name="Kari", print_service=StubPrinter())
    qtbot.addWidget(opened)
    qtbot.waitUntil(lambda: not opened.case_model.busy)
    opened.show()
    opened.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened)  # shortcuts need it
    return opened


def test_the_page_sums_up_the_suggestion_and_what_is_missing(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService) -> None:
    page = ReferralSendPage(service.content)
    qtbot.addWidget(page)
    page.show_suggestion(service.suggest(ALCOHOL))
    assert page.level.text() == "D3M – Døgn med medisinsk overvåking"
    assert "abstinenskramper" in page.reasons.text()
    assert service.content.codes is not None
    items = service.content.codes.referral_items
    page.show_missing(items[:2])
    assert page.missing.objectName() == "warning" and items[1].label() in page.missing.text()
    assert page.progress() == (Progress.STARTED, "2 punkter mangler i henvisningen.")
    page.show_missing(())
    assert page.missing.objectName() == "good" and page.progress()[0] is Progress.DONE
    page.set_sent(True)
    assert page.progress() == (Progress.DONE, "Henvist.")
    with qtbot.waitSignal(page.preview_requested):
        qtbot.keyClick(page.preview_button, Qt.Key.Key_Space)


def test_a_referral_case_ends_in_the_send_page_not_the_decision(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService) -> None:
    case_id = referral_case(service)
    page = CasePage(service, service.get_case(case_id))
    qtbot.addWidget(page)
    assert page.decision_page is None and page.send_page is not None
    last = page.nav.item(page.nav.count() - 1)
    assert page.nav.entry_id(page.nav.count() - 1) == SEND and "Henvisning til TSB" in last.text()
    assert DECISION not in page.nav.ids
    assert page.side_tag.text() == "Henvisning fra oss"
    page.show_domain(SEND)
    assert page.current_id == SEND and page.stack.currentWidget().widget().findChild(ReferralSendPage)
    assert page.send_page.level.text().startswith("D3M")
    assert "punkter mangler ennå" in page.send_page.missing.text()
    # Ticking the rest of the checklist on the referral page empties the list here.
    for check in page.referral_page.checks.values():
        check.setChecked(True)
    assert page.send_page.missing.objectName() == "good"
    page.save()  # no decision to save: the answers and the referral only
    assert service.load_referral(case_id).missing_items == ()
    assert service.load_assessment(case_id) is not None


def test_a_tsb_case_keeps_its_decision(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    page = CasePage(service, case)
    qtbot.addWidget(page)
    assert page.decision_page is not None and page.send_page is None
    assert page.nav.ids[-1] == DECISION and page.side_tag.text() == "Vurdering i TSB"


def test_the_brev_menu_follows_the_side_and_the_button_opens_the_referral(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, window: MainWindow) -> None:
    tsb = service.create_case("Ánde Čoavji", synthetic_national_id(dt.date(1990, 1, 1)), dt.date.today())
    window.show_case(tsb)
    enabled = {kind: action.isEnabled() for kind, action in window.letter_actions.items()}
    assert enabled == {"pasient": True, "henviser": True, "henvisning": True, "notat": True}
    assert window.letter_actions["pasient"].shortcut() == QKeySequence("Ctrl+Shift+P")

    case_id = referral_case(service)
    window.show_case(service.get_case(case_id))
    enabled = {kind: action.isEnabled() for kind, action in window.letter_actions.items()}
    assert enabled == {"pasient": False, "henviser": False, "henvisning": True, "notat": True}
    assert window.letter_actions["henvisning"].shortcut() == QKeySequence("Ctrl+Shift+P")
    assert window.letter_actions["pasient"].shortcut().isEmpty()

    page = window.case_page
    assert page is not None and page.send_page is not None
    page.show_domain(SEND)
    qtbot.mouseClick(page.send_page.preview_button, Qt.MouseButton.LeftButton)
    preview = window.letter_preview
    assert preview is not None
    qtbot.waitUntil(preview.isVisible)
    letter = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(preview.pdf)).pages)
    assert "Henvisning til tverrfaglig spesialisert rusbehandling" in letter and "UTKAST" not in letter
    assert service.get_case(case_id).status == "assessed"  # shown, not yet sent
    preview.reject()

    # Ctrl+Shift+P opens the referral too (the patient letter's shortcut on a TSB case).
    window.letter_preview = None
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | shift)
    assert window.letter_preview is not None
    assert window.letter_preview.file_name == f"{page.case.case_number}-henvisning.pdf"
    window.letter_preview.reject()

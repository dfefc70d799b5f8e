"""The whole path on the real window of an encrypted store, from the keyboard after one
click: a new referral, the referral's details, the rus domain, the decision, signing, and
the decision letter printed (the print service stubbed). Asserts the stored decision, the
audit entries and the letter's text."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import (
    CTRL,
    StubPrinter,
    choose,
    fill_referral_and_rus,
    focused,
    tab_to,
    type_text,
    window_after_one_click,
)
from tsbplace.access import Workspace
from tsbplace.ui.qt import QApplication, Qt


def test_from_new_referral_to_signed_decision_and_printed_letter(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace) -> None:
    printer = StubPrinter()
    window = window_after_one_click(qtbot, workspace, printer)

    # Ny sak from the keyboard.
    qtbot.keyClick(focused(window), Qt.Key.Key_N, CTRL)
    dialog = window.new_case_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    type_text(dialog.name_edit, PATIENT_NAME)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    type_text(dialog.id_edit, PATIENT_ID)
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.case_page is not None and QApplication.activeWindow() is window)
    page = window.case_page
    assert page is not None

    # The referral and the rus domain (alcohol, earlier withdrawal seizures), saved.
    fill_referral_and_rus(qtbot, window, page)
    assert page.suggestion_panel.level_code.text() == "D3M"

    # The decision: the last entry. The chosen level follows the suggestion; a right, whose
    # frist and latest start are filled in from the prioriteringsveileder; agreement; sign.
    for _ in range(len(page.pages)):
        qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)
    decision = page.decision_page
    tab_to(qtbot, window, decision.right_buttons["rett"])
    qtbot.keyClick(decision.right_buttons["rett"], Qt.Key.Key_Space)
    tab_to(qtbot, window, decision.goals)
    type_text(decision.goals, "Slutte å drikke og beholde jobben.")
    tab_to(qtbot, window, decision.agreement)
    choose(qtbot, decision.agreement, "Enig")
    qtbot.keyClick(focused(window), Qt.Key.Key_Return, CTRL)  # Signer
    qtbot.waitUntil(lambda: window.case_page is not None and window.case_page.signed)

    record = workspace.cases.load_assessment(page.case.id)
    assert record is not None and record.signed and record.signed_by == "kari"
    assert (record.decision.chosen_level, record.decision.care_right) == ("D3M", "rett")
    assert record.decision.frist_weeks == 6 and record.decision.latest_start_date is not None
    assert record.decision.latest_start_date > dt.date.today()
    assert record.decision.patient_goals == "Slutte å drikke og beholde jobben."
    assert record.decision.patient_agreement == "enig"
    stored_referral = workspace.cases.load_referral(page.case.id)
    assert stored_referral.details.source == "fastlege"
    assert set(stored_referral.details.present_items) == {"substances", "withdrawal", "housing"}

    # The decision letter: Ctrl+Shift+P shows it, Enter prints it.
    qtbot.keyClick(focused(window), Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    preview = window.letter_preview
    assert preview is not None
    qtbot.waitUntil(preview.isVisible)
    qtbot.keyClick(preview.print_button, Qt.Key.Key_Return)
    assert len(printer.printed) == 1
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(printer.printed[0])).pages)
    assert "Du har rett til nødvendig helsehjelp" in text
    assert f"{record.decision.latest_start_date:%d.%m.%Y}" in text
    assert "Døgn med medisinsk overvåking" in text and "Statsforvalteren" in text
    assert "UTKAST" not in text

    actions = [entry.action for entry in workspace.cases.audit_trail(page.case.id)]
    for expected in ("case.created", "case.opened", "referral.saved", "assessment.saved",
                     "decision.saved", "assessment.signed", "document.issued"):
        assert expected in actions, expected
    assert actions.index("assessment.signed") < actions.index("document.issued")
    assert actions.count("assessment.signed") == 1 and actions.count("document.issued") == 1

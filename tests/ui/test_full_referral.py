"""The referring side's whole path on the real window of an encrypted store, from the
keyboard after one click: a new case on the referring side (a GP's office), the referral's
details, the rus domain, "Henvisning til TSB", the referral letter previewed and printed
(the print service stubbed). Asserts the issued document, the status "referred", the
audit entries (no decision, no signing) and the letter's text."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import (
    CTRL,
    StubPrinter,
    fill_referral_and_rus,
    focused,
    tab_to,
    type_text,
    window_after_one_click,
)
from tsbplace.access import Workspace
from tsbplace.clinic import ClinicDetails
from tsbplace.ui.case_page import SEND
from tsbplace.ui.qt import QApplication, Qt

OFFICE = ClinicDetails(name="Sentrum legekontor", unit="Fastlegene",
                       address_lines=("Storgata 1", "2317 Hamar"))


def test_from_new_referral_on_the_referring_side_to_the_printed_referral(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace) -> None:
    workspace.clinic.save(OFFICE)  # the letterhead is the referring office's
    printer = StubPrinter()
    window = window_after_one_click(qtbot, workspace, printer)

    # Ny sak from the keyboard, on the referring side: Tab to the choice, arrow down, Enter.
    qtbot.keyClick(focused(window), Qt.Key.Key_N, CTRL)
    dialog = window.new_case_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()  # as a window manager would; offscreen leaves it to us
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_text(dialog.name_edit, PATIENT_NAME)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    type_text(dialog.id_edit, PATIENT_ID)
    tab_to(qtbot, window, dialog.side_buttons["tsb"])
    qtbot.keyClick(dialog.side_buttons["tsb"], Qt.Key.Key_Down)
    assert dialog.side() == "referrer"
    qtbot.keyClick(focused(window), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.case_page is not None and QApplication.activeWindow() is window)
    page = window.case_page
    assert page is not None and page.case.referring and page.decision_page is None
    assert page.side_tag.text() == "Henvisning fra oss"

    # The referral and the rus domain (alcohol, earlier withdrawal seizures), saved.
    fill_referral_and_rus(qtbot, window, page)
    assert page.suggestion_panel.level_code.text() == "D3M"

    # The last entry is "Henvisning til TSB": its button has the focus; Space previews.
    for _ in range(len(page.pages)):
        qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)
    assert page.current_id == SEND
    send = page.send_page
    assert send is not None and send.level.text().startswith("D3M")
    assert "13 punkter mangler" in send.missing.text()
    assert focused(window) is send.preview_button
    qtbot.keyClick(send.preview_button, Qt.Key.Key_Space)
    preview = window.letter_preview
    assert preview is not None
    qtbot.waitUntil(preview.isVisible)
    qtbot.keyClick(preview.print_button, Qt.Key.Key_Return)
    assert len(printer.printed) == 1

    pages = PdfReader(io.BytesIO(printer.printed[0])).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert text.startswith("Sentrum legekontor")
    assert "Tverrfaglig spesialisert rusbehandling (TSB) Mottak av henvisninger" in text
    assert "D3M Døgn med medisinsk overvåking" in text and "Dr. Berg, Sentrum legekontor" in text
    assert "TSB vurderer henvisningen og avgjør rett til helsehjelp, frist og nivå" in text
    assert "UTKAST" not in text

    case_id = page.case.id
    [issued] = workspace.cases.issued_documents(case_id)
    assert issued.kind == "henvisning" and issued.issued_by == "kari"
    assert workspace.cases.get_case(case_id).status == "referred"
    assert send.sent and send.progress()[1] == "Henvist."
    qtbot.waitUntil(lambda: not window.case_model.busy and window.case_model.row_of(case_id) is not None)
    row = window.case_model.row_of(case_id)
    assert row is not None and window.case_model.case_at(row).status == "referred"

    trail = workspace.cases.audit_trail(case_id)
    actions = [entry.action for entry in trail]
    for expected in ("case.created", "case.opened", "referral.saved", "assessment.saved", "document.issued"):
        assert expected in actions, expected
    assert "decision.saved" not in actions and "assessment.signed" not in actions
    assert trail[0].detail == {"side": "referrer"}
    assert actions.count("document.issued") == 1

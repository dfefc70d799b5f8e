"""The access log for the professional lead: sign-ins and case openings in plain words,
local time, newest first, and filtered to the open case."""

from __future__ import annotations

import datetime as dt
import re

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.conftest import LEAD_PASSWORD
from tsbplace.access import Workspace, sign_in
from tsbplace.ui.audit_view import AuditView, action_text
from tsbplace.ui.main_window import MainWindow


def test_the_audit_view_shows_sign_in_and_case_opened(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.close()
    signed_in = sign_in(workspace.locations, "kari", LEAD_PASSWORD)
    try:
        case = signed_in.cases.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 10))
        window = MainWindow(signed_in.cases, user_name="Kari Nordmann", accounts=signed_in.accounts)
        qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
        qtbot.addWidget(window)
        window.case_table.selectRow(window.case_model.row_of(case.id) or 0)
        assert window.audit_action is not None
        window.audit_action.trigger()
        view = window.audit_view
        assert view is not None and view.isVisible()
        assert view.case_filter.isChecked()  # the open case first
        assert set(view.column_texts("case")) == {case.case_number}
        assert "Åpnet sak" in view.column_texts("action")

        view.case_filter.setChecked(False)
        actions = view.column_texts("action")
        assert actions[0] == "Åpnet sak"  # newest first
        assert "Logget inn" in actions
        assert "Opprettet databasen" in actions
        local_time = re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d")
        assert all(local_time.fullmatch(text) for text in view.column_texts("time"))
        assert set(view.column_texts("user")) == {"kari"}
        texts = [text for column in ("action", "case") for text in view.column_texts(column)]
        assert not any(part in text for text in texts for part in PATIENT_NAME.split())
    finally:
        signed_in.close()


def test_unknown_actions_are_shown_as_stored() -> None:
    assert action_text("case.opened") == "Åpnet sak"
    assert action_text("something.new") == "something.new"


def test_without_an_open_case_there_is_no_filter(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = AuditView(workspace.cases)
    qtbot.addWidget(view)
    assert view.case_filter.isHidden()
    assert "La til bruker" in view.column_texts("action")

"""Drafts save themselves on the real main window and real store: a pause after typing
saves without Ctrl+S, refused input is told without a dialog, closing saves at once, and
the next start (a new window on the same store, as after a crash) continues the last case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.national_id import synthetic_national_id
from tsbplace.ui.case_page import CasePage
from tsbplace.ui.date_field import DateField
from tsbplace.ui.main_window import AUTOSAVE_MS, LAST_CASE_KEY, MainWindow
from tsbplace.ui.qt import QApplication, QPlainTextEdit, QSettings, Qt

CTRL = Qt.KeyboardModifier.ControlModifier
PAUSE_MS = 150  # the autosave pause in these tests (2 s in the program)
NOTE = "Ønsker døgnbehandling nær Kárášjohka."


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a throw-away file, never the user's own."""
    return QSettings(str(tmp_path / "settings" / "tsbplace.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def warnings(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    from tsbplace.ui import main_window as module

    shown: list[str] = []
    monkeypatch.setattr(module.QMessageBox, "warning",
                        lambda _parent, _title, text: shown.append(text))
    return shown


def open_window(qtbot, service: CaseService, settings: QSettings,  # type: ignore[no-untyped-def]
                autosave_ms: int = PAUSE_MS) -> MainWindow:
    window = MainWindow(service, user_name="Kari", settings=settings, autosave_ms=autosave_ms)
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    return window


def open_case(qtbot, service: CaseService, settings: QSettings,  # type: ignore[no-untyped-def]
              autosave_ms: int = PAUSE_MS) -> tuple[MainWindow, CasePage]:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    window = open_window(qtbot, service, settings, autosave_ms)
    window.case_table.selectRow(window.case_model.row_of(case.id))
    assert window.case_page is not None and window.case_page.case.id == case.id
    return window, window.case_page


def note_field(page: CasePage) -> QPlainTextEdit:
    widget = page.pages["rus"].fields["note"].widget
    assert isinstance(widget, QPlainTextEdit)
    return widget


def test_the_pause_is_two_seconds_unless_given(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    assert AUTOSAVE_MS == 2000 and window.autosave_timer.interval() == 2000
    assert window.autosave_timer.isSingleShot()


def test_a_pause_after_typing_saves_the_draft_without_ctrl_s(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings, warnings: list[str]) -> None:
    window, page = open_case(qtbot, service, settings)
    type_text(note_field(page), NOTE)
    assert page.dirty and window.autosave_timer.isActive()
    assert service.load_assessment(page.case.id) is None  # not before the pause

    qtbot.waitUntil(lambda: service.load_assessment(page.case.id) is not None, timeout=3000)
    record = service.load_assessment(page.case.id)
    assert record is not None and record.answers == {"rus": {"note": NOTE}}
    assert not page.dirty and page.version == 1
    saved = f"Lagret kl. {record.updated_at.astimezone():%H:%M}."
    assert page.save_state.text() == saved and not page.save_state.isHidden()
    assert window.statusBar().currentMessage() == saved
    assert warnings == []


def test_quick_changes_are_saved_once_after_the_last(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings) -> None:
    window, page = open_case(qtbot, service, settings, autosave_ms=400)
    buttons = page.pages["bolig"].rating_group
    for rating in (1, 2, 3, 2):
        buttons.button(rating).click()
        qtbot.wait(100)  # each change restarts the pause
        assert service.load_assessment(page.case.id) is None
    qtbot.waitUntil(lambda: not page.dirty, timeout=3000)
    qtbot.wait(600)  # nothing more to save
    record = service.load_assessment(page.case.id)
    assert record is not None and record.version == 1  # one save
    assert record.answers == {"bolig": {"rating": 2}}
    assert not window.autosave_timer.isActive()


def test_refused_input_stays_on_screen_without_a_dialog_and_is_retried(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings, warnings: list[str]) -> None:
    window, page = open_case(qtbot, service, settings)
    page.pages["bolig"].rating_group.button(1).click()
    qtbot.waitUntil(lambda: not page.dirty, timeout=3000)
    before = service.load_assessment(page.case.id)
    page.show_domain("bolig")

    date = page.pages["rus"].fields["last_overdose"].widget
    assert isinstance(date, DateField)
    type_text(date.edit, "01.01.2099")
    qtbot.waitUntil(lambda: page.save_state.text().startswith("Ikke lagret:"), timeout=3000)
    assert warnings == []  # no dialog: the clinician keeps typing
    assert "Siste overdose" in page.save_state.text()
    status = window.statusBar().currentMessage()
    assert status.startswith("Ikke lagret:") and "Datoen kan ikke ligge fram i tid." in status
    assert page.domain_page.domain.id == "bolig"  # the form is not moved about
    assert page.dirty and date.edit.text() == "01.01.2099"  # still on screen
    assert service.load_assessment(page.case.id) == before
    qtbot.wait(3 * PAUSE_MS)
    assert service.load_assessment(page.case.id) == before  # no retry without a change

    date.edit.selectAll()
    type_text(date.edit, "01.01.2020")  # corrected: the next pause saves it
    qtbot.waitUntil(lambda: not page.dirty, timeout=3000)
    record = service.load_assessment(page.case.id)
    assert record is not None and record.version == 2
    assert record.answers["rus"] == {"last_overdose": "2020-01-01"}
    assert page.save_state.text().startswith("Lagret kl.")
    assert warnings == []


def test_ctrl_s_still_saves_at_once(qtbot, service: CaseService, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    window, page = open_case(qtbot, service, settings, autosave_ms=60_000)
    page.pages["bolig"].rating_group.button(3).click()
    assert window.autosave_timer.isActive()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert service.load_assessment(page.case.id).answers == {"bolig": {"rating": 3}}  # type: ignore[union-attr]
    assert not page.dirty and not window.autosave_timer.isActive()


def test_closing_saves_at_once(qtbot, service: CaseService, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    window, page = open_case(qtbot, service, settings, autosave_ms=60_000)
    type_text(note_field(page), NOTE)
    assert window.close()
    assert service.load_assessment(page.case.id).answers == {"rus": {"note": NOTE}}  # type: ignore[union-attr]
    assert not window.autosave_timer.isActive()


def test_a_conflict_in_the_autosave_takes_the_usual_path(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings, content: Content,
        database_url: str, warnings: list[str]) -> None:
    from tsbplace.storage import Store

    window, page = open_case(qtbot, service, settings)
    asked: list[str] = []
    window.ask_conflict_reload = lambda _parent, text: asked.append(text) or False  # stay
    page.pages["bolig"].rating_group.button(1).click()
    qtbot.waitUntil(lambda: not page.dirty, timeout=3000)
    other = Store.open(database_url)  # a colleague's program on the same database
    try:
        theirs = CaseService(other, content).save_assessment(
            page.case.id, {"bolig": {"rating": 3}}, expected_version=1)
    finally:
        other.close()

    page.pages["bolig"].rating_group.button(2).click()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=3000)
    assert "Last saken inn på nytt" in asked[0]
    assert page.dirty and page.pages["bolig"].answers()["rating"] == 2
    assert page.save_state.text().startswith("Ikke lagret")
    assert service.load_assessment(page.case.id) == theirs
    assert warnings == []


def test_after_a_crash_the_next_start_continues_the_last_case(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings) -> None:
    other = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1999, 2, 3)),
                                dt.date.today())
    _crashed, page = open_case(qtbot, service, settings)
    type_text(note_field(page), NOTE)
    page.pages["bolig"].rating_group.button(2).click()
    qtbot.waitUntil(lambda: not page.dirty, timeout=3000)
    assert settings.value(LAST_CASE_KEY) in (page.case.id, str(page.case.id))  # the id only

    # The program dies here: no close, no Ctrl+S. The next start opens a new window.
    restarted = open_window(qtbot, service, settings)
    again = restarted.case_page
    assert again is not None and again.case.id == page.case.id != other.id
    assert again.pages["rus"].answers() == {"note": NOTE}
    assert again.pages["bolig"].answers() == {"rating": 2}
    assert not again.dirty and again.version == 1
    selected = restarted.case_table.currentIndex().row()
    assert restarted.case_model.case_at(selected).id == page.case.id
    banner = f"Fortsetter sak {page.case.case_number} der du slapp."
    assert restarted.resume_label.text() == banner and not restarted.resume_banner.isHidden()
    assert restarted.statusBar().currentMessage() == banner


def test_the_banner_closes_and_leaves_with_its_case(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings) -> None:
    from tsbplace.ui.qt import QToolButton

    first = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    second = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1999, 2, 3)),
                                 dt.date.today())
    settings.setValue(LAST_CASE_KEY, first.id)
    window = open_window(qtbot, service, settings)
    assert not window.resume_banner.isHidden()
    close = window.resume_banner.findChild(QToolButton)
    assert close is not None and close.accessibleName() == "Lukk meldingen"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert window.resume_banner.isHidden()

    settings.setValue(LAST_CASE_KEY, first.id)
    window = open_window(qtbot, service, settings)
    assert not window.resume_banner.isHidden()
    window.case_table.selectRow(window.case_model.row_of(second.id))
    assert window.resume_banner.isHidden()  # it spoke of the other case
    assert settings.value(LAST_CASE_KEY) in (second.id, str(second.id))


def test_a_missing_last_case_starts_as_usual(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, settings: QSettings) -> None:
    service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    settings.setValue(LAST_CASE_KEY, 999_999)
    window = MainWindow(service, user_name="Kari", settings=settings, autosave_ms=PAUSE_MS)
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    assert window.case_page is None and window.resume_banner.isHidden()
    assert window.statusBar().currentMessage() == "Klar."
    assert settings.value(LAST_CASE_KEY) is None  # forgotten


def test_without_settings_nothing_is_remembered(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    window = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show_case(service.get_case(case.id))
    restarted = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not restarted.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(restarted)
    assert restarted.case_page is None


def test_the_window_remembers_its_size_and_the_list_width(qtbot, service: CaseService,  # type: ignore[no-untyped-def]
                                                          settings: QSettings) -> None:
    first = open_window(qtbot, service, settings)
    first.resize(760, 560)  # within the offscreen platform's 800 × 600 screen
    first.work_page.setSizes([420, 340])
    widths = first.work_page.sizes()
    first.close()
    second = open_window(qtbot, service, settings)
    assert (second.width(), second.height()) == (760, 560)
    assert second.work_page.sizes() == widths

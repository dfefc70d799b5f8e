"""The case page on the real main window: ten domains by list and by Ctrl+PgDown/PgUp,
marks that follow the answers, instruments scored live and stored, refused input shown."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.cases import CaseService
from tsbplace.national_id import synthetic_national_id
from tsbplace.ui.case_page import CasePage
from tsbplace.ui.date_field import DateField
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QComboBox, QPlainTextEdit, QSpinBox, Qt, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier
PHQ9 = {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 1, "q6": 2, "q7": 1, "q8": 0, "q9": 1}  # 14


@pytest.fixture
def window(qtbot, service: CaseService) -> MainWindow:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    shown = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not shown.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)  # shortcuts need it
    shown.show_case(service.get_case(case.id))
    return shown


def open_page(window: MainWindow) -> CasePage:
    assert window.case_page is not None
    return window.case_page


def focused(window: MainWindow) -> QWidget:
    widget = window.focusWidget()
    assert widget is not None
    return widget


def current(page: CasePage) -> str:
    return page.domain_page.domain.id


def test_shortcuts_step_through_the_domains_from_any_field(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = open_page(window)
    ids = [domain.id for domain in window.service.content.domains]
    assert current(page) == "rus" and page.nav.currentRow() == 1  # the referral is above it
    assert isinstance(focused(window), QComboBox)  # the first item of the first domain
    for expected in ids[1:]:
        qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)
        assert current(page) == expected
        assert page.domain_page.isAncestorOf(focused(window))  # the form, ready to type
    qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)  # after the domains, the decision
    assert page.current_id == "decision"
    assert page.decision_page.isAncestorOf(focused(window))
    qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)  # the last stays the last
    assert page.current_id == "decision"
    qtbot.keyClick(focused(window), Qt.Key.Key_PageUp, CTRL)
    assert current(page) == ids[-1]
    for expected in reversed(ids[:-1]):
        qtbot.keyClick(focused(window), Qt.Key.Key_PageUp, CTRL)
        assert current(page) == expected
    qtbot.keyClick(focused(window), Qt.Key.Key_PageUp, CTRL)  # before the domains, the referral
    assert page.current_id == "referral"
    assert focused(window) is page.referral_page.source
    qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)
    assert current(page) == "rus"
    # Neither a spin box nor a text box swallows the shortcut.
    for field in ("days_used_last_30", "note"):
        widget = page.pages["rus"].fields[field].widget
        assert isinstance(widget, QSpinBox | QPlainTextEdit)
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_PageDown, CTRL)
        assert current(page) == "somatikk"
        page.show_domain("rus")


def test_the_list_shows_the_chosen_domain_and_keeps_the_focus(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = open_page(window)
    page.nav.setFocus()
    qtbot.keyClick(page.nav, Qt.Key.Key_Down)
    qtbot.keyClick(page.nav, Qt.Key.Key_Down)
    assert current(page) == "psykisk"
    assert page.nav.hasFocus()
    qtbot.keyClick(page.nav, Qt.Key.Key_PageDown, CTRL)
    assert current(page) == "bolig" and page.nav.hasFocus()
    row = page.nav.row_of("forlop")
    qtbot.mouseClick(page.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.nav.visualItemRect(page.nav.item(row)).center())
    assert current(page) == "forlop"


def test_marks_follow_the_answers(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = open_page(window)
    bolig = page.pages["bolig"]
    assert page.nav.mark("bolig") == "○"
    bolig.fields["housing_status"].set_value("stable")
    assert page.nav.mark("bolig") == "◐"
    bolig.fields["risk_of_losing_housing"].set_value(False)
    bolig.rating_group.button(0).click()
    assert page.nav.mark("bolig") == "✓"
    assert page.nav.mark("rus") == "○"
    assert page.dirty


def test_phq9_scores_live_is_stored_and_comes_back(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                  service: CaseService) -> None:
    page = open_page(window)
    for _ in range(2):
        qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)
    assert current(page) == "psykisk"
    section = page.domain_page.instruments["phq9"]
    section.header.setFocus()
    qtbot.keyClick(section.header, Qt.Key.Key_Space)
    assert section.is_expanded()
    for item_id, value in PHQ9.items():
        combo = section.combos[item_id]
        qtbot.keyClick(section.header if item_id == "q1" else focused(window), Qt.Key.Key_Tab)
        assert focused(window) is combo
        for _ in range(value + 1):  # past "— Velg —"
            qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(focused(window), Qt.Key.Key_Tab)
    assert focused(window) is page.domain_page.instruments["gad7"].header  # the next form
    assert section.summary.text().startswith("Skår 14 (mulig 0–27) · moderat")
    assert "Tanker om død eller selvskading" in section.flags.text()
    assert not section.flags.isHidden()
    assert page.dirty and page.nav.mark("psykisk") == "○"  # instruments are not domain answers

    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert not page.dirty
    record = service.load_assessment(page.case.id)
    assert record is not None and record.answers == {}
    stored = record.instruments["phq9"]
    assert stored["answers"] == PHQ9 and stored["total"] == 14
    assert [flag["id"] for flag in stored["flags"]] == ["self_harm_thoughts"]

    reopened = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not reopened.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(reopened)
    reopened.show_case(service.get_case(page.case.id))
    again = open_page(reopened).pages["psykisk"].instruments["phq9"]
    assert again.answers() == PHQ9
    assert again.summary.text() == section.summary.text()
    assert not again.is_expanded()  # folded, but the result and the flag are in view
    assert not again.flags.isHidden()
    again.set_expanded(True)  # opening a stored form shows its answers and changes nothing
    assert [again.combos[key].currentData() for key in PHQ9] == list(PHQ9.values())
    assert not open_page(reopened).dirty


def test_refused_input_is_shown_and_changes_nothing(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                   service: CaseService, monkeypatch) -> None:
    from tsbplace.ui import main_window as module

    warnings: list[str] = []
    monkeypatch.setattr(module.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    page = open_page(window)
    page.pages["bolig"].rating_group.button(1).click()
    assert window.save_case()
    before = service.load_assessment(page.case.id)

    date = page.pages["rus"].fields["last_overdose"].widget
    assert isinstance(date, DateField)
    type_text(date.edit, "01.01.2099")
    assert not date.message.isHidden()  # said at once, beside the field
    page.show_domain("bolig")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert len(warnings) == 1
    assert "Rus og abstinens: Siste overdose: Datoen kan ikke ligge fram i tid." in warnings[0]
    assert "ingenting er endret" in warnings[0]
    assert current(page) == "rus"  # taken to the problem
    assert page.dirty
    assert service.load_assessment(page.case.id) == before


def test_switching_case_keeps_every_domain_and_instrument(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    first = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    second = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1999, 2, 3)),
                                 dt.date.today())
    window = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.case_table.selectRow(window.case_model.row_of(first.id))
    page = open_page(window)
    page.pages["okonomi"].fields["debt"].set_value("serious")
    page.pages["rus"].instruments["audit_c"].set_answers({"q1": 4})
    window.case_table.selectRow(window.case_model.row_of(second.id))
    assert open_page(window).case.id == second.id
    record = service.load_assessment(first.id)
    assert record is not None
    assert record.answers == {"okonomi": {"debt": "serious"}}
    assert record.instruments["audit_c"]["answers"] == {"q1": 4}
    assert not record.instruments["audit_c"]["complete"]


def test_someone_elses_newer_save_is_shown_and_the_typed_answers_stay(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, service: CaseService, content, database_url: str,
        monkeypatch) -> None:
    from tsbplace.storage import Store

    warnings: list[str] = []
    window.ask_conflict_reload = lambda _parent, text: warnings.append(text) or False  # stay
    page = open_page(window)
    page.pages["bolig"].rating_group.button(1).click()
    assert window.save_case() and page.version == 1

    other = Store.open(database_url)  # a colleague's program on the same database
    try:
        theirs = CaseService(other, content).save_assessment(
            page.case.id, {"bolig": {"rating": 3}}, expected_version=1)
    finally:
        other.close()

    page.pages["bolig"].rating_group.button(2).click()
    assert not window.save_case()
    [text] = warnings
    assert f"kl. {theirs.updated_at.astimezone():%H:%M}" in text and "Last saken inn på nytt" in text
    assert page.dirty
    assert page.pages["bolig"].answers()["rating"] == 2  # still on screen
    assert service.load_assessment(page.case.id) == theirs  # theirs kept, ours not written


def test_after_a_conflict_the_clinician_can_load_the_saved_version_and_move_on(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, service: CaseService, content, database_url: str) -> None:
    from tsbplace.storage import Store

    window.ask_conflict_reload = lambda _parent, _text: True  # "Last inn lagret versjon"
    page = open_page(window)
    page.pages["bolig"].rating_group.button(1).click()
    assert window.save_case()
    other = Store.open(database_url)
    try:
        CaseService(other, content).save_assessment(page.case.id, {"bolig": {"rating": 3}},
                                                    expected_version=1)
    finally:
        other.close()
    page.pages["bolig"].rating_group.button(2).click()
    assert not window.save_case()
    reloaded = window.case_page
    assert reloaded is not None and reloaded is not page
    assert not reloaded.dirty and reloaded.version == 2
    assert reloaded.pages["bolig"].answers()["rating"] == 3  # the colleague's version
    assert window.keep_open_draft()  # nothing unsaved: the clinician can leave or close

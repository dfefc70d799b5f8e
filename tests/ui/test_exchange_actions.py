"""Export and import from the window, with the askers stubbed: a case exported from one
clinic's store is imported into another's and opened there; a duplicate is skipped or
left alone as chosen; a sealed export asks the passphrase twice, and a wrong passphrase on
import is refused with a message and changes nothing; the lead's quality CSV; each export
recorded and audited as the command line does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import Workspace, create_store
from tsbplace.locations import resolve_locations
from tsbplace.sealed_files import is_sealed
from tsbplace.ui.exchange_actions import ExportChoice, ExportDialog
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QWidget

PHRASE = "en lang nok passordfrase"


class Shown:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, text: str) -> None:
        self.messages.append(text)


@pytest.fixture
def other(tmp_path: Path, cheap_kdf: None) -> Iterator[Workspace]:  # type: ignore[misc]
    """A second clinic's store, the one the case file travels to."""
    opened = create_store(resolve_locations(tmp_path / "other", environ={}), "ola", "Ola Hansen",
                          "riktig hest batteri")
    yield opened
    opened.close()


def open_window(qtbot, workspace: Workspace) -> tuple[MainWindow, Shown]:  # type: ignore[no-untyped-def]
    window = MainWindow(workspace.cases, user_name=workspace.me.display_name, accounts=workspace.accounts,
                        autosave_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.case_model.busy)
    shown = Shown()
    window.exchange.runner.show_message = shown
    return window, shown


def saved_case(workspace: Workspace) -> int:
    case = workspace.cases.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today() - dt.timedelta(days=2))
    workspace.cases.save_assessment(case.id, {"rus": {"main_substance": "alcohol", "rating": 2}})
    return case.id


def run(qtbot, window: MainWindow, trigger) -> None:  # type: ignore[no-untyped-def]
    trigger()
    qtbot.waitUntil(lambda: not window.exchange.runner.busy, timeout=10_000)


def audit(workspace: Workspace) -> list[str]:
    return [entry.action for entry in workspace.cases.audit_trail()]


def test_a_case_exported_from_one_window_is_imported_and_opened_in_another(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, other: Workspace, tmp_path: Path) -> None:
    case_id = saved_case(workspace)
    window, shown = open_window(qtbot, workspace)
    assert not window.exchange.export_action.isEnabled()  # no case open yet
    window.case_table.selectRow(window.case_model.row_of(case_id))
    assert window.exchange.export_action.isEnabled()
    target = tmp_path / "sak.json"
    asked: list[str] = []
    window.exchange.ask_export_choice = lambda _parent, number: asked.append(number) or ExportChoice("json")
    window.exchange.ask_save_path = lambda _parent, name, _filter: asked.append(name) or target
    run(qtbot, window, window.exchange.export_action.trigger)
    number = workspace.cases.get_case(case_id).case_number
    assert asked == [number, f"{number}.json"] and shown.messages == []
    assert PATIENT_NAME in target.read_text(encoding="utf-8")
    [document] = workspace.cases.issued_documents(case_id)
    assert (document.kind, document.file_name) == ("export-json", "sak.json")
    assert audit(workspace).count("case.exported") == 1
    assert window.statusBar().currentMessage() == "Eksportert til sak.json."

    receiving, received_messages = open_window(qtbot, other)
    receiving.exchange.ask_open_path = lambda _parent: target
    run(qtbot, receiving, receiving.exchange.import_action.trigger)
    assert received_messages.messages == []
    [imported] = other.cases.list_cases()
    assert (imported.case_number, imported.patient_name) == (number, PATIENT_NAME)
    qtbot.waitUntil(lambda: receiving.case_page is not None and receiving.case_page.case.id == imported.id)
    assert receiving.statusBar().currentMessage() == f"Sak {number} er lest inn (1 versjoner)."

    # The same file again: the clinician is asked, and "Avbryt importen" or "Hopp over" change nothing.
    before = audit(other)
    for answer in (None, "skip"):
        receiving.exchange.ask_duplicate = lambda _parent, case_number, answer=answer: answer
        run(qtbot, receiving, receiving.exchange.import_action.trigger)
        assert audit(other) == before and len(other.cases.list_cases()) == 1
    assert receiving.statusBar().currentMessage() == f"Sak {number} finnes allerede; ingenting er endret."


def test_the_export_dialog_asks_the_passphrase_twice(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog("2026-00001")
    qtbot.addWidget(dialog)
    assert not dialog.phrase.isEnabled()
    assert dialog.try_accept() and dialog.choice == ExportChoice("json", None)
    dialog.fhir_button.setChecked(True)
    dialog.seal_box.setChecked(True)
    assert dialog.phrase.isEnabled() and dialog.repeat.isEnabled()
    dialog.phrase.setText("kort")
    dialog.repeat.setText("kort")
    assert not dialog.try_accept() and "minst" in dialog.problem.text()
    dialog.phrase.setText(PHRASE)
    dialog.repeat.setText(PHRASE + "x")
    assert not dialog.try_accept() and dialog.problem.text() == "Passordfrasene er ikke like."
    assert dialog.repeat.text() == ""
    dialog.repeat.setText(PHRASE)
    assert dialog.try_accept() and dialog.choice == ExportChoice("fhir", PHRASE)


def test_a_sealed_export_opens_only_with_its_passphrase(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, other: Workspace, tmp_path: Path) -> None:
    case_id = saved_case(workspace)
    window, shown = open_window(qtbot, workspace)
    window.case_table.selectRow(window.case_model.row_of(case_id))
    target = tmp_path / "sak.json.sealed"
    names: list[str] = []
    window.exchange.ask_export_choice = lambda _parent, _number: ExportChoice("json", PHRASE)
    window.exchange.ask_save_path = lambda _parent, name, _filter: names.append(name) or target
    run(qtbot, window, window.exchange.export_action.trigger)
    assert shown.messages == [] and names[0].endswith(".json.sealed")
    assert is_sealed(target.read_bytes()) and PATIENT_NAME.encode() not in target.read_bytes()
    assert [d.kind for d in workspace.cases.issued_documents(case_id)] == ["export-json-sealed"]

    receiving, messages = open_window(qtbot, other)
    receiving.exchange.ask_open_path = lambda _parent: target
    before = audit(other)
    receiving.exchange.ask_passphrase = lambda _parent, _name: "feil frase her"
    run(qtbot, receiving, receiving.exchange.import_action.trigger)
    assert messages.messages == ["Feil passordfrase, eller filen er skadet eller endret."]
    assert other.cases.list_cases() == [] and audit(other) == before
    receiving.exchange.ask_passphrase = lambda _parent, _name: None  # cancelled: nothing read
    assert not receiving.exchange.import_file()
    receiving.exchange.ask_passphrase = lambda _parent, _name: PHRASE
    run(qtbot, receiving, receiving.exchange.import_action.trigger)
    assert [case.patient_name for case in other.cases.list_cases()] == [PATIENT_NAME]


def test_the_lead_exports_the_quality_csv_and_nothing_runs_while_locked(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, tmp_path: Path) -> None:
    saved_case(workspace)
    window, shown = open_window(qtbot, workspace)
    assert window.exchange.quality_action is not None
    target = tmp_path / "statistikk.csv"
    window.exchange.ask_save_path = lambda _parent, name, _filter: target
    run(qtbot, window, window.exchange.quality_action.trigger)
    data = target.read_bytes()
    assert shown.messages == [] and data.startswith(b"\xef\xbb\xbfrow;")
    assert PATIENT_NAME.split()[0].encode() not in data and PATIENT_ID.encode() not in data
    assert audit(workspace).count("case.exported") == 1

    assert window.lock()
    assert not window.exchange.button.isEnabled() and not window.exchange.import_action.isEnabled()
    assert not window.exchange.export_quality() and not window.exchange.import_file()


def test_only_a_lead_gets_the_quality_export(qtbot, service) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(service, user_name="Kari")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.case_model.busy)
    assert window.exchange.quality_action is None and window.exchange.import_action.isEnabled()

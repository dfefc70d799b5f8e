"""Hva om: a candidate rule set tried on every stored case, off the GUI thread; nothing stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import PATIENT_NAME
from tests.core.rules_folder import copy_rules
from tsbplace.cases import CaseService
from tsbplace.national_id import synthetic_national_id
from tsbplace.ui.what_if import WhatIfDialog


def make_cases(service: CaseService) -> dict[str, str]:
    numbers = {}
    for day, (name, answers) in enumerate((("moderate", {"rus": {"main_substance": "alcohol", "rating": 2}}),
                                           ("none", {"rus": {"main_substance": "cannabis", "rating": 0}})),
                                          start=1):
        case = service.create_case(f"{PATIENT_NAME} {day}", synthetic_national_id(dt.date(1980, 1, day)),
                                   dt.date(2026, 3, 2))
        service.save_assessment(case.id, answers)
        numbers[name] = case.case_number
    return numbers


def candidate(tmp_path: Path) -> Path:
    """The installed rules with RUS-RATING-SEVERE lowered from rating 3 to 2."""
    folder = copy_rules(tmp_path / "candidate")
    path = folder / "ruleset.toml"
    text = path.read_text(encoding="utf-8")
    at = text.index("value = 3", text.index('id = "RUS-RATING-SEVERE"'))
    path.write_text(text[:at] + "value = 2" + text[at + len("value = 3"):], encoding="utf-8")
    return folder


def test_the_dialog_shows_the_moved_levels_and_the_changed_case(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, tmp_path: Path) -> None:
    numbers = make_cases(service)
    folder = candidate(tmp_path)
    dialog = WhatIfDialog(service, ask_folder=lambda _parent: folder)
    qtbot.addWidget(dialog)
    dialog.show()
    ids = {number: service.search_cases(number).rows[0].id for number in numbers.values()}
    versions_before = {number: service.load_assessment(case_id) for number, case_id in ids.items()}
    assert dialog.choose_and_run()
    qtbot.waitUntil(lambda: dialog.result is not None and not dialog.runner.busy, timeout=10_000)
    assert "1 av 2 saker ville fått et annet forslag." in dialog.message.text()
    levels = {dialog.levels.item(row, 0).text(): [dialog.levels.item(row, c).text() for c in (1, 2, 3)]
              for row in range(dialog.levels.rowCount())}
    assert levels["P1"] == ["1", "0", "-1"] and levels["P1M"] == ["0", "1", "+1"]
    assert levels["K0"] == ["1", "1", "0"]
    assert dialog.changes.rowCount() == 1
    assert dialog.changes.item(0, 0).text() == numbers["moderate"]
    assert dialog.changes.item(0, 1).text() == "P1 → P1M"
    assert "RUS-RATING-SEVERE" in dialog.changes.item(0, 2).text()
    assert PATIENT_NAME not in dialog.message.text()
    for number, record in versions_before.items():  # only read: every stored version as it was
        assert service.load_assessment(ids[number]) == record
    assert dialog.choose_button.isEnabled()


def test_an_invalid_candidate_lists_its_problems_and_runs_nothing(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, tmp_path: Path) -> None:
    make_cases(service)
    folder = copy_rules(tmp_path / "broken")
    (folder / "levels.toml").write_text("schema = \"levels/1\"\n[[level]]\ncode = 3\n", encoding="utf-8")
    dialog = WhatIfDialog(service, ask_folder=lambda _parent: folder)
    qtbot.addWidget(dialog)
    assert not dialog.choose_and_run()
    assert dialog.message.text().startswith("Kandidaten kan ikke brukes")
    assert dialog.message.objectName() == "problem"
    assert not dialog.runner.busy and dialog.result is None
    assert dialog.changes.isHidden()


def test_no_folder_chosen_does_nothing(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    dialog = WhatIfDialog(service, ask_folder=lambda _parent: None)
    qtbot.addWidget(dialog)
    assert not dialog.choose_and_run()
    assert dialog.message.text() == ""

"""``tsbplace replay --ruleset DIR`` on a real store: which suggestions a candidate rule set
would change, and why, by case number only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import PATIENT_NAME
from tests.core.rules_folder import copy_rules
from tsbplace.cases import CaseService
from tsbplace.cli import main
from tsbplace.content import Content, load_content
from tsbplace.national_id import synthetic_national_id
from tsbplace.progress import Cancelled, Progress
from tsbplace.replay import what_if
from tsbplace.stored_cases import count_stored_cases, iter_stored_cases

RECEIVED = dt.date(2026, 3, 2)


def candidate(tmp_path: Path) -> Path:
    return copy_rules(tmp_path / "candidate")


def edit_rule(folder: Path, rule_id: str, old: str, new: str) -> None:
    """Replace the first ``old`` after the rule's id in ruleset.toml."""
    path = folder / "ruleset.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f'id = "{rule_id}"')
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


@pytest.fixture
def stored(service: CaseService) -> dict[str, str]:
    """Four cases in a real store: three assessed, one not. {what: case number}."""
    def case(day: int, answers: dict[str, dict[str, object]] | None) -> str:
        born = dt.date(1980, 1, day)
        summary = service.create_case(f"{PATIENT_NAME} {day}", synthetic_national_id(born), RECEIVED)
        if answers is not None:
            service.save_assessment(summary.id, answers, {"audit_c": {"q1": 2, "q2": 1, "q3": 1}})
        return summary.case_number

    return {
        "moderate": case(1, {"rus": {"main_substance": "alcohol", "rating": 2}}),
        "none": case(2, {"rus": {"main_substance": "cannabis", "rating": 0}}),
        "imminent": case(3, {"rus": {"main_substance": "ghb", "rating": 4}}),
        "not_assessed": case(4, None),
    }


def replay(capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: Path,
           *extra: str) -> tuple[int, str, str]:
    language = list(extra[:2]) if extra[:1] == ("--language",) else []
    options = list(extra[len(language):])
    code = main([*language, "--data-dir", str(tmp_path / "data"), "replay", "--ruleset", str(folder),
                 *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_changed_rule_changes_the_rule_set_hash(content: Content, tmp_path: Path) -> None:
    folder = candidate(tmp_path)
    assert load_content(folder).ruleset.content_hash == content.ruleset.content_hash
    edit_rule(folder, "RUS-RATING-SEVERE", "value = 3", "value = 2")
    assert load_content(folder).ruleset.content_hash != content.ruleset.content_hash


def test_replay_reports_the_cases_a_rule_change_moves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: dict[str, str], content: Content
) -> None:
    folder = candidate(tmp_path)
    edit_rule(folder, "RUS-RATING-SEVERE", "value = 3", "value = 2")
    code, out, err = replay(capsys, tmp_path, folder)
    assert code == 0 and err == ""
    lines = out.splitlines()
    new_hash = load_content(folder).ruleset.content_hash
    assert lines[0].endswith(f"({content.ruleset.content_hash[:12]})")
    assert lines[1].startswith("Kandidat-regelsett: ") and lines[1].endswith(f"({new_hash[:12]})")
    case = stored["moderate"]
    assert f"Sak {case}: P1 → P1M" in lines
    assert "  slår bare til med kandidaten: RUS-RATING-SEVERE" in lines
    assert sum(line.startswith("Sak ") for line in lines) == 1
    assert "Oppsummering: 1 endret, 3 uendret, 4 saker i alt." in lines
    assert "Nivåer med det installerte regelsettet: K0 2 · P1 1 · A4 1" in lines
    assert "Nivåer med kandidaten: K0 2 · P1M 1 · A4 1" in lines
    assert PATIENT_NAME not in out


def test_replay_json_names_a_changed_minimum_level(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: dict[str, str]
) -> None:
    folder = candidate(tmp_path)
    edit_rule(folder, "RUS-RATING-SEVERE", 'minimum_level = "P1M"', 'minimum_level = "P2"')
    code, out, _ = replay(capsys, tmp_path, folder, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["installed"]["hash"] != report["candidate"]["hash"]
    (change,) = report["changes"]
    assert change["case_number"] == stored["imminent"]
    assert (change["level_before"], change["level_after"]) == ("A4", "A4")
    assert change["minimum_changed"] == [{"name": "RUS-RATING-SEVERE", "before": "P1M", "after": "P2"}]
    assert change["fired_only_before"] == change["fired_only_after"] == []
    assert report["summary"]["total"] == 4 and report["summary"]["changed"] == 1
    assert report["summary"]["unchanged"] == 3 and report["summary"]["failed"] == 0
    assert report["summary"]["levels_before"] == report["summary"]["levels_after"]


def test_replay_names_outputs_and_flags_that_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: dict[str, str]
) -> None:
    folder = candidate(tmp_path)
    edit_rule(folder, "RUS-RATING-IMMINENT", 'minimum_level = "A4"',
              'minimum_level = "A4"\nsets = { output = "withdrawal", value = "akutt" }\nflags = ["ecg"]')
    code, out, _ = replay(capsys, tmp_path, folder, "--language", "en")
    assert code == 0, out
    lines = out.splitlines()
    assert f"Case {stored['imminent']}: A4 → A4" in lines
    assert "  output withdrawal: none → akutt" in lines
    assert "  flags only with the candidate: ecg" in lines


def test_a_case_the_candidate_cannot_assess_is_reported_not_fatal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: dict[str, str]
) -> None:
    folder = candidate(tmp_path)
    audit_c = folder / "instruments" / "audit_c.toml"
    audit_c.write_text(audit_c.read_text(encoding="utf-8").replace('id = "q3"', 'id = "q3x"'),
                       encoding="utf-8")
    code, out, _ = replay(capsys, tmp_path, folder)
    assert code == 0
    lines = out.splitlines()
    assert f"Sak {stored['moderate']}: P1 → –" in lines
    assert any(line.startswith("  kan ikke vurderes med kandidaten: instruments.audit_c:") for line in lines)
    assert "Oppsummering: 3 endret, 1 uendret, 4 saker i alt." in lines
    assert "Av de endrede kunne 3 ikke vurderes med ett av regelsettene." in lines


def test_an_identical_candidate_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: dict[str, str]
) -> None:
    code, out, _ = replay(capsys, tmp_path, candidate(tmp_path))
    assert code == 0
    assert "Kandidaten har samme kontrollsum" in out
    assert "Oppsummering: 0 endret, 4 uendret, 4 saker i alt." in out
    assert "Sak " not in out


def test_an_invalid_candidate_lists_its_problems_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: dict[str, str]
) -> None:
    folder = candidate(tmp_path)
    edit_rule(folder, "RUS-RATING-SEVERE", 'minimum_level = "P1M"', 'minimum_level = "P9"')
    code, out, err = replay(capsys, tmp_path, folder)
    assert (code, out) == (2, "")
    assert err.startswith("Innholdet er ugyldig")
    assert "ruleset.toml" in err


def test_replay_of_an_empty_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = replay(capsys, tmp_path, candidate(tmp_path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["changes"] == [] and report["summary"]["total"] == 0


def test_what_if_tallies_every_case_keeps_the_first_changes_and_reports_progress(
    tmp_path: Path, stored: dict[str, str], service: CaseService, content: Content
) -> None:
    folder = candidate(tmp_path)
    edit_rule(folder, "RUS-RATING-SEVERE", "value = 3", "value = 2")  # moderate: P1 → P1M
    edit_rule(folder, "RUS-RATING-MILD", "value = 1", "value = 0")  # none: K0 → P1
    progress = Progress()
    total = count_stored_cases(service.store)
    result = what_if(content, load_content(folder), iter_stored_cases(service.store), total, progress,
                     shown_limit=1)
    assert (result.summary.total, result.summary.changed) == (4, 2)
    assert len(result.changes) == 1 and result.more_changes == 1
    assert result.changes[0].case_number == stored["moderate"]
    assert progress.state()[:2] == (4, 4)
    assert result.summary.levels_after["P1M"] == 1


def test_a_cancelled_what_if_stops_with_cancelled(
    tmp_path: Path, stored: dict[str, str], service: CaseService, content: Content
) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        what_if(content, load_content(candidate(tmp_path)), iter_stored_cases(service.store), 4, progress)

"""``tsbplace assess FILE``: the explained suggestion for each example, JSON for scripts, and
every problem of a bad file on stderr with exit 2."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.case_files import example, example_names, example_path, write_case
from tsbplace.assess_commands import lower_level
from tsbplace.assessment import assess_case
from tsbplace.case_file import read_case_file
from tsbplace.cli import main
from tsbplace.content import Content
from tsbplace.i18n import pick
from tsbplace.national_id import synthetic_national_id


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", example_names())
def test_assess_prints_level_reasons_why_not_lower_and_deadlines(
    capsys: pytest.CaptureFixture[str], content: Content, name: str
) -> None:
    code, out, err = run(capsys, "assess", str(example_path(name)))
    assert code == 0 and err == ""
    result = assess_case(content, read_case_file(example_path(name), content))
    suggestion = result.suggestion
    assert f"Foreslått nivå: {content.level(suggestion.level).label()}" in out
    assert "Hvorfor:" in out
    for rule in suggestion.fired:
        if rule.minimum_level is None:
            assert f"{rule.rule_id}: {pick(rule.because)}" in out
        else:
            assert f"{rule.rule_id} (minst {rule.minimum_level}): {pick(rule.because)}" in out
    for minimum in suggestion.domain_minimums:
        assert f"{pick(content.domain(minimum.domain).title)}: {minimum.level} (" in out
    for output in suggestion.outputs:
        value = "ikke aktuelt" if output.value_label is None else pick(output.value_label)
        assert f"  {pick(output.label)}: {value}" in out
    for flag in suggestion.flags:
        assert f"  {pick(flag.label)}: {pick(flag.action)} ({', '.join(flag.rule_ids)})" in out
    lower = lower_level(content, suggestion.level)
    if lower is not None and suggestion.why_not_lower:
        assert f"Hvorfor ikke {content.level(lower).label()}?" in out
        for rule in suggestion.why_not_lower:
            assert f"Regel {rule.rule_id} krever minst {rule.minimum_level}." in out
    for instrument_id in result.instruments:
        assert f"{content.instrument(instrument_id).short_name}: skår" in out
    assert "Frister:" in out and "Frist for å vurdere henvisning" in out
    assert f"Regelsett {suggestion.ruleset_id} {suggestion.ruleset_version} · " in out


def test_assess_in_english_shows_flags_of_instruments(capsys: pytest.CaptureFixture[str]) -> None:
    path = example_path("rop-alvorlig-psykisk-lidelse-amfetamin.json")
    code, out, _ = run(capsys, "--language", "en", "assess", str(path))
    assert code == 0
    assert "Suggested level: " in out and "Why:" in out
    assert "PHQ-9: score 16" in out
    assert "NOTE: Thoughts of death or self-harm" in out


def test_assess_lists_missing_facts_and_what_they_could_change(
    capsys: pytest.CaptureFixture[str], content: Content, tmp_path: Path
) -> None:
    data = example("cannabis-ung-selvhenvist.json")
    del data["answers"]["rus"]["rating"]
    del data["answers"]["psykisk"]["suicidal_plans"]
    path = write_case(tmp_path, data)
    code, out, _ = run(capsys, "assess", str(path))
    assert code == 0
    missing = assess_case(content, read_case_file(path, content)).suggestion.missing
    assert missing and "Mangler (kan endre forslaget):" in out
    for item in missing:
        assert f"  {content.fact_label(item.fact)} – kan endre: " in out
    rating = next(item for item in missing if item.fact == "rus.rating")
    label = content.fact_label("rus.rating")
    assert f"{label} – kan endre: nivå {rating.could_raise_to}" in out


def test_assess_shows_outputs_and_flags_beside_the_level(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--language", "en", "assess",
                       str(example_path("opioider-injiserer-ung.json")))
    assert code == 0
    assert "Assessed beside the level:" in out
    assert "  Opioid agonist treatment (LAR): Assess for start or continuation (RUS-LAR-OPIOIDS)" in out
    assert "Note:" in out and "RUS-OVERDOSE-RISK" in out


def test_assess_json_is_one_object_with_input_suggestion_and_legal(
    capsys: pytest.CaptureFixture[str], content: Content
) -> None:
    path = example_path("opioider-injiserer-ung.json")
    code, out, _ = run(capsys, "assess", "--json", str(path))
    assert code == 0
    data = json.loads(out)
    result = assess_case(content, read_case_file(path, content))
    assert data["suggestion"] == result.suggestion.to_dict()
    assert data["input"] == {
        "age": 22, "sex": "F", "received": "2026-10-05", "assessment_date": "2026-10-09",
        "source": "kommunal", "lar_referral": True,
        "domains_answered": sorted(d.id for d in content.domains), "instruments_given": ["cows", "dudit"],
        "pathway": {"setting": None, "first_appointment": None, "decision": None, "avrusning_end": None,
                    "last_evaluation": None},
    }
    assert data["instruments"]["dudit"]["total"] == 38
    assert data["legal"]["assessment"]["date"] > "2026-10-05"


def test_a_bad_file_lists_every_problem_on_stderr_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = example()
    data["answers"]["rus"]["rating"] = 7
    data["instruments"]["audit"]["q1"] = 5
    data["patient"]["national_id"] = "01019012345"
    code, out, err = run(capsys, "assess", str(write_case(tmp_path, data)))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == "Saksfilen er avvist (3 problem(er)); ingenting er vurdert:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "$.patient.national_id", "$.answers.rus.rating", "$.instruments.audit.q1"]
    assert "01019012345" not in err


def test_a_truncated_file_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(example_path("gravid-benzodiazepiner.json").read_text(encoding="utf-8")[:300],
                    encoding="utf-8")
    code, out, err = run(capsys, "assess", "--json", str(path))
    assert (code, out) == (2, "")
    assert err.splitlines()[1] == "  $: Filen slutter midt i JSON-innholdet; er den avkortet?"


def test_assess_never_prints_the_identity_number(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = example()
    number = synthetic_national_id(dt.date(1972, 8, 14), first_serial=101)
    data["patient"]["national_id"] = number
    for flag in ((), ("--json",)):
        code, out, err = run(capsys, "assess", *flag, str(write_case(tmp_path, data)))
        assert code == 0
        assert number not in out + err and number[:6] not in out + err


def test_the_installed_command_exits_2_for_a_bad_file(tmp_path: Path) -> None:
    path = write_case(tmp_path, {"format": "tsbplace-case", "version": 1})
    result = subprocess.run([sys.executable, "-m", "tsbplace", "--language", "en", "assess", str(path)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert "  $.patient: This field is missing." in result.stderr
    assert "  $.referral: This field is missing." in result.stderr

"""content-check, instruments and score on the command line: same API, exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.rules_folder import copy_rules
from tsbplace.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_content_check_of_the_installed_content(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content-check")
    assert code == 0
    assert out.startswith("Innholdet er gyldig: 10 områder, 8 instrumenter")


def test_content_check_lists_every_problem_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    copy_rules(rules)
    phq9 = rules / "instruments" / "phq9.toml"
    phq9.write_text(phq9.read_text(encoding="utf-8").replace('id = "phq9"', 'id = "phq-9"', 1),
                    encoding="utf-8")
    levels = rules / "levels.toml"
    levels.write_text(levels.read_text(encoding="utf-8").replace('code = "P1M"', 'code = "p1m"'),
                      encoding="utf-8")
    code, out, err = run(capsys, "--language", "en", "content-check", str(rules))
    assert code == 2 and out == ""
    assert err.startswith("The content is invalid")
    assert "instruments/phq9.toml: id:" in err
    assert "levels.toml: level[2].code:" in err


def test_instruments_lists_every_instrument_with_default_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--language", "en", "instruments")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == [
        "audit", "audit_c", "ciwa_ar", "cows", "dudit", "gad7", "hscl10", "phq9"]
    assert "va-camcops*, asam-2020" in out


def test_score_prints_total_band_source_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--language", "en", "score", "phq9", "1", "1", "1", "1", "0", "1",
                       "0", "0", "1")
    assert code == 0
    assert "Score: 6" in out
    assert "Band: mild (threshold set kroenke-2001; source: Kroenke" in out
    assert "NOTE: Thoughts of death or self-harm" in out


def test_score_with_sex_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "audit_c", "2", "1", "0", "--sex", "F", "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["total"], result["sex_rule_applied"], result["band"]["severity"]) == (3, "female", 1)
    code, out, _ = run(capsys, "score", "audit_c", "2", "1", "0", "--sex", "M")
    assert "Grenseverdi for: menn" in out and "negativ" in out.lower()


def test_score_other_threshold_set(capsys: pytest.CaptureFixture[str]) -> None:
    answers = ["1"] * 9 + ["0"]
    _, default, _ = run(capsys, "score", "ciwa_ar", *answers, "--json")
    _, asam, _ = run(capsys, "score", "ciwa_ar", *answers, "--band-set", "asam-2020", "--json")
    assert json.loads(default)["band"]["severity"] == 1 and json.loads(asam)["band"]["severity"] == 0


@pytest.mark.parametrize(("args", "words"), [
    (["score", "phq9", "1", "2"], "9 ledd, men 2 svar"),
    (["score", "phq9", *["9"] + ["0"] * 8], "permitted values 0, 1, 2, 3"),
    (["score", "phq9", *["x"] + ["0"] * 8], "et tall eller -"),
    (["score", "phq10", "1"], "Ukjent instrument"),
    (["score", "gad7", *["1"] * 7, "--band-set", "nope"], "nope"),
])
def test_bad_score_input_is_refused_with_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                                words: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert words in err


def test_incomplete_form_gives_no_total(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "gad7", "1", "1", "-", "1", "1", "1", "1")
    assert code == 0
    assert "Ufullstendig: ingen skår (ubesvart: q3)" in out


def test_content_check_covers_the_legal_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    copy_rules(rules)
    legal = rules / "legal.toml"
    text = legal.read_text(encoding="utf-8")
    assert "working_days = 10" in text, "test setup: the assessment deadline is written this way"
    legal.write_text(text.replace("working_days = 10", "working_days = -10", 1), encoding="utf-8")
    code, _, err = run(capsys, "--language", "en", "content-check", str(rules))
    assert code == 2
    assert "legal.toml: " in err and "working_days" in err

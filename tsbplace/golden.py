"""The golden corpus: realistic vignettes with the level, outputs and flags a clinician
expects, run through the same path as the case service, so the clinical effect of any
rule edit shows as a list of differences (``rules/golden/vignettes.toml``).

Each vignette gives the patient's age and registered sex, domain answers and instrument
answers; :func:`assess_vignette` scores the instruments (with the patient's sex and each
instrument's default threshold set), turns everything into facts and asks the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tsbplace.cases import InstrumentAnswers, instrument_sex, score_instruments
from tsbplace.content.facts import Answers, FactContext
from tsbplace.content.model import Content
from tsbplace.content.validation import ContentError, read_toml, schema_problems
from tsbplace.engine import Suggestion, evaluate_answers
from tsbplace.package_data import rules_root

VIGNETTES_FILE = "golden/vignettes.toml"


@dataclass(frozen=True)
class Vignette:
    id: str
    rationale: str
    age: int
    sex: str  # "female" or "male", as the fact patient.sex
    answers: Answers
    instruments: InstrumentAnswers
    level: str
    outputs: Mapping[str, str]  # an output left out is expected to be unset
    flags: frozenset[str]
    assessed_on: dt.date

    def context(self) -> FactContext:
        """The patient as the engine sees them: born so that they are ``age`` on the day."""
        born = dt.date(self.assessed_on.year - self.age, 1, 1)
        return FactContext(birth_date=born, sex=self.sex, assessment_date=self.assessed_on)


def _vignette(entry: Mapping[str, Any], assessed_on: dt.date) -> Vignette:
    expected = entry["expected"]
    return Vignette(
        id=entry["id"], rationale=entry["rationale"], age=entry["patient"]["age"],
        sex=entry["patient"]["sex"], answers=entry["answers"], instruments=entry.get("instruments", {}),
        level=expected["level"], outputs=expected["outputs"], flags=frozenset(expected["flags"]),
        assessed_on=assessed_on,
    )


def load_vignettes(root: Traversable | Path | None = None) -> tuple[Vignette, ...]:
    """The vignettes below ``root`` (default: the installed ``rules/``), schema-checked;
    raises :class:`ContentError` naming every problem."""
    base: Traversable = rules_root() if root is None else root
    data, problems = read_toml(base / "golden" / "vignettes.toml", VIGNETTES_FILE)
    if data is not None:
        problems += schema_problems(data, "vignettes", VIGNETTES_FILE)
    if data is None or problems:
        raise ContentError(problems)
    assessed_on = dt.date.fromisoformat(data["assessed_on"])
    return tuple(_vignette(entry, assessed_on) for entry in data["vignette"])


def assess_vignette(content: Content, vignette: Vignette) -> Suggestion:
    """The engine's result for a vignette, the way :meth:`CaseService.suggest` computes it."""
    context = vignette.context()
    results = score_instruments(content, vignette.instruments, sex=instrument_sex(context))
    return evaluate_answers(content, vignette.answers, context, results).suggestion


def differences(content: Content, vignette: Vignette, suggestion: Suggestion) -> list[str]:
    """Each way the result differs from the vignette's expectation, in one line; empty if none."""
    found = []
    if suggestion.level != vignette.level:
        found.append(f"level: expected {vignette.level}, got {suggestion.level}")
    for output in content.outputs:
        expected, got = vignette.outputs.get(output.id), suggestion.output(output.id).value
        if expected != got:
            found.append(f"output {output.id}: expected {expected}, got {got}")
    raised = set(suggestion.flag_ids())
    if missing := sorted(vignette.flags - raised):
        found.append(f"flags not raised: {', '.join(missing)}")
    if extra := sorted(raised - vignette.flags):
        found.append(f"flags not expected: {', '.join(extra)}")
    return found

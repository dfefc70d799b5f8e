"""One case in, one explained assessment out: the engine's suggestion, the scored
instruments and the legal dates.

Pure and without a database, so the command line (``tsbplace assess``, ``tsbplace
replay``) and later the GUI share it. It computes the facts exactly as
:meth:`tsbplace.cases.CaseService.suggest` does: the patient context (birth date,
registered sex, assessment date), the domain answers and the instrument facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tsbplace.cases import InstrumentAnswers, score_instruments
from tsbplace.content.facts import FactContext
from tsbplace.content.model import Content
from tsbplace.engine import Answers, Evaluation, Suggestion, evaluate_answers
from tsbplace.instruments import InstrumentResult
from tsbplace.instruments.model import SEX_RULES
from tsbplace.legal import legal_outputs
from tsbplace.legal.model import Setting


@dataclass(frozen=True)
class Pathway:
    """Dates of the care pathway so far (pakkeforløp), all optional."""

    setting: str | None = None  # "outpatient" or "dogn"
    first_appointment: dt.date | None = None
    decision: dt.date | None = None
    avrusning_end: dt.date | None = None
    last_evaluation: dt.date | None = None

    def dates(self) -> dict[str, dt.date | None]:
        """The dates by name, as ``tsbplace.legal.legal_outputs`` takes them."""
        return {"first_appointment": self.first_appointment, "decision": self.decision,
                "avrusning_end": self.avrusning_end, "last_evaluation": self.last_evaluation}

    def to_dict(self) -> dict[str, Any]:
        return {"setting": self.setting} | {name: _iso(day) for name, day in self.dates().items()}


@dataclass(frozen=True)
class CaseInput:
    """What the engine needs about one referral; no name and no identity number."""

    birth_date: dt.date
    sex: str  # "F" or "M", as tsbplace.national_id.legal_sex gives it
    received: dt.date
    assessment_date: dt.date
    answers: Answers = field(default_factory=dict)
    instruments: InstrumentAnswers = field(default_factory=dict)
    source: str | None = None  # who referred: fastlege, nav, kommunal, dps, somatikk, ...
    lar_referral: bool = False
    pathway: Pathway = field(default_factory=Pathway)

    def context(self) -> FactContext:
        """The patient facts for the engine (age and sex on the assessment date)."""
        return FactContext(birth_date=self.birth_date, sex=SEX_RULES[self.sex],
                           assessment_date=self.assessment_date)

    def age(self) -> int:
        """Whole years on the assessment date."""
        return whole_years(self.birth_date, self.assessment_date)

    def summary(self) -> dict[str, Any]:
        """What was assessed, for a report: no birth date, name or identity number."""
        return {
            "age": self.age(),
            "sex": self.sex,
            "received": self.received.isoformat(),
            "assessment_date": self.assessment_date.isoformat(),
            "source": self.source,
            "lar_referral": self.lar_referral,
            "domains_answered": sorted(domain for domain, given in self.answers.items() if given),
            "instruments_given": sorted(self.instruments),
            "pathway": self.pathway.to_dict(),
        }


@dataclass(frozen=True)
class CaseAssessment:
    case: CaseInput
    suggestion: Suggestion
    instruments: Mapping[str, InstrumentResult]
    facts: Mapping[str, Any]
    legal: Mapping[str, Any]  # LegalOutputs.to_dict(): deadlines, right and frist, pathway

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the input summary, the suggestion, the instrument results, the legal dates."""
        return {
            "input": self.case.summary(),
            "suggestion": self.suggestion.to_dict(),
            "instruments": {key: result.to_dict() for key, result in self.instruments.items()},
            "legal": dict(self.legal),
        }


def whole_years(born: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def evaluate_case(content: Content, case: CaseInput,
                  band_sets: Mapping[str, str] | None = None) -> Evaluation:
    """Score the instruments, compute every fact and run the engine, as
    ``CaseService.suggest`` does. Raises ``InvalidInput`` for instrument answers the
    content does not permit (a case file is checked before it gets here)."""
    results = score_instruments(content, case.instruments, sex=case.sex, band_sets=band_sets)
    return evaluate_answers(content, case.answers, case.context(), results)


def legal_dates(content: Content, facts: Mapping[str, Any], case: CaseInput) -> Mapping[str, Any]:
    """The legal dates and deadlines for the case, from the content's legal.toml."""
    assert content.legal is not None, "load_content always loads legal.toml or raises"
    setting = None if case.pathway.setting is None else Setting(case.pathway.setting)
    outputs = legal_outputs(facts, case.received, content.legal, lar=case.lar_referral,
                            setting=setting, **case.pathway.dates())
    return outputs.to_dict()


def assess_case(content: Content, case: CaseInput,
                band_sets: Mapping[str, str] | None = None) -> CaseAssessment:
    """The whole explained assessment of one case: suggestion, instruments, legal dates."""
    evaluation = evaluate_case(content, case, band_sets)
    return CaseAssessment(case, evaluation.suggestion, evaluation.instruments,
                          evaluation.facts, legal_dates(content, evaluation.facts, case))

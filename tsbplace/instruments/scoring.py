"""Exact scoring of a standardised instrument: one pure function for every instrument.

``score(instrument, answers, sex=..., band_set=...)`` checks every answer against the
item's permitted values, and returns a frozen :class:`InstrumentResult`:

- incomplete forms are never prorated: ``total`` is ``None`` and ``missing_items`` lists
  what is missing (sub-scores whose own items are all answered are still given);
- ``total`` is an ``int`` for a sum and always an exact :class:`~fractions.Fraction` for a
  mean (HSCL-10), so a cut-off such as 1.85 is never blurred by float rounding;
  ``to_dict`` writes a mean as its exact decimal text (``"1.9"``);
- a sex-dependent threshold set needs ``sex`` ("F"/"M", as ``legal_sex`` returns it):
  without it the total is given and the band is ``None``; the rule used is recorded;
- a flag fires whenever its item is answered at or above its value, complete or not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from tsbplace.instruments.model import SEX_RULES, Band, BandSet, Flag, Instrument, Score, total_of

Answers = Mapping[str, int | None] | Sequence[int | None]

# A mean of n items has at most a handful of decimals when n's factors are 2 and 5;
# anything longer is written as a fraction instead (see exact_json).
_MAX_DECIMALS = 12


def exact_json(value: Score) -> int | str:
    """A score for JSON without losing exactness: ints stay ints, a mean becomes its exact
    decimal text (``"1.9"``), or ``"n/d"`` when it has no finite decimal form."""
    if isinstance(value, int):
        return value
    for places in range(_MAX_DECIMALS + 1):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return str(Decimal(scaled.numerator).scaleb(-places))
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class InstrumentResult:
    instrument_id: str
    instrument_version: str
    instrument_hash: str
    band_set_id: str
    complete: bool
    missing_items: tuple[str, ...]
    answers: Mapping[str, int]
    total: Score | None
    subscores: Mapping[str, int | None]
    band: Band | None
    band_needs_sex: bool
    sex_rule_applied: str | None
    flags: tuple[Flag, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: what was scored, with which data version and threshold set."""
        band = self.band
        return {
            "instrument": self.instrument_id,
            "instrument_version": self.instrument_version,
            "instrument_hash": self.instrument_hash,
            "band_set": self.band_set_id,
            "complete": self.complete,
            "missing_items": list(self.missing_items),
            "answers": dict(self.answers),
            "total": None if self.total is None else exact_json(self.total),
            "subscores": dict(self.subscores),
            "band": None if band is None else {
                "min": exact_json(band.min),
                "max": exact_json(band.max),
                "label": dict(band.label),
                "severity": band.severity,
            },
            "band_needs_sex": self.band_needs_sex,
            "sex_rule_applied": self.sex_rule_applied,
            "flags": [
                {"id": f.id, "item": f.item, "label": dict(f.label), "action": dict(f.action)}
                for f in self.flags
            ],
        }


def _by_item(instrument: Instrument, answers: Answers) -> dict[str, int | None]:
    """The answers keyed by item id; a sequence must give one entry per item, in form order."""
    ids = instrument.item_ids()
    if isinstance(answers, Mapping):
        unknown = [key for key in answers if key not in ids]
        if unknown:
            raise ValueError(f"{instrument.id}: unknown item {unknown[0]!r}; items are {', '.join(ids)}")
        return {item_id: answers.get(item_id) for item_id in ids}
    if isinstance(answers, str | bytes):
        raise ValueError(f"{instrument.id}: answers must be a mapping or a sequence of numbers")
    if len(answers) != len(ids):
        raise ValueError(
            f"{instrument.id}: {len(ids)} answers expected (None for unanswered), got {len(answers)}"
        )
    return dict(zip(ids, answers, strict=True))


def _checked(instrument: Instrument, answers: Answers) -> dict[str, int]:
    """The answered items only, each checked: a value not permitted is an error, never skipped.

    The message names the item and the permitted values, not the value given (patient data).
    """
    given: dict[str, int] = {}
    for item_id, value in _by_item(instrument, answers).items():
        if value is None:
            continue
        item = instrument.item(item_id)
        if not item.permits(value):
            permitted = ", ".join(str(v) for v in item.permitted())
            raise ValueError(
                f"{instrument.id} item {item_id}: answer is not one of the permitted values {permitted}"
            )
        given[item_id] = value
    return given


def _sex_rule(sex: str | None) -> str | None:
    if sex is None:
        return None
    if sex not in SEX_RULES:
        raise ValueError(f"sex must be one of {', '.join(SEX_RULES)} or None")
    return SEX_RULES[sex]


def _band(band_set: BandSet, total: Score | None, sex_rule: str | None) -> tuple[Band | None, str | None]:
    """The band and the sex rule it was chosen by (``None`` when the set ignores sex)."""
    if total is None:
        return None, None
    band = band_set.band_for(total, sex_rule)
    applied = sex_rule if band_set.sex_dependent and band is not None else None
    return band, applied


def score(
    instrument: Instrument,
    answers: Answers,
    *,
    sex: str | None = None,
    band_set: str | None = None,
) -> InstrumentResult:
    """Score ``answers`` (by item id, or one entry per item with ``None`` for unanswered).

    ``band_set`` names the threshold set (default: the instrument's default set).
    Raises ``ValueError`` for an unknown item, threshold set or sex, and for any answer
    that is not one of the item's permitted values.
    """
    chosen = instrument.band_set(band_set)
    sex_rule = _sex_rule(sex)
    given = _checked(instrument, answers)
    missing = tuple(item_id for item_id in instrument.item_ids() if item_id not in given)
    total = None if missing else total_of(instrument.method, sum(given.values()), len(given))
    band, applied = _band(chosen, total, sex_rule)
    subscores = {
        sub.id: sum(given[i] for i in sub.items) if all(i in given for i in sub.items) else None
        for sub in instrument.subscores
    }
    return InstrumentResult(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        instrument_hash=instrument.content_hash,
        band_set_id=chosen.id,
        complete=not missing,
        missing_items=missing,
        answers=MappingProxyType(given),
        total=total,
        subscores=MappingProxyType(subscores),
        band=band,
        band_needs_sex=chosen.sex_dependent,
        sex_rule_applied=applied,
        flags=tuple(flag for flag in instrument.flags if flag.fires(given.get(flag.item))),
    )


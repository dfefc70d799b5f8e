"""Typed, immutable view of one standardised instrument in ``rules/instruments/``.

Every instrument has the same shape (the CamCOPS pattern): items with permitted values,
one scoring method, named threshold sets with their source, optional sub-scores and
flags. The loader builds these from validated TOML; :mod:`tsbplace.instruments.scoring`
reads them and never the raw files.

Totals are exact: a sum is an ``int``; a mean is always a :class:`~fractions.Fraction`
(``sum / number of items``), so a cut-off such as 1.85 is compared as 37/20 and never
through a rounded float. Band limits read from TOML floats become fractions the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

Text = Mapping[str, str]
Score = int | Fraction

# Legal sex as tsbplace.national_id.legal_sex returns it → the name of the cut-off rule.
SEX_RULES: Mapping[str, str] = {"F": "female", "M": "male"}


class ScoringMethod(StrEnum):
    SUM = "sum"
    MEAN = "mean"


def exact(number: int | float) -> Score:
    """A TOML number as an exact score: ``1.85`` → ``Fraction(37, 20)``, ``7`` → ``7``.

    The float's shortest decimal text is what the author wrote, so it is read back exactly.
    """
    if isinstance(number, int):
        return number
    value = Fraction(str(number))
    return value.numerator if value.denominator == 1 else value


def total_of(method: ScoringMethod, item_sum: int, item_count: int) -> Score:
    """The instrument's total from the sum of its answers: the sum, or the exact mean."""
    if method is ScoringMethod.SUM:
        return item_sum
    return Fraction(item_sum, item_count)  # always a Fraction, even when whole


def possible_sums(value_lists: Iterable[Sequence[int]]) -> frozenset[int]:
    """Every sum a complete answer vector can reach (not every integer in the range:
    AUDIT items 9–10 allow only 0, 2 and 4)."""
    sums = frozenset({0})
    for values in value_lists:
        sums = frozenset(total + value for total in sums for value in values)
    return sums


@dataclass(frozen=True)
class PermittedValue:
    value: int
    label: Text


@dataclass(frozen=True)
class InstrumentItem:
    id: str
    label: Text
    values: tuple[PermittedValue, ...]

    def permitted(self) -> tuple[int, ...]:
        return tuple(entry.value for entry in self.values)

    def permits(self, value: object) -> bool:
        # bool is an int in Python; True is not an answer on any form.
        return isinstance(value, int) and not isinstance(value, bool) and value in self.permitted()


@dataclass(frozen=True)
class Band:
    """Totals from ``min`` to ``max``, both included."""

    min: Score
    max: Score
    label: Text
    severity: int

    def contains(self, total: Score) -> bool:
        return self.min <= total <= self.max


@dataclass(frozen=True)
class BandSet:
    """A named set of cut-offs with its source: one list of bands, or one list per sex."""

    id: str
    label: Text
    source: str
    bands: tuple[Band, ...] = ()
    by_sex: Mapping[str, tuple[Band, ...]] = field(default_factory=dict)
    note: Text | None = None

    @property
    def sex_dependent(self) -> bool:
        return bool(self.by_sex)

    def band_for(self, total: Score, sex_rule: str | None = None) -> Band | None:
        """The band holding ``total``; ``None`` when the set needs a sex rule and has none."""
        if self.sex_dependent:
            if sex_rule is None:
                return None
            bands = self.by_sex[sex_rule]
        else:
            bands = self.bands
        return next((band for band in bands if band.contains(total)), None)


@dataclass(frozen=True)
class Subscore:
    id: str
    label: Text
    items: tuple[str, ...]


@dataclass(frozen=True)
class Flag:
    """Fires when ``item`` is answered with ``min_value`` or more, whatever the total."""

    id: str
    item: str
    min_value: int
    label: Text
    action: Text
    source: str

    def fires(self, answer: int | None) -> bool:
        return answer is not None and answer >= self.min_value


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    short_name: str
    title: Text
    citation: str
    licence: Text
    item_text: Text
    items: tuple[InstrumentItem, ...]
    method: ScoringMethod
    prorate_note: Text
    score_range: tuple[Score, Score]
    band_sets: tuple[BandSet, ...]
    default_band_set: str
    subscores: tuple[Subscore, ...] = ()
    flags: tuple[Flag, ...] = ()
    timeframe: Text | None = None
    note: Text | None = None
    content_hash: str = ""
    # Prorating missing items is not supported (the schema accepts only false): an
    # incomplete form has no total. Kept as a field so the rule is visible in the model.
    prorate: bool = False

    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> InstrumentItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def band_set(self, band_set_id: str | None = None) -> BandSet:
        """The named threshold set, or the default one; ``ValueError`` if there is none."""
        wanted = self.default_band_set if band_set_id is None else band_set_id
        for band_set in self.band_sets:
            if band_set.id == wanted:
                return band_set
        known = ", ".join(band_set.id for band_set in self.band_sets)
        raise ValueError(f"{self.id}: unknown threshold set {wanted!r}; known: {known}")

    def possible_totals(self) -> tuple[Score, ...]:
        """Every total a complete answer vector can give, lowest first."""
        sums = possible_sums(item.permitted() for item in self.items)
        return tuple(sorted(total_of(self.method, s, len(self.items)) for s in sums))

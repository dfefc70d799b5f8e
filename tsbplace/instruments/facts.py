"""Instrument results as facts the rules can read.

For every instrument: ``instrument.<id>.total`` (the sum, or the exact mean as a float),
``instrument.<id>.severity`` (the band's severity in the chosen threshold set),
``instrument.<id>.complete`` and one ``instrument.<id>.flag.<flag>`` per flag. All are
unknown until the instrument has been filled in; an incomplete form gives a known
``complete = False`` and flags of answered items, but no total and no severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from tsbplace.content.facts import FactSpec, FactType
from tsbplace.instruments.model import Instrument, ScoringMethod
from tsbplace.instruments.scoring import InstrumentResult

GROUP = "instrument"


def fact_prefix(instrument_id: str) -> str:
    return f"{GROUP}.{instrument_id}"


def _spec(instrument: Instrument, key: str, kind: FactType, label: tuple[str, str],
          description: tuple[str, str], **bounds: Any) -> FactSpec:
    title = {"nb": instrument.short_name, "en": instrument.short_name}
    return FactSpec(
        name=f"{fact_prefix(instrument.id)}.{key}",
        domain=GROUP,
        domain_title=title,
        type=kind,
        label={"nb": label[0], "en": label[1]},
        description={"nb": description[0], "en": description[1]},
        derivation=f"scored from the answers to {instrument.short_name} (tsbplace.instruments.score)",
        source=instrument.citation,
        **bounds,
    )


def _specs_of(instrument: Instrument) -> Iterator[FactSpec]:
    low, high = instrument.score_range
    is_mean = instrument.method is ScoringMethod.MEAN
    how = ("Gjennomsnitt", "Mean") if is_mean else ("Sum", "Sum")
    yield _spec(instrument, "total", FactType.FLOAT if is_mean else FactType.INT,
                ("Skår", "Score"),
                (f"{how[0]} av alle ledd; ukjent til alle er besvart.",
                 f"{how[1]} of all items; unknown until every item is answered."),
                minimum=float(low), maximum=float(high))
    top = max(band.severity for band_set in instrument.band_sets
              for band in (*band_set.bands, *(b for bands in band_set.by_sex.values() for b in bands)))
    yield _spec(instrument, "severity", FactType.INT, ("Alvorlighetsgrad", "Severity"),
                ("Alvorlighetsgraden til skårens bånd i valgt terskelsett (0 = lavest).",
                 "Severity of the score's band in the chosen threshold set (0 = lowest)."),
                minimum=0, maximum=top)
    yield _spec(instrument, "complete", FactType.BOOL, ("Fullført", "Complete"),
                ("Alle ledd er besvart.", "Every item is answered."))
    for flag in instrument.flags:
        yield _spec(instrument, f"flag.{flag.id}", FactType.BOOL,
                    (flag.label["nb"], flag.label["en"]),
                    (flag.action["nb"], flag.action["en"]))


def instrument_fact_specs(instruments: Iterable[Instrument]) -> list[FactSpec]:
    """The facts every instrument gives, for the fact catalogue."""
    return [spec for instrument in instruments for spec in _specs_of(instrument)]


def instrument_fact_values(instruments: Iterable[Instrument],
                           results: Mapping[str, InstrumentResult]) -> dict[str, Any]:
    """The values of those facts for the instruments that were filled in (others stay unknown)."""
    values: dict[str, Any] = {}
    for instrument in instruments:
        result = results.get(instrument.id)
        if result is None:
            continue
        prefix = fact_prefix(instrument.id)
        total = result.total
        values[f"{prefix}.total"] = None if total is None else (
            total if isinstance(total, int) else float(total))
        values[f"{prefix}.severity"] = None if result.band is None else result.band.severity
        values[f"{prefix}.complete"] = result.complete
        fired = {flag.id for flag in result.flags}
        for flag in instrument.flags:
            answered = flag.item in result.answers
            values[f"{prefix}.flag.{flag.id}"] = (flag.id in fired) if answered else None
    return values

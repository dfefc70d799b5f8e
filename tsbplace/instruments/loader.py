"""Load ``rules/instruments/*.toml``, validate each file against ``instrument.schema.json``
and the semantic checks, and build frozen :class:`~tsbplace.instruments.model.Instrument`.

As with the rest of the clinical content, invalid files are refused whole: every problem
is listed by file and key, and no instrument is returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tsbplace.content.validation import (
    ContentError,
    ContentProblem,
    content_hash,
    read_toml,
    schema_problems,
)
from tsbplace.instruments.checks import instrument_problems
from tsbplace.instruments.model import (
    Band,
    BandSet,
    Flag,
    Instrument,
    InstrumentItem,
    PermittedValue,
    ScoringMethod,
    Subscore,
    exact,
)
from tsbplace.package_data import rules_root

FOLDER = "instruments"
SCHEMA = "instrument"


def _values(entries: Sequence[Mapping[str, Any]]) -> tuple[PermittedValue, ...]:
    ordered = sorted(entries, key=lambda entry: entry["value"])
    return tuple(PermittedValue(entry["value"], entry["label"]) for entry in ordered)


def _build_item(entry: Mapping[str, Any], scales: Mapping[str, Any]) -> InstrumentItem:
    entries = entry["values"] if "values" in entry else scales[entry["scale"]]["values"]
    return InstrumentItem(id=entry["id"], label=entry["label"], values=_values(entries))


def _bands(entries: Sequence[Mapping[str, Any]]) -> tuple[Band, ...]:
    return tuple(
        Band(exact(e["min"]), exact(e["max"]), label=e["label"], severity=e["severity"])
        for e in entries
    )


def _build_band_set(set_id: str, entry: Mapping[str, Any]) -> BandSet:
    return BandSet(
        id=set_id,
        label=entry["label"],
        source=entry["source"],
        bands=_bands(entry.get("bands", ())),
        by_sex={rule: _bands(bands) for rule, bands in entry.get("by_sex", {}).items()},
        note=entry.get("note"),
    )


def _build_instrument(data: Mapping[str, Any], file: str) -> Instrument:
    scoring = data["scoring"]
    scales = data.get("scales", {})
    return Instrument(
        id=data["id"],
        version=data["version"],
        short_name=data["short_name"],
        title=data["title"],
        citation=data["citation"],
        licence=data["licence"],
        item_text=data["item_text"],
        items=tuple(_build_item(entry, scales) for entry in data["item"]),
        method=ScoringMethod(scoring["method"]),
        prorate_note=scoring["prorate_note"],
        score_range=(exact(scoring["range"]["min"]), exact(scoring["range"]["max"])),
        band_sets=tuple(_build_band_set(key, entry) for key, entry in data["band_sets"].items()),
        default_band_set=scoring["default_band_set"],
        subscores=tuple(
            Subscore(entry["id"], entry["label"], tuple(entry["items"]))
            for entry in data.get("subscore", ())
        ),
        flags=tuple(
            Flag(e["id"], e["item"], e["min_value"], e["label"], e["action"], e["source"])
            for e in data.get("flag", ())
        ),
        timeframe=data.get("timeframe"),
        note=data.get("note"),
        # Per file, so a stored result names the exact items and cut-offs it was scored with.
        content_hash=content_hash({file: data}),
        prorate=scoring["prorate"],
    )


def _load_one(node: Traversable) -> tuple[Instrument | None, list[ContentProblem]]:
    file = f"{FOLDER}/{node.name}"
    data, problems = read_toml(node, file)
    if data is None:
        return None, problems
    problems = schema_problems(data, SCHEMA, file)
    if problems:  # the semantic checks assume the shape the schema guarantees
        return None, problems
    problems = instrument_problems(data, file)
    if Path(node.name).stem != data["id"]:
        problems.append(ContentProblem(file, "id", "must equal the file name without .toml"))
    return (None, problems) if problems else (_build_instrument(data, file), [])


def load_instruments(root: Traversable | Path | None = None) -> tuple[Instrument, ...]:
    """Load every instrument in ``<root>/instruments`` (default root: the installed ``rules/``),
    ordered by id.

    Raises :class:`~tsbplace.content.ContentError` listing every problem in every file;
    never returns a partial set.
    """
    base: Traversable = rules_root() if root is None else root
    folder = base / FOLDER
    if not folder.is_dir():
        raise ContentError([ContentProblem(FOLDER, "", "folder not found")])
    nodes = sorted((n for n in folder.iterdir() if n.name.endswith(".toml")), key=lambda n: n.name)
    if not nodes:
        raise ContentError([ContentProblem(FOLDER, "", "no instrument files found")])
    instruments, problems = [], []
    for node in nodes:
        instrument, found = _load_one(node)
        problems += found
        if instrument is not None:
            instruments.append(instrument)
    if problems:
        raise ContentError(problems)
    return tuple(sorted(instruments, key=lambda instrument: instrument.id))


@cache
def installed_instruments() -> tuple[Instrument, ...]:
    """The installed instruments, loaded once per process (they are immutable)."""
    return load_instruments()

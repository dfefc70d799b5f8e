"""Load ``rules/legal.toml``: validate it against ``legal.schema.json`` and the checks the
schema cannot make, and build a frozen :class:`~tsbplace.legal.model.Legal`.

As with the rest of the clinical content, an invalid file is refused whole: every problem
is listed by file and key in one :class:`~tsbplace.content.ContentError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tsbplace.conditions import condition_problems
from tsbplace.content import installed_content
from tsbplace.content.facts import FactCatalogue, FactType
from tsbplace.content.validation import (
    ContentError,
    ContentProblem,
    content_hash,
    key_path,
    read_toml,
    schema_problems,
)
from tsbplace.legal.model import (
    AgeGroup,
    Deadline,
    Escalation,
    Inputs,
    LarDeadline,
    LatestStartRule,
    Legal,
    Pathway,
    PathwayStep,
    PriorityEntry,
    Setting,
    Start,
)
from tsbplace.package_data import rules_root

FILE = "legal.toml"
SCHEMA = "legal"

Facts = FactCatalogue | Collection[str]
KeyPath = tuple[str | int, ...]
Found = Iterator[tuple[KeyPath, str]]  # problems as (key path, message)


# --- checks the schema cannot make --------------------------------------------------------


def _fact_problems(condition: Mapping[str, Any], facts: Facts, path: KeyPath) -> Found:
    names = set(facts.names()) if isinstance(facts, FactCatalogue) else set(facts)
    yield from condition_problems(condition, names, path)
    if isinstance(facts, FactCatalogue):
        yield from facts.condition_problems(condition, path)


def _input_problems(inputs: Mapping[str, str], facts: Facts) -> Found:
    for key, name in inputs.items():
        if name not in facts:
            yield ("inputs", key), f"unknown fact {name!r}"
        elif isinstance(facts, FactCatalogue) and facts.spec(name).type is not FactType.BOOL:
            yield ("inputs", key), f"{name!r} must be a yes/no fact"


def _empty_value_problems(entry: Mapping[str, Any], path: KeyPath) -> Found:
    verified = entry.get("verify", False)
    for key in ("right", "frist_weeks", "condition"):
        if key not in entry and not verified:
            yield (*path, key), "may be left empty only when the entry says verify = true"
    if "frist_weeks" not in entry and entry.get("escalation"):
        yield (*path, "escalation"), "an entry without frist_weeks cannot have escalations"


def _escalation_problems(entry: Mapping[str, Any], facts: Facts, path: KeyPath) -> Found:
    base = entry.get("frist_weeks")
    for index, escalation in enumerate(entry.get("escalation", ())):
        where: KeyPath = (*path, "escalation", index)
        yield from _fact_problems(escalation["condition"], facts, (*where, "condition"))
        if base is not None and escalation["frist_weeks"] >= base:
            yield (*where, "frist_weeks"), f"must be shorter than the entry's frist ({base} weeks)"


def _priority_problems(entries: Sequence[Mapping[str, Any]], facts: Facts) -> Found:
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        path: KeyPath = ("priority", index)
        if entry["id"] in seen:
            yield (*path, "id"), f"duplicate entry id {entry['id']!r}"
        seen.add(entry["id"])
        if "condition" in entry:
            yield from _fact_problems(entry["condition"], facts, (*path, "condition"))
        yield from _empty_value_problems(entry, path)
        yield from _escalation_problems(entry, facts, path)


def _step_problems(name: str, steps: Sequence[Mapping[str, Any]]) -> Found:
    seen: set[str] = set()
    for index, step in enumerate(steps):
        path: KeyPath = ("pathway", name, "step", index)
        if step["starts_at"] in seen:
            yield (*path, "starts_at"), f"another step already starts at {step['starts_at']!r}"
        seen.add(step["starts_at"])
        for setting in Setting:
            low = step.get(f"{setting.value}_days_min")
            if low is not None and low > step[f"{setting.value}_days"]:
                yield (*path, f"{setting.value}_days_min"), f"must not exceed {setting.value}_days"


def _pathway_problems(pathways: Mapping[str, Any]) -> Found:
    for name, pathway in pathways.items():
        yield from _step_problems(name, pathway["step"])
    ordinary = [step["id"] for step in pathways["ordinary"]["step"]]
    pregnant = [step["id"] for step in pathways["pregnant"]["step"]]
    if ordinary != pregnant:
        yield ("pathway", "pregnant", "step"), f"must have the same steps as ordinary: {ordinary}"


def legal_problems(data: Mapping[str, Any], file: str, facts: Facts) -> list[ContentProblem]:
    """Every problem the schema cannot see: unknown facts and impossible comparisons in
    conditions, duplicate ids, empty values without ``verify``, escalations that do not
    shorten the frist, pathway steps that disagree."""
    found = [
        *_input_problems(data["inputs"], facts),
        *_priority_problems(data["priority"], facts),
        *_pathway_problems(data["pathway"]),
    ]
    return [ContentProblem(file, key_path(path), message) for path, message in found]


# --- building the model -------------------------------------------------------------------


def _escalation(entry: Mapping[str, Any]) -> Escalation:
    return Escalation(
        condition=entry["condition"],
        frist_weeks=entry["frist_weeks"],
        reason=entry["reason"],
        source=entry["source"],
        verify=entry.get("verify", False),
    )


def _priority_entry(entry: Mapping[str, Any]) -> PriorityEntry:
    return PriorityEntry(
        id=entry["id"],
        name=entry["name"],
        condition=entry.get("condition"),
        right=entry.get("right"),
        frist_weeks=entry.get("frist_weeks"),
        escalations=tuple(_escalation(e) for e in entry.get("escalation", ())),
        source=entry["source"],
        verify=entry.get("verify", False),
        note=entry.get("note"),
    )


def _step(entry: Mapping[str, Any]) -> PathwayStep:
    return PathwayStep(
        id=entry["id"],
        starts_at=Start(entry["starts_at"]),
        label=entry["label"],
        days={setting: entry[f"{setting.value}_days"] for setting in Setting},
        days_min={
            setting: entry[f"{setting.value}_days_min"]
            for setting in Setting
            if f"{setting.value}_days_min" in entry
        },
    )


def _pathway(pathway_id: str, entry: Mapping[str, Any]) -> Pathway:
    valid_from = entry.get("valid_from")
    return Pathway(
        id=pathway_id,
        name=entry["name"],
        source=entry["source"],
        steps=tuple(_step(step) for step in entry["step"]),
        valid_from=None if valid_from is None else dt.date.fromisoformat(valid_from),
        verify=entry.get("verify", False),
    )


def _build(data: Mapping[str, Any], file: str) -> Legal:
    lar = data["lar_assessment"]
    latest = data["latest_start"]
    assessment = data["assessment"]
    return Legal(
        version=data["version"],
        inputs=Inputs(**data["inputs"]),
        assessment=Deadline(
            assessment["working_days"], assessment["label"], assessment["source"],
            assessment.get("verify", False),
        ),
        lar=LarDeadline(
            label=lar["label"],
            under_23=AgeGroup(lar["under_23"]["working_days"], lar["under_23"]["label"]),
            from_23=AgeGroup(lar["from_23"]["working_days"], lar["from_23"]["label"]),
            source=lar["source"],
            verify=lar.get("verify", False),
        ),
        latest_start=LatestStartRule(
            latest["label"], latest["counts_from"], latest["source"], latest.get("verify", False)
        ),
        priority=tuple(_priority_entry(entry) for entry in data["priority"]),
        ordinary=_pathway("ordinary", data["pathway"]["ordinary"]),
        pregnant=_pathway("pregnant", data["pathway"]["pregnant"]),
        content_hash=content_hash({file: data}),
    )


def load_legal(root: Traversable | Path | None = None, *, facts: Facts | None = None) -> Legal:
    """Load ``<root>/legal.toml`` (default root: the installed ``rules/``).

    ``facts`` are the fact names the conditions may read: ``content.facts.names()``, or the
    :class:`~tsbplace.content.FactCatalogue` itself to also check each comparison against
    the fact's type and values. Default: the installed content's catalogue.

    Raises :class:`~tsbplace.content.ContentError` listing every problem by file and key.
    """
    base: Traversable = rules_root() if root is None else root
    node = base / FILE
    if not node.is_file():
        raise ContentError([ContentProblem(FILE, "", "file not found")])
    data, problems = read_toml(node, FILE)
    if data is None:
        raise ContentError(problems)
    problems = schema_problems(data, SCHEMA, FILE)
    if problems:  # the semantic checks assume the shape the schema guarantees
        raise ContentError(problems)
    problems = legal_problems(data, FILE, installed_content().facts if facts is None else facts)
    if problems:
        raise ContentError(problems)
    return _build(data, FILE)


def installed_legal() -> Legal:
    """The installed ``rules/legal.toml``, loaded and checked with the installed content."""
    legal = installed_content().legal
    assert legal is not None, "load_content always loads legal.toml or raises"
    return legal

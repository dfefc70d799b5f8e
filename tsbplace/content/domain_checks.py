"""Checks of one domain file that its JSON Schema cannot make.

Each check reads the parsed TOML of a file that already passed its schema and yields
``(key path, message)`` pairs; the loader adds the file name. Duplicate ids, bounds the
wrong way round, guideline areas that do not exist, a main-substance choice that is not a
substance, and a substances item whose fields do not fit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from tsbplace.content.model import USED

KeyPath = tuple[str | int, ...]
Problem = tuple[KeyPath, str]
CHOICE_TYPES = ("choice", "choices")


def duplicates(values: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            yield value
        seen.add(value)


def _bounds_problems(question: Mapping[str, Any], path: KeyPath) -> Iterator[Problem]:
    """Options used twice, a number's minimum above its maximum, dates that do not exist or
    are the wrong way round."""
    for dup in duplicates(option["value"] for option in question.get("options", ())):
        yield (*path, "options"), f"option value {dup!r} is used twice"
    if question["type"] == "number" and question["minimum"] > question["maximum"]:
        yield (*path, "minimum"), "minimum is greater than maximum"
    days = {}
    for key in ("earliest", "latest"):
        if key in question:
            try:
                days[key] = dt.date.fromisoformat(question[key])
            except ValueError:
                yield (*path, key), f"{question[key]!r} is not a real date"
    if len(days) == 2 and days["earliest"] > days["latest"]:
        yield (*path, "earliest"), "earliest is later than latest"


def _relevance_problems(fields: Sequence[Mapping[str, Any]], path: KeyPath) -> Iterator[Problem]:
    by_id = {f["id"]: f for f in fields}
    for index, question in enumerate(fields):
        condition = question.get("relevant_if")
        if condition is None:
            continue
        where = (*path, "field", index, "relevant_if")
        other = by_id.get(condition["field"])
        if other is None or other is question or other["type"] not in CHOICE_TYPES:
            yield (*where, "field"), f"{condition['field']!r} is not another choice field of this item"
        elif condition["includes"] not in {o["value"] for o in other["options"]}:
            yield (*where, "includes"), f"{condition['includes']!r} is not an option of {other['id']!r}"


def _substance_problems(substance: Mapping[str, Any], shared: Mapping[str, Mapping[str, Any]],
                        path: KeyPath) -> Iterator[Problem]:
    omitted = set(substance.get("omit", ()))
    for index, field_id in enumerate(substance.get("omit", ())):
        if field_id == USED:
            yield (*path, "omit", index), f"{USED!r} is asked for every substance and cannot be left out"
        elif field_id not in shared:
            yield (*path, "omit", index), f"no field {field_id!r} in this substances item"
    for field_id, question in shared.items():
        depends_on = question.get("relevant_if", {}).get("field")
        if field_id not in omitted and depends_on in omitted:
            yield (*path, "omit"), f"{field_id!r} depends on {depends_on!r}, which is left out"
    amount = substance.get("amount")
    if amount is not None:
        if amount["id"] in shared:
            yield (*path, "amount", "id"), f"{amount['id']!r} is already a shared field"
        yield from _bounds_problems(amount, (*path, "amount"))


def block_problems(item: Mapping[str, Any], path: KeyPath) -> Iterator[Problem]:
    """A substances item: unique ids, a yes/no ``used``, sound ``relevant_if`` and ``omit``."""
    fields = item["field"]
    for dup in duplicates(f["id"] for f in fields):
        yield (*path, "field"), f"field id {dup!r} is used twice"
    used = next((f for f in fields if f["id"] == USED), None)
    if used is None or used["type"] != "yesno" or "relevant_if" in used:
        yield (*path, "field"), f"needs a yes/no field {USED!r} asked for every substance"
    for index, question in enumerate(fields):
        yield from _bounds_problems(question, (*path, "field", index))
    yield from _relevance_problems(fields, path)
    for dup in duplicates(s["id"] for s in item["substance"]):
        yield (*path, "substance"), f"substance id {dup!r} is used twice"
    shared = {f["id"]: f for f in fields}
    for index, substance in enumerate(item["substance"]):
        yield from _substance_problems(substance, shared, (*path, "substance", index))


def _substance_of_problems(item: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]],
                           path: KeyPath) -> Iterator[Problem]:
    target = items.get(item["substance_of"])
    if target is None or target["type"] != "substances":
        yield (*path, "substance_of"), f"{item['substance_of']!r} is not a substances item of this domain"
        return
    substances = {s["id"] for s in target["substance"]}
    for index, option in enumerate(item["options"]):
        if option["value"] not in substances:
            yield ((*path, "options", index, "value"),
                   f"{option['value']!r} is not a substance of item {item['substance_of']!r}")


def domain_problems(data: Mapping[str, Any], area_ids: set[str]) -> Iterator[Problem]:
    """Every problem of one domain file the schema let through."""
    for dup in duplicates(item["id"] for item in data["item"]):
        yield ("item",), f"item id {dup!r} is used twice"
    items = {item["id"]: item for item in data["item"]}
    for index, item in enumerate(data["item"]):
        path: KeyPath = ("item", index)
        if item["id"] == "rating":
            yield (*path, "id"), "'rating' is the name of the domain's rating"
        for a_index, area in enumerate(item["covers"]):
            if area not in area_ids:
                yield (*path, "covers", a_index), f"unknown guideline area {area!r}"
        yield from _bounds_problems(item, path)
        if item["type"] == "substances":
            yield from block_problems(item, path)
        if "substance_of" in item:
            yield from _substance_of_problems(item, items, path)
    values = sorted(anchor["value"] for anchor in data["rating"]["anchors"])
    if values != [0, 1, 2, 3, 4]:
        yield ("rating", "anchors"), f"needs one anchor for each of 0–4, has {values}"

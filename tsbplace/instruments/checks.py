"""Checks on an instrument file that JSON Schema cannot express.

They run on the raw, schema-valid TOML data, so every problem can name the key a
person edits: ``band_sets.kroenke-2001.bands[2].min``. The checks are exact: band
coverage is tested against every total a complete form can actually reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from tsbplace.content.validation import ContentProblem, key_path
from tsbplace.instruments.model import (
    SEX_RULES,
    Score,
    ScoringMethod,
    exact,
    possible_sums,
    total_of,
)

Path = list[str | int]


def _duplicates(values: Iterable[Any]) -> Iterator[Any]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            yield value
        seen.add(value)


def _item_values(data: Mapping[str, Any]) -> list[tuple[str, list[int]]] | None:
    """Each item's id and permitted values in form order, or ``None`` if an item names
    an unknown scale."""
    scales = data.get("scales", {})
    found = []
    for item in data["item"]:
        entries = item["values"] if "values" in item else scales.get(item["scale"], {}).get("values")
        if entries is None:
            return None
        found.append((item["id"], [entry["value"] for entry in entries]))
    return found


def _value_list_problems(
    entries: Sequence[Mapping[str, Any]], prefix: Path, file: str
) -> list[ContentProblem]:
    return [
        ContentProblem(file, key_path(prefix), f"permitted value {dup} is listed twice")
        for dup in _duplicates(entry["value"] for entry in entries)
    ]


def _item_problems(data: Mapping[str, Any], file: str) -> list[ContentProblem]:
    scales = data.get("scales", {})
    problems = [
        ContentProblem(file, "item", f"item id {dup!r} is used twice")
        for dup in _duplicates(item["id"] for item in data["item"])
    ]
    for scale_id, scale in scales.items():
        problems += _value_list_problems(scale["values"], ["scales", scale_id, "values"], file)
        if not any(item.get("scale") == scale_id for item in data["item"]):
            problems.append(ContentProblem(file, key_path(["scales", scale_id]), "no item uses this scale"))
    for index, item in enumerate(data["item"]):
        if "values" in item:
            problems += _value_list_problems(item["values"], ["item", index, "values"], file)
        elif item["scale"] not in scales:
            message = f"unknown scale {item['scale']!r}"
            problems.append(ContentProblem(file, key_path(["item", index, "scale"]), message))
    return problems


def _show(total: Score) -> str:
    return str(total) if isinstance(total, int) else f"{float(total):g} ({total})"


def _band_list_problems(
    bands: Sequence[Mapping[str, Any]], prefix: Path, file: str, totals: Sequence[Score]
) -> list[ContentProblem]:
    """Bands listed lowest first must cover every reachable total exactly once, with a
    severity that never falls as the total rises."""
    problems = []

    def problem(index: int, key: str, message: str) -> None:
        problems.append(ContentProblem(file, key_path([*prefix, index, key]), message))

    lowest, highest = totals[0], totals[-1]
    if exact(bands[0]["min"]) != lowest:
        problem(0, "min", f"must be {_show(lowest)}, the lowest possible total")
    if exact(bands[-1]["max"]) != highest:
        problem(len(bands) - 1, "max", f"must be {_show(highest)}, the highest possible total")
    for index, band in enumerate(bands):
        low, high = exact(band["min"]), exact(band["max"])
        if low > high:
            problem(index, "min", "is greater than max")
        if index == 0:
            continue
        before = bands[index - 1]
        before_low, before_high = exact(before["min"]), exact(before["max"])
        if low <= before_low:
            problem(index, "min", "bands must be listed from the lowest total up")
        elif low <= before_high:
            problem(index, "min", "overlaps the band before")
        else:
            gap = [total for total in totals if before_high < total < low]
            if gap:
                problem(index, "min", f"leaves a gap after the band before: {_show(gap[0])} falls in no band")
        if band["severity"] < before["severity"]:
            problem(index, "severity", "is lower than in the band before")
    return problems


def _band_set_problems(
    data: Mapping[str, Any], file: str, totals: Sequence[Score] | None
) -> list[ContentProblem]:
    problems = []
    default = data["scoring"]["default_band_set"]
    if default not in data["band_sets"]:
        message = f"unknown threshold set {default!r}"
        problems.append(ContentProblem(file, "scoring.default_band_set", message))
    if totals is None:  # the items are broken; coverage cannot be judged yet
        return problems
    for set_id, band_set in data["band_sets"].items():
        if "bands" in band_set:
            problems += _band_list_problems(band_set["bands"], ["band_sets", set_id, "bands"], file, totals)
        for rule in SEX_RULES.values():
            if rule in band_set.get("by_sex", {}):
                prefix: Path = ["band_sets", set_id, "by_sex", rule]
                problems += _band_list_problems(band_set["by_sex"][rule], prefix, file, totals)
    return problems


def _range_problems(data: Mapping[str, Any], file: str, totals: Sequence[Score]) -> list[ContentProblem]:
    declared = data["scoring"]["range"]
    problems = []
    for key, reached in (("min", totals[0]), ("max", totals[-1])):
        if exact(declared[key]) != reached:
            message = f"is {declared[key]}, but the items give {_show(reached)}"
            problems.append(ContentProblem(file, f"scoring.range.{key}", message))
    return problems


def _subscore_problems(data: Mapping[str, Any], file: str, item_ids: set[str]) -> list[ContentProblem]:
    subscores = data.get("subscore", [])
    problems = [
        ContentProblem(file, "subscore", f"sub-score id {dup!r} is used twice")
        for dup in _duplicates(subscore["id"] for subscore in subscores)
    ]
    for index, subscore in enumerate(subscores):
        for position, item_id in enumerate(subscore["items"]):
            if item_id not in item_ids:
                key = key_path(["subscore", index, "items", position])
                problems.append(ContentProblem(file, key, f"unknown item {item_id!r}"))
    return problems


def _flag_problems(
    data: Mapping[str, Any], file: str, values: Mapping[str, Sequence[int]] | None
) -> list[ContentProblem]:
    flags = data.get("flag", [])
    item_ids = {item["id"] for item in data["item"]}
    problems = [
        ContentProblem(file, "flag", f"flag id {dup!r} is used twice")
        for dup in _duplicates(flag["id"] for flag in flags)
    ]
    for index, flag in enumerate(flags):
        if flag["item"] not in item_ids:
            problems.append(ContentProblem(file, key_path(["flag", index, "item"]),
                                           f"unknown item {flag['item']!r}"))
        elif values is not None:
            permitted = values[flag["item"]]
            key = key_path(["flag", index, "min_value"])
            if flag["min_value"] > max(permitted):
                message = f"can never fire: the item allows at most {max(permitted)}"
                problems.append(ContentProblem(file, key, message))
            elif flag["min_value"] <= min(permitted):
                problems.append(ContentProblem(file, key, "fires on every answer, even the lowest"))
    return problems


def instrument_problems(data: Mapping[str, Any], file: str) -> list[ContentProblem]:
    """Every semantic problem in one schema-valid instrument file."""
    problems = _item_problems(data, file)
    values = _item_values(data)
    totals: list[Score] | None = None
    if values is not None:
        method = ScoringMethod(data["scoring"]["method"])
        sums = possible_sums(permitted for _, permitted in values)
        totals = sorted(total_of(method, s, len(values)) for s in sums)
        problems += _range_problems(data, file, totals)
    problems += _band_set_problems(data, file, totals)
    problems += _subscore_problems(data, file, {item["id"] for item in data["item"]})
    problems += _flag_problems(data, file, None if values is None else dict(values))
    return problems

"""Building and checking the rule set (``rules/ruleset.toml``) and the separate outputs and
flags (``rules/outputs.toml``), beyond what their JSON Schemas can say.

Checked here: ids used twice; a default or priority that does not match an output's values;
each rule's effects (a known level, an output value that exists, known flags); its
condition (known facts, operators and values the facts can have, counts that can be
reached); and its test cases (one that fires and one that does not, only facts the rule
reads, values those facts can have).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tsbplace.conditions import condition_facts, condition_problems
from tsbplace.content.domain_checks import duplicates
from tsbplace.content.facts import FactCatalogue
from tsbplace.content.ruleset import (
    Flag,
    HitPolicy,
    Output,
    OutputSetting,
    OutputValue,
    Rule,
    Ruleset,
    RuleTest,
)
from tsbplace.content.validation import ContentProblem, key_path

OUTPUTS_FILE = "outputs.toml"
RULESET_FILE = "ruleset.toml"
Path = list[str | int]


def _build_rule(entry: Mapping[str, Any]) -> Rule:
    sets = entry.get("sets")
    return Rule(
        id=entry["id"],
        minimum_level=entry.get("minimum_level"),
        when=entry["when"],
        because=entry["because"],
        source=entry["source"],
        tests=tuple(RuleTest(t["name"], t["facts"], t["fires"]) for t in entry["test"]),
        sets=OutputSetting(sets["output"], sets["value"]) if sets else None,
        flags=tuple(entry.get("flags", ())),
    )


def build_ruleset(data: Mapping[str, Any], content_hash: str) -> Ruleset:
    return Ruleset(
        id=data["id"],
        version=data["version"],
        baseline_level=data["baseline_level"],
        rules=tuple(_build_rule(entry) for entry in data["rule"]),
        content_hash=content_hash,
    )


def build_outputs(data: Mapping[str, Any]) -> tuple[tuple[Output, ...], tuple[Flag, ...]]:
    outputs = tuple(
        Output(
            id=entry["id"], label=entry["label"], help=entry.get("help"),
            values=tuple(OutputValue(v["value"], v["label"]) for v in entry["values"]),
            hit_policy=HitPolicy(entry["hit_policy"]), source=entry["source"],
            default=entry.get("default"), priority=tuple(entry.get("priority", ())),
        )
        for entry in data["output"]
    )
    flags = tuple(Flag(f["id"], f["label"], f["action"], f["source"]) for f in data.get("flag", ()))
    return outputs, flags


def output_problems(data: Mapping[str, Any]) -> list[ContentProblem]:
    """Ids used twice, a default that is not a value, a priority that is not every value once."""
    problems = [ContentProblem(OUTPUTS_FILE, "output", f"output id {dup!r} is used twice")
                for dup in duplicates(entry["id"] for entry in data["output"])]
    problems += [ContentProblem(OUTPUTS_FILE, "flag", f"flag id {dup!r} is used twice")
                 for dup in duplicates(entry["id"] for entry in data.get("flag", ()))]
    for index, entry in enumerate(data["output"]):
        values = [v["value"] for v in entry["values"]]
        problems += [ContentProblem(OUTPUTS_FILE, key_path(["output", index, "values"]),
                                    f"value {dup!r} is listed twice") for dup in duplicates(values)]
        if "default" in entry and entry["default"] not in values:
            problems.append(ContentProblem(OUTPUTS_FILE, key_path(["output", index, "default"]),
                                           f"{entry['default']!r} is not one of the values {values}"))
        if "priority" in entry and sorted(entry["priority"]) != sorted(values):
            problems.append(ContentProblem(OUTPUTS_FILE, key_path(["output", index, "priority"]),
                                           f"must list every value exactly once: {values}"))
    return problems


def _effect_problems(rule: Mapping[str, Any], prefix: Path, level_codes: set[str],
                     outputs: Mapping[str, Output], flag_ids: set[str]) -> list[ContentProblem]:
    """A rule's effects must name a known level, an output value that exists, known flags."""
    problems = []
    if "minimum_level" in rule and rule["minimum_level"] not in level_codes:
        key = key_path([*prefix, "minimum_level"])
        problems.append(ContentProblem(RULESET_FILE, key, f"unknown level {rule['minimum_level']!r}"))
    if "sets" in rule:
        output = outputs.get(rule["sets"]["output"])
        if output is None:
            problems.append(ContentProblem(RULESET_FILE, key_path([*prefix, "sets", "output"]),
                                           f"unknown output {rule['sets']['output']!r}"))
        elif rule["sets"]["value"] not in output.value_ids():
            problems.append(ContentProblem(
                RULESET_FILE, key_path([*prefix, "sets", "value"]),
                f"{rule['sets']['value']!r} is not a value of {output.id!r}: {list(output.value_ids())}"))
    for f_index, flag in enumerate(rule.get("flags", ())):
        if flag not in flag_ids:
            problems.append(ContentProblem(RULESET_FILE, key_path([*prefix, "flags", f_index]),
                                           f"unknown flag {flag!r}"))
    return problems


def _condition_problems(rule: Mapping[str, Any], prefix: Path,
                        catalogue: FactCatalogue) -> list[ContentProblem]:
    found = [*condition_problems(rule["when"], set(catalogue.names())),
             *catalogue.condition_problems(rule["when"])]
    return [ContentProblem(RULESET_FILE, key_path([*prefix, "when", *path]), message)
            for path, message in found]


def _test_problems(rule: Mapping[str, Any], prefix: Path, catalogue: FactCatalogue) -> list[ContentProblem]:
    """One case that fires and one that does not, reading only facts the rule reads."""
    problems = []
    if {test["fires"] for test in rule["test"]} != {True, False}:
        problems.append(ContentProblem(RULESET_FILE, key_path([*prefix, "test"]),
                                       "needs at least one case that fires and one that does not"))
    used = condition_facts(rule["when"])
    for t_index, test in enumerate(rule["test"]):
        for fact, value in test["facts"].items():
            key = key_path([*prefix, "test", t_index, "facts", fact])
            if fact not in used:
                problems.append(ContentProblem(RULESET_FILE, key, "the rule does not use this fact"))
            elif fact in catalogue and not catalogue.spec(fact).accepts(value):
                message = f"{value!r} is never a value of this fact ({catalogue.spec(fact).type})"
                problems.append(ContentProblem(RULESET_FILE, key, message))
    return problems


def ruleset_problems(data: Mapping[str, Any], level_codes: set[str], catalogue: FactCatalogue,
                     outputs: Sequence[Output] = (), flags: Sequence[Flag] = ()) -> list[ContentProblem]:
    """Every problem of ``ruleset.toml`` (already valid against its schema), all at once."""
    by_id = {output.id: output for output in outputs}
    flag_ids = {flag.id for flag in flags}
    problems = [ContentProblem(RULESET_FILE, "rule", f"rule id {dup!r} is used twice")
                for dup in duplicates(rule["id"] for rule in data["rule"])]
    if data["baseline_level"] not in level_codes:
        message = f"unknown level {data['baseline_level']!r}"
        problems.append(ContentProblem(RULESET_FILE, "baseline_level", message))
    for index, rule in enumerate(data["rule"]):
        prefix: Path = ["rule", index]
        problems += _effect_problems(rule, prefix, level_codes, by_id, flag_ids)
        problems += _condition_problems(rule, prefix, catalogue)
        problems += _test_problems(rule, prefix, catalogue)
    return problems

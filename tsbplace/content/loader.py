"""Load ``rules/``, validate every file against its JSON Schema, cross-check, and build
the typed :class:`~tsbplace.content.model.Content`.

Invalid content is refused whole: the program must not guess at clinical rules. Every
problem names the file, the key path inside it and what is wrong, so the professional
lead who edited a file can find the line.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tsbplace.conditions import condition_facts, condition_problems
from tsbplace.content.model import (
    Content,
    Domain,
    Item,
    ItemType,
    Level,
    Option,
    RatingAnchor,
    Rule,
    Ruleset,
    RuleTest,
)
from tsbplace.package_data import resource, rules_root

SCHEMA_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class ContentProblem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The content in ``rules/`` is invalid; ``problems`` lists every one found."""

    def __init__(self, problems: Iterable[ContentProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def key_path(parts: Iterable[str | int]) -> str:
    """``["rule", 2, "when", "op"]`` → ``rule[2].when.op``: how a person reads a TOML key."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@cache
def _schemas() -> Mapping[str, Mapping[str, Any]]:
    """Every JSON Schema in ``resources/schemas``, by name (``domain`` for domain.schema.json)."""
    loaded = {}
    for node in resource("schemas").iterdir():
        if node.name.endswith(SCHEMA_SUFFIX):
            with node.open("rb") as handle:
                loaded[node.name.removesuffix(SCHEMA_SUFFIX)] = json.load(handle)
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    schemas = _schemas()
    registry: Registry[Any] = Registry().with_resources(
        (f"{other}.schema.json", Resource.from_contents(schema))
        for other, schema in schemas.items()
    )
    return Draft202012Validator(schemas[name], registry=registry)


def schema_problems(data: Mapping[str, Any], schema: str, file: str) -> list[ContentProblem]:
    """Every place where ``data`` breaks its JSON Schema, most specific message first."""
    problems = []
    for error in sorted(_validator(schema).iter_errors(data), key=lambda e: list(e.path)):
        deepest = error
        if error.context:  # oneOf/anyOf: report the alternative that came closest
            deepest = max(error.context, key=lambda e: len(e.absolute_path))
        problems.append(ContentProblem(file, key_path(deepest.absolute_path), deepest.message))
    return problems


def _read_toml(node: Traversable, file: str) -> tuple[dict[str, Any] | None, list[ContentProblem]]:
    try:
        with node.open("rb") as handle:
            return tomllib.load(handle), []
    except tomllib.TOMLDecodeError as error:
        return None, [ContentProblem(file, "", f"not valid TOML: {error}")]
    except OSError as error:
        return None, [ContentProblem(file, "", f"cannot be read: {error.strerror or error}")]


def _duplicates(values: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            yield value
        seen.add(value)


def _build_levels(data: Mapping[str, Any]) -> tuple[Level, ...]:
    return tuple(
        Level(
            code=entry["code"],
            order=index,
            name=entry["name"],
            summary=entry["summary"],
            available=entry.get("available", True),
        )
        for index, entry in enumerate(data["level"])
    )


def _build_item(entry: Mapping[str, Any]) -> Item:
    return Item(
        id=entry["id"],
        type=ItemType(entry["type"]),
        required=entry["required"],
        label=entry["label"],
        help=entry.get("help"),
        unit=entry.get("unit"),
        minimum=entry.get("minimum"),
        maximum=entry.get("maximum"),
        options=tuple(Option(o["value"], o["label"]) for o in entry.get("options", ())),
    )


def _build_domain(data: Mapping[str, Any]) -> Domain:
    return Domain(
        id=data["id"],
        title=data["title"],
        help=data["help"],
        source=data["source"],
        items=tuple(_build_item(entry) for entry in data["item"]),
        rating_label=data["rating"]["label"],
        anchors=tuple(
            RatingAnchor(a["value"], a["text"])
            for a in sorted(data["rating"]["anchors"], key=lambda a: a["value"])
        ),
    )


def _build_ruleset(data: Mapping[str, Any], content_hash: str) -> Ruleset:
    return Ruleset(
        id=data["id"],
        version=data["version"],
        baseline_level=data["baseline_level"],
        rules=tuple(
            Rule(
                id=entry["id"],
                minimum_level=entry["minimum_level"],
                when=entry["when"],
                because=entry["because"],
                source=entry["source"],
                tests=tuple(RuleTest(t["name"], t["facts"], t["fires"]) for t in entry["test"]),
            )
            for entry in data["rule"]
        ),
        content_hash=content_hash,
    )


def _domain_problems(data: Mapping[str, Any], file: str) -> list[ContentProblem]:
    problems = [
        ContentProblem(file, "item", f"item id {dup!r} is used twice")
        for dup in _duplicates(item["id"] for item in data["item"])
    ]
    for index, item in enumerate(data["item"]):
        for dup in _duplicates(option["value"] for option in item.get("options", ())):
            key = key_path(["item", index, "options"])
            problems.append(ContentProblem(file, key, f"option value {dup!r} is used twice"))
        if item["type"] == "number" and item["minimum"] > item["maximum"]:
            key = key_path(["item", index, "minimum"])
            problems.append(ContentProblem(file, key, "minimum is greater than maximum"))
    values = sorted(anchor["value"] for anchor in data["rating"]["anchors"])
    if values != [0, 1, 2, 3, 4]:
        problems.append(
            ContentProblem(file, "rating.anchors", f"needs one anchor for each of 0–4, has {values}")
        )
    return problems


def _ruleset_problems(
    data: Mapping[str, Any], file: str, level_codes: set[str], facts: set[str]
) -> list[ContentProblem]:
    problems = [
        ContentProblem(file, "rule", f"rule id {dup!r} is used twice")
        for dup in _duplicates(rule["id"] for rule in data["rule"])
    ]
    if data["baseline_level"] not in level_codes:
        message = f"unknown level {data['baseline_level']!r}"
        problems.append(ContentProblem(file, "baseline_level", message))
    for index, rule in enumerate(data["rule"]):
        prefix: list[str | int] = ["rule", index]
        if rule["minimum_level"] not in level_codes:
            key = key_path([*prefix, "minimum_level"])
            problems.append(ContentProblem(file, key, f"unknown level {rule['minimum_level']!r}"))
        for path, message in condition_problems(rule["when"], facts):
            problems.append(ContentProblem(file, key_path([*prefix, "when", *path]), message))
        firing = {test["fires"] for test in rule["test"]}
        if firing != {True, False}:
            problems.append(
                ContentProblem(file, key_path([*prefix, "test"]),
                               "needs at least one case that fires and one that does not")
            )
        used = condition_facts(rule["when"])
        for t_index, test in enumerate(rule["test"]):
            for fact in test["facts"]:
                if fact not in used:
                    key = key_path([*prefix, "test", t_index, "facts", fact])
                    problems.append(ContentProblem(file, key, "the rule does not use this fact"))
    return problems


def content_hash(documents: Mapping[str, Any]) -> str:
    """SHA-256 of the parsed content (canonical JSON): comments and layout do not count,
    any change to a level, item, rule or test does."""
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_content(root: Traversable | Path | None = None) -> Content:
    """Load and validate all content below ``root`` (default: the installed ``rules/``).

    Raises :class:`ContentError` listing every problem; never returns partial content.
    """
    base: Traversable = rules_root() if root is None else root
    problems: list[ContentProblem] = []
    documents: dict[str, Any] = {}

    def read(node: Traversable, file: str, schema: str) -> dict[str, Any] | None:
        data, read_problems = _read_toml(node, file)
        problems.extend(read_problems)
        if data is None:
            return None
        found = schema_problems(data, schema, file)
        problems.extend(found)
        documents[file] = data
        return None if found else data

    levels_data = read(base / "levels.toml", "levels.toml", "levels")
    domain_nodes = sorted(
        (node for node in (base / "domains").iterdir() if node.name.endswith(".toml")),
        key=lambda node: node.name,
    )
    domain_data = [
        (f"domains/{node.name}", read(node, f"domains/{node.name}", "domain"))
        for node in domain_nodes
    ]
    ruleset_data = read(base / "ruleset.toml", "ruleset.toml", "ruleset")
    if not domain_nodes:
        problems.append(ContentProblem("domains", "", "no domain files found"))
    if levels_data is None or ruleset_data is None or any(d is None for _, d in domain_data):
        raise ContentError(problems)

    valid_domains = [(file, data) for file, data in domain_data if data is not None]
    for file, data in valid_domains:
        problems.extend(_domain_problems(data, file))
        if Path(file).stem != data["id"]:
            problems.append(ContentProblem(file, "id", "must equal the file name without .toml"))
    levels = _build_levels(levels_data)
    for dup in _duplicates(level.code for level in levels):
        problems.append(ContentProblem("levels.toml", "level", f"level code {dup!r} is used twice"))
    valid_domains.sort(key=lambda pair: (pair[1]["order"], pair[1]["id"]))
    domains = tuple(_build_domain(data) for _, data in valid_domains)
    facts = {name for domain in domains for name in domain.fact_names()}
    problems.extend(
        _ruleset_problems(ruleset_data, "ruleset.toml", {lvl.code for lvl in levels}, facts)
    )
    if problems:
        raise ContentError(problems)
    ruleset = _build_ruleset(ruleset_data, content_hash(documents))
    return Content(levels=levels, domains=domains, ruleset=ruleset)


@cache
def installed_content() -> Content:
    """The installed content, loaded once per process (it is immutable)."""
    return load_content()

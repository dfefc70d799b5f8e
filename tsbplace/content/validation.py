"""Validation shared by every content loader (domains, facts, rules, instruments).

Problems are collected, never raised one at a time, so a professional lead who edited a
file sees every mistake at once, each with its file and key path.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tsbplace.package_data import resource

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
    ).crawl()  # once, here: an uncrawled registry is crawled again on every $ref lookup
    return Draft202012Validator(schemas[name], registry=registry)


def schema_problems(data: Mapping[str, Any], schema: str, file: str) -> list[ContentProblem]:
    """Every place where ``data`` breaks its JSON Schema, most specific message first."""
    problems = []
    for error in sorted(_validator(schema).iter_errors(data), key=lambda e: list(e.path)):
        deepest = error
        if error.context:  # oneOf/anyOf: report the alternative that came closest
            deepest = max(error.context, key=lambda e: len(e.absolute_path))
        message = deepest.message
        if deepest.validator == "not" and deepest.validator_value == {}:  # $defs/forbidden
            message = "is not allowed here (for this type)"
        problems.append(ContentProblem(file, key_path(deepest.absolute_path), message))
    return problems


def read_toml(node: Traversable, file: str) -> tuple[dict[str, Any] | None, list[ContentProblem]]:
    """The parsed file, or None and the reason it could not be read or parsed."""
    try:
        with node.open("rb") as handle:
            return tomllib.load(handle), []
    except tomllib.TOMLDecodeError as error:
        return None, [ContentProblem(file, "", f"not valid TOML: {error}")]
    except OSError as error:
        return None, [ContentProblem(file, "", f"cannot be read: {error.strerror or error}")]



def content_hash(documents: Mapping[str, Any]) -> str:
    """SHA-256 of the parsed content (canonical JSON): comments and layout do not count,
    any change to a level, item, rule or test does."""
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

"""Refused input: what was wrong and where, for every service that checks input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tsbplace.i18n import tr


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(ValueError):
    """The input was refused; nothing was stored. ``problems`` says what and where."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


def too_long(prefix: str, texts: Mapping[str, str], limit: int) -> list[FieldProblem]:
    """A problem for each of ``texts`` ({field: text}) longer than ``limit`` characters."""
    return [FieldProblem(f"{prefix}.{field}", tr("input.problem.too_long", limit=limit))
            for field, text in texts.items() if len(text) > limit]

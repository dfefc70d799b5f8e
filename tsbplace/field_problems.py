"""Refused input: what was wrong and where, for every service that checks input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(ValueError):
    """The input was refused; nothing was stored. ``problems`` says what and where."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

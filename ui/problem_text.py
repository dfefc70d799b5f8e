"""Refused answers told in the clinician's words: where each problem is, and what is wrong.

The case service names each problem by its path (``rus.substances.alcohol.last_use``);
here that path becomes the label a person reads ("Rus og abstinens: Rusmidler – Alkohol
– Sist brukt"), through the content's own fact labels.
"""

from __future__ import annotations

from collections.abc import Iterable

from tsbplace.cases import FieldProblem
from tsbplace.content.model import Content
from tsbplace.i18n import pick, tr

INSTRUMENTS = "instruments"


def field_label(content: Content, path: str) -> str:
    if path in content.fact_names():
        return content.fact_label(path)
    head, _, rest = path.partition(".")
    if head == INSTRUMENTS:
        try:
            return content.instrument(rest.split(".")[0]).short_name
        except KeyError:
            return path
    try:
        title = pick(content.domain(head).title)
    except KeyError:
        return path
    return f"{title}: {rest}" if rest else title


def domain_of(content: Content, problems: Iterable[FieldProblem]) -> str | None:
    """The first domain a problem is in, to show it (None: none is in a domain)."""
    known = {domain.id for domain in content.domains}
    for problem in problems:
        head = problem.field.split(".")[0]
        if head in known:
            return head
    return None


def refusal_text(content: Content, problems: Iterable[FieldProblem]) -> str:
    lines = [f"• {field_label(content, p.field)}: {p.message}" for p in problems]
    return tr("gui.save.refused", problems="\n".join(lines))

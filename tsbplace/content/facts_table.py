"""The facts table: every fact of a catalogue as one Markdown table (docs/facts.md).

``scripts/generate-facts-doc.py`` writes it; ``tests/core/test_facts.py`` fails when the
file and the content disagree.
"""

from __future__ import annotations

from tsbplace.content.facts import FactCatalogue, FactSpec, FactType
from tsbplace.content.model import Text

GENERATE_COMMAND = ".venv/bin/python scripts/generate-facts-doc.py"
HEADER = ("fact", "domain", "type", "allowed values / unit", "description (nb)", "description (en)",
          "derived from")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _number(value: float) -> str:
    return f"{value:g}"


def _unit(unit: Text | None) -> str:
    return "" if unit is None else f" {unit['nb']} / {unit['en']}"


def allowed_values(spec: FactSpec) -> str:
    """What a fact may be, in a few words: ``0–30 dager / days``, ``alcohol, opioids``."""
    match spec.type:
        case FactType.BOOL:
            return "true, false"
        case FactType.CHOICE:
            return ", ".join(f"`{value}`" for value in spec.values)
        case FactType.DATE:
            return "YYYY-MM-DD"
        case FactType.TEXT:
            return "free text"
        case FactType.INT | FactType.FLOAT:
            low = "" if spec.minimum is None else _number(spec.minimum)
            high = "" if spec.maximum is None else _number(spec.maximum)
            bounds = f"{low}–{high}" if low or high else "any number"
            return bounds + _unit(spec.unit)


def markdown_table(catalogue: FactCatalogue) -> str:
    """The whole docs/facts.md: a short header and one row per fact, in catalogue order."""
    lines = [
        "# Facts the rule engine reads",
        "",
        f"Generated from the content by `{GENERATE_COMMAND}`; do not edit by hand.",
        "Every fact is unknown (`None`) until an answer or the patient context gives it a value.",
        "Items and ratings give facts `<domain>.<item>` and `<domain>.rating`; a substances item",
        "gives one fact per substance and detail (`rus.substances.alcohol.units_per_day`; routes",
        "and injection sites only through derived facts); rules/facts.toml adds the derived facts.",
        f"{len(catalogue)} facts.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    for spec in catalogue.specs():
        cells = (f"`{spec.name}`", spec.domain, spec.type.value, allowed_values(spec),
                 spec.description["nb"], spec.description["en"], spec.derivation)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"

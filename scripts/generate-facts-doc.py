"""Write docs/facts.md, the table of every fact the rule engine reads, from the content.

    .venv/bin/python scripts/generate-facts-doc.py

Run it after changing rules/domains/*.toml or rules/facts.toml; tests/core/test_facts.py
fails while the file is out of date.
"""

from __future__ import annotations

from pathlib import Path

from tsbplace.content import load_content
from tsbplace.content.facts_table import markdown_table

TARGET = Path(__file__).resolve().parents[1] / "docs" / "facts.md"


def main() -> int:
    TARGET.write_text(markdown_table(load_content().facts), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

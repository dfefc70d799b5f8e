"""docs/api.md stays true: its Python blocks run, top to bottom, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_every_example_in_the_api_doc_runs() -> None:
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 8
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        try:
            exec(compile(block, f"docs/api.md block {number}", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"docs/api.md block {number} failed: {error!r}\n{block}") from error

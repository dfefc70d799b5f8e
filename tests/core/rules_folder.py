"""A private copy of the installed ``rules/`` folder for tests that break or change it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tsbplace.package_data import rules_root


def copy_rules(target: Path) -> Path:
    """Copy the installed content (data only, no Python) to ``target`` and return it."""
    shutil.copytree(Path(str(rules_root())), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a content file; fail loudly if the test's premise is gone."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

"""Where the installed data lives: ``rules/`` and ``resources/`` through package resources.

Both folders install as ``tsbplace.rules`` and ``tsbplace.resources``. Reading them
through :mod:`importlib.resources` works the same from a checkout (editable install),
an installed wheel and a frozen bundle; a path relative to this file would not.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

RULES_PACKAGE = "tsbplace.rules"
RESOURCES_PACKAGE = "tsbplace.resources"


def rules_root() -> Traversable:
    """The root of the clinical content (levels, domains, rules)."""
    return files(RULES_PACKAGE)


def resources_root() -> Traversable:
    """The root of translations, fonts, schemas and examples."""
    return files(RESOURCES_PACKAGE)


def resource(*parts: str) -> Traversable:
    """One file below ``resources/``, e.g. ``resource("fonts", "NotoSans-Regular.ttf")``."""
    node = resources_root()
    for part in parts:
        node = node / part
    return node


def resource_path(*parts: str) -> Path:
    """A real file-system path for a resource (for libraries that need one, like fonts).

    TSBplace installs as plain files (wheel, editable checkout, frozen bundle), so the
    resource is already a path; a zipped install is refused rather than half-supported.
    """
    node = resource(*parts)
    if not isinstance(node, Path):
        raise RuntimeError(f"TSBplace resources must be installed as files, not {type(node)!r}")
    return node

"""The layering the product's design fixes, checked on the source itself.

- The core (tsbplace/) never imports Qt or the Qt layer.
- The Qt layer (ui/) imports PySide6 only through tsbplace.ui.qt, and holds no SQL,
  no storage and no rule logic.
- pyproject.toml installs every package folder, and nothing top-level but tsbplace.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "tsbplace"
UI = ROOT / "ui"


def imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def offenders(folder: Path, forbidden: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if path.name in skip:
            continue
        for name in imports(path):
            if name.split(".")[0] in forbidden or name.startswith(forbidden):
                found.append(f"{path.relative_to(folder.parent)}: {name}")
    return found


def test_core_never_imports_qt_or_the_gui() -> None:
    assert offenders(CORE, ("PySide6", "shiboken6", "PyQt5", "PyQt6", "tsbplace.ui", "ui")) == []


def test_the_check_itself_catches_a_qt_import(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def f():\n    from PySide6 import QtCore\n")
    assert offenders(tmp_path, ("PySide6",)) != []


def test_ui_imports_qt_only_through_the_shim() -> None:
    assert offenders(UI, ("PySide6", "shiboken6"), skip=("qt.py",)) == []


def test_ui_holds_no_sql_storage_or_rule_logic() -> None:
    forbidden = ("sqlalchemy", "sqlmodel", "sqlite3", "psycopg", "alembic", "tsbplace.storage",
                 "tsbplace.conditions", "tsbplace.content.loader")
    assert offenders(UI, forbidden) == []


def test_pyproject_installs_every_package_under_the_tsbplace_namespace() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    declared = set(config["packages"])
    mapping = config["package-dir"]
    assert all(name == "tsbplace" or name.startswith("tsbplace.") for name in declared)
    assert mapping == {"tsbplace": "tsbplace", "tsbplace.ui": "ui", "tsbplace.rules": "rules",
                       "tsbplace.resources": "resources"}
    on_disk = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            on_disk.add(".".join((package, *relative)))
    assert on_disk == declared

"""Case files for tests: the shipped examples, read through the package, and a way to write
a changed copy of one."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tsbplace.package_data import resource

EXAMPLE = "alkohol-abstinenskramper.json"


def example_names() -> list[str]:
    return sorted(node.name for node in resource("examples").iterdir() if node.name.endswith(".json"))


def example_path(name: str) -> Path:
    return Path(str(resource("examples", name)))


def example(name: str = EXAMPLE) -> dict[str, Any]:
    """A fresh, changeable copy of one example case file."""
    data: dict[str, Any] = json.loads(example_path(name).read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def write_case(folder: Path, data: object, name: str = "case.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path

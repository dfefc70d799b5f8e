"""Fixtures for the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.rules_folder import copy_rules


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A private, editable copy of the installed rules folder."""
    return copy_rules(tmp_path / "rules")

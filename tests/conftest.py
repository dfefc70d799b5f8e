"""Fixtures shared by every test layer: content, a real migrated store, the case service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tsbplace.cases import CaseService
from tsbplace.content import Content, installed_content
from tsbplace.i18n import set_language
from tsbplace.locations import sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store

# Synthetic test patients: names with æøå and Sámi letters, computed ID numbers.
PATIENT_NAME = "Áile Ŋuolja Sárá Øvergård"
PATIENT_ID = synthetic_national_id(dt.date(1984, 5, 17))


@pytest.fixture(autouse=True)
def bokmal() -> Iterator[None]:
    """Every test starts in bokmål, the product's first language."""
    set_language("nb")
    yield
    set_language("nb")


@pytest.fixture(scope="session")
def content() -> Content:
    return installed_content()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "data" / "tsbplace.sqlite3")


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(database_url, backup_dir=tmp_path / "backups")
    yield opened
    opened.close()


@pytest.fixture
def service(store: Store, content: Content) -> CaseService:
    return CaseService(store, content)

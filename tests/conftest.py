"""Fixtures shared by every test layer: content, a real migrated store, the case service.

``store`` and ``service`` use SQLite. A test module that must hold on PostgreSQL too
overrides ``database_url`` with ``any_database_url``: every test then runs on SQLite and
on the throw-away PostgreSQL that ``./scripts/run-tests`` starts (TSBPLACE_TEST_POSTGRES_URL),
each time in a fresh schema that is dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url

from tsbplace.cases import CaseService
from tsbplace.content import Content, installed_content
from tsbplace.i18n import set_language
from tsbplace.locations import sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.security import kdf
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


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost in tests (the real cost takes about 0.2 s a password);
    the parameters are stored with each result, so nothing else changes."""
    monkeypatch.setattr(kdf, "DEFAULT", kdf.KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1))


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


POSTGRES_URL_ENV = "TSBPLACE_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a fresh, empty schema on the test PostgreSQL server, dropped afterwards."""
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        reason = ("PostgreSQL skipped: TSBPLACE_SKIP_POSTGRES=1"
                  if os.environ.get("TSBPLACE_SKIP_POSTGRES") == "1" else
                  f"PostgreSQL skipped: {POSTGRES_URL_ENV} is not set (./scripts/run-tests starts a server)")
        pytest.skip(reason)
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def any_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's URL on each backend in turn: a SQLite file, then a PostgreSQL schema."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return sqlite_url(tmp_path / "data" / "tsbplace.sqlite3")


@pytest.fixture
def any_store(any_database_url: str, tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(any_database_url, backup_dir=tmp_path / "backups")
    yield opened
    opened.close()

"""Where data goes: option beats environment beats the per-user default."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tsbplace.locations import (
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    default_data_dir,
    ensure_private_file,
    resolve_locations,
    sqlite_url,
)


def test_default_is_sqlite_in_the_user_data_dir() -> None:
    locations = resolve_locations(environ={})
    assert locations.data_dir == default_data_dir().resolve()
    assert locations.database_url == sqlite_url(locations.data_dir / "tsbplace.sqlite3")
    assert locations.is_default_sqlite


def test_environment_overrides_default(tmp_path: Path) -> None:
    env = {DATA_DIR_ENV: str(tmp_path), DATABASE_URL_ENV: "postgresql+psycopg://db/tsb"}
    locations = resolve_locations(environ=env)
    assert locations.data_dir == tmp_path.resolve()
    assert locations.database_url == "postgresql+psycopg://db/tsb"
    assert not locations.is_default_sqlite


def test_options_override_environment(tmp_path: Path) -> None:
    env = {DATA_DIR_ENV: "/elsewhere", DATABASE_URL_ENV: "postgresql+psycopg://db/tsb"}
    locations = resolve_locations(tmp_path / "mine", "sqlite:///x.db", environ=env)
    assert locations.data_dir == (tmp_path / "mine").resolve()
    assert locations.database_url == "sqlite:///x.db"


def test_data_dir_alone_moves_the_sqlite_file(tmp_path: Path) -> None:
    locations = resolve_locations(tmp_path, environ={})
    assert locations.database_url == sqlite_url(tmp_path.resolve() / "tsbplace.sqlite3")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_database_file_in_an_existing_folder_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    """Only the file is made private: a folder named in --database-url may be shared."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    made = ensure_private_file(shared / "store.sqlite3")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    fresh = ensure_private_file(tmp_path / "new" / "store.sqlite3")
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700

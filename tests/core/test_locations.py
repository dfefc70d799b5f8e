"""Where data goes: option beats environment beats the portable marker beats the per-user default."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tsbplace.locations import (
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    PORTABLE_MARKER,
    bundle_dir,
    default_data_dir,
    ensure_private_file,
    portable_data_dir,
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


# --- the portable variant: a marker file beside a bundled executable ------------------


def fake_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, marker: bool) -> Path:
    """Pretend to be a PyInstaller bundle whose executable sits in ``tmp_path/TSBplace``."""
    folder = tmp_path / "TSBplace"
    folder.mkdir()
    executable = folder / ("tsbplace.exe" if sys.platform == "win32" else "tsbplace")
    executable.write_bytes(b"")
    if marker:
        (folder / PORTABLE_MARKER).write_text("portable\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    return folder


def test_portable_marker_keeps_the_data_beside_the_executable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = fake_bundle(tmp_path, monkeypatch, marker=True)
    locations = resolve_locations(environ={})
    assert locations.portable
    assert locations.data_dir == (folder / "data").resolve()
    assert locations.database_url == sqlite_url(locations.data_dir / "tsbplace.sqlite3")
    assert locations.is_default_sqlite
    assert not (folder / "data").exists(), "resolving must not create anything"


def test_bundle_without_marker_uses_the_user_data_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_bundle(tmp_path, monkeypatch, marker=False)
    locations = resolve_locations(environ={})
    assert not locations.portable
    assert locations.data_dir == default_data_dir().resolve()


def test_environment_and_option_beat_the_portable_marker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_bundle(tmp_path, monkeypatch, marker=True)
    from_env = resolve_locations(environ={DATA_DIR_ENV: str(tmp_path / "env")})
    assert from_env.data_dir == (tmp_path / "env").resolve() and not from_env.portable
    from_option = resolve_locations(tmp_path / "opt", environ={DATA_DIR_ENV: str(tmp_path / "env")})
    assert from_option.data_dir == (tmp_path / "opt").resolve() and not from_option.portable


def test_portable_database_url_from_the_environment_still_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = fake_bundle(tmp_path, monkeypatch, marker=True)
    locations = resolve_locations(environ={DATABASE_URL_ENV: "postgresql+psycopg://db/tsb"})
    assert locations.portable and locations.data_dir == (folder / "data").resolve()
    assert locations.database_url == "postgresql+psycopg://db/tsb"


def test_a_marker_beside_the_python_interpreter_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from source, sys.executable is Python itself: never portable."""
    folder = fake_bundle(tmp_path, monkeypatch, marker=True)
    monkeypatch.delattr(sys, "frozen")
    assert bundle_dir() is None and portable_data_dir() is None
    assert resolve_locations(environ={}).data_dir != (folder / "data").resolve()


def test_a_folder_named_like_the_marker_is_not_the_marker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = fake_bundle(tmp_path, monkeypatch, marker=False)
    (folder / PORTABLE_MARKER).mkdir()
    assert portable_data_dir() is None

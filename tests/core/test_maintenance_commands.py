"""``tsbplace check``, ``backup`` and ``restore`` as a user runs them: real subprocesses."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from tsbplace.locations import DATABASE_FILE, resolve_locations
from tsbplace.national_id import synthetic_national_id
from tsbplace.services import open_case_service
from tsbplace.storage.migrate import head_revision

NAME = "Inga Ánte Bråthen"  # synthetic


def tsbplace(data_dir: Path, *args: str, language: str = "en") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSBPLACE_")}
    env["TSBPLACE_LANGUAGE"] = language
    return subprocess.run([sys.executable, "-m", "tsbplace", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def make_store(data_dir: Path, cases: int) -> None:
    service = open_case_service(resolve_locations(data_dir, environ={}))
    try:
        for _ in range(cases):
            case = service.create_case(NAME, synthetic_national_id(dt.date(1988, 8, 8)), dt.date(2026, 4, 1))
            service.save_assessment(case.id, {"rus": {"rating": 2}})
    finally:
        service.store.close()


def test_check_backup_and_restore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    missing = tsbplace(data, "check")
    assert missing.returncode == 1 and "no database here yet" in missing.stderr

    make_store(data, 2)
    checked = tsbplace(data, "check", language="nb")
    assert checked.returncode == 0, checked.stderr
    assert "Integritet: ok" in checked.stdout and f"revisjon {head_revision()}" in checked.stdout

    out = tmp_path / "kopi.sqlite3"
    backed_up = tsbplace(data, "backup", "--out", str(out))
    assert backed_up.returncode == 0, backed_up.stderr
    assert f"Backup written: {out}" in backed_up.stdout
    again = tsbplace(data, "backup", "--out", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr

    make_store(data, 1)  # a third case the backup does not have
    restored = tsbplace(data, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {out}" in restored.stdout
    assert "The previous database was kept in" in restored.stdout
    kept = restored.stdout.split("kept in ")[1].strip().rstrip(".")
    assert Path(kept).parent == data / "backups" and Path(kept).is_file()
    assert NAME not in restored.stdout + checked.stdout + backed_up.stdout

    service = open_case_service(resolve_locations(data, environ={}))
    try:
        assert len(service.list_cases()) == 2
    finally:
        service.store.close()


def test_check_and_restore_report_a_damaged_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_store(data, 1)
    database = data / DATABASE_FILE
    database.write_bytes(database.read_bytes()[:5000])
    checked = tsbplace(data, "check")
    assert checked.returncode == 1
    assert "damaged" in checked.stderr

    bad = tmp_path / "brev.sqlite3"
    bad.write_text("not a database\n" * 50, encoding="utf-8")
    before = database.read_bytes()
    refused = tsbplace(data, "restore", str(bad))
    assert refused.returncode == 1
    assert "will not be restored" in refused.stderr and "Nothing was changed." in refused.stderr
    assert database.read_bytes() == before


def test_backup_and_restore_point_postgresql_to_its_own_tools(tmp_path: Path) -> None:
    url = "postgresql+psycopg://someone@localhost/tsbplace"
    backed_up = tsbplace(tmp_path, "--database-url", url, "backup", "--out", str(tmp_path / "x"))
    assert backed_up.returncode == 2 and "pg_dump" in backed_up.stderr
    restored = tsbplace(tmp_path, "--database-url", url, "restore", str(tmp_path / "x"))
    assert restored.returncode == 2 and "pg_restore" in restored.stderr
    assert not (tmp_path / "x").exists()

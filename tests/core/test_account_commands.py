"""``tsbplace init``, signing in on the command line, ``audit`` and ``access-report``, as a
user runs them: real subprocesses on an encrypted store, the password on standard input."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import sign_in
from tsbplace.locations import DATABASE_FILE, resolve_locations
from tsbplace.national_id import format_national_id

PASSWORD = "korrekt-hest-batteri"


def tsbplace(data_dir: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSBPLACE_")}
    env["TSBPLACE_LANGUAGE"] = "en"
    return subprocess.run([sys.executable, "-m", "tsbplace", "--data-dir", str(data_dir), *args],
                          input=None if password is None else password + "\n", capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    made = tsbplace(folder, "init", "--admin", "kari", "--name", "Kari Nordmann", "--password-stdin",
                    password=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert "created and encrypted" in made.stdout and "kari" in made.stdout
    return folder


def as_kari(data: Path, *args: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    return tsbplace(data, "--user", "kari", "--password-stdin", *args, password=password)


def test_init_refuses_a_store_that_exists_and_a_weak_password(data: Path, tmp_path: Path) -> None:
    again = tsbplace(data, "init", "--admin", "ola", "--password-stdin", password=PASSWORD)
    assert again.returncode == 1 and "already set up" in again.stderr
    weak = tsbplace(tmp_path / "other", "init", "--admin", "ola", "--password-stdin", password="kort")
    assert weak.returncode == 1 and "password" in weak.stderr
    no_stdin = tsbplace(tmp_path / "third", "init", "--admin", "ola")
    assert no_stdin.returncode == 2 and "--password-stdin" in no_stdin.stderr


def test_patient_data_commands_need_the_user_and_the_right_password(data: Path) -> None:
    anonymous = tsbplace(data, "demo-data", "--cases", "3")
    assert anonymous.returncode == 2 and "--user" in anonymous.stderr
    wrong = as_kari(data, "demo-data", "--cases", "3", password="not-the-password")
    assert wrong.returncode == 1 and "Wrong user name or password." in wrong.stderr
    made = as_kari(data, "demo-data", "--cases", "3")
    assert made.returncode == 0, made.stderr
    checked = as_kari(data, "check")
    assert checked.returncode == 0 and "integrity: ok" in checked.stdout.lower()


def test_backup_is_encrypted_and_restores_with_the_key(data: Path, tmp_path: Path) -> None:
    assert as_kari(data, "demo-data", "--cases", "5").returncode == 0
    target = tmp_path / "copy.sqlite3"
    made = as_kari(data, "backup", "--out", str(target))
    assert made.returncode == 0, made.stderr
    assert b"DEMO" not in target.read_bytes() and b"SQLite format 3" not in target.read_bytes()
    assert (tmp_path / "copy.keys").exists() and "key file" in made.stdout
    restored = as_kari(data, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    assert as_kari(data, "check").returncode == 0


def test_audit_lists_and_verifies_the_chain(data: Path) -> None:
    assert as_kari(data, "demo-data", "--cases", "2").returncode == 0
    listed = as_kari(data, "audit", "--verify")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any("store.created" in line for line in lines)
    assert sum("sign_in.ok" in line for line in lines) == 2  # demo-data, then this audit
    assert "intact" in lines[-1]
    missing = as_kari(data, "audit", "--case", "2026-99999")
    assert missing.returncode == 1 and "2026-99999" in missing.stderr


def test_the_access_report_names_who_did_what_for_the_patient(data: Path, tmp_path: Path) -> None:
    workspace = sign_in(resolve_locations(data, environ={}), "kari", PASSWORD)
    case = workspace.cases.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    workspace.cases.open_case(case.id)
    for rating in (1, 2, 3):  # three saves the same day: one line
        workspace.cases.save_assessment(case.id, {"rus": {"rating": rating}})
    workspace.close()
    target = tmp_path / "tilgangslogg.pdf"
    made = tsbplace(data, "--language", "nb", "--user", "kari", "--password-stdin", "access-report",
                    "--national-id", format_national_id(PATIENT_ID), "--out", str(target), password=PASSWORD)
    assert made.returncode == 0, made.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert PATIENT_NAME in text and "Kari Nordmann (kari)" in text
    assert "Registrerte henvisningen" in text and "Åpnet saken" in text
    assert "Endret vurderingen (3 ganger)" in text
    assert "sign_in" not in text  # only what concerns the patient
    unknown = as_kari(data, "access-report", "--national-id", "15108695077", "--out", str(target))
    assert unknown.returncode == 2  # a checksum error is a usage error


def test_the_database_file_holds_no_plaintext_after_commands(data: Path) -> None:
    assert as_kari(data, "demo-data", "--cases", "4").returncode == 0
    raw = (data / DATABASE_FILE).read_bytes()
    assert b"DEMO" not in raw and b"SQLite format 3" not in raw


def test_seal_and_unseal_a_case_file(tmp_path: Path) -> None:
    source = tmp_path / "sak.json"
    source.write_text(f'{{"patient": "{PATIENT_NAME}"}}', encoding="utf-8")
    sealed, opened = tmp_path / "sak.json.sealed", tmp_path / "sak-opened.json"
    phrase = "lang nok passordfrase"
    made = tsbplace(tmp_path, "seal", str(source), "--out", str(sealed), "--passphrase-stdin",
                    password=phrase)
    assert made.returncode == 0, made.stderr
    assert PATIENT_NAME.encode() not in sealed.read_bytes()
    wrong = tsbplace(tmp_path, "unseal", str(sealed), "--out", str(opened), "--passphrase-stdin",
                     password="a different phrase")
    assert wrong.returncode == 1 and "Wrong passphrase" in wrong.stderr and not opened.exists()
    back = tsbplace(tmp_path, "unseal", str(sealed), "--out", str(opened), "--passphrase-stdin",
                    password=phrase)
    assert back.returncode == 0 and opened.read_bytes() == source.read_bytes()
    plain = tsbplace(tmp_path, "unseal", str(source), "--out", str(tmp_path / "x"), "--passphrase-stdin",
                     password=phrase)
    assert plain.returncode == 1 and "not a sealed" in plain.stderr

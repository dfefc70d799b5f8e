"""Encrypting a plain SQLite store (made before encryption existed) in place.

SQLCipher's ``sqlcipher_export`` copies every table, index, trigger and the schema
version into a new encrypted file, which is checked before it replaces the plain one.
The plain backups in the backup folder are encrypted the same way, so no plain copy of
patient data is left behind. A failure leaves the plain files as they were.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from tsbplace.storage.backup import backup_candidates
from tsbplace.storage.integrity import check_file
from tsbplace.storage.sqlite_files import connect, key_pragma


class EncryptionFailed(RuntimeError):
    pass


def _export(plain: Path, target: Path, key: bytes) -> None:
    with connect(f"{plain.resolve().as_uri()}?mode=rw", uri=True) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every committed page in the file
    connection.close()
    source = sqlcipher.connect(str(plain))  # no key: SQLCipher reads a plain file as SQLite does
    try:
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = source.execute("PRAGMA user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()


def encrypt_file(plain: Path, key: bytes) -> None:
    """Replace the plain SQLite file ``plain`` with an encrypted copy (checked first)."""
    key_pragma(key)  # refuses a key of the wrong size before anything is written
    target = plain.with_name(f".{plain.name}.encrypting")
    target.unlink(missing_ok=True)
    try:
        _export(plain, target, key)
        result = check_file(target, key=key)
        if not result.ok:
            raise EncryptionFailed(result.reason())
        os.replace(target, plain)
    finally:
        target.unlink(missing_ok=True)
    for side in ("-wal", "-shm", "-journal"):
        Path(f"{plain}{side}").unlink(missing_ok=True)


def encrypt_plain_store(database: Path, backup_dir: Path, key: bytes) -> None:
    """Encrypt the store file and every plain backup beside it with ``key``."""
    if database.exists():
        encrypt_file(database, key)
    for backup in backup_candidates(backup_dir):
        if check_file(backup).ok:  # plain and good; anything else is left as it is
            encrypt_file(backup, key)

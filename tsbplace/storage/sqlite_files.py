"""Opening SQLite files directly (integrity checks, backups, restores), plain or encrypted.

An encrypted store is a SQLCipher database (``sqlcipher3``) opened with a raw 256-bit key;
a plain one uses Python's ``sqlite3``. Both raise their own DB-API exception classes, so
callers catch the tuples below rather than ``sqlite3.DatabaseError`` alone.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlcipher.OperationalError)
KEY_BYTES = 32  # AES-256, as SQLCipher 4 uses


def key_pragma(key: bytes) -> str:
    """The PRAGMA that gives SQLCipher a raw key (no passphrase derivation: the key is random)."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"a database key has {KEY_BYTES} bytes, not {len(key)}")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def unlock(connection: Any, key: bytes) -> None:
    """Give a fresh SQLCipher connection its key; must come before any other statement."""
    connection.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not stderr noise
    connection.execute(key_pragma(key))


def connect(target: str | Path, *, key: bytes | None = None, uri: bool = False,
            timeout: float = 5.0) -> Any:
    """A DB-API connection to ``target``: SQLCipher with ``key``, else plain sqlite3."""
    if key is None:
        return sqlite3.connect(target, uri=uri, timeout=timeout)
    connection = sqlcipher.connect(str(target), uri=uri, timeout=timeout)
    unlock(connection, key)
    return connection

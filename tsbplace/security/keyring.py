"""The keyring of an encrypted SQLite store: the store's random 256-bit key, wrapped once
per user with a key derived from that user's password (argon2id, AES-256-GCM).

Adding or removing a user or changing a password rewrites one entry and never
re-encrypts the database; no key is ever stored in clear. The file sits next to the
database (``tsbplace.keys`` beside ``tsbplace.sqlite3``) and holds nothing secret in
clear: wrapped keys, their salts and costs, and the counts of failed sign-ins (which must
be kept outside the store, since a failed sign-in cannot open it). Failed sign-ins wait
here until the next successful one writes them to the audit log.

Removing a user deletes their wrapped key; a copy of the old keyring file made earlier
would still hold it. After a suspected leak, re-encrypt with a new key (``PRAGMA rekey``;
not built yet).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tsbplace.files import write_atomically
from tsbplace.security import kdf

FORMAT = "tsbplace-keyring/1"
MAX_PENDING = 1000  # failed sign-ins waiting for the audit log; older ones are counted only


class KeyringError(ValueError):
    """The keyring file is missing, unreadable or not a TSBplace keyring."""


class WrongPassword(ValueError):
    """The user is not in the keyring, or the password does not unwrap their key."""


def keyring_path(database_file: Path) -> Path:
    return database_file.with_suffix(".keys")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass
class Keyring:
    store_id: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def new(cls) -> Keyring:
        return cls(str(uuid.uuid4()))

    @staticmethod
    def new_key() -> bytes:
        """A fresh random database key (256 bits, from the operating system)."""
        return os.urandom(kdf.KEY_BYTES)

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyringError(f"no keyring at {path.name}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise KeyringError(f"the keyring {path.name} cannot be read: {error}") from None
        if (not isinstance(data, dict) or data.get("format") != FORMAT
                or not isinstance(data.get("users"), dict)):
            raise KeyringError(f"{path.name} is not a TSBplace keyring")
        return cls(str(data["store"]), dict(data["users"]), dict(data.get("failures", {})),
                   list(data.get("pending", [])))

    def save(self, path: Path) -> None:
        """Write the whole file atomically (a crash leaves the old or the new one)."""
        data = {"format": FORMAT, "store": self.store_id, "users": self.users,
                "failures": self.failures, "pending": self.pending}
        write_atomically(path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
        if os.name != "nt":
            path.chmod(0o600)

    def _context(self, user: str) -> bytes:
        # Binds a wrapped key to this store and this user: an entry copied to another
        # user or another keyring does not unwrap.
        return f"{FORMAT}|{self.store_id}|{user}".encode()

    def add(self, user: str, password: str, key: bytes) -> None:
        """Wrap ``key`` for ``user`` (replacing an entry they had)."""
        params, salt = kdf.DEFAULT, kdf.new_salt()
        nonce, wrapped = kdf.seal(kdf.derive(password, salt, params), key, self._context(user))
        self.users[user] = {"kdf": {"name": "argon2id", **params.to_dict(), "salt": _b64(salt)},
                            "nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}

    def remove(self, user: str) -> None:
        self.users.pop(user, None)
        self.failures.pop(user, None)

    def unwrap(self, user: str, password: str) -> bytes:
        """The store's key, if ``password`` is ``user``'s; else WrongPassword."""
        entry = self.users.get(user)
        if entry is None:
            raise WrongPassword(user)
        try:
            params = kdf.KdfParams.from_dict(entry["kdf"])
            salt, nonce, wrapped = (_unb64(entry["kdf"]["salt"]), _unb64(entry["nonce"]),
                                    _unb64(entry["wrapped_key"]))
        except (KeyError, TypeError, ValueError) as error:
            raise KeyringError(f"the keyring entry of {user!r} is damaged") from error
        try:
            return kdf.unseal(kdf.derive(password, salt, params), nonce, wrapped, self._context(user))
        except kdf.UnsealFailed:
            raise WrongPassword(user) from None

    def failed_count(self, user: str) -> tuple[int, dt.datetime | None]:
        entry = self.failures.get(user)
        if not entry:
            return 0, None
        return int(entry["count"]), dt.datetime.fromisoformat(entry["last"])

    def record_failure(self, user: str, workstation: str, at: dt.datetime) -> None:
        count, _ = self.failed_count(user)
        self.failures[user] = {"count": count + 1, "last": at.isoformat()}
        self.pending.append({"user": user, "workstation": workstation, "at": at.isoformat()})
        del self.pending[:-MAX_PENDING]

    def clear_failures(self, user: str) -> None:
        self.failures.pop(user, None)

    def pending_failures(self) -> list[tuple[str, str, dt.datetime]]:
        """The failed sign-ins not yet in the audit log (they stay here until forgotten)."""
        return [(str(p["user"]), str(p["workstation"]), dt.datetime.fromisoformat(p["at"]))
                for p in self.pending]

    def forget_pending(self, written: list[tuple[str, str, dt.datetime]]) -> None:
        """Drop the failures now in the audit log; any that came in meanwhile stay."""
        self.pending = [p for p in self.pending
                        if (str(p["user"]), str(p["workstation"]), dt.datetime.fromisoformat(p["at"]))
                        not in written]

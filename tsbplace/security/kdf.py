"""Argon2id key derivation and AES-256-GCM sealing of small secrets (a database key).

Argon2id is the password-hashing winner and OWASP's first choice; its cost parameters are
stored beside each result so they can be raised later without breaking old entries.
``DEFAULT`` is read at call time: tests lower it to stay fast.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32
MAX_MEMORY_KIB = 1024 * 1024  # a hostile file must not make us allocate more than 1 GiB
MAX_TIME_COST = 20


class UnsealFailed(ValueError):
    """Wrong password, or the sealed bytes were changed (GCM cannot tell which)."""


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1

    def checked(self) -> KdfParams:
        if not (1 <= self.time_cost <= MAX_TIME_COST and 8 <= self.memory_kib <= MAX_MEMORY_KIB
                and 1 <= self.parallelism <= 16):
            raise ValueError("key derivation parameters out of range")
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfParams:
        return cls(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"])).checked()


DEFAULT = KdfParams()


def password_bytes(password: str) -> bytes:
    """UTF-8 after NFC, so "å" typed as one or two code points is the same password."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def derive(password: str, salt: bytes, params: KdfParams) -> bytes:
    """A 256-bit key from ``password`` (argon2id)."""
    params.checked()
    return hash_secret_raw(password_bytes(password), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def seal(key: bytes, secret: bytes, context: bytes) -> tuple[bytes, bytes]:
    """(nonce, ciphertext with tag) of ``secret``; ``context`` is bound as associated data."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, secret, context)


def unseal(key: bytes, nonce: bytes, sealed: bytes, context: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, sealed, context)
    except InvalidTag:
        raise UnsealFailed("wrong password or changed data") from None

"""Sealed files: bytes encrypted with a passphrase, for case files that travel on removable media.

A case-file export (and later a letter) may have to leave the machine on a USB stick. Sealing
makes a lost stick harmless as long as the passphrase is strong; nothing else about the
content changes, so any bytes can be sealed. The format is described byte by byte in
``docs/sealed-files.md``.

Why these choices:

- **argon2id** turns the passphrase into the key. It is memory-hard, so guessing passphrases
  on a graphics card or custom hardware is expensive; its cost parameters are stored in the
  header so they can be raised later without breaking old files.
- **AES-256-GCM** encrypts and authenticates in one step. The whole header is its associated
  data, so changing a single byte anywhere in the file is detected. GCM cannot tell a wrong
  passphrase from a damaged file, so both are one error.
- **A fresh random salt and nonce per seal**: sealing the same data twice gives different files,
  and a key is never used with the same nonce twice.
- **Parsing is defensive**: the header is checked before any work is done, and cost
  parameters are bounded, so a hostile file cannot make the program allocate gigabytes or
  run for minutes.

Passphrases are ``str``, normalised to Unicode NFC and encoded as UTF-8, so "å" typed as one
code point or as "a" plus a combining ring opens the same file. Error messages are fixed
texts chosen by :class:`Reason`; they never contain the passphrase or any of the data.
"""

from __future__ import annotations

import enum
import os
import struct
import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["DEFAULT_KDF", "KdfParams", "Reason", "SealedFileError", "is_sealed", "seal", "unseal"]

MAGIC = b"TSBSEAL\x00"  # the NUL marks the file as binary to tools that sniff for text
VERSION = 1
KDF_ARGON2ID = 1
SALT_SIZE = 16
NONCE_SIZE = 12
KEY_SIZE = 32  # AES-256
TAG_SIZE = 16
# magic, version, KDF id, time cost, memory (KiB), parallelism, salt, nonce; big-endian
_HEADER = struct.Struct(f">{len(MAGIC)}sBBIII{SALT_SIZE}s{NONCE_SIZE}s")
HEADER_SIZE = _HEADER.size

# Upper bounds protect the reader from a hostile header; lower bounds are argon2's own.
MAX_TIME_COST = 20
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
MAX_PARALLELISM = 16


class Reason(enum.StrEnum):
    """Why a file was refused: a stable code the UI can translate and tests can check."""

    NOT_SEALED = "not_sealed"
    UNSUPPORTED_VERSION = "unsupported_version"
    BAD_PARAMETERS = "bad_parameters"
    TRUNCATED = "truncated"
    WRONG_PASSPHRASE_OR_DAMAGED = "wrong_passphrase_or_damaged"
    EMPTY_PASSPHRASE = "empty_passphrase"


# Fixed texts, so no message can ever carry the passphrase or the data.
_MESSAGES = {
    Reason.NOT_SEALED: "not a sealed file",
    Reason.UNSUPPORTED_VERSION: "sealed with a format version or method this program does not know",
    Reason.BAD_PARAMETERS: "key-derivation parameters out of the accepted range",
    Reason.TRUNCATED: "the sealed file is cut short",
    Reason.WRONG_PASSPHRASE_OR_DAMAGED: "wrong passphrase, or the file has been damaged or altered",
    Reason.EMPTY_PASSPHRASE: "the passphrase is empty",
}


class SealedFileError(ValueError):
    """A file could not be sealed or opened; ``reason`` says why as a stable code."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(_MESSAGES[reason])
        self.reason = reason


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost parameters; refused on creation when outside the accepted range."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def __post_init__(self) -> None:
        if not (
            1 <= self.parallelism <= MAX_PARALLELISM
            and 1 <= self.time_cost <= MAX_TIME_COST
            and 8 * self.parallelism <= self.memory_kib <= MAX_MEMORY_KIB
        ):
            raise SealedFileError(Reason.BAD_PARAMETERS)


# About 0.2–0.5 s on an ordinary PC: noticeable once per file, costly for a guesser.
DEFAULT_KDF = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=1)


def is_sealed(blob: bytes) -> bool:
    """Whether ``blob`` starts like a sealed file, so an importer knows to ask for a passphrase."""
    return blob.startswith(MAGIC)


def seal(data: bytes, passphrase: str, *, kdf: KdfParams | None = None) -> bytes:
    """Encrypt ``data`` with ``passphrase``; the result opens only with :func:`unseal`."""
    if not passphrase:
        raise SealedFileError(Reason.EMPTY_PASSPHRASE)
    params = DEFAULT_KDF if kdf is None else kdf
    salt = os.urandom(SALT_SIZE)
    nonce = os.urandom(NONCE_SIZE)
    header = _HEADER.pack(MAGIC, VERSION, KDF_ARGON2ID, params.time_cost, params.memory_kib,
                          params.parallelism, salt, nonce)
    key = _derive_key(passphrase, salt, params)
    return header + AESGCM(key).encrypt(nonce, data, header)


def unseal(blob: bytes, passphrase: str) -> bytes:
    """Decrypt a sealed file, or raise :class:`SealedFileError` saying why it cannot be opened."""
    params, salt, nonce = _read_header(blob)
    if len(blob) < HEADER_SIZE + TAG_SIZE:
        raise SealedFileError(Reason.TRUNCATED)
    key = _derive_key(passphrase, salt, params)
    try:
        return AESGCM(key).decrypt(nonce, blob[HEADER_SIZE:], blob[:HEADER_SIZE])
    except InvalidTag:
        raise SealedFileError(Reason.WRONG_PASSPHRASE_OR_DAMAGED) from None


def _read_header(blob: bytes) -> tuple[KdfParams, bytes, bytes]:
    """Check the header field by field, before any expensive work, and return its contents."""
    if not is_sealed(blob):
        # A non-empty start of the magic is most likely a copy that was cut short.
        raise SealedFileError(Reason.TRUNCATED if blob and MAGIC.startswith(blob) else Reason.NOT_SEALED)
    # The version is checked first: a later version may have a different header size.
    if len(blob) <= len(MAGIC):
        raise SealedFileError(Reason.TRUNCATED)
    if blob[len(MAGIC)] != VERSION:
        raise SealedFileError(Reason.UNSUPPORTED_VERSION)
    if len(blob) < HEADER_SIZE:
        raise SealedFileError(Reason.TRUNCATED)
    _, _, kdf_id, time_cost, memory_kib, parallelism, salt, nonce = _HEADER.unpack_from(blob)
    if kdf_id != KDF_ARGON2ID:
        raise SealedFileError(Reason.UNSUPPORTED_VERSION)
    return KdfParams(time_cost, memory_kib, parallelism), salt, nonce


def _derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The AES key for ``passphrase``; NFC first, so equivalent spellings give the same key."""
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hash_secret_raw(secret, salt, time_cost=params.time_cost, memory_cost=params.memory_kib,
                           parallelism=params.parallelism, hash_len=KEY_SIZE, type=Type.ID)

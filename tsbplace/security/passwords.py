"""Password rules and argon2id password hashes (PHC strings, parameters inside)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tsbplace.i18n import tr
from tsbplace.security import kdf

MIN_LENGTH = 10  # NSM and NIST: length over composition rules


def _hasher() -> PasswordHasher:
    params = kdf.DEFAULT
    return PasswordHasher(time_cost=params.time_cost, memory_cost=params.memory_kib,
                          parallelism=params.parallelism)


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used, or None."""
    if len(password) < MIN_LENGTH:
        return tr("account.problem.password_short", length=MIN_LENGTH)
    if password.strip() != password:
        return tr("account.problem.password_spaces")
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(kdf.password_bytes(password))


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, kdf.password_bytes(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False

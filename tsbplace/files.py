"""Writing files the user chose (letters, exports) so that they are whole or absent.

Write to a temporary file in the same folder, flush it to disk, then rename over the
target: a crash or a full disk never leaves half a letter behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class WriteFailed(OSError):
    """The file could not be written; the target is unchanged. ``reason`` is for people."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` completely, or raise :class:`WriteFailed` and change nothing."""
    target = Path(path)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise WriteFailed(target, error.strerror or str(error)) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteFailed(target, error.strerror or str(error)) from error
    return target

"""Atomic writes: the target is whole or untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tsbplace.files import WriteFailed, write_atomically


def test_writes_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    write_atomically(target, b"%PDF-1.4 new")
    assert target.read_bytes() == b"%PDF-1.4 new"
    assert os.listdir(tmp_path) == ["letter.pdf"]


def test_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "letter.pdf"
    target.write_bytes(b"old")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(WriteFailed) as raised:
        write_atomically(target, b"new")
    assert raised.value.reason == "No space left on device"
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["letter.pdf"]


def test_missing_folder_is_a_clear_failure(tmp_path: Path) -> None:
    with pytest.raises(WriteFailed):
        write_atomically(tmp_path / "nope" / "letter.pdf", b"x")

"""Sealed files: what is sealed opens with the passphrase, and anything else is refused with a reason."""

from __future__ import annotations

import os
import re
import struct
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsbplace import sealed_files
from tsbplace.sealed_files import (
    DEFAULT_KDF,
    HEADER_SIZE,
    MAGIC,
    TAG_SIZE,
    KdfParams,
    Reason,
    SealedFileError,
    is_sealed,
    seal,
    unseal,
)

# Cheap enough to keep the suite fast; the defaults are tested once on their own.
CHEAP = KdfParams(time_cost=2, memory_kib=16, parallelism=1)
PASSPHRASE = "korrekt hest batteri stift"
CASE_FILE = b'{"format": "tsbplace-case", "national_id": "01017012345", "answers": {"rus": 3}}'
DOC = Path(__file__).resolve().parents[2] / "docs" / "sealed-files.md"


def sealed(data: bytes = CASE_FILE, passphrase: str = PASSPHRASE) -> bytes:
    return seal(data, passphrase, kdf=CHEAP)


def refusal(blob: bytes, passphrase: str = PASSPHRASE) -> SealedFileError:
    with pytest.raises(SealedFileError) as raised:
        unseal(blob, passphrase)
    return raised.value


def flipped(blob: bytes, position: int) -> bytes:
    changed = bytearray(blob)
    changed[position] ^= 0x01
    return bytes(changed)


def header(*, version: int = 1, kdf_id: int = 1, time_cost: int = 2, memory_kib: int = 16,
           parallelism: int = 1) -> bytes:
    fields = struct.pack(">BBIII", version, kdf_id, time_cost, memory_kib, parallelism)
    return MAGIC + fields + bytes(16) + bytes(12)


@pytest.fixture
def no_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the (expensive) key derivation is ever started."""

    def refuse(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("the KDF must not run for this file")

    monkeypatch.setattr(sealed_files, "hash_secret_raw", refuse)


# Round trips


@pytest.mark.parametrize("data", [b"", CASE_FILE, bytes(range(256))], ids=["empty", "case-file", "all-bytes"])
def test_round_trip(data: bytes) -> None:
    assert unseal(sealed(data), PASSPHRASE) == data


def test_round_trip_of_a_few_megabytes() -> None:
    data = os.urandom(3 * 1024 * 1024)
    assert unseal(sealed(data), PASSPHRASE) == data


def test_non_ascii_passphrase_round_trips() -> None:
    passphrase = "blåbærsyltetøy på Ærøy – 🍓"
    assert unseal(sealed(passphrase=passphrase), passphrase) == CASE_FILE


def test_composed_and_decomposed_spellings_open_each_other() -> None:
    composed = unicodedata.normalize("NFC", "Blåbær og Åse")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert unseal(sealed(passphrase=composed), decomposed) == CASE_FILE
    assert unseal(sealed(passphrase=decomposed), composed) == CASE_FILE


def test_default_parameters_round_trip_and_are_stored_in_the_header() -> None:
    blob = seal(CASE_FILE, PASSPHRASE)
    assert blob[len(MAGIC):len(MAGIC) + 14] == struct.pack(
        ">BBIII", 1, 1, DEFAULT_KDF.time_cost, DEFAULT_KDF.memory_kib, DEFAULT_KDF.parallelism)
    assert KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=1) == DEFAULT_KDF
    assert unseal(blob, PASSPHRASE) == CASE_FILE


def test_the_example_in_the_doc_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/sealed-files.md", "exec"), {})


# What a sealed file shows


def test_layout_is_header_then_ciphertext_and_tag() -> None:
    blob = sealed()
    assert is_sealed(blob)
    assert len(blob) == HEADER_SIZE + len(CASE_FILE) + TAG_SIZE == 50 + len(CASE_FILE) + 16


def test_sealed_bytes_do_not_contain_the_plaintext() -> None:
    blob = sealed(CASE_FILE * 20)
    assert CASE_FILE not in blob
    assert b"01017012345" not in blob
    assert PASSPHRASE.encode() not in blob


def test_two_seals_of_the_same_data_differ() -> None:
    first, second = sealed(), sealed()
    assert first != second
    assert first[22:38] != second[22:38]  # salt
    assert first[38:50] != second[38:50]  # nonce


@pytest.mark.parametrize("blob", [b"", b"{}", CASE_FILE, b"TSBSEAL", b"%PDF-1.4"])
def test_is_sealed_is_false_for_other_files(blob: bytes) -> None:
    assert not is_sealed(blob)


# Refusals


def test_wrong_passphrase() -> None:
    assert refusal(sealed(), "korrekt hest batteri stifT").reason == Reason.WRONG_PASSPHRASE_OR_DAMAGED


def test_empty_passphrase_is_refused_on_seal() -> None:
    with pytest.raises(SealedFileError) as raised:
        seal(CASE_FILE, "", kdf=CHEAP)
    assert raised.value.reason == Reason.EMPTY_PASSPHRASE


@pytest.mark.parametrize(
    ("position", "reason"),
    [
        (0, Reason.NOT_SEALED),  # magic
        (7, Reason.NOT_SEALED),
        (8, Reason.UNSUPPORTED_VERSION),  # version
        (9, Reason.UNSUPPORTED_VERSION),  # KDF id
        (10, Reason.BAD_PARAMETERS),  # time cost, high byte
        (13, Reason.WRONG_PASSPHRASE_OR_DAMAGED),  # time cost 2 -> 3: in range, different key
        (14, Reason.BAD_PARAMETERS),  # memory, high byte
        (17, Reason.WRONG_PASSPHRASE_OR_DAMAGED),  # memory 16 -> 17 KiB
        (21, Reason.BAD_PARAMETERS),  # parallelism 1 -> 0
        (22, Reason.WRONG_PASSPHRASE_OR_DAMAGED),  # salt
        (37, Reason.WRONG_PASSPHRASE_OR_DAMAGED),
        (38, Reason.WRONG_PASSPHRASE_OR_DAMAGED),  # nonce
        (49, Reason.WRONG_PASSPHRASE_OR_DAMAGED),
    ],
)
def test_a_changed_header_byte_is_detected(position: int, reason: Reason) -> None:
    assert refusal(flipped(sealed(), position)).reason == reason


@pytest.mark.parametrize("offset", [0, 1, len(CASE_FILE) // 2, len(CASE_FILE) - 1], ids=lambda o: f"+{o}")
def test_a_changed_ciphertext_byte_is_detected(offset: int) -> None:
    assert refusal(flipped(sealed(), HEADER_SIZE + offset)).reason == Reason.WRONG_PASSPHRASE_OR_DAMAGED


@pytest.mark.parametrize("from_end", [1, 8, TAG_SIZE], ids=lambda n: f"-{n}")
def test_a_changed_tag_byte_is_detected(from_end: int) -> None:
    blob = sealed()
    assert refusal(flipped(blob, len(blob) - from_end)).reason == Reason.WRONG_PASSPHRASE_OR_DAMAGED


def test_appended_bytes_are_detected() -> None:
    assert refusal(sealed() + b"\x00").reason == Reason.WRONG_PASSPHRASE_OR_DAMAGED


@pytest.mark.parametrize(
    ("length", "reason"),
    [
        (0, Reason.NOT_SEALED),
        (3, Reason.TRUNCATED),
        (len(MAGIC), Reason.TRUNCATED),
        (len(MAGIC) + 1, Reason.TRUNCATED),
        (HEADER_SIZE - 1, Reason.TRUNCATED),
        (HEADER_SIZE, Reason.TRUNCATED),
        (HEADER_SIZE + TAG_SIZE - 1, Reason.TRUNCATED),
        (HEADER_SIZE + TAG_SIZE, Reason.WRONG_PASSPHRASE_OR_DAMAGED),
        (HEADER_SIZE + len(CASE_FILE), Reason.WRONG_PASSPHRASE_OR_DAMAGED),
        (HEADER_SIZE + len(CASE_FILE) + TAG_SIZE - 1, Reason.WRONG_PASSPHRASE_OR_DAMAGED),
    ],
)
def test_truncation_is_detected(length: int, reason: Reason) -> None:
    assert refusal(sealed()[:length]).reason == reason


@pytest.mark.parametrize("blob", [CASE_FILE, b"PK\x03\x04", b"tsbseal\x00" + bytes(100), bytes(100)])
def test_other_files_are_not_sealed(blob: bytes, no_kdf: None) -> None:
    assert refusal(blob).reason == Reason.NOT_SEALED


@pytest.mark.parametrize("blob", [MAGIC + b"\x02", header(version=2), header(version=0), header(kdf_id=2)])
def test_unknown_version_or_kdf(blob: bytes, no_kdf: None) -> None:
    assert refusal(blob + bytes(TAG_SIZE)).reason == Reason.UNSUPPORTED_VERSION
    assert refusal(blob).reason == Reason.UNSUPPORTED_VERSION  # even when short: its layout is unknown


@pytest.mark.parametrize(
    "fields",
    [
        {"time_cost": 21},
        {"time_cost": 0xFFFF_FFFF},
        {"time_cost": 0},
        {"memory_kib": 1024 * 1024 + 1},
        {"memory_kib": 0xFFFF_FFFF},
        {"memory_kib": 7},
        {"parallelism": 0},
        {"parallelism": 17},
        {"parallelism": 4, "memory_kib": 31},  # argon2 needs 8 KiB per lane
    ],
    ids=lambda fields: ",".join(f"{name}={value}" for name, value in fields.items()),
)
def test_hostile_parameters_are_refused_without_running_the_kdf(fields: dict[str, int], no_kdf: None) -> None:
    started = time.perf_counter()
    assert refusal(header(**fields) + bytes(64)).reason == Reason.BAD_PARAMETERS
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("fields", [{"time_cost": 0}, {"memory_kib": 2 * 1024 * 1024}, {"parallelism": 0}])
def test_bad_parameters_cannot_be_made_for_sealing(fields: dict[str, int]) -> None:
    with pytest.raises(SealedFileError) as raised:
        KdfParams(**{"time_cost": 1, "memory_kib": 8, "parallelism": 1, **fields})
    assert raised.value.reason == Reason.BAD_PARAMETERS


def test_messages_never_contain_the_passphrase_or_the_data() -> None:
    blob = sealed()
    refusals = [refusal(blob, "wrong " + PASSPHRASE), refusal(flipped(blob, 60)), refusal(blob[:40]),
                refusal(flipped(blob, 8)), refusal(CASE_FILE)]
    for error in refusals:
        for shown in (str(error), repr(error), repr(error.args)):
            assert PASSPHRASE not in shown
            assert "national_id" not in shown
            assert "01017012345" not in shown


def test_reason_codes_are_stable_strings() -> None:
    assert {reason.value for reason in Reason} == {
        "not_sealed", "unsupported_version", "bad_parameters", "truncated",
        "wrong_passphrase_or_damaged", "empty_passphrase"}
    assert isinstance(SealedFileError(Reason.TRUNCATED), ValueError)


# Properties


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=4096), passphrase=st.text(min_size=1, max_size=40))
def test_any_bytes_round_trip(data: bytes, passphrase: str) -> None:
    assert unseal(seal(data, passphrase, kdf=CHEAP), passphrase) == data


def _fast_fake_kdf(*_args: object, **_kwargs: object) -> bytes:
    return bytes(32)


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from([b"", MAGIC, MAGIC + b"\x01", MAGIC + b"\x01\x01"]),
       rest=st.binary(max_size=200))
def test_garbage_only_ever_raises_sealed_file_error(prefix: bytes, rest: bytes) -> None:
    # In-range garbage parameters could legitimately cost seconds of argon2; the parser is under test.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sealed_files, "hash_secret_raw", _fast_fake_kdf)
        with pytest.raises(SealedFileError):
            unseal(prefix + rest, PASSPHRASE)

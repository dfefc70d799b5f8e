"""``tsbplace self-test``: prove that this installation works end to end, headless.

Loads and validates the content, creates and migrates a throw-away store, runs one
assessment through the case service, and renders one letter to memory. Each check
prints one line; the first failure names itself and the command exits non-zero.

The migrations run from their files (Alembic loads ``env.py`` and ``versions/*.py`` from
disk), so the store check also proves a bundle carries them. The Qt layer adds its own
checks (``extra_checks``: the ``tsbplace`` command adds one that starts Qt offscreen and
opens the letter in Qt's PDF viewer); the core itself never imports Qt.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from tsbplace.cases import CaseService
from tsbplace.content import Content, load_content
from tsbplace.i18n import tr
from tsbplace.letters import render_assessment_note
from tsbplace.locations import sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.security.keyring import Keyring
from tsbplace.storage import Store
from tsbplace.storage.migrate import current_revision, head_revision

# A synthetic person, never a real patient; Sámi letters on purpose.
SELF_TEST_NAME = "Ánde Čoavji Ŋuvttis"
SELF_TEST_BIRTH_DATE = dt.date(1990, 1, 1)

# A check added by the caller: given the letter's PDF, return the detail line or raise.
ExtraCheck = tuple[str, Callable[[bytes], str]]


def run_self_test(out: TextIO, extra_checks: Sequence[ExtraCheck] = ()) -> int:
    state: dict[str, object] = {}

    def content() -> str:
        loaded = load_content()
        state["content"] = loaded
        return tr("selftest.content_ok", domains=len(loaded.domains),
                  instruments=len(loaded.instruments), rules=len(loaded.ruleset.rules),
                  version=loaded.ruleset.version)

    def store() -> str:
        folder = Path(tempfile.mkdtemp(prefix="tsbplace-selftest-"))
        state["folder"] = folder
        # Encrypted, as the real store is: proves SQLCipher works in this installation.
        opened = Store.open(sqlite_url(folder / "selftest.sqlite3"), key=Keyring.new_key())
        state["store"] = opened
        revision = current_revision(opened.engine)
        if revision != head_revision():
            raise RuntimeError(f"store at {revision}, expected {head_revision()}")
        if (folder / "selftest.sqlite3").read_bytes().startswith(b"SQLite format 3"):
            raise RuntimeError("the store was not encrypted")
        return tr("selftest.store_ok", revision=revision)

    def assessment() -> str:
        loaded = state["content"]
        assert isinstance(loaded, Content)
        service = CaseService(state["store"], loaded)  # type: ignore[arg-type]
        case = service.create_case(SELF_TEST_NAME, synthetic_national_id(SELF_TEST_BIRTH_DATE),
                                   dt.date.today())
        answers = {"rus": {"main_substance": "alcohol", "injecting": False,
                           "withdrawal_complications": True, "rating": 2}}
        record = service.save_assessment(case.id, answers)
        if record.suggested_level != "D3M":
            raise RuntimeError(f"expected D3M for the self-test case, got {record.suggested_level}")
        state["case"], state["record"] = case, record
        return tr("selftest.assessment_ok", level=record.suggested_level)

    def letter() -> str:
        pdf = render_assessment_note(state["content"], state["case"], state["record"],  # type: ignore[arg-type]
                                     author="self-test")
        if not pdf.startswith(b"%PDF-") or b"NotoSans" not in pdf:
            raise RuntimeError("the letter is not a PDF with the bundled font")
        state["pdf"] = pdf
        return tr("selftest.letter_ok", size=len(pdf))

    def extra(check: Callable[[bytes], str]) -> Callable[[], str]:
        return lambda: check(state["pdf"])  # type: ignore[arg-type]

    checks: list[tuple[str, Callable[[], str]]] = [
        ("content", content), ("store", store), ("assessment", assessment), ("letter", letter),
        *((name, extra(check)) for name, check in extra_checks),
    ]
    try:
        for name, check in checks:
            try:
                detail = check()
            except Exception as error:  # report any failure by name, then stop
                out.write(tr("selftest.failed", check=name, error=f"{type(error).__name__}: {error}") + "\n")
                return 1
            out.write(tr("selftest.ok", check=name, detail=detail) + "\n")
    finally:
        opened = state.get("store")
        if isinstance(opened, Store):
            opened.close()
        folder = state.get("folder")
        if isinstance(folder, Path):
            for child in sorted(folder.iterdir()):
                child.unlink()
            folder.rmdir()
    out.write(tr("selftest.all_ok") + "\n")
    return 0

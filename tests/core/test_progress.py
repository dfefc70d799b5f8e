"""Progress and cancelling: the slow exports and the import report how far they are, and a
cancelled one writes no file, records nothing and leaves the store as it was."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.exchange_files import (
    ExchangeRefused,
    export_case_file,
    export_quality_file,
    file_is_sealed,
    import_case_file,
)
from tsbplace.national_id import synthetic_national_id
from tsbplace.progress import NO_PROGRESS, Cancelled, Progress
from tsbplace.quality_export import quality_csv
from tsbplace.storage import Store

PHRASE = "en lang nok passordfrase"


class CancelAt(Progress):
    """Asks to stop once ``at`` cases are done (as a click on Avbryt would), keeping every report."""

    def __init__(self, at: int | None = None) -> None:
        super().__init__()
        self.at = at
        self.reports: list[tuple[int, int]] = []

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        self.reports.append((done, total))
        if self.at is not None and done >= self.at:
            self.cancel()
        super().report(done, total, text)


def make_cases(service: CaseService, count: int) -> list[int]:
    ids = []
    for number in range(count):
        born = dt.date(1970 + number, 3, 4)
        case = service.create_case(f"Pasient Nummer{number}", synthetic_national_id(born),
                                   dt.date.today() - dt.timedelta(days=number))
        service.save_assessment(case.id, {"rus": {"rating": number % 5}})
        ids.append(case.id)
    return ids


def exports(service: CaseService) -> list[str]:
    return [entry.action for entry in service.audit_trail() if entry.action == "case.exported"]


def test_progress_is_thread_safe_and_cancel_raises_at_the_next_check() -> None:
    progress = Progress()
    progress.report(2, 5, "to av fem")
    assert progress.state() == (2, 5, "to av fem") and not progress.cancelled
    worker = threading.Thread(target=progress.cancel)
    worker.start()
    worker.join()
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.check()
    with pytest.raises(Cancelled):
        progress.report(3, 5)
    NO_PROGRESS.report(1, 2)
    NO_PROGRESS.check()
    with pytest.raises(TypeError):
        NO_PROGRESS.cancel()


def test_the_quality_csv_reports_every_case_of_the_total(service: CaseService) -> None:
    make_cases(service, 4)
    progress = CancelAt()
    data = quality_csv(service, progress)
    assert progress.reports == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert data == quality_csv(service)  # the same bytes without a progress


def test_cancelling_the_csv_midway_writes_no_file_and_records_nothing(
        service: CaseService, tmp_path: Path) -> None:
    make_cases(service, 5)
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "kvalitet.csv"
    progress = CancelAt(at=2)
    with pytest.raises(Cancelled):
        export_quality_file(service, target, progress=progress)
    assert progress.reports[-1] == (2, 5)
    assert list(out.iterdir()) == []  # no temporary file left either
    assert exports(service) == []
    export_quality_file(service, target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbfrow;") and exports(service) == ["case.exported"]


def test_a_cancelled_case_export_writes_nothing_even_when_sealing(
        service: CaseService, tmp_path: Path) -> None:
    [case_id] = make_cases(service, 1)
    out = tmp_path / "ut"
    out.mkdir()
    for fmt, passphrase in (("json", None), ("fhir", PHRASE)):
        progress = Progress()
        progress.cancel()
        with pytest.raises(Cancelled):
            export_case_file(service, case_id, fmt, out / f"sak.{fmt}", passphrase=passphrase,
                             progress=progress)
    assert list(out.iterdir()) == [] and service.issued_documents(case_id) == ()
    target = out / "sak.json"
    export_case_file(service, case_id, "json", target, passphrase=PHRASE)
    assert file_is_sealed(target)
    [document] = service.issued_documents(case_id)
    assert (document.kind, document.file_name) == ("export-json-sealed", "sak.json")
    with pytest.raises(ExchangeRefused, match="finnes allerede"):
        export_case_file(service, case_id, "json", target)
    with pytest.raises(ExchangeRefused, match="minst"):
        export_case_file(service, case_id, "json", tmp_path / "kort.json", passphrase="kort")


def other_store(tmp_path: Path, content: Content) -> tuple[Store, CaseService]:
    from tsbplace.locations import sqlite_url

    store = Store.open(sqlite_url(tmp_path / "other" / "tsbplace.sqlite3"),
                       backup_dir=tmp_path / "other-backups")
    return store, CaseService(store, content)


def test_a_cancelled_import_leaves_the_store_unchanged(
        service: CaseService, content: Content, tmp_path: Path) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    service.save_assessment(case.id, {"rus": {"rating": 2}})
    sealed = tmp_path / "sak.json.sealed"
    export_case_file(service, case.id, "json", sealed, passphrase=PHRASE)
    store, other = other_store(tmp_path, content)
    try:
        cancelled = Progress()
        cancelled.cancel()
        with pytest.raises(Cancelled):
            import_case_file(other, sealed, PHRASE, progress=cancelled)
        with pytest.raises(ExchangeRefused, match="Feil passordfrase"):
            import_case_file(other, sealed, "feil frase her")
        with pytest.raises(ExchangeRefused, match="forseglet"):
            import_case_file(other, sealed)
        assert other.list_cases() == [] and other.audit_trail() == ()
        result = import_case_file(other, sealed, PHRASE)
        assert (result.case_number, result.created_case) == (case.case_number, True)
        assert [c.patient_name for c in other.list_cases()] == [PATIENT_NAME]
    finally:
        store.close()

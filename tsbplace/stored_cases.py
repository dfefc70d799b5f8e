"""Read every stored case as engine input, for re-assessment (``tsbplace replay``).

A read-only service: it streams the store in batches, each read in one short session
that is closed before the batch is handed on, so 100,000 cases never sit in memory at
once and no session is open while the engine runs. Each case comes back as the
:class:`~tsbplace.assessment.CaseInput` it was assessed with (answers, instrument
answers, birth date, registered sex, the date it was saved) and its case number: the
name and identity number stay in the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import col, func

from tsbplace.assessment import CaseInput
from tsbplace.national_id import legal_sex
from tsbplace.storage.models import Assessment, Patient, TsbCase
from tsbplace.storage.store import Store

BATCH_SIZE = 2000


@dataclass(frozen=True)
class StoredCase:
    case_number: str
    case: CaseInput
    band_sets: Mapping[str, str] = field(default_factory=dict)  # the threshold set each was scored with


def _instrument_inputs(results: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The stored instrument results → (answers per instrument, threshold set per instrument)."""
    answers = {key: dict(result.get("answers", {})) for key, result in results.items()}
    band_sets = {key: result["band_set"] for key, result in results.items() if result.get("band_set")}
    return answers, band_sets


def _stored(row: Any, today: dt.date) -> StoredCase:
    _, number, received, birth, national_id, answers, instruments, saved = row
    given, band_sets = _instrument_inputs(instruments or {})
    case = CaseInput(
        birth_date=birth, sex=legal_sex(national_id), received=received,
        # the date it was saved, so age-dependent facts read as they did then
        assessment_date=today if saved is None else saved.astimezone().date(),
        answers=answers or {}, instruments=given,
    )
    return StoredCase(number, case, band_sets)


def _latest_assessment() -> Any:
    """The id of a case's latest assessment (there is one draft per case today)."""
    return (select(func.max(Assessment.id)).where(col(Assessment.case_id) == col(TsbCase.id))
            .correlate(TsbCase).scalar_subquery())


def iter_stored_cases(store: Store, batch_size: int = BATCH_SIZE,
                      today: dt.date | None = None) -> Iterator[StoredCase]:
    """Every case in the store, oldest first; a case not assessed yet has no answers
    (and is assessed as of ``today``)."""
    on = today or dt.date.today()
    query = (
        select(col(TsbCase.id), col(TsbCase.case_number), col(TsbCase.received_date),
               col(Patient.birth_date), col(Patient.national_id), col(Assessment.answers),
               col(Assessment.instrument_results), col(Assessment.updated_at))
        .join(Patient, col(TsbCase.patient_id) == col(Patient.id))
        .outerjoin(Assessment, col(Assessment.id) == _latest_assessment())
        .order_by(col(TsbCase.id))
        .limit(batch_size)
    )
    last_id = 0
    while True:
        with store.session() as session:
            rows = session.execute(query.where(col(TsbCase.id) > last_id)).all()
        for row in rows:
            yield _stored(row, on)
        if len(rows) < batch_size:
            return
        last_id = rows[-1][0]


def count_stored_cases(store: Store) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(TsbCase)).scalar_one())

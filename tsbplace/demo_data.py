"""``tsbplace demo-data --cases N``: fill a store with synthetic cases, for demos and for
measuring the case list with a realistic number of cases.

Every demo case is marked twice: its case number starts with ``DEMO-`` (no schema change
needed; ``DEMO-2026-000001``) and its patient's name with ``DEMO `` (``DEMO Áile Sørli``).
The ID numbers are valid synthetic fødselsnumre (:func:`tsbplace.national_id.synthetic_national_id`),
the received dates lie within the last year, and about three in four cases are assessed.
About one in twenty is prepared on the referring side (``side`` "referrer"), never sent.

The answers come from the shipped example cases (``resources/examples``), with each
rating, yes/no, choice and number item drawn again from what the content permits and
the instruments answered from their permitted values; an answer set the content refuses
(:func:`tsbplace.cases.answer_problems`) falls back to its example. Each answer set is
assessed through the real engine (:func:`tsbplace.engine.evaluate_answers`, the path
``CaseService`` uses), for a patient with a fixed birth date and sex, so the stored
suggestion and instrument results are exactly what the program gives for that patient.
To make 100,000 cases quickly, a pool of such assessed answer sets (1,000, or one per 100
cases for more) is made first and shared: every patient of a pool entry has its birth
date and sex (another ID number), so the stored suggestion is still that patient's.

The rows go in with bulk inserts in batches, all in one transaction: all or nothing.
A store that holds cases which are not demo cases is refused unless ``force`` is given.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import insert, select
from sqlmodel import col, func

from tsbplace.assessment import CaseInput
from tsbplace.case_file import read_case_file
from tsbplace.case_search import DEMO_PREFIX
from tsbplace.case_sides import REFERRER, TSB
from tsbplace.cases import answer_problems, score_instruments
from tsbplace.content import installed_content
from tsbplace.content.facts import FactContext
from tsbplace.content.model import Content, ItemType
from tsbplace.engine import evaluate_answers
from tsbplace.i18n import current_language, tr
from tsbplace.instruments.model import SEX_RULES
from tsbplace.locations import Locations
from tsbplace.national_id import synthetic_national_id
from tsbplace.package_data import resource
from tsbplace.services import StoreTooNew, StoreUnavailable, open_store
from tsbplace.storage.models import Assessment, Patient, TsbCase, completeness_counts, search_key, utcnow
from tsbplace.storage.store import Store

NAME_PREFIX = "DEMO "
DEMO_USER = "demo-data"  # who "wrote" the synthetic assessments
BATCH_SIZE = 5000
MIN_POOL = 1000
CASES_PER_POOL_ENTRY = 100  # each entry has about 165 free ID numbers (birth date and sex)
ASSESSED_SHARE = 0.75
REFERRER_SHARE = 0.05  # prepared on the referring side (tsbplace.case_sides), so lists show some
DEFAULT_SEED = 20261122

# Obviously synthetic people: every name starts with NAME_PREFIX.
FIRST_NAMES = ("Áile", "Ánde", "Biret", "Máret", "Nils", "Sára", "Ingrid", "Ola", "Kari", "Bjørn",
               "Åse", "Øystein", "Sølvi", "Mathis", "Inga", "Jørgen", "Live", "Tor", "Hanne", "Ahmed",
               "Amina", "Piotr", "Zofia", "Eirik", "Siri", "Håkon", "Ragnhild", "Jon", "Elle", "Ivar")
LAST_NAMES = ("Sørli", "Ødegård", "Åsheim", "Nordmann", "Bæivi", "Guttorm", "Somby", "Eira", "Hætta",
              "Berg", "Dahl", "Haugen", "Lie", "Strand", "Kvæl", "Bråten", "Nilsen", "Sara", "Turi",
              "Ŋuolja", "Jensen", "Moe", "Lund", "Vik", "Fjellheim")


class DemoDataRefused(RuntimeError):
    """The store holds cases that are not demo cases; nothing was added."""

    def __init__(self, real_cases: int) -> None:
        self.real_cases = real_cases
        super().__init__(f"the store holds {real_cases} cases that are not demo cases")


@dataclass(frozen=True)
class DemoResult:
    cases: int
    assessed: int
    pool: int  # assessed answer sets the cases share
    seconds: float


@dataclass(frozen=True)
class _PoolEntry:
    birth_date: dt.date
    sex: str  # "F" or "M"
    answers: dict[str, dict[str, Any]]
    instrument_results: dict[str, Any]
    suggestion: dict[str, Any]
    suggested_level: str
    ruleset: tuple[str, str, str]  # id, version, hash


def _templates(content: Content) -> list[CaseInput]:
    paths = sorted(Path(str(node)) for node in resource("examples").iterdir() if node.name.endswith(".json"))
    return [read_case_file(path, content) for path in paths]


def _redrawn(content: Content, domain_id: str, given: Mapping[str, Any],
             rng: random.Random) -> dict[str, Any]:
    """``given`` with the rating and the simple items (yes/no, a choice not tied to a
    substance, a whole or decimal number) drawn again from what the domain permits."""
    domain = content.domain(domain_id)
    answers = dict(given)
    for item in domain.items:
        if item.id not in answers or rng.random() < 0.5:
            continue
        if item.type is ItemType.YESNO:
            answers[item.id] = rng.random() < 0.5
        elif item.type is ItemType.CHOICE and item.substance_of is None and item.options:
            answers[item.id] = rng.choice(item.options).value
        elif item.type is ItemType.NUMBER and item.minimum is not None and item.maximum is not None:
            value = rng.uniform(item.minimum, item.maximum)
            answers[item.id] = round(value, 1) if item.decimals else int(value)
    answers["rating"] = rng.choice(domain.anchors).value
    return answers


def _answer_set(content: Content, template: CaseInput,
                rng: random.Random) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, int | None]]]:
    answers = {domain: _redrawn(content, domain, given, rng) for domain, given in template.answers.items()}
    if answer_problems(content, answers):  # a combination the content refuses: keep the example's
        answers = {domain: dict(given) for domain, given in template.answers.items()}
    instruments: dict[str, dict[str, int | None]] = {}
    for instrument in content.instruments:
        if instrument.id in template.instruments or rng.random() < 0.3:
            instruments[instrument.id] = {item.id: rng.choice(item.permitted()) for item in instrument.items}
    return answers, instruments


def _birth_dates(rng: random.Random, count: int, today: dt.date) -> list[dt.date]:
    """``count`` different birth dates of patients aged 16 to 75."""
    first, last = today.replace(year=today.year - 75), today.replace(year=today.year - 16)
    span = (last - first).days
    return [first + dt.timedelta(days=offset) for offset in rng.sample(range(span), count)]


def _pool(content: Content, size: int, rng: random.Random, today: dt.date) -> list[_PoolEntry]:
    templates = _templates(content)
    entries = []
    for index, born in enumerate(_birth_dates(rng, size, today)):
        sex = "F" if index % 2 == 0 else "M"
        answers, given = _answer_set(content, templates[index % len(templates)], rng)
        results = score_instruments(content, given, sex=sex)
        context = FactContext(birth_date=born, sex=SEX_RULES.get(sex), assessment_date=today)
        suggestion = evaluate_answers(content, answers, context, results).suggestion
        entries.append(_PoolEntry(
            born, sex, answers, {key: result.to_dict() for key, result in results.items()},
            suggestion.to_dict(), suggestion.level,
            (suggestion.ruleset_id, suggestion.ruleset_version, suggestion.ruleset_hash)))
    return entries


def _national_ids(entry: _PoolEntry, taken: set[str]) -> Iterator[str]:
    """Free valid ID numbers for the pool entry's birth date and sex (the ninth digit)."""
    serials = range(100, 500) if entry.birth_date.year < 2000 else range(500, 1000)
    parity = 1 if entry.sex == "M" else 0
    for serial in serials:
        if serial % 2 != parity:
            continue
        number = synthetic_national_id(entry.birth_date, serial)
        if number[6:9] == f"{serial:03d}" and number not in taken:
            taken.add(number)
            yield number


def _next_demo_serial(session: Any) -> int:
    numbers = session.execute(
        select(col(TsbCase.case_number)).where(col(TsbCase.case_number).startswith(DEMO_PREFIX))
    ).scalars()
    return max((int(number.rsplit("-", 1)[1]) for number in numbers), default=0) + 1


def non_demo_cases(store: Store) -> int:
    with store.session() as session:
        return int(session.execute(
            select(func.count()).select_from(TsbCase)
            .where(~col(TsbCase.case_number).startswith(DEMO_PREFIX))
        ).scalar_one())


def make_demo_cases(store: Store, content: Content, count: int, *, force: bool = False,
                    seed: int = DEFAULT_SEED, today: dt.date | None = None) -> DemoResult:
    """Add ``count`` demo cases to ``store`` in one transaction; see the module text.

    Raises :class:`DemoDataRefused` (and adds nothing) if the store holds cases that are
    not demo cases, unless ``force``.
    """
    if count < 1:
        raise ValueError(f"the number of cases must be at least 1, not {count}")
    started = time.perf_counter()
    if not force and (real := non_demo_cases(store)):
        raise DemoDataRefused(real)
    on = today or dt.date.today()
    with store.session() as session:
        taken = set(session.execute(select(col(Patient.national_id))).scalars())
        serial = _next_demo_serial(session)
    rng = random.Random(seed + serial)  # a second run makes other cases than the first
    sides = random.Random(-(seed + serial))  # its own stream: the other draws stay as they were
    pool = _pool(content, min(count, max(MIN_POOL, -(-count // CASES_PER_POOL_ENTRY))), rng, on)
    numbers = [_national_ids(entry, taken) for entry in pool]
    now = utcnow()
    assessed = 0
    with store.engine.begin() as connection:
        for start in range(0, count, BATCH_SIZE):
            patients, cases, entries = [], [], []
            for index in range(start, min(count, start + BATCH_SIZE)):
                slot = index % len(pool)
                number = next(numbers[slot], None)
                while number is None:  # this birth date has no free number left: the next one
                    slot = (slot + 1) % len(pool)
                    number = next(numbers[slot], None)
                entry = pool[slot]
                name = f"{NAME_PREFIX}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                patients.append({"name": name, "search_name": search_key(name), "national_id": number,
                                 "birth_date": entry.birth_date, "sex": entry.sex, "created_at": now})
                received = on - dt.timedelta(days=rng.randrange(365))
                is_assessed = rng.random() < ASSESSED_SHARE
                cases.append({"case_number": f"{DEMO_PREFIX}{received.year}-{serial:06d}",
                              "received_date": received, "status": "assessed" if is_assessed else "new",
                              "suggested_level": entry.suggested_level if is_assessed else None,
                              "side": REFERRER if sides.random() < REFERRER_SHARE else TSB,
                              "created_at": now, "updated_at": now})
                entries.append(entry if is_assessed else None)
                serial += 1
            patient_ids = connection.execute(
                insert(Patient).returning(col(Patient.id), sort_by_parameter_order=True), patients
            ).scalars().all()
            for case, patient_id in zip(cases, patient_ids, strict=True):
                case["patient_id"] = patient_id
            case_ids = connection.execute(
                insert(TsbCase).returning(col(TsbCase.id), sort_by_parameter_order=True), cases
            ).scalars().all()
            assessments = [
                {"case_id": case_id, "status": "draft", "answers": entry.answers,
                 "suggestion": entry.suggestion, "instrument_results": entry.instrument_results,
                 "suggested_level": entry.suggested_level, "ruleset_id": entry.ruleset[0],
                 "ruleset_version": entry.ruleset[1], "ruleset_hash": entry.ruleset[2],
                 "created_at": now, "updated_at": now, "version": 1, "revision": 1,
                 "created_by": DEMO_USER, "updated_by": DEMO_USER,
                 **completeness_counts(entry.answers, entry.instrument_results)}
                for case_id, entry in zip(case_ids, entries, strict=True) if entry is not None
            ]
            if assessments:
                connection.execute(insert(Assessment), assessments)
            assessed += len(assessments)
    return DemoResult(count, assessed, len(pool), time.perf_counter() - started)


# --- the command ------------------------------------------------------------------------------

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _seconds(value: float) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if current_language() == "nb" else text


def demo_data_command(locations: Locations, count: int, *, force: bool, out: TextIO, err: TextIO,
                      key: bytes | None = None) -> int:
    """``tsbplace demo-data --cases N [--force]`` on the configured store (encrypted: ``key``)."""
    if count < 1:
        err.write(tr("cli.demo.bad_count") + "\n")
        return EXIT_USAGE
    content = installed_content()
    try:
        store = open_store(locations, key=key)
    except StoreUnavailable as error:
        err.write(tr("cli.demo.store_unavailable", reason=error.reason) + "\n")
        return EXIT_FAILURE
    except StoreTooNew:
        err.write(tr("gui.start.store_too_new") + "\n")
        return EXIT_FAILURE
    try:
        result = make_demo_cases(store, content, count, force=force)
    except DemoDataRefused as error:
        err.write(tr("cli.demo.refused", count=error.real_cases) + "\n")
        return EXIT_FAILURE
    finally:
        store.close()
    out.write(tr("cli.demo.done", cases=result.cases, assessed=result.assessed, pool=result.pool,
                 seconds=_seconds(result.seconds)) + "\n")
    return EXIT_OK

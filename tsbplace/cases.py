"""The case service: create cases, record assessments, list and read them.

This is the API the GUI and the command line share. Input is validated here, not in
the widgets, so a bad ID number is refused the same way everywhere and nothing is
written. Every call is one short database session; results are plain frozen objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from tsbplace.case_search import case_list_statements, latest_received_for_deadline
from tsbplace.content.facts import FactContext
from tsbplace.content.model import Content, ProblemCode
from tsbplace.engine import Answers, Evaluation, Suggestion, evaluate_answers
from tsbplace.i18n import tr
from tsbplace.instruments import InstrumentResult, score
from tsbplace.instruments.model import SEX_RULES  # legal_sex() code → patient.sex value
from tsbplace.legal import LegalOutputs, legal_outputs
from tsbplace.national_id import check_national_id, legal_sex
from tsbplace.storage.models import Assessment, Patient, TsbCase, search_key, utcnow
from tsbplace.storage.store import Store

MAX_NAME_LENGTH = 200
PAGE_SIZE = 50  # the case list's page
MAX_PAGE_SIZE = 1000

# {instrument id: {item id: answer or None}}, as tsbplace.instruments.score takes them
InstrumentAnswers = Mapping[str, Mapping[str, int | None]]


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(ValueError):
    """The input was refused; nothing was stored. ``problems`` says what and where."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


class CaseNotFound(LookupError):
    pass


class AssessmentConflict(RuntimeError):
    """Someone else saved the assessment after it was loaded; nothing was stored.

    ``saved_at`` is when the other save happened, ``version`` the version stored now.
    """

    def __init__(self, case_id: int, saved_at: dt.datetime, version: int) -> None:
        self.case_id = case_id
        self.saved_at = saved_at
        self.version = version
        super().__init__(self.message())

    def message(self) -> str:
        """The explanation in the current language, with the local time of the other save."""
        return tr("assessment.conflict.message", time=self.saved_at.astimezone().strftime("%H:%M"))


@dataclass(frozen=True)
class CaseSummary:
    id: int
    case_number: str
    patient_name: str
    national_id: str
    birth_date: dt.date
    received_date: dt.date
    status: str
    suggested_level: str | None


@dataclass(frozen=True)
class CasePage:
    """One page of the case list (newest received first) and how many cases match in all."""

    rows: tuple[CaseSummary, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class AssessmentRecord:
    case_id: int
    answers: Mapping[str, Mapping[str, Any]]
    suggestion: Mapping[str, Any]
    suggested_level: str
    ruleset_version: str
    ruleset_hash: str
    updated_at: dt.datetime
    # {instrument id: InstrumentResult.to_dict()}: answers, total, band, threshold set, version
    instruments: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # 1 for a new draft, +1 on every save; pass it back as save_assessment(expected_version=)
    version: int = 1


def check_name(name: str) -> str | None:
    """A message if the patient name cannot be used, else None."""
    stripped = name.strip()
    if not stripped:
        return tr("case.problem.name_empty")
    if len(stripped) > MAX_NAME_LENGTH:
        return tr("case.problem.name_too_long", limit=MAX_NAME_LENGTH)
    return None


def check_received_date(received: dt.date, today: dt.date | None = None) -> str | None:
    if received > (today or dt.date.today()):
        return tr("case.problem.received_in_future")
    return None


def _problem_message(code: ProblemCode) -> str:
    return tr(f"assessment.problem.{code.value}")


def answer_problems(content: Content, answers: Answers) -> list[FieldProblem]:
    """Answers that the content does not allow: unknown domains, items or substances, wrong
    values, and answers that contradict each other (a main substance marked as not used).

    Each problem's field is the dotted path: ``rus.substances.alcohol.units_per_day``.
    """
    problems = []
    for domain_id, given in answers.items():
        try:
            domain = content.domain(domain_id)
        except KeyError:
            problems.append(FieldProblem(domain_id, tr("assessment.problem.unknown_domain")))
            continue
        values: object = given  # plain JSON from any front end: check the shape, not the hint
        if not isinstance(values, Mapping):
            problems.append(FieldProblem(domain_id, tr("assessment.problem.bad_value")))
            continue
        problems += [FieldProblem(".".join((domain_id, *p.path)), _problem_message(p.code))
                     for p in domain.answer_problems(values)]
    return problems


def _context(birth_date: dt.date, national_id: str, on: dt.date | None) -> FactContext:
    return FactContext(birth_date=birth_date, sex=SEX_RULES.get(legal_sex(national_id)),
                       assessment_date=on or dt.date.today())


def instrument_sex(context: FactContext | None) -> str | None:
    """The sex code the instruments take ("F"/"M") for the patient of ``context``."""
    if context is None or context.sex is None:
        return None
    return {fact: code for code, fact in SEX_RULES.items()}[context.sex]


def score_instruments(content: Content, given: InstrumentAnswers, *, sex: str | None = None,
                      band_sets: Mapping[str, str] | None = None) -> dict[str, InstrumentResult]:
    """Score every instrument with at least one answer, through :func:`tsbplace.instruments.score`.

    ``band_sets`` names the clinic's threshold set per instrument (default: each
    instrument's own default). Refuses unknown instruments and values that are not
    permitted with :class:`InvalidInput`, every problem at once.
    """
    results: dict[str, InstrumentResult] = {}
    problems: list[FieldProblem] = []
    for instrument_id, answers in given.items():
        field_name = f"instruments.{instrument_id}"
        try:
            instrument = content.instrument(instrument_id)
        except KeyError:
            problems.append(FieldProblem(field_name, tr("assessment.problem.unknown_instrument")))
            continue
        if all(value is None for value in answers.values()):
            continue  # not started: its facts stay unknown
        try:
            results[instrument_id] = score(instrument, answers, sex=sex,
                                           band_set=(band_sets or {}).get(instrument_id))
        except ValueError as error:
            problems.append(FieldProblem(field_name, str(error)))
    if problems:
        raise InvalidInput(problems)
    return results


def fact_context(case: CaseSummary, on: dt.date | None = None) -> FactContext:
    """What the engine knows about the patient of ``case`` on ``on`` (default today):
    birth date, registered sex and the assessment date (for patient.age, patient.under_23, ...)."""
    return _context(case.birth_date, case.national_id, on)


def _summary(case: TsbCase, patient: Patient, level: str | None) -> CaseSummary:
    assert case.id is not None
    return CaseSummary(case.id, case.case_number, patient.name, patient.national_id,
                       patient.birth_date, case.received_date, case.status, level)


class CaseService:
    """Cases and assessments in one store, judged by one set of clinical content."""

    def __init__(self, store: Store, content: Content,
                 band_sets: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.content = content
        self.band_sets: Mapping[str, str] = dict(band_sets or {})  # clinic's threshold sets

    def create_case(self, name: str, national_id: str, received_date: dt.date) -> CaseSummary:
        """Register a referral for a patient; refuses bad input with every problem named."""
        problems = []
        if (message := check_name(name)) is not None:
            problems.append(FieldProblem("name", message))
        id_check = check_national_id(national_id)
        if not id_check.ok:
            problems.append(FieldProblem("national_id", id_check.message()))
        if (message := check_received_date(received_date)) is not None:
            problems.append(FieldProblem("received_date", message))
        if problems:
            raise InvalidInput(problems)
        assert id_check.birth_date is not None
        with self.store.session() as session:
            patient = session.exec(
                select(Patient).where(Patient.national_id == id_check.number)
            ).first()
            if patient is None:
                patient = Patient(name=name.strip(), search_name=search_key(name),
                                  national_id=id_check.number, birth_date=id_check.birth_date)
                session.add(patient)
            elif patient.name != name.strip():
                raise InvalidInput([FieldProblem("name", tr("case.problem.other_name"))])
            session.flush()  # gives a new patient its id
            assert patient.id is not None
            case = TsbCase(case_number=self._next_case_number(session, received_date.year),
                           patient_id=patient.id, received_date=received_date)
            session.add(case)
            session.flush()
            return _summary(case, patient, None)

    @staticmethod
    def _next_case_number(session: Any, year: int) -> str:
        prefix = f"{year}-"
        count = session.exec(
            select(func.count()).select_from(TsbCase).where(col(TsbCase.case_number).startswith(prefix))
        ).one()
        return f"{prefix}{count + 1:05d}"

    def list_cases(self) -> list[CaseSummary]:
        """All cases, newest received first, with their latest suggested level."""
        with self.store.session() as session:
            rows = session.exec(
                select(TsbCase, Patient)
                .join(Patient, col(TsbCase.patient_id) == col(Patient.id))
                .order_by(col(TsbCase.received_date).desc(), col(TsbCase.id).desc())
            ).all()
            levels = dict(
                session.exec(select(Assessment.case_id, Assessment.suggested_level)).all()
            )
            return [_summary(case, patient, levels.get(case.id or 0)) for case, patient in rows]

    def search_cases(self, text: str = "", status: str | None = None,
                     due_before: dt.date | None = None, *, limit: int = PAGE_SIZE,
                     offset: int = 0) -> CasePage:
        """One page of the case list, newest received first, for search as you type.

        ``text`` matches the start of the patient's name or of a word in it (ignoring
        case), the start of the ID number (spaces ignored) or of the case number (with or
        without ``DEMO-``); ``status`` the case status; ``due_before`` keeps the cases whose
        assessment deadline (received date + the legal working days, 10) falls on or before
        that day. See :mod:`tsbplace.case_search`.
        """
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, not {offset}")
        bound = None
        if due_before is not None:
            assert self.content.legal is not None, "load_content always loads legal.toml or raises"
            bound = latest_received_for_deadline(due_before, self.content.legal.assessment.working_days)
        page, count, params = case_list_statements(text, status, bound, limit=limit, offset=offset)
        with self.store.session() as session:
            connection = session.connection()  # plain rows: no ORM objects to build
            rows = connection.execute(page, params).all()
            total = int(connection.execute(count, params).scalar_one())
        return CasePage(tuple(CaseSummary(*row) for row in rows), total, limit, offset)

    def get_case(self, case_id: int) -> CaseSummary:
        with self.store.session() as session:
            row = session.exec(
                select(TsbCase, Patient)
                .join(Patient, col(TsbCase.patient_id) == col(Patient.id))
                .where(TsbCase.id == case_id)
            ).first()
            if row is None:
                raise CaseNotFound(case_id)
            level = session.exec(
                select(Assessment.suggested_level).where(Assessment.case_id == case_id)
            ).first()
            return _summary(row[0], row[1], level)

    def score(self, instruments: InstrumentAnswers,
              context: FactContext | None = None) -> dict[str, InstrumentResult]:
        """Score filled-in instruments with the clinic's threshold sets and the patient's sex."""
        return score_instruments(self.content, instruments, sex=instrument_sex(context),
                                 band_sets=self.band_sets)

    def suggest(self, answers: Answers, context: FactContext | None = None,
                instruments: InstrumentAnswers | None = None) -> Suggestion:
        """The engine's suggestion for answers not yet saved (the live side panel); pass
        ``fact_context(case)`` so the patient facts (age, sex) are known."""
        return self.evaluate(answers, context, instruments).suggestion

    def evaluate(self, answers: Answers, context: FactContext | None = None,
                 instruments: InstrumentAnswers | None = None) -> Evaluation:
        """The suggestion with the instrument results and the facts it read."""
        results = self.score(instruments or {}, context)
        return evaluate_answers(self.content, answers, context, results)

    def deadlines(self, case: CaseSummary, facts: Mapping[str, Any]) -> LegalOutputs:
        """The assessment deadline, the guiding right and frist and the latest start date
        for ``case`` (counted from its received date), each saying how it was computed."""
        assert self.content.legal is not None, "load_content always loads legal.toml or raises"
        return legal_outputs(facts, case.received_date, self.content.legal)

    def save_assessment(self, case_id: int, answers: Answers,
                        instruments: InstrumentAnswers | None = None, *,
                        expected_version: int | None = None) -> AssessmentRecord:
        """Validate and store the answers, the instrument results and the engine's full
        result; one draft per case. Invalid input raises InvalidInput and changes nothing.

        ``expected_version`` is the version the caller loaded, 0 if it found no assessment
        (None: a caller that does not track versions). If the stored assessment has another
        version by now, or another save overtakes this one, AssessmentConflict is raised and
        nothing is written: the update only applies ``WHERE version = <the version read>``,
        and a second first draft hits the unique case id; both hold between concurrent
        transactions on PostgreSQL.
        """
        problems = answer_problems(self.content, answers)
        if problems:
            raise InvalidInput(problems)
        plain = {domain: dict(values) for domain, values in answers.items()}
        given_instruments = instruments or {}
        try:
            return self._save(case_id, plain, answers, given_instruments, expected_version)
        except IntegrityError:
            stored = self.load_assessment(case_id)
            if stored is None:
                raise
            raise AssessmentConflict(case_id, stored.updated_at, stored.version) from None

    def _save(self, case_id: int, plain: dict[str, dict[str, Any]], answers: Answers,
              given_instruments: InstrumentAnswers,
              expected_version: int | None) -> AssessmentRecord:
        with self.store.session() as session:
            case = session.get(TsbCase, case_id)
            if case is None:
                raise CaseNotFound(case_id)
            patient = session.get(Patient, case.patient_id)
            assert patient is not None
            context = _context(patient.birth_date, patient.national_id, None)
            results = self.score(given_instruments, context)
            suggestion = self.suggest(answers, context, given_instruments)
            record = session.exec(select(Assessment).where(Assessment.case_id == case_id)).first()
            now = utcnow()
            values: dict[str, Any] = {
                "answers": plain,
                "instrument_results": {key: r.to_dict() for key, r in results.items()},
                "suggestion": suggestion.to_dict(),
                "suggested_level": suggestion.level,
                "ruleset_id": suggestion.ruleset_id,
                "ruleset_version": suggestion.ruleset_version,
                "ruleset_hash": suggestion.ruleset_hash,
                "updated_at": now,
            }
            if record is None:  # a new draft; a concurrent one fails on the unique case id
                record = Assessment(case_id=case_id, version=1, **values)
                session.add(record)
            else:
                if expected_version is not None and record.version != expected_version:
                    raise AssessmentConflict(case_id, record.updated_at, record.version)
                assert record.id is not None
                read_version = record.version
                changed = session.exec(
                    update(Assessment)
                    .where(col(Assessment.id) == record.id, col(Assessment.version) == read_version)
                    .values(version=read_version + 1, **values)
                    .execution_options(synchronize_session=False)
                )
                if changed.rowcount != 1:  # another save committed after our read
                    session.expire(record)
                    session.refresh(record)
                    raise AssessmentConflict(case_id, record.updated_at, record.version)
                session.expire(record)
            case.status = "assessed"
            case.updated_at = now
            session.add(case)
            session.flush()
            session.refresh(record)
            return self._record(record)

    def load_assessment(self, case_id: int) -> AssessmentRecord | None:
        with self.store.session() as session:
            record = session.exec(select(Assessment).where(Assessment.case_id == case_id)).first()
            return None if record is None else self._record(record)

    @staticmethod
    def _record(record: Assessment) -> AssessmentRecord:
        return AssessmentRecord(record.case_id, record.answers, record.suggestion,
                                record.suggested_level, record.ruleset_version,
                                record.ruleset_hash, record.updated_at,
                                record.instrument_results, record.version)

"""The case service: create cases, record referrals, assessments and decisions, sign
and correct them, record issued documents, list and read them; every change and every
opening of a case is written to the audit log in the same transaction.

This is the API the GUI and the command line share. Input is validated here, not in
the widgets, so a bad ID number is refused the same way everywhere and nothing is
written. Every call is one short database session; results are plain frozen objects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from tsbplace.access_report import AccessReport, build_access_report
from tsbplace.actor import Actor, local_actor
from tsbplace.assessment_versions import (
    MAX_CORRECTION_REASON,
    SIGNED,
    AssessmentConflict,
    AssessmentRecord,
    AssessmentSigned,
    IssuedDocumentRecord,
    NotSigned,
    assessment_record,
    correction_of,
    decision_of,
    decision_values,
    issued_record,
    newest_version,
    refuse_if_signed,
    update_draft,
)
from tsbplace.audit import AuditAction, AuditEntry, add_event, read_events
from tsbplace.case_search import case_list_statements, latest_received_for_deadline
from tsbplace.case_sides import REFERRAL_LETTER, REFERRED, REFERRER, TSB, NotForSide, check_side
from tsbplace.content.facts import FactContext
from tsbplace.content.model import Content, ProblemCode
from tsbplace.decisions import Decision, decision_problems, signing_problems
from tsbplace.engine import Answers, Evaluation, Suggestion, evaluate_answers
from tsbplace.field_problems import FieldProblem, InvalidInput
from tsbplace.i18n import tr
from tsbplace.instruments import InstrumentResult, score
from tsbplace.instruments.model import SEX_RULES  # legal_sex() code → patient.sex value
from tsbplace.legal import LegalOutputs, legal_outputs
from tsbplace.local_services import LocalService
from tsbplace.national_id import check_national_id, legal_sex
from tsbplace.referrals import ReferralDetails, ReferralRecord, missing_items, referral_problems
from tsbplace.storage.models import Assessment, IssuedDocument, Patient, Referral, TsbCase, search_key, utcnow
from tsbplace.storage.store import Store

__all__ = [
    "AssessmentConflict", "AssessmentRecord", "AssessmentSigned", "AuditEntry", "CaseNotFound",
    "CasePage", "CaseService", "CaseSummary", "Decision", "FieldProblem", "InstrumentAnswers",
    "InvalidInput", "IssuedDocumentRecord", "NotForSide", "NotSigned", "ReferralConflict", "ReferralDetails",
    "ReferralRecord", "answer_problems", "check_name", "check_received_date", "fact_context",
    "instrument_sex", "score_instruments",
]

log = logging.getLogger(__name__)  # ids and codes only: never a name or an ID number

MAX_NAME_LENGTH = 200
MAX_USER_NAME = 100
PAGE_SIZE = 50  # the case list's page
MAX_PAGE_SIZE = 1000

# {instrument id: {item id: answer or None}}, as tsbplace.instruments.score takes them
InstrumentAnswers = Mapping[str, Mapping[str, int | None]]


class CaseNotFound(LookupError):
    pass


@dataclass(frozen=True)
class CaseSummary:
    id: int
    case_number: str
    patient_name: str
    national_id: str
    birth_date: dt.date
    received_date: dt.date
    status: str  # "new", "assessed" (a draft), "signed"; a referrer-side case: "referred" once sent
    suggested_level: str | None
    chosen_level: str | None = None
    assigned_to: str | None = None  # the user name of the clinician who has the case
    side: str = TSB  # tsbplace.case_sides: "tsb" (ends in a decision) or "referrer" (in a referral)
    treatment_started_on: dt.date | None = None  # get_case/open_case only; lists leave it out

    @property
    def referring(self) -> bool:
        """Prepared on the referring side: ends in the referral letter, never in a decision."""
        return self.side == REFERRER


@dataclass(frozen=True)
class CasePage:
    """One page of the case list (newest received first) and how many cases match in all."""

    rows: tuple[CaseSummary, ...]
    total: int
    limit: int
    offset: int


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


def _summary(case: TsbCase, patient: Patient) -> CaseSummary:
    assert case.id is not None
    return CaseSummary(case.id, case.case_number, patient.name, patient.national_id,
                       patient.birth_date, case.received_date, case.status, case.suggested_level,
                       case.chosen_level, case.assigned_to, case.side, case.treatment_started_on)


class ReferralConflict(RuntimeError):
    """Someone else saved the referral after it was loaded; nothing was stored."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        super().__init__(tr("referral.conflict.message"))


class CaseService:
    """Cases and assessments in one store, judged by one set of clinical content."""

    def __init__(self, store: Store, content: Content,
                 band_sets: Mapping[str, str] | None = None, actor: Actor | None = None,
                 local_services: Iterable[LocalService] = ()) -> None:
        self.store = store
        self.content = content
        self.band_sets: Mapping[str, str] = dict(band_sets or {})  # clinic's threshold sets
        self.local_services: tuple[LocalService, ...] = tuple(local_services)  # clinic's own services
        self.actor = actor or local_actor()  # stamped on records and audit entries

    def create_case(self, name: str, national_id: str, received_date: dt.date,
                    side: str = TSB) -> CaseSummary:
        """Register a referral for a patient; refuses bad input with every problem named.
        ``side`` (:mod:`tsbplace.case_sides`): "tsb", assessed here and decided, or
        "referrer", a referral to TSB prepared by the referring side."""
        problems = []
        if (message := check_name(name)) is not None:
            problems.append(FieldProblem("name", message))
        id_check = check_national_id(national_id)
        if not id_check.ok:
            problems.append(FieldProblem("national_id", id_check.message()))
        if (message := check_received_date(received_date)) is not None:
            problems.append(FieldProblem("received_date", message))
        if (message := check_side(side)) is not None:
            problems.append(FieldProblem("side", message))
        if problems:
            raise InvalidInput(problems)
        assert id_check.birth_date is not None
        with self.store.session() as session:
            patient = session.exec(
                select(Patient).where(Patient.national_id == id_check.number)
            ).first()
            if patient is None:
                patient = Patient(name=name.strip(), search_name=search_key(name),
                                  national_id=id_check.number, birth_date=id_check.birth_date,
                                  sex=legal_sex(id_check.number))
                session.add(patient)
            elif patient.name != name.strip():
                raise InvalidInput([FieldProblem("name", tr("case.problem.other_name"))])
            session.flush()  # gives a new patient its id
            assert patient.id is not None
            case = TsbCase(case_number=self._next_case_number(session, received_date.year),
                           patient_id=patient.id, received_date=received_date, side=side)
            session.add(case)
            session.flush()
            add_event(session, self.actor, AuditAction.CASE_CREATED, case.id, side=side)
            log.info("case %d created by %s", case.id, self.actor.user)
            return _summary(case, patient)

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
            return [_summary(case, patient) for case, patient in rows]

    def search_cases(self, text: str = "", status: str | None = None,
                     due_before: dt.date | None = None, *, limit: int = PAGE_SIZE,
                     offset: int = 0, assigned_to: str | None = None, unassigned: bool = False) -> CasePage:
        """One page of the case list, newest received first, for search as you type.

        ``text`` matches the start of the patient's name or of a word in it (ignoring
        case), the start of the ID number (spaces ignored) or of the case number (with or
        without ``DEMO-``); ``status`` the case status; ``due_before`` keeps the cases whose
        assessment deadline (received date + the legal working days, 10) falls on or before
        that day; ``assigned_to`` the cases of one clinician (user name), ``unassigned`` the
        cases nobody has yet. See
        :mod:`tsbplace.case_search`.
        """
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, not {offset}")
        bound = None
        if due_before is not None:
            assert self.content.legal is not None, "load_content always loads legal.toml or raises"
            bound = latest_received_for_deadline(due_before, self.content.legal.assessment.working_days)
        if assigned_to is not None and unassigned:
            raise ValueError("a case cannot be both assigned to someone and unassigned")
        page, count, params = case_list_statements(text, status, bound, limit=limit, offset=offset,
                                                   assigned_to=assigned_to, unassigned=unassigned)
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
            return _summary(row[0], row[1])

    def open_case(self, case_id: int) -> CaseSummary:
        """The case, for a clinician who opens it to read or work on it: the access is
        logged (Normen: every access to a record is logged)."""
        with self.store.session() as session:
            self._case(session, case_id)
            add_event(session, self.actor, AuditAction.CASE_OPENED, case_id)
        log.info("case %d opened by %s", case_id, self.actor.user)
        return self.get_case(case_id)

    def assign_case(self, case_id: int, user_name: str | None) -> CaseSummary:
        """Give the case to a clinician (their user name), or to nobody (None); audited."""
        if user_name is not None and not (0 < len(user_name) <= MAX_USER_NAME):
            raise InvalidInput([FieldProblem("assigned_to", tr("account.problem.user_name"))])
        with self.store.session() as session:
            case = self._case(session, case_id)
            case.assigned_to, case.updated_at = user_name, utcnow()
            session.add(case)
            add_event(session, self.actor, AuditAction.CASE_ASSIGNED, case_id, to=user_name)
        return self.get_case(case_id)

    def record_treatment_start(self, case_id: int, day: dt.date | None,
                               today: dt.date | None = None) -> CaseSummary:
        """The day treatment started (None: not started, to undo a mistake), once the case
        has a signed decision: on or after the day the referral was received and not in
        the future. Kept on the case (the signed version stays as it was); audited."""
        today = today or dt.date.today()
        with self.store.session() as session:
            case = self._case(session, case_id)
            signed = session.exec(select(Assessment).where(Assessment.case_id == case_id,
                                                           Assessment.status == "signed")).first()
            problem = None
            if signed is None:
                problem = tr("case.problem.start_before_decision")
            elif day is not None and not case.received_date <= day <= today:
                problem = tr("case.problem.start_date", received=case.received_date.strftime("%d.%m.%Y"))
            if problem is not None:
                raise InvalidInput([FieldProblem("treatment_started_on", problem)])
            case.treatment_started_on, case.updated_at = day, utcnow()
            session.add(case)
            add_event(session, self.actor, AuditAction.TREATMENT_STARTED, case_id,
                      on=None if day is None else day.isoformat())
        return self.get_case(case_id)

    def load_referral(self, case_id: int) -> ReferralRecord:
        """What is recorded about the case's referral (empty, version 0, before the first
        save) and which of the expected contents it lacks."""
        with self.store.session() as session:
            self._case(session, case_id)
            row = session.exec(select(Referral).where(Referral.case_id == case_id)).first()
            return self._referral_record(case_id, row)

    def save_referral(self, case_id: int, details: ReferralDetails, *,
                      expected_version: int | None = None) -> ReferralRecord:
        """Store the referral's source, referrer, reason and checklist. Unknown codes or
        a missing explanation raise InvalidInput; a concurrent save, ReferralConflict."""
        problems = referral_problems(self.content, details)
        if problems:
            raise InvalidInput(problems)
        values: dict[str, Any] = {
            "source": details.source, "source_text": details.source_text.strip(),
            "referrer": details.referrer.strip(), "reason": details.reason.strip(),
            "present_items": sorted(set(details.present_items)),
            "updated_by": self.actor.user, "updated_at": utcnow()}
        try:
            with self.store.session() as session:
                self._case(session, case_id)
                row = session.exec(select(Referral).where(Referral.case_id == case_id)).first()
                if row is None:
                    if expected_version not in (None, 0):
                        raise ReferralConflict(case_id)
                    row = Referral(case_id=case_id, version=1, **values)
                    session.add(row)
                else:
                    if expected_version is not None and row.version != expected_version:
                        raise ReferralConflict(case_id)
                    changed = session.exec(
                        update(Referral)
                        .where(col(Referral.id) == row.id, col(Referral.version) == row.version)
                        .values(version=row.version + 1, **values)
                        .execution_options(synchronize_session=False))
                    if changed.rowcount != 1:
                        raise ReferralConflict(case_id)
                    session.expire(row)
                session.flush()
                session.refresh(row)
                add_event(session, self.actor, AuditAction.REFERRAL_SAVED, case_id, version=row.version,
                          missing=len(missing_items(self.content, tuple(row.present_items))))
                return self._referral_record(case_id, row)
        except IntegrityError:  # a concurrent first save took the unique case id
            raise ReferralConflict(case_id) from None

    def _referral_record(self, case_id: int, row: Referral | None) -> ReferralRecord:
        if row is None:
            return ReferralRecord(case_id, ReferralDetails(), missing_items(self.content, ()), "", None, 0)
        details = ReferralDetails(row.source, row.source_text, row.referrer, row.reason,
                                  tuple(row.present_items))
        return ReferralRecord(case_id, details, missing_items(self.content, details.present_items),
                              row.updated_by, row.updated_at, row.version)

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
        result in the case's draft (the first save makes revision 1). Invalid input raises
        InvalidInput and changes nothing; a signed newest version raises AssessmentSigned
        (start a correction first).

        ``expected_version`` is the version the caller loaded, 0 if it found no assessment
        (None: a caller that does not track versions). If the stored assessment has another
        version by now, or another save overtakes this one, AssessmentConflict is raised and
        nothing is written: the update only applies ``WHERE version = <the version read>``,
        and a second first draft hits the unique (case, revision); both hold between
        concurrent transactions on PostgreSQL.
        """
        problems = answer_problems(self.content, answers)
        if problems:
            raise InvalidInput(problems)
        plain = {domain: dict(values) for domain, values in answers.items()}
        given_instruments = instruments or {}
        with self._conflicts_reported(case_id):
            return self._save(case_id, plain, answers, given_instruments, expected_version)

    @contextmanager
    def _conflicts_reported(self, case_id: int) -> Iterator[None]:
        """A unique-key clash with a concurrent writer becomes AssessmentConflict."""
        try:
            yield
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
            record = newest_version(session, case_id)
            refuse_if_signed(record)
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
                "updated_by": self.actor.user,
            }
            if record is None:  # a new draft; a concurrent one fails on the unique (case, revision)
                # created_at = updated_at: the row's own default comes a moment later, and an
                # export whose draft was "updated before it was created" is refused on import.
                record = Assessment(case_id=case_id, version=1, revision=1, created_by=self.actor.user,
                                    created_at=now, **values)
                session.add(record)
                session.flush()
            else:
                update_draft(session, record, expected_version, values)
            # A sent referral stays "referred" when it is edited afterwards: it has left.
            status = REFERRED if case.status == REFERRED else "assessed"
            case.status, case.suggested_level, case.updated_at = status, suggestion.level, now
            session.add(case)
            add_event(session, self.actor, AuditAction.ASSESSMENT_SAVED, case_id,
                      revision=record.revision, version=record.version, level=suggestion.level)
            log.info("case %d: assessment revision %d saved (version %d)", case_id, record.revision,
                     record.version)
            return assessment_record(record)

    def load_assessment(self, case_id: int) -> AssessmentRecord | None:
        """The newest version of the case's assessment (draft or signed), or None."""
        with self.store.session() as session:
            record = newest_version(session, case_id)
            return None if record is None else assessment_record(record)

    def assessment_versions(self, case_id: int) -> tuple[AssessmentRecord, ...]:
        """Every version of the case's assessment, oldest first: signed ones as they were
        signed, and the draft (if any) last."""
        with self.store.session() as session:
            rows = session.exec(select(Assessment).where(Assessment.case_id == case_id)
                                .order_by(col(Assessment.revision))).all()
            return tuple(assessment_record(row) for row in rows)

    def save_decision(self, case_id: int, decision: Decision, *,
                      expected_version: int | None = None) -> AssessmentRecord:
        """Store the decision in the case's draft; it may be incomplete until signing.
        Unknown codes or levels raise InvalidInput; no assessment yet, InvalidInput too;
        a signed newest version, AssessmentSigned; a concurrent save, AssessmentConflict."""
        problems = decision_problems(self.content, decision)
        if problems:
            raise InvalidInput(problems)
        with self.store.session() as session:
            case = self._case(session, case_id)
            self._refuse_if_referring(case, tr("case.side.no_decision"))
            record = self._draft(session, case_id)
            values = decision_values(decision) | {"updated_at": utcnow(), "updated_by": self.actor.user}
            update_draft(session, record, expected_version, values)
            case.chosen_level, case.updated_at = decision.chosen_level, values["updated_at"]
            session.add(case)
            add_event(session, self.actor, AuditAction.DECISION_SAVED, case_id, revision=record.revision,
                      version=record.version, chosen_level=decision.chosen_level)
            return assessment_record(record)

    def sign_assessment(self, case_id: int, *, expected_version: int | None = None) -> AssessmentRecord:
        """Sign the case's draft: from now on it is never changed or deleted (the database
        refuses it too). Refused with InvalidInput naming every gap when the decision is
        incomplete (:func:`tsbplace.decisions.signing_problems`)."""
        with self.store.session() as session:
            case = self._case(session, case_id)
            self._refuse_if_referring(case, tr("case.side.no_signing"))
            record = self._draft(session, case_id)
            problems = signing_problems(self.content, decision_of(record), record.suggested_level,
                                        case.received_date)
            if problems:
                raise InvalidInput(problems)
            now = utcnow()
            update_draft(session, record, expected_version, {
                "status": SIGNED, "signed_by": self.actor.user, "signed_at": now,
                "updated_at": now, "updated_by": self.actor.user})
            case.status, case.chosen_level, case.updated_at = SIGNED, record.chosen_level, now
            session.add(case)
            add_event(session, self.actor, AuditAction.ASSESSMENT_SIGNED, case_id,
                      revision=record.revision, chosen_level=record.chosen_level)
            log.info("case %d: assessment revision %d signed by %s", case_id, record.revision,
                     self.actor.user)
            return assessment_record(record)

    def start_correction(self, case_id: int, reason: str) -> AssessmentRecord:
        """A new draft version that corrects the signed newest one: a copy of its answers
        and decision that names the version it replaces, who started it and why. The
        signed version stays as it was. Two clinicians starting at once: the second gets
        AssessmentConflict."""
        if not reason.strip():
            raise InvalidInput([FieldProblem("correction_reason",
                                             tr("decision.problem.missing_correction_reason"))])
        if len(reason) > MAX_CORRECTION_REASON:
            raise InvalidInput([FieldProblem("correction_reason",
                                             tr("input.problem.too_long", limit=MAX_CORRECTION_REASON))])
        with self._conflicts_reported(case_id), self.store.session() as session:
            case = self._case(session, case_id)
            signed = newest_version(session, case_id)
            if signed is None or signed.status != SIGNED:
                raise NotSigned(case_id)
            now = utcnow()
            draft = correction_of(signed, reason.strip(), self.actor.user, now)
            session.add(draft)
            session.flush()
            case.status, case.updated_at = "assessed", now
            session.add(case)
            add_event(session, self.actor, AuditAction.CORRECTION_STARTED, case_id,
                      revision=draft.revision, supersedes_revision=signed.revision)
            return assessment_record(draft)

    def record_issued_document(self, case_id: int, kind: str, data: bytes,
                               file_name: str) -> IssuedDocumentRecord:
        """Record that a letter, note or export of the case left the program: when, who,
        the file's name (not its folder) and the SHA-256 of its exact bytes. Audited as
        ``case.exported`` for kinds ``export-…``, else ``document.issued``. The referral
        letter of a referrer-side case makes it "referred" (sent to TSB)."""
        with self.store.session() as session:
            case = self._case(session, case_id)
            record = newest_version(session, case_id)
            document = IssuedDocument(
                case_id=case_id, assessment_id=None if record is None else record.id, kind=kind,
                file_name=Path(file_name).name[:255], sha256=hashlib.sha256(data).hexdigest(),
                byte_size=len(data), issued_by=self.actor.user, workstation=self.actor.workstation)
            session.add(document)
            if case.side == REFERRER and kind == REFERRAL_LETTER and case.status != REFERRED:
                case.status, case.updated_at = REFERRED, utcnow()
                session.add(case)
            session.flush()
            action = AuditAction.CASE_EXPORTED if kind.startswith("export") else AuditAction.DOCUMENT_ISSUED
            add_event(session, self.actor, action, case_id, kind=kind, document_id=document.id,
                      sha256=document.sha256)
            log.info("case %d: %s issued (document %s)", case_id, kind, document.id)
            return issued_record(document)

    def record_export(self, kind: str, data: bytes) -> None:
        """Audit an export that belongs to no single case (the de-identified quality data):
        its kind, size and SHA-256 (not its file name, which could say anything)."""
        with self.store.session() as session:
            add_event(session, self.actor, AuditAction.CASE_EXPORTED, None, kind=kind,
                      sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    def issued_documents(self, case_id: int) -> tuple[IssuedDocumentRecord, ...]:
        with self.store.session() as session:
            rows = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case_id)
                                .order_by(col(IssuedDocument.id))).all()
            return tuple(issued_record(row) for row in rows)

    def access_report(self, national_id: str) -> AccessReport | None:
        """Who has worked on the cases of the patient with ``national_id``, for the patient."""
        with self.store.session() as session:
            return build_access_report(session, national_id)

    def record_access_report(self, report: AccessReport, data: bytes, file_name: str) -> None:
        """Record the report as issued on each of the patient's cases (and so audit it)."""
        for case_id in report.case_ids:
            self.record_issued_document(case_id, "tilgangslogg", data, file_name)

    def audit_trail(self, case_id: int | None = None) -> tuple[AuditEntry, ...]:
        """The access log for one case (or all), oldest first. Reading it is not logged."""
        with self.store.session() as session:
            return read_events(session, case_id)

    def _case(self, session: Session, case_id: int) -> TsbCase:
        case = session.get(TsbCase, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        return case

    @staticmethod
    def _refuse_if_referring(case: TsbCase, message: str) -> None:
        """TSB decides the right, the frist and the level: the referring side never does."""
        if case.side == REFERRER:
            assert case.id is not None
            raise NotForSide(case.id, message)

    @staticmethod
    def _draft(session: Session, case_id: int) -> Assessment:
        record = newest_version(session, case_id)
        if record is None:
            raise InvalidInput([FieldProblem("decision", tr("decision.problem.no_assessment"))])
        refuse_if_signed(record)
        return record

"""Quality and variation indicators (issue 9), computed in the database.

API (stable; the dashboard builds on it)::

    @dataclass(frozen=True) class IndicatorFilter:
        start: date | None = None; end: date | None = None; clinician: str | None = None
        unit: str | None = None  # the responsible clinician's unit
    @dataclass(frozen=True) class IndicatorDefinition:
        id: str; kind: str  # "structure" | "process" | "result"
        label: Text; definition: Text; source: str   # Text = {"nb": ..., "en": ...}
    @dataclass(frozen=True) class Figure:
        indicator: str; numerator: int | None; denominator: int | None; value: float | None
    @dataclass(frozen=True) class MonthRow:
        month: str  # "2026-11"; received: int; assessed: int; within_deadline: int
        within_deadline_share: float | None  (property: within_deadline / assessed)
    @dataclass(frozen=True) class TimeToDecision:
        n: int; mean_days: float | None; median_days: float | None
    @dataclass(frozen=True) class Indicators:
        filter: IndicatorFilter
        figures: dict[str, Figure]               # by indicator id, in FIGURE_IDS order
        suggested_levels: dict[str, int]          # level code -> n, every level (0 too), level order
        chosen_levels: dict[str, int]
        matrix: dict[tuple[str, str], int]        # (suggested, chosen) -> n, only pairs seen
        deviation_reasons: dict[str, dict[str, int]]  # "under"/"over" -> reason code -> n (every code)
        months: tuple[MonthRow, ...]             # per received month, oldest first
        time_to_decision: TimeToDecision

    FIGURE_IDS: tuple[str, ...]  # received, assessed, within_deadline, right_to_care, agreement,
                                 # under_placement, over_placement, frist_given, frist_met, ip_offered,
                                 # coordinator_named, domains_complete, instruments_complete
    def indicator_definitions() -> tuple[IndicatorDefinition, ...]   # rules/indicators.toml
    def compute_indicators(store, content, filter=IndicatorFilter()) -> Indicators
    def indicators_by_clinician(store, content, filter=IndicatorFilter()) -> dict[str, Indicators]
    def dashboard_indicators(store, content, filter) -> tuple[Indicators, dict[str, Indicators]]
    def case_ids_behind(store, content, filter, indicator_id, part="numerator") -> list[int]
    def indicators_to_dict(ind: Indicators) -> dict[str, Any]     # the JSON of `stats --json`

(`time_to_decision` is also in `indicator_definitions()`, id "time_to_decision", and
`level_distribution` for the two level counts; they are not in ``figures``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import ColumnElement, String, Subquery, and_, case, func, literal, or_, select
from sqlalchemy.engine import Connection

from tsbplace.case_sides import TSB
from tsbplace.content.model import Content
from tsbplace.content.validation import ContentError, ContentProblem, read_toml, schema_problems
from tsbplace.legal.working_days import add_working_days
from tsbplace.package_data import rules_root
from tsbplace.storage.models import metadata
from tsbplace.storage.store import Store

Text = Mapping[str, str]

INDICATORS_FILE = "indicators.toml"
KINDS = ("structure", "process", "result")
FIGURE_IDS = ("received", "assessed", "within_deadline", "right_to_care", "agreement", "under_placement",
              "over_placement", "frist_given", "frist_met", "ip_offered", "coordinator_named",
              "domains_complete", "instruments_complete")
OTHER_IDS = ("level_distribution", "time_to_decision")  # defined, but not a Figure
PARTS = ("numerator", "denominator")
NO_REASON = ""  # deviation_reasons key of a deviation signed without a reason code
SIGNED = "signed"
# which code list of codes.toml an indicator's `codes` / `among_codes` name ids of
CODE_LISTS = {"right_to_care": "care_rights", "frist_given": "care_rights", "frist_met": "care_rights",
              "ip_offered": "ip_statuses"}

_CASE = metadata.tables["tsb_case"]
_ASSESSMENT = metadata.tables["assessment"]
_CLINICIAN = metadata.tables["clinician"]


@dataclass(frozen=True)
class IndicatorFilter:
    start: dt.date | None = None  # received on or after (inclusive)
    end: dt.date | None = None  # received on or before (inclusive)
    clinician: str | None = None  # the responsible clinician's user name
    unit: str | None = None  # the responsible clinician's unit (accounts, 0010)
    on: dt.date | None = None  # the day counted on ("frist met": has the date passed?); today


@dataclass(frozen=True)
class IndicatorDefinition:
    id: str
    kind: str  # "structure", "process" or "result"
    label: Text
    definition: Text
    source: str
    codes: tuple[str, ...] = ()  # code ids counted in the numerator (rules/codes.toml)
    among_codes: tuple[str, ...] = ()  # code ids that make the denominator


@dataclass(frozen=True)
class Figure:
    indicator: str
    numerator: int | None
    denominator: int | None
    value: float | None


@dataclass(frozen=True)
class MonthRow:
    month: str  # "2026-11"
    received: int
    assessed: int
    within_deadline: int

    @property
    def within_deadline_share(self) -> float | None:
        return self.within_deadline / self.assessed if self.assessed else None


@dataclass(frozen=True)
class TimeToDecision:
    n: int
    mean_days: float | None
    median_days: float | None


@dataclass(frozen=True)
class Indicators:
    filter: IndicatorFilter
    figures: dict[str, Figure]
    suggested_levels: dict[str, int]
    chosen_levels: dict[str, int]
    matrix: dict[tuple[str, str], int]
    deviation_reasons: dict[str, dict[str, int]]
    months: tuple[MonthRow, ...]
    time_to_decision: TimeToDecision = field(default_factory=lambda: TimeToDecision(0, None, None))


# --- Definitions (rules/indicators.toml) -------------------------------------------------

def _definition_problems(data: Mapping[str, Any], content: Content | None) -> list[ContentProblem]:
    problems = []
    ids = [entry["id"] for entry in data["indicator"]]
    for missing in sorted(set(FIGURE_IDS + OTHER_IDS) - set(ids)):
        problems.append(ContentProblem(INDICATORS_FILE, "indicator", f"indicator {missing!r} is missing"))
    for unknown in sorted(set(ids) - set(FIGURE_IDS + OTHER_IDS)):
        problems.append(ContentProblem(INDICATORS_FILE, "indicator", f"unknown indicator {unknown!r}"))
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(ContentProblem(INDICATORS_FILE, "indicator", f"indicator {dup!r} is used twice"))
    codes = content.codes if content is not None else None
    for entry in data["indicator"]:
        list_name = CODE_LISTS.get(entry["id"])
        given = list(entry.get("codes", [])) + list(entry.get("among_codes", []))
        if list_name is None:
            if given:
                problems.append(ContentProblem(INDICATORS_FILE, entry["id"], "this indicator takes no codes"))
            continue
        if "codes" not in entry:
            problems.append(ContentProblem(INDICATORS_FILE, entry["id"], "codes are required"))
        if codes is not None:
            known = {code.id for code in getattr(codes, list_name)}
            for code_id in given:
                if code_id not in known:
                    problems.append(ContentProblem(INDICATORS_FILE, entry["id"],
                                                   f"code {code_id!r} is not in codes.toml"))
    return problems


def load_indicator_definitions(content: Content | None = None,
                               root: Any = None) -> tuple[IndicatorDefinition, ...]:
    """The indicators of ``rules/indicators.toml`` (or ``root``), schema-validated and their
    code ids checked against ``content``'s code lists; :class:`ContentError` otherwise."""
    base = rules_root() if root is None else root
    data, problems = read_toml(base / INDICATORS_FILE, INDICATORS_FILE)
    if data is not None:
        problems += schema_problems(data, "indicators", INDICATORS_FILE)
    if data is None or problems:
        raise ContentError(problems)
    problems = _definition_problems(data, content)
    if problems:
        raise ContentError(problems)
    return tuple(
        IndicatorDefinition(entry["id"], entry["kind"], dict(entry["label"]), dict(entry["definition"]),
                            entry["source"], tuple(entry.get("codes", ())),
                            tuple(entry.get("among_codes", ())))
        for entry in data["indicator"])


@cache
def _installed_definitions() -> tuple[IndicatorDefinition, ...]:
    from tsbplace.content import installed_content

    return load_indicator_definitions(installed_content())


def indicator_definitions() -> tuple[IndicatorDefinition, ...]:
    """The installed indicator definitions, loaded once."""
    return _installed_definitions()


def _definition(indicator_id: str) -> IndicatorDefinition:
    return next(d for d in indicator_definitions() if d.id == indicator_id)


# --- SQL ---------------------------------------------------------------------------------

def _signed_hour(column: Any, dialect: str) -> ColumnElement[str]:
    """The UTC hour of a signing as text "YYYY-MM-DD HH": the Norwegian date is fixed by it
    (the clocks change on whole UTC hours)."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24", type_=String)
    return func.substr(column, 1, 13, type_=String)  # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff"


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _scope(content: Content, flt: IndicatorFilter, dialect: str) -> Subquery:
    """One row per TSB case in scope with its decision (the first signed version) flattened
    into plain columns; every column comes from ix_assessment_figures (0010)."""
    dec = _ASSESSMENT.alias("decision")
    earlier = _ASSESSMENT.alias("earlier")
    # The first signed version: signed, with no signed one before it. NOT EXISTS probes the
    # index per case; a GROUP BY subquery would be materialised and joined by the row.
    first_signed = and_(dec.c.case_id == _CASE.c.id, dec.c.status == SIGNED,
                        ~select(earlier.c.id).where(earlier.c.case_id == dec.c.case_id,
                                                    earlier.c.status == SIGNED,
                                                    earlier.c.revision < dec.c.revision).exists())
    responsible = func.coalesce(dec.c.signed_by, _CASE.c.assigned_to)
    orders = {level.code: level.order for level in content.levels}
    legacy = _ASSESSMENT.alias("legacy")  # a version signed before 0010 kept no counts

    def from_json(expression: ColumnElement[Any]) -> ColumnElement[Any]:
        # A scalar subquery, so only those versions' JSON is read (COALESCE stops at the
        # count when there is one) and the rest come from ix_assessment_figures alone.
        return select(expression).where(legacy.c.id == dec.c.id).scalar_subquery()

    ratings = [legacy.c.answers[(domain.id, "rating")].as_string().is_not(None) for domain in content.domains]
    started = [_flag(legacy.c.instrument_results[(i.id,)].as_string().is_not(None))
               for i in content.instruments]
    totals = [_flag(legacy.c.instrument_results[(i.id, "total")].as_string().is_not(None))
              for i in content.instruments]
    query = (
        select(
            _CASE.c.id.label("case_id"), _CASE.c.received_date, responsible.label("responsible"),
            _CASE.c.treatment_started_on,
            dec.c.id.label("assessment_id"), _signed_hour(dec.c.signed_at, dialect).label("signed_hour"),
            dec.c.suggested_level, dec.c.chosen_level, dec.c.decision_reason, dec.c.care_right,
            dec.c.frist_weeks, dec.c.latest_start_date, dec.c.ip_status, dec.c.coordinator,
            case(orders, value=dec.c.suggested_level, else_=None).label("suggested_order"),
            case(orders, value=dec.c.chosen_level, else_=None).label("chosen_order"),
            # The counts kept on the row since 0010; older signed versions' JSON is read instead
            # (COALESCE evaluates its second argument only for those rows).
            case((dec.c.rated_domains.is_not(None),
                  _flag(dec.c.rated_domains >= len(content.domains))),
                 else_=from_json(_flag(and_(*ratings)) if ratings else literal(1))).label("domains_complete"),
            func.coalesce(dec.c.instruments_started,
                          from_json(sum(started[1:], started[0]) if started else literal(0))
                          ).label("instruments_started"),
            func.coalesce(dec.c.instruments_scored,
                          from_json(sum(totals[1:], totals[0]) if totals else literal(0))
                          ).label("instruments_total"),
        )
        .select_from(_CASE.outerjoin(dec, first_signed))
        .where(_CASE.c.side == TSB)
    )
    if flt.start is not None:
        query = query.where(_CASE.c.received_date >= flt.start)
    if flt.end is not None:
        query = query.where(_CASE.c.received_date <= flt.end)
    if flt.clinician is not None:
        query = query.where(responsible == flt.clinician)
    if flt.unit is not None:
        in_unit = select(_CLINICIAN.c.user_name).where(_CLINICIAN.c.unit == flt.unit)
        query = query.where(responsible.in_(in_unit))
    return query.subquery("scope")


def _conditions(s: Subquery, on: dt.date | None
                ) -> dict[str, tuple[ColumnElement[bool], ColumnElement[bool]]]:
    """(numerator, denominator) conditions on a scope row for each figure counted per case;
    ``on`` is the day counted on (None: today)."""
    today = on or dt.date.today()
    right = _definition("right_to_care").codes
    frist = _definition("frist_given").codes
    ip = _definition("ip_offered")
    assessed = s.c.assessment_id.is_not(None)
    everyone = s.c.case_id.is_not(None)
    chosen = and_(assessed, s.c.chosen_level.is_not(None))
    has_right = and_(assessed, s.c.care_right.in_(frist))
    return {
        "received": (everyone, everyone),
        "assessed": (assessed, everyone),
        "right_to_care": (and_(assessed, s.c.care_right.in_(right)), assessed),
        "agreement": (and_(chosen, s.c.chosen_level == s.c.suggested_level), chosen),
        "under_placement": (and_(chosen, s.c.chosen_order < s.c.suggested_order), chosen),
        "over_placement": (and_(chosen, s.c.chosen_order > s.c.suggested_order), chosen),
        "frist_given": (and_(has_right, s.c.frist_weeks.is_not(None), s.c.latest_start_date.is_not(None)),
                        has_right),
        # Started by the latest start date, among those started or whose date has passed.
        "frist_met": (and_(has_right, s.c.treatment_started_on <= s.c.latest_start_date),
                      and_(has_right, s.c.latest_start_date.is_not(None),
                           or_(s.c.treatment_started_on.is_not(None), s.c.latest_start_date < today))),
        "ip_offered": (and_(assessed, s.c.ip_status.in_(ip.codes)),
                       and_(assessed, s.c.ip_status.in_(ip.among_codes or ip.codes))),
        "coordinator_named": (and_(assessed, func.trim(s.c.coordinator) != ""), assessed),
        "domains_complete": (and_(assessed, s.c.domains_complete == 1), assessed),
        # per case for the drill-down: a case with a started instrument without a total
        "instruments_complete": (and_(assessed, s.c.instruments_started > 0,
                                      s.c.instruments_total == s.c.instruments_started),
                                 and_(assessed, s.c.instruments_started > 0)),
        "within_deadline": (assessed, assessed),  # narrowed with the calendar in Python
        "time_to_decision": (assessed, assessed),
        "level_distribution": (assessed, assessed),
    }


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(_flag(condition)), 0)


def _oslo_offset_hours(utc: dt.datetime) -> int:
    """Norway's UTC offset (EU rule since 1996): summer time from the last Sunday of March
    01:00 UTC to the last Sunday of October 01:00 UTC."""
    def last_sunday(month: int) -> dt.datetime:
        day = dt.datetime(utc.year, month, 31, 1, tzinfo=dt.UTC)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)
    return 2 if last_sunday(3) <= utc < last_sunday(10) else 1


@lru_cache(maxsize=65536)
def oslo_date(utc_hour: str) -> dt.date:
    """The Norwegian calendar date of a UTC hour written "YYYY-MM-DD HH" (cached: the same
    hours come back in every group and every run)."""
    if len(utc_hour) != 13 or utc_hour[4] != "-" or utc_hour[7] != "-" or utc_hour[10] != " ":
        raise ValueError(f"not a UTC hour: {utc_hour!r}")
    utc = dt.datetime(int(utc_hour[:4]), int(utc_hour[5:7]), int(utc_hour[8:10]), int(utc_hour[11:13]),
                      tzinfo=dt.UTC)
    return (utc + dt.timedelta(hours=_oslo_offset_hours(utc))).date()


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _median(days: Mapping[int, int]) -> float | None:
    n = sum(days.values())
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]  # the middle one or two, 0-based
    values, seen = [], 0
    for day in sorted(days):
        count = days[day]
        values += [day for position in wanted if seen <= position < seen + count]
        seen += count
    return sum(values) / 2


_COUNTED = tuple(i for i in FIGURE_IDS if i not in ("within_deadline", "instruments_complete"))


class _Tally:
    """The sums behind one scope's figures (the whole clinic, or one clinician), added up
    from the grouped rows of two queries; :meth:`indicators` turns them into figures."""

    def __init__(self, content: Content, deadlines: dict[dt.date, dt.date]) -> None:
        self.content = content
        self.deadlines = deadlines  # shared: received date → assessment deadline
        self.counts = [0] * (2 * len(_COUNTED) + 2)  # (numerator, denominator) per figure; instruments
        self.months: dict[str, list[int]] = {}
        self.days: dict[int, int] = {}
        self.within = self.assessed = 0
        codes = [level.code for level in content.levels]
        self.suggested = dict.fromkeys(codes, 0)
        self.chosen = dict.fromkeys(codes, 0)
        self.matrix: dict[tuple[str, str], int] = {}
        reason_codes = [c.id for c in content.codes.decision_reasons] if content.codes is not None else []
        self.reasons: dict[str, dict[str, int]] = {"under": dict.fromkeys(reason_codes, 0),
                                                   "over": dict.fromkeys(reason_codes, 0)}

    def add_dates(self, received: dt.date, signed: dt.date | None, n: int, counts: Sequence[int]) -> None:
        """One (received date, Norwegian date of signing) group: its counts, and the calendar."""
        self.counts = [have + more for have, more in zip(self.counts, counts, strict=True)]
        month = self.months.setdefault(f"{received.year:04d}-{received.month:02d}", [0, 0, 0])
        month[0] += n
        if signed is None:
            return
        if received not in self.deadlines:
            working_days = self.content.legal.assessment.working_days if self.content.legal else 10
            self.deadlines[received] = add_working_days(received, working_days)
        in_time = n if signed <= self.deadlines[received] else 0
        month[1] += n
        month[2] += in_time
        self.within += in_time
        self.assessed += n
        self.days[(signed - received).days] = self.days.get((signed - received).days, 0) + n

    def add_levels(self, suggested: str, chosen: str | None, reason: str | None,
                   suggested_order: int | None, chosen_order: int | None, n: int) -> None:
        self.suggested[suggested] = self.suggested.get(suggested, 0) + n
        if chosen is None:
            return
        self.chosen[chosen] = self.chosen.get(chosen, 0) + n
        self.matrix[(suggested, chosen)] = self.matrix.get((suggested, chosen), 0) + n
        if suggested_order is not None and chosen_order is not None and suggested_order != chosen_order:
            side = self.reasons["under" if chosen_order < suggested_order else "over"]
            key = reason or NO_REASON
            side[key] = side.get(key, 0) + n

    def indicators(self, flt: IndicatorFilter) -> Indicators:
        figures: dict[str, Figure] = {}
        for index, indicator in enumerate(_COUNTED):
            numerator, denominator = self.counts[2 * index], self.counts[2 * index + 1]
            figures[indicator] = Figure(indicator, numerator, denominator, _share(numerator, denominator))
        received = self.counts[0]
        figures["received"] = Figure("received", received, None, float(received))
        done, started = self.counts[-2], self.counts[-1]
        figures["instruments_complete"] = Figure("instruments_complete", done, started, _share(done, started))
        figures["within_deadline"] = Figure("within_deadline", self.within, self.assessed,
                                            _share(self.within, self.assessed))
        mean = sum(d * n for d, n in self.days.items()) / self.assessed if self.assessed else None
        return Indicators(flt, {i: figures[i] for i in FIGURE_IDS}, dict(self.suggested), dict(self.chosen),
                          dict(sorted(self.matrix.items())), {k: dict(v) for k, v in self.reasons.items()},
                          tuple(MonthRow(m, *v) for m, v in sorted(self.months.items())),
                          TimeToDecision(self.assessed, mean, _median(self.days)))


def _tallies(connection: Connection, content: Content, flt: IndicatorFilter
             ) -> tuple[_Tally, dict[str | None, _Tally]]:
    """The whole scope's tally and one per responsible clinician, from two GROUP BY queries
    (one pass each over the scope): counts by (clinician, received date, signing hour),
    levels by (clinician, suggested, chosen, reason). Working days and the Norwegian date
    of a signing cannot be counted in SQL; they are applied to those groups here."""
    s = _scope(content, flt, connection.dialect.name)
    conditions = _conditions(s, flt.on)
    columns = [_count(conditions[i][part]) for i in _COUNTED for part in (0, 1)]
    assessed = conditions["assessed"][0]
    columns += [func.coalesce(func.sum(case((assessed, s.c.instruments_total), else_=0)), 0),
                func.coalesce(func.sum(case((assessed, s.c.instruments_started), else_=0)), 0)]
    deadlines: dict[dt.date, dt.date] = {}
    whole = _Tally(content, deadlines)
    per: dict[str | None, _Tally] = {}
    dates = (s.c.responsible, s.c.received_date, s.c.signed_hour)
    for responsible, received, hour, n, *counts in connection.execute(
            select(*dates, func.count(), *columns).group_by(*dates)):
        numbers = [int(value) for value in counts]
        signed = None if hour is None else oslo_date(hour)
        if responsible not in per:
            per[responsible] = _Tally(content, deadlines)
        for tally in (whole, per[responsible]):
            tally.add_dates(received, signed, int(n), numbers)
    levels = (s.c.responsible, s.c.suggested_level, s.c.chosen_level, s.c.decision_reason,
              s.c.suggested_order, s.c.chosen_order)
    for responsible, suggested, chosen, reason, suggested_order, chosen_order, n in connection.execute(
            select(*levels, func.count()).where(assessed).group_by(*levels)):
        if responsible not in per:
            per[responsible] = _Tally(content, deadlines)
        for tally in (whole, per[responsible]):
            tally.add_levels(suggested, chosen, reason, suggested_order, chosen_order, int(n))
    return whole, per


def compute_indicators(store: Store, content: Content,
                       filter: IndicatorFilter = IndicatorFilter()) -> Indicators:
    """Every indicator for the TSB cases received in ``filter``'s period (and of its
    clinician), computed with two GROUP BY queries on the store's engine (the same SQL on
    SQLite and PostgreSQL); no case is loaded into Python (see :func:`_tallies`)."""
    with store.engine.connect() as connection:
        whole, _per = _tallies(connection, content, filter)
    return whole.indicators(filter)


def indicators_by_clinician(store: Store, content: Content,
                            filter: IndicatorFilter = IndicatorFilter()) -> dict[str, Indicators]:
    """The indicators per responsible clinician, by user name (sorted): every user of the
    ``clinician`` table (those without cases too, with 0 and None) and any other name a
    case is signed by or assigned to. ``filter.clinician``, when given, keeps only that one.
    Each figure carries its own numerator and denominator, the n behind it. The same two
    queries as the whole clinic's, grouped by clinician as well."""
    return dashboard_indicators(store, content, filter)[1]


def dashboard_indicators(store: Store, content: Content, filter: IndicatorFilter = IndicatorFilter()
                         ) -> tuple[Indicators, dict[str, Indicators]]:
    """What the dashboard shows, from one pass: the figures for ``filter`` (its clinician's
    when it names one) and every clinician's (see :func:`indicators_by_clinician`)."""
    every = IndicatorFilter(filter.start, filter.end, unit=filter.unit, on=filter.on)
    with store.engine.connect() as connection:
        names = set(connection.execute(select(_CLINICIAN.c.user_name)).scalars())
        whole, per = _tallies(connection, content, every)
    names |= {name for name in per if name is not None}
    deadlines: dict[dt.date, dt.date] = {}

    def of(name: str) -> Indicators:
        return per.get(name, _Tally(content, deadlines)).indicators(
            IndicatorFilter(filter.start, filter.end, name, filter.unit, filter.on))

    overall = whole.indicators(filter) if filter.clinician is None else of(filter.clinician)
    shown = [filter.clinician] if filter.clinician is not None else sorted(names)
    return overall, {name: of(name) for name in shown}


def case_ids_behind(store: Store, content: Content, filter: IndicatorFilter, indicator_id: str,
                    part: str = "numerator") -> list[int]:
    """The ids of the cases in an indicator's numerator or denominator (sorted), for a
    drill-down. For ``within_deadline`` the assessed cases come from SQL and the calendar
    picks the numerator; ``instruments_complete`` works per case here (a case is in the
    numerator when every instrument it started has a total); ``time_to_decision`` and
    ``level_distribution`` give the assessed cases."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}")
    with store.engine.connect() as connection:
        s = _scope(content, filter, connection.dialect.name)
        conditions = _conditions(s, filter.on)
        if indicator_id not in conditions:
            raise KeyError(indicator_id)
        numerator, denominator = conditions[indicator_id]
        condition = numerator if part == "numerator" else denominator
        if indicator_id == "within_deadline" and part == "numerator":
            working_days = content.legal.assessment.working_days if content.legal is not None else 10
            rows = connection.execute(select(s.c.case_id, s.c.received_date, s.c.signed_hour)
                                      .where(condition).order_by(s.c.case_id))
            return [case_id for case_id, received, hour in rows
                    if oslo_date(hour) <= add_working_days(received, working_days)]
        return list(connection.execute(select(s.c.case_id).where(condition).order_by(s.c.case_id)).scalars())


def _figure_dict(figure: Figure) -> dict[str, Any]:
    return {"numerator": figure.numerator, "denominator": figure.denominator, "value": figure.value}


def indicators_to_dict(ind: Indicators) -> dict[str, Any]:
    """The JSON shape of ``tsbplace stats --json`` (plain types; dates as ISO text)."""
    flt = ind.filter
    return {
        "filter": {"from": flt.start.isoformat() if flt.start else None,
                   "to": flt.end.isoformat() if flt.end else None, "clinician": flt.clinician,
                   "unit": flt.unit},
        "figures": {i: _figure_dict(f) for i, f in ind.figures.items()},
        "suggested_levels": dict(ind.suggested_levels),
        "chosen_levels": dict(ind.chosen_levels),
        "matrix": [{"suggested": s, "chosen": c, "n": n} for (s, c), n in ind.matrix.items()],
        "deviation_reasons": {side: dict(codes) for side, codes in ind.deviation_reasons.items()},
        "months": [{"month": m.month, "received": m.received, "assessed": m.assessed,
                    "within_deadline": m.within_deadline, "within_deadline_share": m.within_deadline_share}
                   for m in ind.months],
        "time_to_decision": {"n": ind.time_to_decision.n, "mean_days": ind.time_to_decision.mean_days,
                             "median_days": ind.time_to_decision.median_days},
    }

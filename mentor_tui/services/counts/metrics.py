"""The export's metrics: their stable codes and labels, their dimensions, and how to count them.

Counting runs a handful of grouped SQL queries per period (one per metric, plus one pass over
the case history for active cases), never one query per cell, so it stays fast on large
databases (issue 4 item 8). Every count is expanded into all its ``ALL`` margins here; the cells
of :attr:`Metric.layout` (with zeros) are filled in by :func:`full_table`.

Definitions (DOMAIN.md 3.3, 3.6 and 7.3 rule 8; documented for users in ``docs/export.md``):

- activity is the case's activity, area the case's ``area`` snapshot, and the age band the
  person's age on the date of the counted event (birthday = the 1st of the birth month);
- E1-E5 count distinct persons with a qualifying outcome dated in the period;
- REFERRALS, CASES_STARTED, MEETINGS, CASES_CLOSED and OUTCOMES count events in the period;
- CASES_ACTIVE counts cases active on at least one day of the period (age on its last day).

Rows whose activity, area, age band or breakdown code is not one of the export's codes are left
out entirely, so that every total equals the sum of its published parts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import product
from typing import Any

from sqlite_utils import Database

from mentor_tui.ages import age_band_on
from mentor_tui.codes import (
    CASE_ACTIVITIES,
    AgeBand,
    Area,
    ClosureReason,
    Code,
    Lang,
    MeetingType,
    OutcomeType,
    ReferralSource,
    StartMode,
)
from mentor_tui.services.counts.disclosure import Layout
from mentor_tui.services.counts.periods import Period

ALL = "ALL"
"""The code of a dimension's total."""

Key = tuple[str, ...]
"""A cell's coordinates: ``(activity, area, age_band, breakdown)``, each a code or ``ALL``."""

Counts = dict[Key, int]
"""Non-zero counts of one metric, margins included."""

ACTIVITY_CODES: tuple[str, ...] = tuple(a.value for a in CASE_ACTIVITIES)
"""Activities in the export: the case activities."""

AREA_CODES: tuple[str, ...] = tuple(a.value for a in Area)
"""Areas in the export: the six plan areas and ``UDEN_FOR_OMRAADE``."""

AGE_BAND_CODES: tuple[str, ...] = tuple(b.value for b in AgeBand)
"""Age bands in the export."""


@dataclass(frozen=True)
class Metric:
    """One exported count, with a stable code and labels in both languages."""

    code: str
    da: str
    en: str
    group: str
    """The XLSX sheet: ``indicators``, ``referrals``, ``cases``, ``meetings`` or ``outcomes``."""
    breakdown: type[Code] | None = None
    """The code list of the breakdown column, or ``None`` (breakdown is always ``ALL``)."""
    distinct_persons: bool = False
    """Counts distinct persons, so its parts may add up to more than its total."""

    def label(self, lang: Lang = "da") -> str:
        """Return the label in ``lang``."""
        return self.da if lang == "da" else self.en

    @property
    def breakdown_codes(self) -> tuple[str, ...]:
        """The breakdown values besides ``ALL``."""
        return tuple(c.value for c in self.breakdown) if self.breakdown else ()

    @property
    def dimensions(self) -> tuple[tuple[str, ...], ...]:
        """The values of each of the four dimensions, ``ALL`` first."""
        return (
            (ALL, *ACTIVITY_CODES),
            (ALL, *AREA_CODES),
            (ALL, *AGE_BAND_CODES),
            (ALL, *self.breakdown_codes),
        )

    @cached_property
    def layout(self) -> Layout:
        """Which cells exist: activity × area × age band (breakdown ``ALL``), and the breakdown
        against each of activity, area and age band (the other two ``ALL``).

        The full four-way cross would be six times larger (32,000 cells) and almost all of it
        suppressed at the caseloads of one housing-social plan.
        """
        activity, area, age, breakdown = self.dimensions
        one: tuple[str, ...] = (ALL,)
        tables = [(activity, area, age, one)]
        if self.breakdown is not None:
            tables += [
                (activity, one, one, breakdown),
                (one, area, one, breakdown),
                (one, one, age, breakdown),
            ]
        return Layout(tables)


INDICATOR_RULES: dict[str, tuple[frozenset[OutcomeType], AgeBand | None]] = {
    "E1": (frozenset({OutcomeType.UDDANNELSE_STARTET, OutcomeType.ORDINAERT_JOB}), AgeBand.B18_29),
    "E2": (frozenset({OutcomeType.PRAKTIKPLADS, OutcomeType.LOENTILSKUD}), AgeBand.B18_29),
    "E3": (frozenset({OutcomeType.UDDANNELSE_STARTET, OutcomeType.ORDINAERT_JOB}), AgeBand.B30_64),
    "E4": (frozenset({OutcomeType.PRAKTIKPLADS, OutcomeType.LOENTILSKUD}), AgeBand.B30_64),
    "E5": (frozenset({OutcomeType.FRITIDSJOB}), None),
}
"""The outcome types and the age band (on the outcome date) of each indicator (DOMAIN.md 7.3 rule 8)."""

INDICATORS: tuple[str, ...] = tuple(INDICATOR_RULES)
"""The distinct-person indicators, which weekly and quarterly files also carry year-to-date."""

METRICS: tuple[Metric, ...] = (
    Metric(
        "E1",
        "Personer 18-29 år, der er startet i uddannelse eller har fået ordinært job",
        "Persons aged 18-29 who started education or got an ordinary job",
        "indicators",
        distinct_persons=True,
    ),
    Metric(
        "E2",
        "Personer 18-29 år, der har opnået praktikplads eller løntilskud",
        "Persons aged 18-29 who obtained a work placement or a wage-subsidy job",
        "indicators",
        distinct_persons=True,
    ),
    Metric(
        "E3",
        "Personer 30-64 år, der har opnået ordinært arbejde eller påbegyndt uddannelse",
        "Persons aged 30-64 who got ordinary work or started education",
        "indicators",
        distinct_persons=True,
    ),
    Metric(
        "E4",
        "Personer 30-64 år, der har opnået praktikplads eller løntilskud",
        "Persons aged 30-64 who obtained a work placement or a wage-subsidy job",
        "indicators",
        distinct_persons=True,
    ),
    Metric(
        "E5",
        "Unge, der har fået fritidsjob",
        "Young people who got a leisure job",
        "indicators",
        distinct_persons=True,
    ),
    Metric(
        "REFERRALS",
        "Modtagne henvisninger, efter henvisningskilde",
        "Referrals received, by source",
        "referrals",
        ReferralSource,
    ),
    Metric(
        "CASES_STARTED",
        "Startede forløb, efter opstartsform",
        "Cases started, by start mode",
        "cases",
        StartMode,
    ),
    Metric(
        "CASES_ACTIVE",
        "Aktive forløb i perioden",
        "Cases active in the period",
        "cases",
    ),
    Metric(
        "MEETINGS",
        "Afholdte møder, efter mødetype",
        "Meetings held, by type",
        "meetings",
        MeetingType,
    ),
    Metric(
        "CASES_CLOSED",
        "Afsluttede forløb, efter afslutningsårsag",
        "Cases closed, by closure reason",
        "cases",
        ClosureReason,
    ),
    Metric(
        "OUTCOMES",
        "Resultater, efter type",
        "Outcomes, by type",
        "outcomes",
        OutcomeType,
    ),
)
"""Every metric, in the order the files list them."""

METRIC_BY_CODE: dict[str, Metric] = {m.code: m for m in METRICS}
"""The metrics by code."""

_BAND_FUNCTION = "mentor_age_band"


def _age_band_sql(birth_year: int, birth_month: int, on: str) -> str:
    # the one definition of age (mentor_tui.ages.age_band_on), called by SQLite for each row
    return age_band_on(birth_year, birth_month, dt.date.fromisoformat(on[:10])).value


def register_functions(db: Database) -> None:
    """Make ``mentor_age_band(birth_year, birth_month, iso_date)`` available to SQL on ``db``."""
    db.register_function(_age_band_sql, deterministic=True, replace=True, name=_BAND_FUNCTION)


# -- margins ----------------------------------------------------------------------------------


def margins(key: Key) -> Iterator[Key]:
    """Yield ``key`` and every key made from it by replacing coordinates with ``ALL``."""
    yield from product(*(((v, ALL) if v != ALL else (ALL,)) for v in key))


def _valid(metric: Metric, key: Key) -> bool:
    return all(v in dim for v, dim in zip(key, metric.dimensions, strict=True))


def _expand(metric: Metric, groups: Iterable[tuple[Key, int]]) -> Counts:
    counts: Counts = defaultdict(int)
    for key, n in groups:
        if n and _valid(metric, key):
            for k in margins(key):
                counts[k] += n
    return dict(counts)


def full_table(metric: Metric, counts: Counts) -> dict[Key, int]:
    """Return every cell of ``metric`` (see :attr:`Metric.layout`), zeros included, in file order."""
    return {key: counts.get(key, 0) for key in metric.layout.cells()}


# -- event metrics ----------------------------------------------------------------------------

_EVENT_SQL: dict[str, str] = {
    "REFERRALS": """
        SELECT r.activity, COALESCE(c.area, p.area),
               mentor_age_band(p.birth_year, p.birth_month, r.received_date), r.source, COUNT(*)
        FROM referral r
        JOIN person p ON p.id = r.person_id
        LEFT JOIN cases c ON c.referral_id = r.id
        WHERE r.received_date BETWEEN :start AND :end
          AND r.deleted_at IS NULL AND p.deleted_at IS NULL AND (c.id IS NULL OR c.deleted_at IS NULL)
        GROUP BY 1, 2, 3, 4""",
    "CASES_STARTED": """
        SELECT c.activity, c.area,
               mentor_age_band(p.birth_year, p.birth_month, c.start_date), c.start_mode, COUNT(*)
        FROM cases c
        JOIN person p ON p.id = c.person_id
        WHERE c.start_date BETWEEN :start AND :end AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "MEETINGS": """
        SELECT c.activity, c.area,
               mentor_age_band(p.birth_year, p.birth_month, m.date), m.meeting_type, COUNT(*)
        FROM meeting m
        JOIN cases c ON c.id = m.case_id
        JOIN person p ON p.id = c.person_id
        WHERE m.held = 1 AND m.date BETWEEN :start AND :end
          AND m.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "CASES_CLOSED": """
        SELECT c.activity, c.area,
               mentor_age_band(p.birth_year, p.birth_month, x.date), x.reason, COUNT(*)
        FROM closure x
        JOIN cases c ON c.id = x.case_id
        JOIN person p ON p.id = c.person_id
        WHERE x.date BETWEEN :start AND :end
          AND x.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "OUTCOMES": """
        SELECT c.activity, c.area,
               mentor_age_band(p.birth_year, p.birth_month, o.date), o.outcome_type, COUNT(*)
        FROM outcome o
        JOIN cases c ON c.id = o.case_id
        JOIN person p ON p.id = c.person_id
        WHERE o.date BETWEEN :start AND :end
          AND o.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
}


EVENT_METRICS: frozenset[str] = frozenset(_EVENT_SQL)
"""The metrics that count events with one grouped query each (:func:`count_events`)."""


def _params(period: Period) -> dict[str, Any]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def count_events(db: Database, metric: Metric, period: Period) -> Counts:
    """Count one event metric (REFERRALS, CASES_STARTED, MEETINGS, CASES_CLOSED, OUTCOMES)."""
    register_functions(db)
    rows = db.execute(_EVENT_SQL[metric.code], _params(period)).fetchall()
    return _expand(metric, (((a, ar, b, code), n) for a, ar, b, code, n in rows))


def count_meetings_of_type(db: Database, period: Period, meeting_type: MeetingType) -> int:
    """Return the number of held meetings of one type in ``period`` (for the dashboard)."""
    counts = count_events(db, METRIC_BY_CODE["MEETINGS"], period)
    return counts.get((ALL, ALL, ALL, meeting_type.value), 0)


# -- active cases -----------------------------------------------------------------------------


def active_during(
    start: dt.date, events: Sequence[tuple[dt.date, bool]], first: dt.date, last: dt.date
) -> bool:
    """Return whether a case started on ``start`` was active on some day of ``first``..``last``.

    Args:
        start: the case's start date.
        events: ``(date, is_closure)`` in the order they happened: closures (``True``) and
            reopenings (``False``). Events before ``start`` belong to the referral phase
            (a referred case closed and reopened before it started) and are ignored.
        first: the period's first day.
        last: the period's last day.

    A case is active from its start until it is closed (the closing day counts), and again from
    each reopening. So a case closed before the period but reopened in it counts, and a case
    closed on the period's first day counts too (issue 4: "not closed before its first day").
    """
    if start > last:
        return False
    active_since: dt.date | None = start
    for day, is_closure in events:
        if day < start:
            continue
        if is_closure and active_since is not None:
            if active_since <= last and day >= first:
                return True
            active_since = None
        elif not is_closure and active_since is None:
            active_since = day
    return active_since is not None and active_since <= last


def count_active(db: Database, period: Period) -> Counts:
    """Count CASES_ACTIVE: cases active on at least one day of ``period``, by age on its last day."""
    metric = METRIC_BY_CODE["CASES_ACTIVE"]
    end = period.end.isoformat()
    history: dict[str, list[tuple[dt.date, bool]]] = defaultdict(list)
    for case_id, day, is_closure in db.execute(
        """
        SELECT x.case_id, x.date, x.is_closure FROM (
            SELECT case_id, date, 1 AS is_closure, created_at FROM closure WHERE deleted_at IS NULL
            UNION ALL
            SELECT case_id, date, 0 AS is_closure, created_at FROM reopening WHERE deleted_at IS NULL
        ) x JOIN cases c ON c.id = x.case_id
        WHERE c.start_date IS NOT NULL AND c.start_date <= :end AND c.deleted_at IS NULL
        ORDER BY x.case_id, x.date, x.created_at""",
        {"end": end},
    ).fetchall():
        history[case_id].append((dt.date.fromisoformat(day), bool(is_closure)))
    groups: dict[Key, int] = defaultdict(int)
    for case_id, activity, area, birth_year, birth_month, start in db.execute(
        """
        SELECT c.id, c.activity, c.area, p.birth_year, p.birth_month, c.start_date
        FROM cases c JOIN person p ON p.id = c.person_id
        WHERE c.start_date IS NOT NULL AND c.start_date <= :end
          AND c.deleted_at IS NULL AND p.deleted_at IS NULL""",
        {"end": end},
    ).fetchall():
        if active_during(dt.date.fromisoformat(start), history.get(case_id, ()), period.start, period.end):
            band = age_band_on(birth_year, birth_month, period.end).value
            groups[(activity, area, band, ALL)] += 1
    return _expand(metric, groups.items())


# -- distinct-person indicators ---------------------------------------------------------------


def count_indicators(db: Database, period: Period) -> dict[str, Counts]:
    """Count E1-E5: distinct persons with a qualifying outcome dated in ``period``."""
    register_functions(db)
    types = sorted({t.value for types, _ in INDICATOR_RULES.values() for t in types})
    marks = ", ".join("?" for _ in types)
    rows = db.execute(
        f"""
        SELECT DISTINCT c.activity, c.area,
               mentor_age_band(p.birth_year, p.birth_month, o.date), o.outcome_type, c.person_id
        FROM outcome o
        JOIN cases c ON c.id = o.case_id
        JOIN person p ON p.id = c.person_id
        WHERE o.date BETWEEN ? AND ? AND o.outcome_type IN ({marks})
          AND o.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL""",
        [period.start.isoformat(), period.end.isoformat(), *types],
    ).fetchall()
    persons: dict[str, dict[Key, set[str]]] = {code: defaultdict(set) for code in INDICATORS}
    for activity, area, band, outcome_type, person_id in rows:
        key: Key = (activity, area, band, ALL)
        for code, (wanted, wanted_band) in INDICATOR_RULES.items():
            if outcome_type in wanted and (wanted_band is None or band == wanted_band.value):
                if not _valid(METRIC_BY_CODE[code], key):
                    continue
                for k in margins(key):
                    persons[code][k].add(person_id)
    return {code: {k: len(v) for k, v in cells.items()} for code, cells in persons.items()}

"""The counting queries behind the anonymised counts and the dashboard: the only SQL they run.

Each query groups rows in SQLite and returns plain tuples; what the numbers mean (margins, tables,
disclosure control) is the business of :mod:`mentor_tui.services.counts`. Every query

- leaves voided rows out (``deleted_at IS NOT NULL`` on the row itself or on the case or person
  it belongs to: a voided record stays out of every count, COORD.md "Tombstones");
- takes a ``staff_id`` filter: ``None`` counts the whole database (the team), a staff id counts
  only the cases whose case worker that is ("my cases" on the dashboard), with the same SQL;
- computes the age band in SQL through ``mentor_age_band``, a registered function that calls the
  one age rule :func:`mentor_tui.ages.person_age_band` (birthday = the 1st of the birth month; for
  a person anonymised by retention, the band kept for that date in ``person.kept_age_bands``).

Dates are ISO text (``YYYY-MM-DD``); both ends of a range are included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentor_tui.ages import person_age_band
from mentor_tui.storage._sqlite_utils import Database

_BAND_FUNCTION = "mentor_age_band"

EventRow = tuple[str, str, str, str, int]
"""``(activity, area, age_band, breakdown_code, count)`` of one group of events."""


def _age_band_sql(birth_year: int | None, birth_month: int | None, kept: str | None, on: str) -> str:
    # a person anonymised by retention has no birth month but the bands it had (issue 13 item 4)
    return person_age_band(birth_year, birth_month, kept, dt.date.fromisoformat(on[:10])).value


def register_functions(db: Database) -> None:
    """Make ``mentor_age_band(birth_year, birth_month, kept_age_bands, iso_date)`` available to SQL.

    ``kept_age_bands`` is ``person.kept_age_bands``: the bands of a person whose birth month
    retention removed (:func:`mentor_tui.ages.person_age_band`).
    """
    db.register_function(_age_band_sql, deterministic=True, replace=True, name=_BAND_FUNCTION)


def _staff(alias: str, staff_id: str | None) -> str:
    return "" if staff_id is None else f" AND {alias}.staff_id = :staff"


def _params(start: dt.date, end: dt.date, staff_id: str | None) -> dict[str, Any]:
    return {"start": start.isoformat(), "end": end.isoformat(), "staff": staff_id}


# The case-based event metrics: (table alias + FROM/JOIN, the date column, the breakdown column).
_CASE_EVENTS: dict[str, tuple[str, str, str, str]] = {
    "CASES_STARTED": ("cases c", "c.start_date", "c.start_mode", ""),
    "MEETINGS": (
        "meeting x JOIN cases c ON c.id = x.case_id",
        "x.date",
        "x.meeting_type",
        " AND x.held = 1 AND x.deleted_at IS NULL",
    ),
    "CASES_CLOSED": (
        "closure x JOIN cases c ON c.id = x.case_id",
        "x.date",
        "x.reason",
        " AND x.deleted_at IS NULL",
    ),
    "OUTCOMES": (
        "outcome x JOIN cases c ON c.id = x.case_id",
        "x.date",
        "x.outcome_type",
        " AND x.deleted_at IS NULL",
    ),
}

_MEETINGS_PER_CASE = (
    "cases c CROSS JOIN meeting x ON x.case_id = c.id AND x.held = 1 AND x.date BETWEEN :start AND :end"
)
"""MEETINGS over a long window: each case's held meetings in the window through
``idx_meeting_case_held``, instead of walking the date index with a lookup per meeting (a project
year at 50,000 cases: about 40 % less time, issue 12). ``CROSS JOIN`` keeps SQLite to this order."""

PER_CASE_FROM_DAYS = 62
"""Windows at least this long count meetings per case; shorter ones (a week, a month) walk the
date index, which then touches fewer rows than there are cases."""

EVENT_METRICS: tuple[str, ...] = ("REFERRALS", *_CASE_EVENTS)
"""The metrics :func:`event_counts` counts: one grouped query each."""


def _event_sql(metric: str, staff_id: str | None, *, per_case: bool = False) -> str:
    if metric == "REFERRALS":
        # a referral's area is its case's snapshot, else the person's area; a referral whose case
        # was voided went with it
        return f"""
            SELECT r.activity, COALESCE(c.area, p.area),
                   {_BAND_FUNCTION}(p.birth_year, p.birth_month, p.kept_age_bands, r.received_date),
                   r.source, COUNT(*)
            FROM referral r
            JOIN person p ON p.id = r.person_id
            LEFT JOIN cases c ON c.referral_id = r.id
            WHERE r.received_date BETWEEN :start AND :end
              AND r.deleted_at IS NULL AND p.deleted_at IS NULL
              AND (c.id IS NULL OR c.deleted_at IS NULL)
              {"" if staff_id is None else "AND c.staff_id = :staff"}
            GROUP BY 1, 2, 3, 4"""
    source, day, breakdown, extra = _CASE_EVENTS[metric]
    if metric == "MEETINGS" and per_case:
        source = _MEETINGS_PER_CASE
    return f"""
        SELECT c.activity, c.area, {_BAND_FUNCTION}(p.birth_year, p.birth_month, p.kept_age_bands, {day}),
               {breakdown}, COUNT(*)
        FROM {source}
        JOIN person p ON p.id = c.person_id
        WHERE {day} BETWEEN :start AND :end
          AND c.deleted_at IS NULL AND p.deleted_at IS NULL{extra}{_staff("c", staff_id)}
        GROUP BY 1, 2, 3, 4"""


def event_counts(
    db: Database, metric: str, start: dt.date, end: dt.date, *, staff_id: str | None = None
) -> list[EventRow]:
    """Return the events of ``metric`` dated ``start``..``end``, grouped by activity, area, age, code.

    Args:
        db: the database.
        metric: one of :data:`EVENT_METRICS`: ``REFERRALS`` (by received date and source),
            ``CASES_STARTED`` (start date, start mode), ``MEETINGS`` (held meetings only; date,
            meeting type), ``CASES_CLOSED`` (closure date, reason), ``OUTCOMES`` (date, type).
        start: first day.
        end: last day (included).
        staff_id: only cases with this case worker; ``None`` for all.

    Raises:
        KeyError: ``metric`` is not an event metric.
    """
    register_functions(db)
    sql = _event_sql(metric, staff_id, per_case=(end - start).days + 1 >= PER_CASE_FROM_DAYS)
    return [tuple(row) for row in db.execute(sql, _params(start, end, staff_id)).fetchall()]


@dataclass(frozen=True)
class StartedCase:
    """A started case with what counting it as active needs (no label, no id outside storage)."""

    activity: str
    area: str
    birth_year: int | None
    birth_month: int | None
    kept_age_bands: str | None
    """The bands retention kept when it removed the birth month (``None`` for a whole person)."""
    start: dt.date
    events: tuple[tuple[dt.date, bool], ...]
    """Closures (``True``) and reopenings (``False``) in the order they happened."""


def started_cases(db: Database, end: dt.date, *, staff_id: str | None = None) -> list[StartedCase]:
    """Return every case started on or before ``end`` with its closures and reopenings.

    Voided cases, persons, closures and reopenings are left out. Events are ordered by date, then
    by when they were registered.
    """
    params = _params(end, end, staff_id)
    history: dict[str, list[tuple[dt.date, bool]]] = defaultdict(list)
    for case_id, day, is_closure in db.execute(
        f"""
        SELECT x.case_id, x.date, x.is_closure FROM (
            SELECT case_id, date, 1 AS is_closure, created_at FROM closure WHERE deleted_at IS NULL
            UNION ALL
            SELECT case_id, date, 0 AS is_closure, created_at FROM reopening WHERE deleted_at IS NULL
        ) x JOIN cases c ON c.id = x.case_id
        WHERE c.start_date IS NOT NULL AND c.start_date <= :end AND c.deleted_at IS NULL
              {_staff("c", staff_id)}
        ORDER BY x.case_id, x.date, x.created_at""",
        params,
    ).fetchall():
        history[case_id].append((dt.date.fromisoformat(day), bool(is_closure)))
    return [
        StartedCase(
            activity, area, birth_year, birth_month, kept, dt.date.fromisoformat(start), tuple(history[cid])
        )
        for cid, activity, area, birth_year, birth_month, kept, start in db.execute(
            f"""
            SELECT c.id, c.activity, c.area, p.birth_year, p.birth_month, p.kept_age_bands, c.start_date
            FROM cases c JOIN person p ON p.id = c.person_id
            WHERE c.start_date IS NOT NULL AND c.start_date <= :end
              AND c.deleted_at IS NULL AND p.deleted_at IS NULL{_staff("c", staff_id)}""",
            params,
        ).fetchall()
    ]


IndicatorRow = tuple[str, str, str, str, str]
"""``(activity, area, age_band, outcome_type, person_key)`` of one qualifying outcome."""


def indicator_rows(
    db: Database,
    start: dt.date,
    end: dt.date,
    outcome_types: Sequence[str],
    *,
    staff_id: str | None = None,
) -> list[IndicatorRow]:
    """Return the distinct (activity, area, age band on the outcome date, type, person) of outcomes.

    The person key lets the caller count distinct persons (E1-E5); it never leaves the services.
    """
    if not outcome_types:
        return []
    register_functions(db)
    marks = ", ".join(f":t{i}" for i in range(len(outcome_types)))
    params = _params(start, end, staff_id) | {f"t{i}": t for i, t in enumerate(outcome_types)}
    sql = f"""
        SELECT DISTINCT c.activity, c.area,
               {_BAND_FUNCTION}(p.birth_year, p.birth_month, p.kept_age_bands, o.date),
               o.outcome_type, c.person_id
        FROM outcome o
        JOIN cases c ON c.id = o.case_id
        JOIN person p ON p.id = c.person_id
        WHERE o.date BETWEEN :start AND :end AND o.outcome_type IN ({marks})
          AND o.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
          {_staff("c", staff_id)}"""
    return [tuple(row) for row in db.execute(sql, params).fetchall()]


# -- published cells (export_cell) ----------------------------------------------------------------


@dataclass(frozen=True)
class PublishedCell:
    """One cell of an anonymised file as it was published (``value`` ``None`` when hidden)."""

    cell_id: str
    metric: str
    start: dt.date
    end: dt.date
    activity: str
    area: str
    age_band: str
    breakdown: str
    value: int | None

    @property
    def suppressed(self) -> bool:
        """True when the cell was hidden."""
        return self.value is None


def add_published_cells(db: Database, export_run_id: str, cells: Sequence[PublishedCell]) -> None:
    """Record the cells an export published (call inside the transaction that records the run)."""
    db.conn.executemany(
        """INSERT INTO export_cell (export_run_id, cell_id, metric, period_start, period_end,
               activity, area, age_band, breakdown, value, suppressed)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                export_run_id,
                c.cell_id,
                c.metric,
                c.start.isoformat(),
                c.end.isoformat(),
                c.activity,
                c.area,
                c.age_band,
                c.breakdown,
                c.value,
                int(c.value is None),
            )
            for c in cells
        ],
    )


def published_cells(db: Database, start: dt.date, end: dt.date) -> dict[str, list[PublishedCell]]:
    """Return the cells of earlier anonymised exports whose window overlaps ``start``..``end``.

    Grouped by export run id (oldest run first); internal exports publish nothing and have none.
    """
    found: dict[str, list[PublishedCell]] = {}
    for row in db.execute(
        """SELECT e.export_run_id, e.cell_id, e.metric, e.period_start, e.period_end, e.activity,
                  e.area, e.age_band, e.breakdown, e.value
           FROM export_cell e JOIN export_run r ON r.id = e.export_run_id
           WHERE e.period_start <= :end AND e.period_end >= :start
           ORDER BY r.generated_at, r.id""",
        {"start": start.isoformat(), "end": end.isoformat()},
    ).fetchall():
        run_id, cell_id, metric, first, last, activity, area, age_band, breakdown, value = row
        found.setdefault(run_id, []).append(
            PublishedCell(
                cell_id,
                metric,
                dt.date.fromisoformat(first),
                dt.date.fromisoformat(last),
                activity,
                area,
                age_band,
                breakdown,
                value,
            )
        )
    return found


def database_files(db: Database) -> tuple[Path, ...]:
    """Return the files of ``db`` on disk: the database and its ``-wal``, ``-shm`` and ``-journal``.

    Empty for an in-memory database. Export files must never be written onto any of them.
    """
    files: list[Path] = []
    for _seq, _name, file in db.execute("PRAGMA database_list").fetchall():
        if file:
            main = Path(file)
            files += [main, *(main.with_name(main.name + s) for s in ("-wal", "-shm", "-journal"))]
    return tuple(files)

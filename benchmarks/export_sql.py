"""The export of a project year against hand-written SQL of the same figures (issue 12).

The product: :func:`~mentor_tui.services.counts.export.compute_export` for ``PY2`` (2025-10-01 to
2026-09-30), as the lead runs it (with disclosure control). The yardstick: the fastest plain SQL
this file's author could write for the same published counts, one grouped query per metric with
the age computed in SQL, the meetings counted by a lookup per case (``idx_meeting_case``), and the
margins (``ALL``) summed in Python from the finest groups. Before timing, every published cell of
the yardstick is checked against ``compute_export(..., internal=True)``, so both really compute the
same figures. The export counts several windows (the project year, and the summary's other
columns: the year to date, the same days a year earlier); the yardstick counts the same windows.

Run from the repository root::

    python benchmarks/export_sql.py /tmp/mentor-tui-bench/cases50000-....db --runs 5

Prints the medians (and ``--json`` a JSON line for ``benchmarks/run.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from mentor_tui.clock import FixedClock
from mentor_tui.services.counts.export import compute_export
from mentor_tui.services.counts.metrics import ALL, DIMS, INDICATOR_RULES, METRIC_BY_CODE, Key, margins
from mentor_tui.services.counts.periods import Period, parse_period
from mentor_tui.services.counts.tables import CellKey
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

PERIOD = "PY2"
"""The project year exported."""

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _age(day: str) -> str:
    """SQL for whole years of age on ``day`` (an ISO date expression), birthday on the 1st of the month."""
    return (
        f"(CAST(substr({day}, 1, 4) AS INTEGER) - p.birth_year"
        f" - (CAST(substr({day}, 6, 2) AS INTEGER) < p.birth_month))"
    )


def _band(age: int) -> str:
    if age <= 12:
        return "0_12"
    if age <= 17:
        return "13_17"
    if age <= 29:
        return "18_29"
    if age <= 64:
        return "30_64"
    return "65_PLUS"


EVENT_SQL: dict[str, str] = {
    "REFERRALS": f"""
        SELECT r.activity, COALESCE(c.area, p.area), {_age("r.received_date")}, r.source, COUNT(*)
        FROM referral r JOIN person p ON p.id = r.person_id
        LEFT JOIN cases c ON c.referral_id = r.id AND c.deleted_at IS NULL
        WHERE r.received_date BETWEEN :start AND :end AND r.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "CASES_STARTED": f"""
        SELECT c.activity, c.area, {_age("c.start_date")}, c.start_mode, COUNT(*)
        FROM cases c JOIN person p ON p.id = c.person_id
        WHERE c.start_date BETWEEN :start AND :end AND c.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "MEETINGS": f"""
        SELECT c.activity, c.area, {_age("m.date")}, m.meeting_type, COUNT(*)
        FROM cases c JOIN person p ON p.id = c.person_id
        CROSS JOIN meeting m ON m.case_id = c.id AND m.held = 1 AND m.date BETWEEN :start AND :end
        WHERE m.held = 1 AND m.deleted_at IS NULL AND c.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "CASES_CLOSED": f"""
        SELECT c.activity, c.area, {_age("x.date")}, x.reason, COUNT(*)
        FROM closure x JOIN cases c ON c.id = x.case_id JOIN person p ON p.id = c.person_id
        WHERE x.date BETWEEN :start AND :end AND x.deleted_at IS NULL AND c.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
    "OUTCOMES": f"""
        SELECT c.activity, c.area, {_age("o.date")}, o.outcome_type, COUNT(*)
        FROM outcome o JOIN cases c ON c.id = o.case_id JOIN person p ON p.id = c.person_id
        WHERE o.date BETWEEN :start AND :end AND o.deleted_at IS NULL AND c.deleted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
}

ACTIVE_SQL = f"""
    WITH ev AS (
        SELECT case_id, date, 1 AS closing FROM closure WHERE deleted_at IS NULL
        UNION ALL SELECT case_id, date, 0 FROM reopening WHERE deleted_at IS NULL
    )
    SELECT c.activity, c.area, {_age(":end")}, COUNT(*)
    FROM cases c JOIN person p ON p.id = c.person_id
    WHERE c.deleted_at IS NULL AND c.start_date IS NOT NULL AND c.start_date <= :end
      AND (
        c.start_date >= :start
        OR EXISTS (SELECT 1 FROM ev WHERE ev.case_id = c.id AND ev.closing = 0
                   AND ev.date BETWEEN :start AND :end AND ev.date >= c.start_date)
        OR COALESCE((SELECT ev.closing FROM ev WHERE ev.case_id = c.id AND ev.date >= c.start_date
                     AND ev.date < :start ORDER BY ev.date DESC, ev.closing ASC LIMIT 1), 0) = 0
      )
    GROUP BY 1, 2, 3"""
"""Active on some day of the period: started in it, reopened in it, or not closed when it began."""

_INDICATOR_TYPES = ", ".join(repr(t.value) for rule in INDICATOR_RULES.values() for t in rule[0])

INDICATOR_SQL = f"""
    SELECT DISTINCT c.activity, c.area, {_age("o.date")}, o.outcome_type, c.person_id
    FROM outcome o JOIN cases c ON c.id = o.case_id JOIN person p ON p.id = c.person_id
    WHERE o.date BETWEEN :start AND :end AND o.deleted_at IS NULL AND c.deleted_at IS NULL
      AND o.outcome_type IN ({_INDICATOR_TYPES})"""


Window = tuple[dt.date, dt.date]
"""A counting window: first and last day."""

Figures = dict[CellKey, int]
"""Published counts by cell (zeros left out)."""


def sql_window(conn: sqlite3.Connection, start: dt.date, end: dt.date) -> dict[tuple[str, Key], int]:
    """Return every count of one window (unsuppressed, every margin, zeros left out), by plain SQL."""
    params = {"start": start.isoformat(), "end": end.isoformat()}
    out: dict[tuple[str, Key], int] = defaultdict(int)

    def valid(code: str, key: Key) -> bool:
        metric = METRIC_BY_CODE[code]
        return all(v in metric.codes(dim) for v, dim in zip(key, DIMS, strict=True) if v != ALL)

    def add(code: str, key: Key, n: int) -> None:
        if valid(code, key):
            for k in margins(key):
                out[(code, k)] += n

    for code, sql in EVENT_SQL.items():
        for activity, area, age, kind, n in conn.execute(sql, params):
            add(code, (activity, area, _band(age), kind), n)
    for activity, area, age, n in conn.execute(ACTIVE_SQL, params):
        add("CASES_ACTIVE", (activity, area, _band(age), ALL), n)
    persons: dict[tuple[str, Key], set[str]] = defaultdict(set)
    for activity, area, age, outcome_type, person_id in conn.execute(INDICATOR_SQL, params):
        band = _band(age)
        key: Key = (activity, area, band, ALL)
        for code, (types, wanted_band) in INDICATOR_RULES.items():
            wanted = outcome_type in types and (wanted_band is None or band == wanted_band.value)
            if wanted and valid(code, key):
                for k in margins(key):
                    persons[(code, k)].add(person_id)
    out.update({k: len(v) for k, v in persons.items()})
    return dict(out)


def sql_figures(conn: sqlite3.Connection, windows: Iterable[Window]) -> Figures:
    """Return every count of every window the export publishes, by hand-written SQL."""
    out: Figures = {}
    for start, end in windows:
        for (code, key), n in sql_window(conn, start, end).items():
            out[CellKey(code, start, end, *key)] = n
    return out


def product_figures(repos: Repositories, period: Period) -> tuple[Figures, list[CellKey]]:
    """Return the product's unsuppressed published counts (zeros left out) and every cell it publishes."""
    result = compute_export(repos, period, internal=True)
    cells = result.unique_cells()
    return {c.key: c.value for c in cells if c.value}, [c.key for c in cells]


def windows_of(cells: Iterable[CellKey]) -> list[Window]:
    """The distinct counting windows of ``cells`` (the period, the project years to date, ...)."""
    return sorted({(c.start, c.end) for c in cells})


def compare(db: Path) -> tuple[list[str], list[Window]]:
    """Return the differences between the product's and the hand-written figures (none: same),
    and the windows the export counts."""
    period = parse_period(PERIOD)
    repos = Repositories(open_database(db), FixedClock(NOW))
    theirs, cells = product_figures(repos, period)
    windows = windows_of(cells)
    mine = sql_figures(repos.db.conn, windows)
    repos.db.close()
    differences = [
        f"{cell.id}: product {theirs.get(cell, 0)}, sql {mine.get(cell, 0)}"
        for cell in cells
        if theirs.get(cell, 0) != mine.get(cell, 0)
    ]
    return differences, windows


def time_both(db: Path, runs: int, windows: list[Window]) -> dict[str, list[float]]:
    """Time the product's export and the hand-written SQL, interleaved; return seconds per run."""
    period = parse_period(PERIOD)
    repos = Repositories(open_database(db), FixedClock(NOW))
    conn = repos.db.conn
    times: dict[str, list[float]] = {"product_s": [], "sql_s": [], "product_internal_s": []}
    for i in range(runs + 1):
        start = time.perf_counter()
        compute_export(repos, period)
        product_s = time.perf_counter() - start
        start = time.perf_counter()
        sql_figures(conn, windows)
        sql_s = time.perf_counter() - start
        start = time.perf_counter()
        compute_export(repos, period, internal=True)
        internal_s = time.perf_counter() - start
        if i:  # the first round warms the caches
            times["product_s"].append(product_s)
            times["sql_s"].append(sql_s)
            times["product_internal_s"].append(internal_s)
    repos.db.close()
    return times


def main(argv: list[str] | None = None) -> int:
    """Check that both compute the same figures, then time them."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON line (for run.py)")
    args = parser.parse_args(argv)
    differences, windows = compare(args.db)
    if differences:
        print("the hand-written SQL and the export differ:", *differences[:20], sep="\n  ", file=sys.stderr)
        return 1
    times = time_both(args.db, args.runs, windows)
    if args.json:
        print(json.dumps(times))
    else:
        for name, values in times.items():
            print(f"{name}: median {statistics.median(values) * 1000:,.0f} ms ({len(values)} runs)")
        ratio = statistics.median(times["product_s"]) / statistics.median(times["sql_s"])
        print(f"ratio {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

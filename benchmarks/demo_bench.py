"""Benchmarks (not part of the test suite): demo generation and case-list queries at scale.

Usage::

    python benchmarks/demo_bench.py                 # 300-case demo + 50,000-case database
    python benchmarks/demo_bench.py --cases 10000   # a smaller large database
    python benchmarks/demo_bench.py --via-service 5000  # also time populate_demo(n_cases=5000)
    python benchmarks/demo_bench.py --write docs/benchmarks.md

The large database is built by generating the 300-case demo once and copying it with fresh
UUIDs until it holds ``--cases`` cases (about 3,500 rows per 300 cases); ``--via-service N``
also times :func:`populate_demo` with ``n_cases=N`` (every record through the service, much
slower). Timings are wall-clock medians; the machine is described in the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mentor_tui.clock import FixedClock
from mentor_tui.codes import CaseStatus
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

TODAY = dt.date(2026, 11, 20)
"""The demo's "today" (the tests' frozen day)."""

ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "staff": ("id",),
    "person": ("id",),
    "referral": ("id", "person_id"),
    "cases": ("id", "person_id", "referral_id", "staff_id"),
    "consent": ("id", "case_id"),
    "meeting": ("id", "case_id"),
    "outcome": ("id", "case_id"),
    "closure": ("id", "case_id"),
    "reopening": ("id", "case_id", "closure_id"),
}
"""Tables copied to grow the database, with their id and foreign-key columns (staff is shared)."""

_NS = uuid.UUID("6f1c1f0e-9a51-4c9e-8d0a-3f6d0e7b2a11")


def _median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_demo(workdir: Path, runs: int) -> float:
    """Return the median time of ``populate_demo`` for 300 cases into a fresh file."""
    times = []
    for i in range(runs):
        repos = Repositories(open_database(workdir / f"demo{i}.db"))
        start = time.perf_counter()
        populate_demo(repos, today=TODAY)
        times.append(time.perf_counter() - start)
        repos.db.close()
    return statistics.median(times)


def build_large_by_copying(path: Path, n_cases: int) -> float:
    """Build a database of ``n_cases`` cases by copying the 300-case demo; return seconds."""
    start = time.perf_counter()
    repos = Repositories(open_database(path))
    populate_demo(repos, today=TODAY)
    repos.db.close()
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    base: dict[str, list[dict[str, Any]]] = {
        t: [dict(r) for r in conn.execute(f"SELECT * FROM {t}")] for t in ID_COLUMNS if t != "staff"
    }
    per_copy = len(base["cases"])
    copies = -(-n_cases // per_copy) - 1
    with conn:
        for k in range(1, copies + 1):
            for table, rows in base.items():
                cols = list(rows[0]) if rows else []
                out = []
                for row in rows:
                    new = dict(row)
                    for col in ID_COLUMNS[table]:
                        if col != "staff_id" and new.get(col):
                            new[col] = str(uuid.uuid5(_NS, f"{new[col]}/{k}"))
                    if table == "person":
                        new["display_label"] = f"{row['display_label']} {k}"
                    out.append(tuple(new[c] for c in cols))
                if out:
                    marks = ", ".join("?" for _ in cols)
                    conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", out)
    # trim to exactly n_cases: drop whole surplus copies' newest cases with their rows
    surplus = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] - n_cases
    if surplus > 0:
        with conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY rowid DESC LIMIT ?", [surplus])]
            marks = ", ".join("?" for _ in ids)
            for table in ("reopening", "closure", "outcome", "meeting", "consent"):
                conn.execute(f"DELETE FROM {table} WHERE case_id IN ({marks})", ids)
            conn.execute(f"DELETE FROM cases WHERE id IN ({marks})", ids)
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - start


def build_large_via_service(path: Path, n_cases: int) -> float:
    """Build a database of ``n_cases`` cases with ``populate_demo``; return seconds."""
    repos = Repositories(open_database(path))
    start = time.perf_counter()
    populate_demo(repos, today=TODAY, n_cases=n_cases)
    took = time.perf_counter() - start
    repos.db.close()
    return took


def bench_queries(path: Path, runs: int) -> list[tuple[str, int, float]]:
    """Return ``(query, rows, median seconds)`` for the case-list queries the screens use."""
    repos = Repositories(open_database(path), FixedClock(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)))
    service = CaseworkService(repos)
    queries: list[tuple[str, Callable[[], list[Any]]]] = [
        ("cases.summaries()", lambda: repos.cases.summaries()),
        ("cases.summaries(limit=200)", lambda: repos.cases.summaries(limit=200)),
        ("cases.summaries(status=AKTIV)", lambda: repos.cases.summaries(status=CaseStatus.AKTIV)),
        ('cases.summaries(label_like="Demo 012")', lambda: repos.cases.summaries(label_like="Demo 012")),
        ("casework.followups_due()", lambda: service.followups_due()),
    ]
    results = []
    for name, fn in queries:
        rows = len(fn())
        results.append((name, rows, _median_seconds(fn, runs)))
    repos.db.close()
    return results


def machine() -> str:
    """Return a one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f}"
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{load}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print (or write) a Markdown report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=50_000, help="cases in the large database")
    parser.add_argument("--runs", type=int, default=5, help="repetitions per timing (median)")
    parser.add_argument(
        "--via-service", type=int, default=0, metavar="N", help="also time populate_demo for N cases"
    )
    parser.add_argument("--write", metavar="PATH", help="write the Markdown report to PATH")
    args = parser.parse_args(argv)
    lines = [f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.", ""]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo_runs = max(1, min(args.runs, 3))
        demo = bench_demo(work, demo_runs)
        lines += [
            "| step | result |",
            "|---|---|",
            f"| `populate_demo` 300 cases (fresh file, median of {demo_runs}) | {demo:.2f} s |",
        ]
        large = work / "large.db"
        built = build_large_by_copying(large, args.cases)
        size = large.stat().st_size / 1e6
        lines.append(f"| build {args.cases:,} cases by copying the demo | {built:.1f} s, {size:.0f} MB |")
        if args.via_service:
            took = build_large_via_service(work / "service.db", args.via_service)
            lines.append(
                f"| `populate_demo` {args.via_service:,} cases (all via the service) | {took:.1f} s |"
            )
        lines += ["", f"Case-list queries on {args.cases:,} cases (median of {args.runs}):", ""]
        lines += ["| query | rows | time |", "|---|---|---|"]
        for name, rows, secs in bench_queries(large, args.runs):
            lines.append(f"| `{name}` | {rows:,} | {secs * 1000:.0f} ms |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        Path(args.write).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

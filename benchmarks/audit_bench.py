"""Benchmark (not part of the test suite): what the audit trail's triggers cost a write.

Usage::

    python benchmarks/audit_bench.py            # 300-case demo, median of 3
    python benchmarks/audit_bench.py --runs 5 --cases 1000

Times :func:`populate_demo` (every record through the casework service, one transaction) on a
fresh file with the audit triggers, and on a fresh file whose audit triggers were dropped (the
anchor: the same writes without a trail), side by side in one run; also one corrected meeting
(an edit through ``casework.corrections``, one transaction) both ways, and the file sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mentor_tui.clock import FixedClock
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

TODAY = dt.date(2026, 11, 20)


def _drop_triggers(repos: Repositories) -> None:
    names = [r[0] for r in repos.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    for name in names:
        if name.startswith("audit_log_") and name not in ("audit_log_no_update", "audit_log_no_delete"):
            repos.db.execute(f"DROP TRIGGER {name}")


def run(path: Path, *, audited: bool, cases: int) -> tuple[float, float, int, int]:
    """Return (populate seconds, edit milliseconds, audit rows, file bytes)."""
    repos = Repositories(open_database(path), FixedClock(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)))
    if not audited:
        _drop_triggers(repos)
    start = time.perf_counter()
    populate_demo(repos, today=TODAY, n_cases=cases)
    populated = time.perf_counter() - start
    service = CaseworkService(repos)
    meeting = repos.meetings.where("is_start = 0 AND deleted_at IS NULL", order_by="id")[0]
    start = time.perf_counter()
    service.corrections.edit_meeting(
        meeting.id,
        meeting_type=meeting.meeting_type,
        date=meeting.date,
        participants=meeting.participants[:1],
        held=meeting.held,
        next_followup_date=None,
    )
    edited = (time.perf_counter() - start) * 1000
    rows = repos.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    repos.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    repos.db.close()
    return populated, edited, rows, path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    """Run and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args(argv)
    results: dict[bool, list[tuple[float, float, int, int]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            for audited in (False, True):  # interleaved, so load changes hit both alike
                results[audited].append(
                    run(Path(tmp) / f"{audited}-{i}.db", audited=audited, cases=args.cases)
                )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}; Python {sys.version.split()[0]}, "
        f"median of {args.runs}."
    )
    print()
    print(f"| {args.cases}-case demo | without trail (anchor) | with audit triggers |")
    print("|---|---|---|")
    for label, index, fmt in (
        ("`populate_demo` (s)", 0, "{:.2f}"),
        ("one corrected meeting (ms)", 1, "{:.1f}"),
        ("audit rows", 2, "{:.0f}"),
        ("file size (MB)", 3, "{:.2f}"),
    ):
        scale = 1 / 1_000_000 if index == 3 else 1
        cells = [fmt.format(statistics.median(r[index] for r in results[a]) * scale) for a in (False, True)]
        print(f"| {label} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

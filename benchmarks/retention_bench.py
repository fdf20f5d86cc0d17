"""Time retention and the person report on a large synthetic database (issue 13 items 4 and 5).

Builds ``--cases`` cases (default 50,000) with :func:`benchmarks.export_bench.build` (cases from
2024-10-01 to 2026-11-20), then, at a clock a year later with a 12-month period, times side by
side with their anchors in one run:

- the check at app start (``due_count``) beside its anchor, opening the database;
- the dry run (``plan``);
- the run (``run``: anonymise, redact the trail, ``VACUUM``, checkpoint) beside its anchor, a
  ``VACUUM`` of the same file alone;
- one person report (text) beside its anchor, loading one case's detail.

Run from the repository root::

    python benchmarks/retention_bench.py                 # 50,000 cases
    python benchmarks/retention_bench.py --cases 5000

The numbers go in ``docs/benchmarks.md``. Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_bench import NOW, build  # noqa: E402

from mentor_tui.clock import FixedClock  # noqa: E402
from mentor_tui.services.casework.service import CaseworkService  # noqa: E402
from mentor_tui.services.security import person_report, retention  # noqa: E402
from mentor_tui.storage.database import open_database  # noqa: E402
from mentor_tui.storage.repositories import Repositories  # noqa: E402

LATER = FixedClock(NOW + dt.timedelta(days=365))
"""When retention runs: a year after the data ends."""


def _timed(label: str, fn: Any) -> Any:
    t0 = time.perf_counter()
    value = fn()
    print(f"| {label} | {time.perf_counter() - t0:.2f} s |")
    return value


def main() -> None:
    """Build the database and print a Markdown table of timings."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=50_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    built = folder / "built.db"
    repos = Repositories(open_database(built), LATER)
    t0 = time.perf_counter()
    counts = build(repos, args.cases)
    repos.db.close()
    print(f"built {counts} in {time.perf_counter() - t0:.1f} s ({built}, {built.stat().st_size >> 20} MB)\n")
    path = shutil.copyfile(built, folder / "mentor.db")
    print("| step | time |\n|---|---|")
    db = _timed("anchor: open the database", lambda: open_database(path))
    repos = Repositories(db, LATER)
    due = _timed("due_count (the notice at app start)", lambda: retention.due_count(repos, 12))
    plan = _timed("plan (mentor-tui retention --dry-run)", lambda: retention.plan(repos, 12))
    print(f"|   ({due} persons due, {plan.case_count} cases) | |")
    some = plan.persons[0].person_id if plan.persons else None
    case_id = repos.cases.live_for_person(some)[0].id if some else None
    if case_id is not None:
        _timed("anchor: one case's detail", lambda: CaseworkService(repos).detail(case_id))
        _timed(
            "person report (text)",
            lambda: person_report.render_text(person_report.build_report(repos, some), "da"),
        )
    db.close()
    anchor = shutil.copyfile(built, folder / "anchor.db")
    plain = open_database(anchor)
    _timed("anchor: VACUUM of the same file", lambda: plain.execute("VACUUM"))
    plain.close()
    db = open_database(path)
    repos = Repositories(db, LATER)
    done = _timed("run (anonymise, redact the trail, VACUUM, checkpoint)", lambda: retention.run(repos, plan))
    print(f"|   ({done.persons} persons, {done.trail_rows} audit rows redacted) | |")
    db.close()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()

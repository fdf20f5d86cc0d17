"""Disclosure control: time to protect and audit a file, and what it hides (issue 7 items 4 and 5).

For each database (the 300-case demo, small teams of about 60 and 300 persons made the same way,
and optionally a large synthetic one) and each period (a week, a project quarter, a project
year), it exports the file as ``mentor-tui export`` does, once exactly (``internal``) and once
protected, and reports:

- seconds: counting alone (the exact export) and the protected export (counting, protection
  and audit, with the earlier files' cells read from the database);
- cells, hidden, hidden share; hidden cells whose true value is k or more; table totals hidden
  (cells that are the total of a table line); summary figures of k or more that are hidden
  (required: none on the demo);
- then, ``--history``: every week of a quarter published in turn (each audited with the earlier
  ones, as the export does), then the quarter and the year, with the same figures per file.

Usage (from the repository root)::

    python benchmarks/disclosure_bench.py                      # demo + 60 + 300 persons
    python benchmarks/disclosure_bench.py --large 50000        # also 50,000 cases (the demo copied)
    python benchmarks/disclosure_bench.py --history            # a quarter of weekly files in turn,
                                                               # then the quarter and the year
                                                               # (demo, team B; with --large, it too)

Synthetic data only. The figures go in ``docs/export.md`` ("Disclosure control").
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mentor_tui.clock import FixedClock
from mentor_tui.services.counts import export as ex
from mentor_tui.services.counts.periods import Period, iso_week, parse_period
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

TODAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
K = 5
PERIODS = ("2026-W47", "PY2-Q4", "PY2")


@dataclass
class Row:
    db: str
    period: str
    counting: float
    seconds: float
    cells: int
    hidden: int
    hidden_big: int
    totals_hidden: int
    summary_big_hidden: int

    def line(self) -> str:
        share = 100 * self.hidden / self.cells if self.cells else 0
        return (
            f"| {self.db} | {self.period} | {self.counting:.2f} | {self.seconds:.2f} | {self.cells} "
            f"| {self.hidden} ({share:.0f} %) "
            f"| {self.hidden_big} | {self.totals_hidden} | {self.summary_big_hidden} |"
        )


HEADER = (
    "| database | period | counting (s) | protected export (s) | cells | hidden | hidden ≥ k "
    "| table totals hidden | summary ≥ k hidden |\n|---|---|---|---|---|---|---|---|---|"
)


def measure(repos: Repositories, name: str, period: Period, *, save_to: Path | None = None) -> Row:
    from mentor_tui.services.counts.tables import relations  # the export's tables

    t0 = time.perf_counter()
    exact = ex.compute_export(repos, period, threshold=K, internal=True)
    t1 = time.perf_counter()
    shown = ex.compute_export(repos, period, threshold=K)
    t2 = time.perf_counter()
    if save_to is not None:
        path = save_to / ex.default_file_name(period, "json", internal=False)
        ex.save_export(repos, shown, "json", path)
    truth = {c.key: c.value or 0 for c in exact.unique_cells()}
    cells = shown.unique_cells()
    hidden = [c for c in cells if c.suppressed]
    totals = {r.total for r in relations([(t.spec, tuple(c.key for c in t.cells)) for t in shown.tables])}
    return Row(
        name,
        period.code,
        t1 - t0,
        t2 - t1,
        len(cells),
        len(hidden),
        sum(1 for c in hidden if truth[c.key] >= K),
        sum(1 for c in hidden if c.key in totals),
        sum(1 for c in shown.summary.cells if c.suppressed and truth[c.key] >= K),
    )


def demo_database(workdir: Path, name: str, n_cases: int, seed: int) -> Repositories:
    repos = Repositories(open_database(workdir / f"{name}.db"), FixedClock(NOW))
    populate_demo(repos, today=TODAY, seed=seed, n_cases=n_cases)
    return repos


def persons(repos: Repositories) -> int:
    return int(repos.db.execute("SELECT COUNT(*) FROM person").fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=0, help="also a synthetic database of N cases")
    parser.add_argument("--history", action="store_true", help="publish a quarter's weeks first")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        dbs = [("demo (300 cases)", 300, 2024), ("team A", 60, 7), ("team B", 340, 11)]
        for name, n, seed in dbs:
            repos = demo_database(workdir, name.split()[0] + str(n), n, seed)
            label = f"{name}, {persons(repos)} persons"
            for code in PERIODS:
                rows.append(measure(repos, label, parse_period(code)))
                print(rows[-1].line(), flush=True)
        if args.large:
            sys.path.insert(0, str(Path(__file__).parent))
            from dataset import build

            build(workdir / "large.db", args.large)
            repos = Repositories(open_database(workdir / "large.db"), FixedClock(NOW))
            label = f"{args.large:,} cases, {persons(repos):,} persons"
            for code in PERIODS:
                rows.append(measure(repos, label, parse_period(code)))
                print(rows[-1].line(), flush=True)
        if args.history:
            histories = [("demo", 300, 2024), ("team B", 340, 11)]
            if args.large:
                histories.append(("large", 0, 0))
            for name, n, seed in histories:
                if n:
                    repos = demo_database(workdir, f"history{seed}", n, seed)
                else:
                    # the single files above were not saved: nothing is published yet
                    repos = Repositories(open_database(workdir / "large.db"), FixedClock(NOW))
                label = f"{name}, {persons(repos):,} persons"
                out = workdir / f"files{seed}"
                out.mkdir()
                quarter = parse_period("PY2-Q4")
                week = iso_week(2026, 27)
                while week.end <= quarter.end:
                    rows.append(measure(repos, f"{label}: weeks of PY2-Q4 in turn", week, save_to=out))
                    print(rows[-1].line(), flush=True)
                    week = iso_week(*((week.end + dt.timedelta(days=1)).isocalendar()[:2]))
                for code in ("PY2-Q4", "PY2"):
                    rows.append(
                        measure(repos, f"{label}: after its weekly files", parse_period(code), save_to=out)
                    )
                    print(rows[-1].line(), flush=True)
    print()
    print(HEADER)
    for row in rows:
        print(row.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

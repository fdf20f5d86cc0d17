"""Time and memory of a large spreadsheet import (issue 10 item 6).

Writes a synthetic CSV of about ``--mb`` megabytes (default 50) of valid registrations (each
person: referral, 3-partssamtale start, meeting, outcome, closure), then, each in a fresh process
so that peak memory is the import's own:

- the anchor: reading the same file with ``csv.reader`` and nothing else (the floor);
- the import of the whole file: wall time, rows per second, peak memory (max RSS), when the
  first progress appeared, and how long the write lock was held (the ``write`` stage);
- the same file with one bad row at the end: how long until it was reported, and that nothing
  was written (the write lock is never taken);
- the same file with one bad row at the start: how soon the first problem was shown.

Run from the repository root::

    python benchmarks/import_bench.py              # 50 MB
    python benchmarks/import_bench.py --mb 5       # a quick look

The figures go in docs/benchmarks.md (section "Import"). Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
AREAS = ["VOLLSMOSE", "KORSLOEKKEN", "RISING", "EJERSLYKKE", "HOEJEMARKSVEJ"]

CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
from mentor_tui.clock import FixedClock
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from mentor_tui.services.importing.importer import Importer

mode, csv_path, db_path = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
started = time.perf_counter()
marks = {}
if mode == "anchor":
    import csv
    rows = 0
    with csv_path.open(encoding="utf-8", newline="") as f:
        for _ in csv.reader(f, delimiter=";"):
            rows += 1
    marks["rows"] = rows
else:
    db = open_database(db_path)
    repos = Repositories(db, FixedClock(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)))
    def progress(stage, done, total):
        now = time.perf_counter() - started
        marks.setdefault(f"first_{stage}", now)
        marks[f"last_{stage}"] = now
    def on_problem(problem):
        marks.setdefault("first_problem", time.perf_counter() - started)
    result = Importer(repos).import_file(csv_path, progress=progress, on_problem=on_problem)
    marks.update(rows=result.rows, written=result.written, problems=len(result.problems))
    marks["cases_in_db"] = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    db.close()
marks["seconds"] = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
marks["cpu_seconds"] = usage.ru_utime + usage.ru_stime
marks["max_rss_mb"] = usage.ru_maxrss / 1024
print(json.dumps(marks))
"""


def write_csv(path: Path, megabytes: float, *, bad_first: bool = False, bad_last: bool = False) -> int:
    """Write a CSV of about ``megabytes`` MB; return the number of data rows."""
    target = int(megabytes * 1_000_000)
    start = dt.date(2026, 1, 5)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\r\n")
        if bad_first:
            f.write("BAD-FIRST;1990-05;;RISING;A8;henvisning;31-02-2026;JOBRAADGIVER;;;\r\n")
            rows += 1
        i = 0
        while f.tell() < target:
            ref = f"B{i:07d}"
            area = AREAS[i % len(AREAS)]
            day = start + dt.timedelta(days=i % 200)
            d = [(day + dt.timedelta(days=k)).strftime("%d-%m-%Y") for k in (0, 7, 30, 60, 90)]
            f.write(
                f"{ref};{1998 + i % 9}-{1 + i % 12:02d};KVINDE;{area};A6;henvisning;{d[0]};"
                f"UDDANNELSESRAADGIVER_CFU;MJ;;\r\n"
                f"{ref};;;;A6;opstart;{d[1]};TREPARTSSAMTALE;MJ;;\r\n"
                f"{ref};;;;A6;moede;{d[2]};OPFOELGNING_FLERPART;MJ;;\r\n"
                f"{ref};;;;A6;resultat;{d[3]};UDDANNELSE_STARTET;MJ;;\r\n"
                f"{ref};;;;A6;afslutning;{d[4]};MAAL_NAAET_BEHOV_OPFYLDT;MJ;;I_UDDANNELSE\r\n"
            )
            rows += 5
            i += 1
        if bad_last:
            f.write("BAD-LAST;1990-05;;RISING;A8;henvisning;31-02-2026;JOBRAADGIVER;;;\r\n")
            rows += 1
    return rows


def run_child(mode: str, csv_path: Path, db_path: Path) -> dict[str, object]:
    """Run one measurement in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(csv_path), str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    """Generate the files, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the CSV in megabytes")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="mentor-import-bench-") as folder:
        base = Path(folder)
        good, bad_last, bad_first = base / "good.csv", base / "bad_last.csv", base / "bad_first.csv"
        rows = write_csv(good, args.mb)
        write_csv(bad_last, args.mb, bad_last=True)
        write_csv(bad_first, args.mb, bad_first=True)
        size = good.stat().st_size / 1_000_000
        anchor = run_child("anchor", good, base / "anchor.db")
        full = run_child("import", good, base / "full.db")
        last = run_child("import", bad_last, base / "last.db")
        first = run_child("import", bad_first, base / "first.db")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"Import benchmark, {when}, commit {commit or '?'} (load average {load_before:.1f} before, "
        f"{load:.1f} after, on {os.cpu_count()} CPUs): "
        f"{size:.1f} MB CSV, {rows:,} data rows ({rows // 5:,} cases)\n"
    )
    print("| run | wall time | CPU time | rows/s (wall) | peak memory (max RSS) | notes |")
    print("|---|---|---|---|---|---|")
    print(
        f"| anchor: `csv.reader` only | {anchor['seconds']:.1f} s | {anchor['cpu_seconds']:.1f} s | "
        f"{rows / float(str(anchor['seconds'])):,.0f} | {anchor['max_rss_mb']:.0f} MB | the floor |"
    )
    lock = float(str(full.get("last_write", 0))) - float(str(full.get("first_write", 0)))
    print(
        f"| import, all rows good | {full['seconds']:.1f} s | {full['cpu_seconds']:.1f} s | "
        f"{rows / float(str(full['seconds'])):,.0f} | "
        f"{full['max_rss_mb']:.0f} MB | first progress after {full.get('first_read', 0):.2f} s; "
        f"write lock held {lock:.1f} s; {full['cases_in_db']:,} cases written |"
    )
    print(
        f"| bad last row | {last['seconds']:.1f} s | {last['cpu_seconds']:.1f} s | | "
        f"{last['max_rss_mb']:.0f} MB | problem shown after "
        f"{last.get('first_problem', 0):.1f} s; written: {last['written']}, "
        f"cases in db: {last['cases_in_db']} |"
    )
    print(
        f"| bad first row | {first['seconds']:.1f} s | {first['cpu_seconds']:.1f} s | | "
        f"{first['max_rss_mb']:.0f} MB | problem shown after "
        f"{first.get('first_problem', 0):.2f} s; written: {first['written']} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

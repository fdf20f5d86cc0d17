"""Crash trials (issue 10 item 7): kill writers with SIGKILL at random moments, then check that
every commit they reported is in the file and that ``PRAGMA integrity_check`` says ok.

Each trial forks a writer that opens the database and saves, in a loop, what a mentor saves: a
referral (person, referral and case in one transaction), a start with its 3-partssamtale, a
meeting, an outcome, a closure, and now and then a whole spreadsheet import (hundreds of rows in
one short transaction). After each commit returns, the writer reports the ids it saved through a
pipe. The parent kills it with SIGKILL after a random 5-250 ms (often mid-transaction), then
opens the file as the app would (quick check on open), runs the full ``integrity_check``, and
looks up every reported id. Trials continue on the same file, so recovery after a kill is
itself exercised a thousand times. Synthetic data only.

Run from the repository root::

    python benchmarks/crash_trials.py                 # 1,000 trials
    python benchmarks/crash_trials.py --trials 50 --seed 7

The test suite runs 50 trials (``tests/unit/test_crash_trials.py``); the 1,000-trial figures go
in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mentor_tui.clock import FixedClock
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.importing.importer import Importer
from mentor_tui.services.importing.reader import read_csv_bytes
from mentor_tui.storage.database import integrity_check, open_database
from mentor_tui.storage.repositories import Repositories

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
TABLE_OF_KIND = {
    "case": "cases",
    "meeting": "meeting",
    "outcome": "outcome",
    "closure": "closure",
    "import": "cases",
}


@dataclass
class Outcome:
    """What the trials found."""

    trials: int = 0
    reported: int = 0
    """Commits the writers reported before they were killed (all must be present)."""
    missing: list[str] = field(default_factory=list)
    integrity_failures: list[str] = field(default_factory=list)
    open_failures: list[str] = field(default_factory=list)
    killed_mid_save: int = 0
    """Trials where the writer was killed during a save (after it began, before it returned)."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every reported commit present, every check passed, every open worked."""
        return not (self.missing or self.integrity_failures or self.open_failures)


def _csv(trial: int, n: int) -> bytes:
    lines = ["person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"]
    for i in range(n):
        ref = f"CT{trial:05d}-{i:04d}"
        lines.append(f"{ref};1990-05;;RISING;A8;henvisning;2026-10-01;JOBRAADGIVER;;;")
        lines.append(f"{ref};;;;A8;opstart;2026-10-02;TREPARTSSAMTALE;;;")
    return "\r\n".join(lines).encode()


def writer(path: Path, trial: int, report: int, seed: int) -> None:  # pragma: no cover - child
    """Save records in a loop, reporting each committed id on the file descriptor ``report``."""
    rng = random.Random(seed)
    db = open_database(path)
    service = CaseworkService(Repositories(db, FixedClock(NOW)))
    out = os.fdopen(report, "w", buffering=1)
    n = 0
    saving = json.dumps(["saving", ""]) + "\n"
    while True:
        n += 1
        out.write(saving)
        if rng.random() < 0.05:
            with read_csv_bytes(_csv(trial * 1000 + n, rng.randint(50, 400))) as sheet:
                result = Importer(service.repos).import_sheet(sheet)
            if result.written:
                out.write(json.dumps(["import", f"CT{trial * 1000 + n:05d}-0000"]) + "\n")
            continue
        case = service.register_referral(
            activity="A6_FREMSKUDT_UDD_BESK",
            received_date="2026-09-01",
            source="UDDANNELSESRAADGIVER_CFU",
            display_label=f"Crash {trial}-{n}",
            birth_year=2001,
            birth_month=1 + n % 12,
            area="VOLLSMOSE",
        )
        out.write(json.dumps(["case", case.id]) + "\n")
        out.write(saving)
        service.start_case(case.id, start_mode="TREPARTSSAMTALE", start_date="2026-09-08")
        out.write(saving)
        meeting = service.add_meeting(case.id, meeting_type="SAMTALE", date="2026-10-01")
        out.write(json.dumps(["meeting", meeting.id]) + "\n")
        out.write(saving)
        outcome = service.add_outcome(case.id, outcome_type="UDDANNELSE_STARTET", date="2026-10-15")
        out.write(json.dumps(["outcome", outcome.id]) + "\n")
        if n % 2:
            out.write(saving)
            closure = service.close_case(
                case.id,
                date="2026-11-01",
                reason="MAAL_NAAET_BEHOV_OPFYLDT",
                status_at_closure="I_UDDANNELSE",
            )
            out.write(json.dumps(["closure", closure.id]) + "\n")


def _present(path: Path, reported: list[tuple[str, str]]) -> list[str]:
    db = open_database(path)  # as the app opens it: quick_check, recovery of the WAL
    try:
        problems = integrity_check(db)
        if problems:
            raise AssertionError(problems[0])
        missing = []
        for kind, record_id in reported:
            if kind == "import":
                row = db.execute("SELECT 1 FROM person WHERE display_label = ?", [record_id]).fetchone()
            else:
                row = db.execute(f"SELECT 1 FROM {TABLE_OF_KIND[kind]} WHERE id = ?", [record_id]).fetchone()
            if row is None:
                missing.append(f"{kind} {record_id}")
        return missing
    finally:
        db.close()


def run_trials(path: Path, trials: int, *, seed: int = 1, max_ms: int = 250) -> Outcome:
    """Run ``trials`` kill-and-check rounds on the database at ``path`` (created if missing)."""
    rng = random.Random(seed)
    open_database(path).close()
    outcome = Outcome()
    started = time.perf_counter()
    for trial in range(trials):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(read_end)
            try:
                writer(path, trial, write_end, seed * 100_003 + trial)
            finally:
                os._exit(1)
        os.close(write_end)
        time.sleep(rng.uniform(5, max_ms) / 1000)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end) as incoming:
            lines = incoming.read().splitlines()
        events = [tuple(json.loads(line)) for line in lines if line.strip().endswith("]")]
        reported = [e for e in events if e[0] != "saving"]
        outcome.trials += 1
        outcome.reported += len(reported)
        if events and events[-1][0] == "saving":
            outcome.killed_mid_save += 1
        try:
            outcome.missing += _present(path, reported)  # type: ignore[arg-type]
        except AssertionError as exc:
            outcome.integrity_failures.append(f"trial {trial}: {exc}")
        except Exception as exc:
            outcome.open_failures.append(f"trial {trial}: {type(exc).__name__}: {exc}")
    outcome.seconds = time.perf_counter() - started
    return outcome


def main(argv: list[str] | None = None) -> int:
    """Run the trials and print the figures; exit code 1 if anything was lost or damaged."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-ms", type=int, default=250, help="longest wait before the kill")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mentor-crash-") as folder:
        path = args.db or Path(folder) / "crash.db"
        outcome = run_trials(path, args.trials, seed=args.seed, max_ms=args.max_ms)
        size = path.stat().st_size
    print(f"trials:                    {outcome.trials}")
    print(f"commits reported:          {outcome.reported}")
    print(f"killed during a save:      {outcome.killed_mid_save}")
    print(f"reported commits missing: {len(outcome.missing)}")
    print(f"integrity_check failures:  {len(outcome.integrity_failures)}")
    print(f"open failures:             {len(outcome.open_failures)}")
    print(f"file size at the end:      {size // 1024} KB")
    print(f"time:                      {outcome.seconds:.0f} s")
    for line in (outcome.missing + outcome.integrity_failures + outcome.open_failures)[:10]:
        print(f"  {line}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Time the export on a large synthetic database (issue 4 item 8).

Builds a database of ``--cases`` cases (default 50,000) with bulk inserts of the same rows the
repositories write, then times :func:`compute_export` and rendering for a week, a project quarter
and a project year. Run from the repository root::

    python benchmarks/export_bench.py            # 50,000 cases
    python benchmarks/export_bench.py --cases 5000 --db /tmp/bench.db

The numbers go in ``docs/benchmarks.md``. Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from mentor_tui.clock import FixedClock
from mentor_tui.codes import (
    CASE_ACTIVITIES,
    START_MODE_MEETING,
    Area,
    ClosureReason,
    MeetingType,
    OutcomeType,
    ReferralSource,
)
from mentor_tui.services.casework import rules
from mentor_tui.services.counts.export import compute_export, render_export
from mentor_tui.services.counts.periods import parse_period
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
FIRST = dt.date(2024, 10, 1)


def _stamp(device: str) -> dict[str, str]:
    now = NOW.isoformat(timespec="milliseconds")
    return {"created_at": now, "updated_at": now, "device_id": device}


def build(repos: Repositories, n_cases: int, seed: int = 1) -> dict[str, int]:
    """Fill ``repos`` with ``n_cases`` synthetic cases and their history; return row counts."""
    rnd = random.Random(seed)
    stamp = _stamp(repos.device_id)
    span = (NOW.date() - FIRST).days
    rows: dict[str, list[dict[str, Any]]] = {
        t: [] for t in ("person", "referral", "cases", "meeting", "outcome", "closure", "reopening")
    }
    persons: list[str] = []
    open_cases: set[tuple[str, str]] = set()  # (person, activity): one open case each (m003's rule)
    for i in range(n_cases):
        activity = rnd.choice(CASE_ACTIVITIES)
        reused = rnd.choice(persons) if persons and rnd.random() < 0.2 else None
        if reused is not None and (reused, activity.value) not in open_cases:
            person_id = reused
        else:
            person_id = str(uuid.uuid4())
            persons.append(person_id)
            rows["person"].append(
                {
                    "id": person_id,
                    "display_label": f"P{i}",
                    "birth_year": rnd.randint(1960, 2012),
                    "birth_month": rnd.randint(1, 12),
                    "area": rnd.choice(list(Area)).value,
                    **stamp,
                }
            )
        received = FIRST + dt.timedelta(days=rnd.randrange(span))
        referral_id, case_id = str(uuid.uuid4()), str(uuid.uuid4())
        rows["referral"].append(
            {
                "id": referral_id,
                "person_id": person_id,
                "activity": activity.value,
                "received_date": received.isoformat(),
                "source": rnd.choice(list(ReferralSource)).value,
                "reasons": "[]",
                **stamp,
            }
        )
        case: dict[str, Any] = {
            "id": case_id,
            "person_id": person_id,
            "referral_id": referral_id,
            "activity": activity.value,
            "area": rnd.choice(list(Area)).value,
            "status": "HENVIST",
            "goals_agreed": 0,
            **stamp,
        }
        rows["cases"].append(case)
        open_cases.add((person_id, activity.value))
        if rnd.random() < 0.2:
            continue
        start = min(received + dt.timedelta(days=rnd.randrange(14)), NOW.date())
        mode = rnd.choice(sorted(rules.rules_for(activity).start_modes))
        case.update(status="AKTIV", start_date=start.isoformat(), start_mode=mode.value)
        meeting_days = [start] if mode in START_MODE_MEETING else []
        day = start
        for _ in range(rnd.randrange(8)):
            day += dt.timedelta(days=rnd.randint(7, 30))
            meeting_days.append(day)
        for k, d in enumerate(meeting_days):
            if d > NOW.date():
                break
            kind = START_MODE_MEETING[mode] if k == 0 and mode in START_MODE_MEETING else None
            rows["meeting"].append(
                {
                    "id": str(uuid.uuid4()),
                    "case_id": case_id,
                    "meeting_type": (kind or rnd.choice(list(MeetingType))).value,
                    "date": d.isoformat(),
                    "participants": "[]",
                    "held": 1,
                    **stamp,
                }
            )
        if rnd.random() < 0.3:
            d = min(start + dt.timedelta(days=rnd.randrange(200)), NOW.date())
            rows["outcome"].append(
                {
                    "id": str(uuid.uuid4()),
                    "case_id": case_id,
                    "outcome_type": rnd.choice(list(OutcomeType)).value,
                    "date": d.isoformat(),
                    **stamp,
                }
            )
        if rnd.random() < 0.5:
            closed = start + dt.timedelta(days=rnd.randrange(300))
            if closed <= NOW.date():
                closure_id = str(uuid.uuid4())
                rows["closure"].append(
                    {
                        "id": closure_id,
                        "case_id": case_id,
                        "date": closed.isoformat(),
                        "reason": rnd.choice(list(ClosureReason)).value,
                        "joint_decision": 1,
                        **stamp,
                    }
                )
                case.update(status="AFSLUTTET", end_date=closed.isoformat())
                open_cases.discard((person_id, activity.value))
                if rnd.random() < 0.1:
                    reopened = min(closed + dt.timedelta(days=rnd.randrange(60)), NOW.date())
                    rows["reopening"].append(
                        {
                            "id": str(uuid.uuid4()),
                            "case_id": case_id,
                            "date": reopened.isoformat(),
                            "note": "synthetic",
                            "closure_id": closure_id,
                            **stamp,
                        }
                    )
                    case.update(status="AKTIV", end_date=None)
                    open_cases.add((person_id, activity.value))
    with repos.atomic():
        for table, batch in rows.items():
            repos.db.table(table).insert_all(batch, batch_size=2000)
    return {table: len(batch) for table, batch in rows.items()}


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
    parser.add_argument("--db", type=Path, help="database file (default: a temporary file)")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    repos = Repositories(open_database(path), FixedClock(NOW))
    t0 = time.perf_counter()
    counts = build(repos, args.cases) if repos.cases.count() == 0 else {"cases": repos.cases.count()}
    print(f"built {counts} in {time.perf_counter() - t0:.1f} s ({path})\n")
    print("| step | time |\n|---|---|")
    for code in ("2026-W46", "PY3-Q1", "PY2"):
        period = parse_period(code)
        result = _timed(
            f"compute_export {code}", lambda p=period: compute_export(repos, p, allow_incomplete=True)
        )
        _timed(
            f"compute_export {code} --internal",
            lambda p=period: compute_export(repos, p, internal=True, allow_incomplete=True),
        )
        for fmt in ("csv", "json", "xlsx"):
            data = _timed(f"render {fmt} {code}", lambda r=result, f=fmt: render_export(r, f))
            if code == "PY2":
                print(f"|   ({fmt}: {len(data) / 1024:.0f} KiB, {len(result.unique_cells())} cells) | |")


if __name__ == "__main__":
    main()

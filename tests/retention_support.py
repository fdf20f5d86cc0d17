"""A demo-like database for the retention tests, with persons chosen to test the edges.

Built once per test module (the demo takes a few seconds), then copied for each test. Synthetic
only: the demo's invented caseload plus the persons below.

- ``DISTINCT_LABEL``: closed twice (reopened in between, with a note naming them), a voided
  meeting whose reason names them: due; after retention none of these texts may be in the file.
- ``TURNS_30``: turns 30 on 2026-02-01 during the case, with a job outcome after it (E3, not E1):
  due, and their kept bands must change on that day.
- ``TURNS_18``: turns 18 on 2026-05-01, months after the case closed: a range ending later counts
  the case as active with the age on its last day, so that change is kept too.
- ``STILL_OPEN`` (an open case since 2025) and ``CLOSED_RECENTLY`` (closed after the cut-off)
  are not due.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from mentor_tui.clock import FixedClock
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

DEMO_TODAY = dt.date(2026, 11, 20)
"""The demo data's last day."""

RUN_CLOCK = FixedClock(dt.datetime(2027, 8, 2, 9, 0, tzinfo=dt.UTC))
"""When retention runs in the tests."""

RETENTION_MONTHS = 12
"""The period the tests use: the cut-off is 2026-08-02."""

DISTINCT_LABEL = "Qwertzuiop Zyxvæ"
REOPEN_NOTE = "Qwertzuiop ringede igen om jobbet"
VOID_REASON = "Qwertzuiop aflyste selv mødet"
TURNS_30 = "Grænse Tredive"
TURNS_18 = "Grænse Atten"
STILL_OPEN = "Stadig Åben"
CLOSED_RECENTLY = "Nylig Lukket"

PAST_PERIODS: tuple[str, ...] = ("2026-W06", "PY2-Q2", "PY2", "PY1", "2026-01-01..2027-06-30")
"""Periods that ended before the run: a week, a quarter, two project years, and a range that
ends long after the edge persons' cases closed."""


def add_edge_persons(s: CaseworkService) -> None:
    """Register the persons of the module docstring (dates up to :data:`DEMO_TODAY`)."""
    repos = s.repos
    q = s.register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2025-08-01",
        source="JOBRAADGIVER",
        display_label=DISTINCT_LABEL,
        birth_year=1980,
        birth_month=7,
        area="VOLLSMOSE",
        gender="KVINDE",
        reasons=["JOB_MAAL"],
    )
    s.start_case(
        q.id,
        start_mode="TREPARTSSAMTALE",
        start_date="2025-08-11",
        goals_agreed=True,
        participants=["BEBOER", "JOBRAADGIVER"],
    )
    meeting = s.add_meeting(q.id, meeting_type="SAMTALE", date="2025-09-15", participants=["BEBOER"])
    repos.meetings.void(meeting, reason=VOID_REASON, staff_id=None)
    s.add_meeting(q.id, meeting_type="SAMTALE", date="2025-10-06", participants=["BEBOER"])
    s.close_case(
        q.id,
        date="2025-12-01",
        reason="MAAL_NAAET_BEHOV_OPFYLDT",
        status_at_closure="I_ORDINAERT_JOB",
        joint_decision=True,
    )
    s.reopen_case(q.id, note=REOPEN_NOTE, date="2026-01-05")
    s.close_case(
        q.id,
        date="2026-02-10",
        reason="MAAL_NAAET_BEHOV_OPFYLDT",
        status_at_closure="I_ORDINAERT_JOB",
        joint_decision=True,
    )

    t = s.register_referral(
        activity="A9_BESKAEFTIGELSESRAADGIVNING",
        received_date="2025-11-03",
        source="JOBRAADGIVER",
        display_label=TURNS_30,
        birth_year=1996,
        birth_month=2,
        area="KORSLOEKKEN",
    )
    s.start_case(t.id, start_mode="RAADGIVNINGSSAMTALE", start_date="2025-11-10")
    s.add_meeting(t.id, meeting_type="SAMTALE", date="2026-01-28", participants=["BEBOER"])
    s.add_meeting(t.id, meeting_type="SAMTALE", date="2026-02-04", participants=["BEBOER"])
    s.add_outcome(t.id, outcome_type="ORDINAERT_JOB", date="2026-02-05")
    s.close_case(t.id, date="2026-03-20", reason="MAAL_NAAET_BEHOV_OPFYLDT")

    e = s.register_referral(
        activity="A10_FRITIDSJOB",
        received_date="2025-09-08",
        source="UUO",
        display_label=TURNS_18,
        birth_year=2008,
        birth_month=5,
        area="RISING",
    )
    s.start_case(e.id, start_mode="RAADGIVNINGSSAMTALE", start_date="2025-09-10")
    s.add_outcome(e.id, outcome_type="FRITIDSJOB", date="2025-12-01")
    s.close_case(e.id, date="2026-01-15", reason="MAAL_NAAET_BEHOV_OPFYLDT")

    o = s.register_referral(
        activity="A9_BESKAEFTIGELSESRAADGIVNING",
        received_date="2025-06-02",
        source="EGEN_HENVENDELSE",
        display_label=STILL_OPEN,
        birth_year=1970,
        birth_month=1,
        area="EJERSLYKKE",
    )
    s.start_case(o.id, start_mode="RAADGIVNINGSSAMTALE", start_date="2025-06-03")

    r = s.register_referral(
        activity="A9_BESKAEFTIGELSESRAADGIVNING",
        received_date="2025-06-02",
        source="EGEN_HENVENDELSE",
        display_label=CLOSED_RECENTLY,
        birth_year=1971,
        birth_month=3,
        area="EJERSLYKKE",
    )
    s.start_case(r.id, start_mode="RAADGIVNINGSSAMTALE", start_date="2025-06-03")
    s.close_case(r.id, date="2026-10-01", reason="MAAL_NAAET_BEHOV_OPFYLDT")


def build_demo_like(path: Path, *, n_cases: int = 100) -> Path:
    """Write the demo caseload and the edge persons to ``path`` (closed, no ``-wal`` left)."""
    db = open_database(path)
    try:
        repos = Repositories(db, FixedClock(dt.datetime.combine(DEMO_TODAY, dt.time(12), dt.UTC)))
        populate_demo(repos, today=DEMO_TODAY, n_cases=n_cases)
        add_edge_persons(CaseworkService(repos))
    finally:
        db.close()
    return path


def copy_database(source: Path, target: Path) -> Path:
    """Copy a closed database file (it has no ``-wal``) to ``target``."""
    shutil.copyfile(source, target)
    return target


def raw_bytes(path: Path) -> bytes:
    """The database file's bytes and its ``-wal``'s, if any (what a thief of the file would read)."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

"""Shared fixtures: real SQLite files in a temp dir, a frozen clock, isolated user paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentor_tui.clock import FixedClock
from mentor_tui.i18n import set_language
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

FROZEN_NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
"""Friday of ISO week 47, 2026: every test and snapshot sees this as "now"."""


@pytest.fixture(autouse=True)
def isolate_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user data and config directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("MENTOR_TUI_CONFIG_FILE", str(home / "config.toml"))
    monkeypatch.setenv("MENTOR_TUI_STATE_DIR", str(home / "state"))
    monkeypatch.delenv("MENTOR_TUI_DB", raising=False)
    set_language("da")


@pytest.fixture
def clock() -> FixedClock:
    """A clock frozen at :data:`FROZEN_NOW`."""
    return FixedClock(FROZEN_NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file."""
    return tmp_path / "mentor.db"


@pytest.fixture
def repos(db_path: Path, clock: FixedClock) -> Iterator[Repositories]:
    """Repositories over a real, freshly migrated SQLite file."""
    db = open_database(db_path)
    yield Repositories(db, clock)
    db.close()


@pytest.fixture
def casework(repos: Repositories) -> CaseworkService:
    """The casework service over :func:`repos`."""
    return CaseworkService(repos)


@pytest.fixture
def seeded(casework: CaseworkService) -> CaseworkService:
    """A small, fixed caseload (synthetic) in every state, for Pilot and snapshot tests.

    Today is 2026-11-20 (week 47). Cases:
    - "Amal K" A6 active since 2026-10-05, 3-partssamtale, follow-up 2026-11-13 (overdue)
    - "Bo T" A7 active since 2026-09-01, follow-up 2026-11-23 (due this week... next Monday is week 48)
    - "Cem D" A3 active since 2026-08-20 with youth+parent consent, follow-up 2026-11-19 (overdue)
    - "Dana R" A8 referred 2026-11-16, not started
    - "Emil S" A10 closed 2026-10-30 after a fritidsjob
    - "Fatima H" A2 active since 2026-06-10, follow-up 2026-12-15 (not due)
    """
    s = casework
    clock = s.repos.clock
    assert isinstance(clock, FixedClock)

    def on(day: str) -> None:
        # each record is registered on the day it happened, as a mentor would have done: a
        # follow-up set then may be overdue now, but was not in the past when it was set
        clock.at = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), dt.UTC)

    on("2026-10-01")
    a = s.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="2026-10-01",
        source="UDDANNELSESRAADGIVER_CFU",
        display_label="Amal K",
        birth_year=2002,
        birth_month=4,
        area="VOLLSMOSE",
        reasons=["UDDANNELSE_MAAL"],
    )
    on("2026-10-05")
    s.start_case(
        a.id,
        start_mode="TREPARTSSAMTALE",
        start_date="2026-10-05",
        goals_agreed=True,
        participants=["BEBOER", "UDDANNELSESRAADGIVER"],
        next_followup_date="2026-11-13",
    )
    on("2026-08-25")
    b = s.register_referral(
        activity="A7_MENTOR_AKTIVITETSPARAT",
        received_date="2026-08-25",
        source="JOBRAADGIVER",
        display_label="Bo T",
        birth_year=1985,
        birth_month=9,
        area="KORSLOEKKEN",
        reasons=["JOB_MAAL"],
    )
    on("2026-09-01")
    s.start_case(b.id, start_mode="BSH_KONTAKTER_BEBOER", start_date="2026-09-01", goals_agreed=True)
    on("2026-10-20")
    s.add_meeting(
        b.id,
        meeting_type="OPFOELGNING_FLERPART",
        date="2026-10-20",
        participants=["BEBOER", "JOBRAADGIVER"],
        next_followup_date="2026-11-22",
    )
    on("2026-08-15")
    c = s.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="2026-08-15",
        source="FOLKESKOLE",
        display_label="Cem D",
        birth_year=2011,
        birth_month=2,
        area="RISING",
        reasons=["HOEJT_FRAVAER"],
    )
    on("2026-08-20")
    s.start_case(
        c.id,
        start_mode="MOEDE_MED_OG_OM_DEN_UNGE",
        start_date="2026-08-20",
        goals_agreed=True,
        consents=["UNG", "FORAELDER"],
        participants=["UNG", "FORAELDER", "LAERER"],
        next_followup_date="2026-11-19",
    )
    on("2026-11-16")
    s.register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-11-16",
        source="EGEN_HENVENDELSE",
        display_label="Dana R",
        birth_year=1990,
        birth_month=12,
        area="EJERSLYKKE",
    )
    on("2026-09-02")
    e = s.register_referral(
        activity="A10_FRITIDSJOB",
        received_date="2026-09-02",
        source="UUO",
        display_label="Emil S",
        birth_year=2010,
        birth_month=6,
        area="STADIONVEJ_SKJOLDSPARKEN",
    )
    on("2026-09-03")
    s.start_case(e.id, start_mode="RAADGIVNINGSSAMTALE", start_date="2026-09-03")
    on("2026-10-15")
    s.add_outcome(e.id, outcome_type="FRITIDSJOB", date="2026-10-15")
    on("2026-10-30")
    s.close_case(e.id, date="2026-10-30", reason="MAAL_NAAET_BEHOV_OPFYLDT")
    on("2026-06-01")
    f = s.register_referral(
        activity="A2_FORAELDRERAADGIVNING",
        received_date="2026-06-01",
        source="SUNDHEDSPLEJE",
        display_label="Fatima H",
        birth_year=1988,
        birth_month=1,
        area="HOEJEMARKSVEJ",
        reasons=["FORAELDREROLLE"],
    )
    on("2026-06-10")
    s.start_case(
        f.id,
        start_mode="FLERPARTS_OPSTARTSMOEDE",
        start_date="2026-06-10",
        goals_agreed=True,
        participants=["FORAELDER", "SUNDHEDSPLEJERSKE"],
        next_followup_date="2026-12-15",
    )
    clock.at = FROZEN_NOW
    s.undo_stack.changes.clear()  # the seed is not this session's work
    return s

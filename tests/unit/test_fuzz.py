"""Fuzzing (issue 10 item 8): Hypothesis drives the form validators (the casework service's
validate-then-write entry points) and the import parser with arbitrary input.

Whatever comes in: no exception but the project's own (:class:`MentorError` and its kinds),
every refusal has a message in both languages, and a refused call writes nothing at all.

CI runs a few hundred examples; ``benchmarks/fuzz_soak.py`` runs the same properties with
``MENTOR_FUZZ_EXAMPLES=10000`` (or more) and records the figures in docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentor_tui.clock import FixedClock
from mentor_tui.codes import (
    Activity,
    Area,
    ClosureReason,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    ParticipantRole,
    ReferralReason,
    ReferralSource,
    StartMode,
    StatusAtClosure,
)
from mentor_tui.errors import DomainValidationError, MentorError
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.importing.importer import Importer, ImportResult
from mentor_tui.services.importing.reader import read_csv_bytes
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW

EXAMPLES = int(os.environ.get("MENTOR_FUZZ_EXAMPLES", "100"))
"""Examples per property: a few hundred in CI, 10,000+ in the soak run."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

TABLES = ("staff", "person", "referral", "cases", "consent", "meeting", "outcome", "closure", "reopening")


def _codes(*classes: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for cls in classes for m in cls])


text = st.text(max_size=30)
messy = st.one_of(
    st.none(),
    text,
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2200, 1, 1)).map(
        lambda d: d.strftime("%d-%m-%Y")
    ),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 1, 1)),
)
"""What a form field may hold: nothing, anything typed, a number, a date in text or as a date."""


def code_or_messy(*classes: Any) -> st.SearchStrategy[Any]:
    return st.one_of(_codes(*classes), messy)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseworkService]:
    """One database with a referred, an active and a closed case to aim the calls at."""
    db = open_database(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    service = CaseworkService(Repositories(db, FixedClock(FROZEN_NOW)))
    base: dict[str, Any] = {
        "received_date": "2026-10-01",
        "birth_year": 2008,
        "birth_month": 5,
        "area": "RISING",
    }
    service.register_referral(
        activity="A8_MENTOR_JOBPARAT", source="JOBRAADGIVER", display_label="F1", **base
    )
    active = service.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK", source="UUO", display_label="F2", **base
    )
    service.start_case(active.id, start_mode="TREPARTSSAMTALE", start_date="2026-10-05")
    closed = service.register_referral(activity="A10_FRITIDSJOB", source="UUO", display_label="F3", **base)
    service.close_case(closed.id, date="2026-10-10", reason="MAAL_NAAET_BEHOV_OPFYLDT")
    yield service
    db.close()


def _counts(service: CaseworkService) -> dict[str, int]:
    return {t: int(service.repos.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}


def _refusal_has_messages(exc: MentorError) -> None:
    assert exc.text("da").strip()
    assert exc.text("en").strip()
    if isinstance(exc, DomainValidationError):
        assert exc.problems
        for problem in exc.problems:
            assert problem.text("da").strip()
            assert problem.text("en").strip()
            assert problem.code


def _call(service: CaseworkService, call: Callable[[], object]) -> None:
    """Run one form save: it succeeds, or is refused with messages and has written nothing."""
    before = _counts(service)
    try:
        call()
    except MentorError as exc:
        _refusal_has_messages(exc)
        assert _counts(service) == before  # no partial write
        with service.repos.db.conn:  # and no transaction left open
            assert not service.repos.db.conn.in_transaction


def _case_id(service: CaseworkService, index: int) -> str:
    return sorted(service.repos.cases.all(), key=lambda c: c.created_at)[index % 3].id


@FUZZ
@given(
    activity=code_or_messy(Activity),
    received=messy,
    source=code_or_messy(ReferralSource),
    reasons=st.lists(code_or_messy(ReferralReason), max_size=3),
    label=messy,
    birth_year=st.one_of(messy, st.integers(min_value=1800, max_value=2300)),
    birth_month=st.one_of(messy, st.integers(min_value=-2, max_value=14)),
    area=code_or_messy(Area),
    gender=code_or_messy(Gender),
)
def test_the_referral_form_refuses_with_messages_and_writes_nothing(
    world: CaseworkService, **fields: Any
) -> None:
    _call(
        world,
        lambda: world.register_referral(
            activity=fields["activity"],
            received_date=fields["received"],
            source=fields["source"],
            reasons=[r for r in fields["reasons"] if r is not None],
            display_label=fields["label"],
            birth_year=fields["birth_year"],
            birth_month=fields["birth_month"],
            area=fields["area"],
            gender=fields["gender"],
        ),
    )


@FUZZ
@given(
    which=st.integers(0, 2),
    form=st.sampled_from(["start", "meeting", "outcome", "followup", "close", "reopen"]),
    code=st.one_of(
        code_or_messy(StartMode, MeetingType, OutcomeType, ClosureReason),
    ),
    date=messy,
    other_date=messy,
    consents=st.lists(code_or_messy(ConsentGiver), max_size=3),
    participants=st.lists(code_or_messy(ParticipantRole), max_size=3),
    status=code_or_messy(StatusAtClosure),
    flag=st.booleans(),
    note=messy,
)
def test_every_case_form_refuses_with_messages_and_writes_nothing(
    world: CaseworkService, which: int, form: str, **f: Any
) -> None:
    case_id = _case_id(world, which)
    calls: dict[str, Callable[[], object]] = {
        "start": lambda: world.start_case(
            case_id,
            start_mode=f["code"],
            start_date=f["date"],
            goals_agreed=f["flag"],
            consents=[c for c in f["consents"] if c is not None],
            participants=[p for p in f["participants"] if p is not None],
            next_followup_date=f["other_date"],
        ),
        "meeting": lambda: world.add_meeting(
            case_id,
            meeting_type=f["code"],
            date=f["date"],
            participants=[p for p in f["participants"] if p is not None],
            held=f["flag"],
            next_followup_date=f["other_date"],
        ),
        "outcome": lambda: world.add_outcome(case_id, outcome_type=f["code"], date=f["date"]),
        "followup": lambda: world.set_next_followup(case_id, f["date"]),
        "close": lambda: world.close_case(
            case_id,
            date=f["date"],
            reason=f["code"],
            status_at_closure=f["status"],
            joint_decision=f["flag"],
        ),
        "reopen": lambda: world.reopen_case(case_id, note=f["note"], date=f["date"]),
    }
    _call(world, calls[form])


# -- the import parser --------------------------------------------------------------------------

HEADER = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
cell = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
    _codes(Activity, Area, Gender, ReferralSource, StartMode, MeetingType, OutcomeType, ClosureReason),
    st.sampled_from(
        ["henvisning", "opstart", "moede", "resultat", "afslutning", "2001.1", "46300", "01-09-26"]
    ),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 1, 1)).map(
        lambda d: d.strftime("%d-%m-%Y")
    ),
)
rows = st.lists(st.lists(cell, min_size=0, max_size=13), max_size=6)
separators = st.sampled_from([";", ",", "\t"])
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])


def _import_bytes(service: CaseworkService, data: bytes) -> ImportResult | None:
    before = _counts(service)
    try:
        with read_csv_bytes(data, name="fuzz.csv") as sheet:
            result = Importer(service.repos).import_sheet(sheet, dry_run=True)
    except MentorError as exc:
        _refusal_has_messages(exc)
        assert _counts(service) == before
        return None
    for problem in result.problems:
        assert problem.text("da").strip()
        assert problem.text("en").strip()
        assert problem.line >= 1
    assert _counts(service) == before  # a dry run, or refused: nothing written either way
    return result


@FUZZ
@given(data=st.binary(max_size=600))
def test_any_bytes_are_refused_with_a_message_or_read(world: CaseworkService, data: bytes) -> None:
    _import_bytes(world, data)


@FUZZ
@given(grid=rows, sep=separators, encoding=encodings, sep_line=st.booleans(), header=st.booleans())
def test_spreadsheet_shaped_text_is_refused_with_messages_or_read(
    world: CaseworkService, grid: list[list[str]], sep: str, encoding: str, sep_line: bool, header: bool
) -> None:
    lines = ([f"sep={sep}"] if sep_line else []) + ([HEADER.replace(";", sep)] if header else [])
    lines += [sep.join(c.replace(sep, " ").replace('"', "") for c in row) for row in grid]
    try:
        data = "\r\n".join(lines).encode(encoding)
    except UnicodeEncodeError:
        data = "\r\n".join(lines).encode("utf-8")
    _import_bytes(world, data)

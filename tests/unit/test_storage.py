"""Storage on real SQLite files: round trips, stamps, pragmas, permissions, transactions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from mentor_tui.clock import FixedClock
from mentor_tui.codes import (
    Activity,
    Area,
    CaseStatus,
    Channel,
    ClosureReason,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    Parathed,
    ParticipantRole,
    ReferralReason,
    ReferralSource,
    StaffRole,
    StartMode,
    StatusAtClosure,
    Team,
    Ydelsestype,
)
from mentor_tui.errors import NotFoundError
from mentor_tui.locations import database_file
from mentor_tui.models import (
    Case,
    Closure,
    Consent,
    ExportRun,
    Meeting,
    Outcome,
    Person,
    Record,
    Referral,
    Reopening,
    Staff,
)
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.database import (
    BUSY_TIMEOUT_MS,
    DatabaseWriteError,
    DiskFullError,
    device_id,
    open_database,
    pragma,
)
from mentor_tui.storage.repositories import Repositories, Repository

D = dt.date


def _graph() -> list[tuple[str, Record]]:
    """One record of every entity, every optional field filled, linked by foreign keys."""
    staff = Staff(initials="ØK", team=Team.TEAM_BESKAEFTIGELSE, role=StaffRole.MENTOR, is_local_user=True)
    person = Person(
        display_label="Testperson Æ",
        birth_year=1999,
        birth_month=12,
        gender=Gender.KVINDE,
        area=Area.STADIONVEJ_SKJOLDSPARKEN,
        ydelsestype=Ydelsestype.SHO_YDELSE,
        parathed=Parathed.AKTIVITETSPARAT,
    )
    referral = Referral(
        person_id=person.id,
        activity=Activity.A7_MENTOR_AKTIVITETSPARAT,
        received_date=D(2026, 9, 1),
        source=ReferralSource.JOB_INTEGRATIONSHUS,
        reasons=[ReferralReason.JOB_MAAL, ReferralReason.TRIVSEL_SUNDHED],
    )
    case = Case(
        person_id=person.id,
        referral_id=referral.id,
        activity=Activity.A7_MENTOR_AKTIVITETSPARAT,
        area=Area.STADIONVEJ_SKJOLDSPARKEN,
        staff_id=staff.id,
        status=CaseStatus.AFSLUTTET,
        start_date=D(2026, 9, 3),
        start_mode=StartMode.BSH_KONTAKTER_BEBOER,
        goals_agreed=True,
        end_date=D(2026, 11, 2),
        next_followup_date=D(2026, 11, 30),
    )
    consent = Consent(
        case_id=case.id, given_by=ConsentGiver.BEBOER, given_date=D(2026, 9, 3), withdrawn_date=D(2026, 10, 1)
    )
    meeting = Meeting(
        case_id=case.id,
        meeting_type=MeetingType.OPFOELGNING_FLERPART,
        date=D(2026, 10, 1),
        participants=[ParticipantRole.BEBOER, ParticipantRole.JOBRAADGIVER],
        held=False,
        channel=Channel.VIDEO,
        next_followup_date=D(2026, 10, 29),
    )
    outcome = Outcome(case_id=case.id, outcome_type=OutcomeType.LOENTILSKUD, date=D(2026, 10, 15))
    closure = Closure(
        case_id=case.id,
        date=D(2026, 11, 2),
        reason=ClosureReason.MAAL_NAAET_BEHOV_OPFYLDT,
        status_at_closure=StatusAtClosure.I_LOENTILSKUD,
        joint_decision=True,
    )
    reopening = Reopening(case_id=case.id, date=D(2026, 11, 10), note="Ny henvendelse", closure_id=closure.id)
    export = ExportRun(
        generated_at="2026-11-20T10:00:00+00:00",
        period_kind="week",
        period_code="2026-W47",
        period_start=D(2026, 11, 16),
        period_end=D(2026, 11, 22),
        format="csv",
        threshold=5,
        internal=True,
        file_name="mentor-2026-W47.csv",
        file_sha256="0" * 64,
    )
    return [
        ("staff", staff),
        ("persons", person),
        ("referrals", referral),
        ("cases", case),
        ("consents", consent),
        ("meetings", meeting),
        ("outcomes", outcome),
        ("closures", closure),
        ("reopenings", reopening),
        ("export_runs", export),
    ]


ENTITIES = [name for name, _ in _graph()]


def _repo(repos: Repositories, name: str) -> Repository[Any]:
    repo: Repository[Any] = getattr(repos, name)
    return repo


@pytest.mark.parametrize("upto", ENTITIES)
def test_every_entity_round_trips_with_stamps_and_device(
    repos: Repositories, clock: FixedClock, db_path: Path, upto: str
) -> None:
    graph = _graph()
    for name, record in graph:
        _repo(repos, name).add(record)
        if name == upto:
            break
    name, record = next((n, r) for n, r in graph if n == upto)
    repos.db.close()
    # read back through a fresh connection: what was committed is what a restart sees
    again = Repositories(open_database(db_path), clock)
    try:
        loaded = _repo(again, name).get(record.id)
        assert loaded == record
        assert type(loaded) is type(record)
        assert loaded.created_at == loaded.updated_at == "2026-11-20T10:00:00.000+00:00"
        assert loaded.device_id == again.device_id == device_id(again.db)
        assert len(loaded.device_id) == 36
    finally:
        again.db.close()


def test_update_keeps_created_and_moves_updated(repos: Repositories, clock: FixedClock) -> None:
    staff = repos.staff.add(Staff(initials="AB", team=Team.TEAM_UDD_KRIM))
    clock.at = clock.at + dt.timedelta(hours=2)
    staff.initials = "ABC"
    repos.staff.update(staff)
    loaded = repos.staff.get(staff.id)
    assert loaded.initials == "ABC"
    assert loaded.created_at == "2026-11-20T10:00:00.000+00:00"
    assert loaded.updated_at == "2026-11-20T12:00:00.000+00:00"


def test_lists_and_booleans_are_stored_readably(repos: Repositories) -> None:
    """Codes are the stable ASCII values; lists are JSON; booleans 0/1 (for exports and sync)."""
    items = _graph()
    graph = dict(items)
    for name, record in items[:6]:
        _repo(repos, name).add(record)
    (row,) = repos.db.query("SELECT participants, held, channel FROM meeting")
    assert row == {"participants": '["BEBOER", "JOBRAADGIVER"]', "held": 0, "channel": "VIDEO"}
    (ref,) = repos.db.query("SELECT reasons, received_date FROM referral")
    assert ref == {"reasons": '["JOB_MAAL", "TRIVSEL_SUNDHED"]', "received_date": "2026-09-01"}
    assert repos.referrals.get(graph["referrals"].id).reasons == [
        ReferralReason.JOB_MAAL,
        ReferralReason.TRIVSEL_SUNDHED,
    ]


def test_get_of_a_missing_id_says_so_in_both_languages(repos: Repositories) -> None:
    with pytest.raises(NotFoundError) as info:
        repos.cases.get("no-such-id")
    assert "Findes ikke" in info.value.text("da")
    assert "Not found" in info.value.text("en")


def test_add_if_absent_inserts_once(repos: Repositories) -> None:
    staff = Staff(initials="AB", team=Team.TEAM_UDD_KRIM)
    assert repos.staff.add_if_absent(staff) is True
    assert repos.staff.add_if_absent(staff.model_copy()) is False
    assert repos.staff.count() == 1


def test_for_case_orders_by_date_and_named_queries_find_by_ids(repos: Repositories) -> None:
    items = _graph()
    graph = dict(items)
    for name, record in items[:4]:
        _repo(repos, name).add(record)
    case_id = graph["cases"].id
    for day in (D(2026, 10, 20), D(2026, 9, 10), D(2026, 10, 1)):
        repos.meetings.add(Meeting(case_id=case_id, meeting_type=MeetingType.SAMTALE, date=day))
    assert [m.date for m in repos.meetings.for_case(case_id)] == [
        D(2026, 9, 10),
        D(2026, 10, 1),
        D(2026, 10, 20),
    ]
    assert len([m for m in repos.meetings.all() if m.date >= dt.date(2026, 10, 1)]) == 2
    meetings = repos.meetings.all()
    repos.meetings.void(meetings[0], reason="test", staff_id=None)
    assert [m.id for m in repos.meetings.of_cases([case_id])] == [m.id for m in meetings[1:]]
    assert [m.id for m in repos.meetings.for_case(case_id, voided=True)] == [
        m.id for m in sorted(meetings, key=lambda m: m.date)
    ]
    many = ["no-such-id"] * 1200 + [m.id for m in meetings] + [f"x{i}" for i in range(700)]
    assert [m.id for m in repos.meetings.with_ids(many)] == [m.id for m in meetings[1:]]
    assert repos.meetings.exists(meetings[0].id)
    assert repos.meetings.find("no-such-id") is None
    with pytest.raises(ValueError, match="no column"):
        repos.meetings.all(order_by="date; DROP TABLE meeting")


def test_local_staff_is_the_flagged_one(repos: Repositories) -> None:
    assert repos.local_staff() is None
    repos.staff.add(Staff(initials="XX", team=Team.TEAM_UDD_KRIM))
    me = repos.staff.add(Staff(initials="ME", team=Team.TEAM_BESKAEFTIGELSE, is_local_user=True))
    assert repos.local_staff() == me


# -- the file -----------------------------------------------------------------------------------


def test_pragmas_are_durable_and_safe(repos: Repositories) -> None:
    """WAL + synchronous=FULL: a committed record survives a power cut (issue 2 item 2)."""
    assert pragma(repos.db, "journal_mode") == "wal"
    assert pragma(repos.db, "synchronous") == 2  # FULL
    assert pragma(repos.db, "foreign_keys") == 1
    busy = pragma(repos.db, "busy_timeout")
    assert isinstance(busy, int)
    assert busy == BUSY_TIMEOUT_MS > 0


def test_foreign_keys_are_enforced(repos: Repositories) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        repos.meetings.add(Meeting(case_id="missing", meeting_type=MeetingType.SAMTALE, date=D(2026, 1, 5)))
    assert repos.meetings.count() == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_file_is_owner_only_in_an_owner_only_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default location's folders are created owner-only; the file is 0600."""
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(tmp_path / "new" / "deeper"))
    old = os.umask(0o022)  # a typical, permissive umask must not leak into our modes
    try:
        path = database_file()
        db = open_database(path)
        db.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700


def test_device_id_is_made_once_per_file(tmp_path: Path) -> None:
    first = open_database(tmp_path / "a.db")
    one = device_id(first)
    first.close()
    again = open_database(tmp_path / "a.db")
    other = open_database(tmp_path / "b.db")
    try:
        assert device_id(again) == one
        assert device_id(other) != one
    finally:
        again.close()
        other.close()


def test_committed_rows_are_visible_to_a_second_connection(repos: Repositories, db_path: Path) -> None:
    repos.staff.add(Staff(initials="AB", team=Team.TEAM_UDD_KRIM))
    with sqlite3.connect(db_path) as other:
        assert other.execute("SELECT initials FROM staff").fetchall() == [("AB",)]


# -- transactions ---------------------------------------------------------------------------------


def _counts(repos: Repositories) -> dict[str, int]:
    return {name: _repo(repos, name).count() for name in ENTITIES}


def test_failed_multi_row_write_rolls_back_completely(
    casework: CaseworkService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """register_referral writes person, referral and case in one transaction (issue 2 item 4)."""
    repos = casework.repos
    before = _counts(repos)

    def broken_add(record: Case) -> Case:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(repos.cases, "add", broken_add)
    with pytest.raises(DatabaseWriteError):
        casework.register_referral(
            activity="A6_FREMSKUDT_UDD_BESK",
            received_date="01-11-2026",
            source="UDDANNELSESRAADGIVER_CFU",
            display_label="Testperson R",
            birth_year=2001,
            birth_month=3,
            area="RISING",
        )
    assert _counts(repos) == before
    assert repos.persons.count() == 0
    assert repos.referrals.count() == 0
    monkeypatch.undo()
    # the connection is usable afterwards: nothing is left half-open
    casework.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="01-11-2026",
        source="UDDANNELSESRAADGIVER_CFU",
        display_label="Testperson R",
        birth_year=2001,
        birth_month=3,
        area="RISING",
    )
    assert repos.persons.count() == repos.referrals.count() == repos.cases.count() == 1


def test_failed_start_leaves_the_case_referred(
    casework: CaseworkService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """start_case writes consents, the start meeting and the case together, or none of them."""
    repos = casework.repos
    case = casework.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="01-11-2026",
        source="FOLKESKOLE",
        display_label="Testperson U",
        birth_year=2011,
        birth_month=3,
        area="VOLLSMOSE",
    )

    def broken_update(record: Case) -> Case:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(repos.cases, "update", broken_update)
    with pytest.raises(DiskFullError):
        casework.start_case(
            case.id,
            start_mode="MOEDE_MED_OG_OM_DEN_UNGE",
            start_date="02-11-2026",
            consents=["UNG", "FORAELDER"],
            participants=["UNG", "FORAELDER"],
        )
    assert repos.consents.count() == 0
    assert repos.meetings.count() == 0
    assert repos.cases.get(case.id).status is CaseStatus.HENVIST


def test_atomic_block_rolls_back_on_error(repos: Repositories) -> None:
    def add_then_fail() -> None:
        with repos.atomic():
            repos.staff.add(Staff(initials="AB", team=Team.TEAM_UDD_KRIM))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert repos.staff.count() == 0


# -- the case-list read query -----------------------------------------------------------------------


def test_case_summaries_filter_and_order(seeded: CaseworkService) -> None:
    """The seeded caseload (tests/conftest.py): six cases, one closed, one only referred."""
    cases = seeded.repos.cases
    everything = cases.summaries()
    assert [s.display_label for s in everything] == [
        "Dana R",
        "Amal K",
        "Emil S",
        "Bo T",
        "Cem D",
        "Fatima H",
    ]
    assert [s.display_label for s in cases.summaries(status=CaseStatus.HENVIST)] == ["Dana R"]
    assert [s.display_label for s in cases.summaries(activity=Activity.A3_UNGERAADGIVNING)] == ["Cem D"]
    assert [s.display_label for s in cases.summaries(area=Area.STADIONVEJ_SKJOLDSPARKEN)] == ["Emil S"]
    assert [s.display_label for s in cases.summaries(label_like="amal")] == ["Amal K"]  # any case
    assert [s.display_label for s in cases.summaries(limit=2)] == ["Dana R", "Amal K"]
    due = cases.summaries(followup_due_by=D(2026, 11, 22))
    assert sorted(s.display_label for s in due) == ["Amal K", "Bo T", "Cem D"]  # closed Emil S never
    amal = next(s for s in everything if s.display_label == "Amal K")
    assert amal.last_meeting_date == D(2026, 10, 5)  # the 3-partssamtale on the start date
    assert amal.received_date == D(2026, 10, 1)
    assert cases.summaries(person_id=amal.person_id) == [amal]


@pytest.mark.parametrize("pattern", ["%", "_", "\\", "K%"])
def test_label_search_treats_wildcards_literally(seeded: CaseworkService, pattern: str) -> None:
    assert seeded.repos.cases.summaries(label_like=pattern) == []


def test_a_second_writer_waits_for_the_lock_instead_of_failing(repos: Repositories, db_path: Path) -> None:
    """busy_timeout: two windows (or the app and an import) writing at once do not lose a record."""
    other = sqlite3.connect(db_path, timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    released = threading.Event()

    def release_soon() -> None:
        released.wait(0.3)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=release_soon)
    thread.start()
    try:
        repos.staff.add(Staff(initials="AB", team=Team.TEAM_UDD_KRIM))  # blocks until the commit
    finally:
        released.set()
        thread.join()
    assert repos.staff.count() == 1


def test_reading_a_case_asks_the_database_once_per_table_and_never_its_schema(
    seeded: CaseworkService,
) -> None:
    """Tables are built once: reading a case is one SELECT per table, no schema look-ups (issue 8)."""
    (case,) = [s for s in seeded.repos.cases.summaries() if s.display_label == "Cem D"]
    statements: list[str] = []
    seeded.repos.db.conn.set_trace_callback(statements.append)
    try:
        detail = seeded.detail(case.id)
    finally:
        seeded.repos.db.conn.set_trace_callback(None)
    assert detail.consents
    assert not [s for s in statements if "sqlite_master" in s or "pragma" in s.lower()]
    assert len(statements) == 8  # case, person, referral, consents, meetings, outcomes, closures, reopenings

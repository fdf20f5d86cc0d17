"""The demo generator (issue 2 item 5): reproducible, spread like the real caseload, rule-abiding."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mentor_tui.__main__ import open_repositories
from mentor_tui.codes import (
    CASE_ACTIVITIES,
    PLAN_AREAS,
    Activity,
    CaseStatus,
    ConsentGiver,
    OutcomeType,
    StartMode,
)
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.demo import DEMO_SEED, SPAN_DAYS, populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

TODAY = dt.date(2026, 11, 20)
"""A Friday in ISO week 47 (as the shared test clock)."""

WEEK_END = dt.date(2026, 11, 22)
TABLES = ["staff", "person", "referral", "cases", "consent", "meeting", "outcome", "closure", "reopening"]


def _build(path: Path, seed: int = DEMO_SEED, today: dt.date = TODAY, n_cases: int = 300) -> Repositories:
    repos = Repositories(open_database(path))
    populate_demo(repos, today=today, seed=seed, n_cases=n_cases)
    return repos


def _content(repos: Repositories) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, without the device id (each file has its own)."""
    return {
        table: [
            {k: v for k, v in row.items() if k != "device_id"}
            for row in repos.db.query(f"SELECT * FROM {table} ORDER BY id")
        ]
        for table in TABLES
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repositories]:
    """One demo database for the read-only tests of this module."""
    repos = _build(tmp_path_factory.mktemp("demo") / "demo.db")
    yield repos
    repos.db.close()


def _q(repos: Repositories, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return list(repos.db.query(sql, params or []))


# -- reproducible -----------------------------------------------------------------------------


def test_same_seed_and_day_give_identical_rows_ids_included(tmp_path: Path, demo: Repositories) -> None:
    again = _build(tmp_path / "again.db")
    try:
        assert _content(again) == _content(demo)
        assert again.device_id != demo.device_id  # only the device differs
    finally:
        again.db.close()


def test_another_seed_gives_other_data(tmp_path: Path, demo: Repositories) -> None:
    other = _build(tmp_path / "other.db", seed=DEMO_SEED + 1, n_cases=60)
    try:
        mine, theirs = _content(demo), _content(other)
        assert len(theirs["cases"]) == 60
        labels = {p["display_label"] for p in mine["person"]}
        assert {p["display_label"] for p in theirs["person"]} - labels  # other invented initials
        assert {c["id"] for c in theirs["cases"]}.isdisjoint({c["id"] for c in mine["cases"]})
    finally:
        other.db.close()


def test_another_day_moves_the_data_along(tmp_path: Path) -> None:
    later = _build(tmp_path / "later.db", today=TODAY + dt.timedelta(days=30), n_cases=60)
    try:
        (row,) = _q(later, "SELECT MAX(received_date) AS last FROM referral")
        assert row["last"] <= (TODAY + dt.timedelta(days=30)).isoformat()
        assert row["last"] > TODAY.isoformat()
    finally:
        later.db.close()


def test_records_are_stamped_on_the_day_they_happened(demo: Repositories) -> None:
    """The fixed clock walks through the days, so created_at matches the record's own date."""
    rows = _q(
        demo,
        "SELECT r.received_date, r.created_at FROM referral r JOIN cases c ON c.referral_id = r.id",
    )
    assert rows
    assert all(r["created_at"].startswith(r["received_date"]) for r in rows)
    held = _q(demo, "SELECT date, created_at FROM meeting WHERE held = 1")
    assert all(m["created_at"].startswith(m["date"]) for m in held)


# -- spread -----------------------------------------------------------------------------------


def test_about_300_cases_over_all_areas_and_case_activities(demo: Repositories) -> None:
    assert demo.cases.count() == 300
    areas = Counter(r["area"] for r in _q(demo, "SELECT area FROM cases"))
    assert set(PLAN_AREAS) <= set(areas)
    # weighted by residents (DOMAIN.md 1.2): Vollsmose biggest, Stadionvej/Skjoldsparken smallest plan area
    plan_counts = {a: areas[a.value] for a in PLAN_AREAS}
    assert max(plan_counts, key=plan_counts.__getitem__).value == "VOLLSMOSE"
    assert min(plan_counts, key=plan_counts.__getitem__).value == "STADIONVEJ_SKJOLDSPARKEN"
    activities = {r["activity"] for r in _q(demo, "SELECT DISTINCT activity FROM cases")}
    assert activities == {a.value for a in CASE_ACTIVITIES}


def test_every_state_is_present(demo: Repositories) -> None:
    statuses = Counter(r["status"] for r in _q(demo, "SELECT status FROM cases"))
    assert statuses[CaseStatus.HENVIST] > 0
    assert statuses[CaseStatus.AKTIV] > 50
    assert statuses[CaseStatus.AFSLUTTET] > 50
    assert demo.reopenings.count() >= 2
    # A9 → mentor escalation reuses the person (DOMAIN.md 7.3 rule 7)
    assert demo.persons.count() < demo.cases.count()


def test_follow_ups_overdue_due_this_week_and_later(demo: Repositories) -> None:
    service = CaseworkService(Repositories(demo.db))
    due = service.followups_due(TODAY)
    overdue = [s for s in due if s.next_followup_date and s.next_followup_date < TODAY]
    this_week = [s for s in due if s.next_followup_date and TODAY <= s.next_followup_date <= WEEK_END]
    later = _q(
        demo,
        "SELECT id FROM cases WHERE status != 'AFSLUTTET' AND next_followup_date > ?",
        [WEEK_END.isoformat()],
    )
    assert len(overdue) >= 10
    assert len(this_week) >= 3
    assert len(later) >= 20


def test_dates_lie_within_the_18_months_before_today(demo: Repositories) -> None:
    first = (TODAY - dt.timedelta(days=SPAN_DAYS)).isoformat()
    last = TODAY.isoformat()
    for table, column, where in [
        ("referral", "received_date", ""),
        ("cases", "start_date", "WHERE start_date IS NOT NULL"),
        ("meeting", "date", "WHERE held = 1"),
        ("outcome", "date", ""),
        ("closure", "date", ""),
        ("reopening", "date", ""),
    ]:
        (row,) = _q(demo, f"SELECT MIN({column}) AS lo, MAX({column}) AS hi FROM {table} {where}")
        assert first <= row["lo"], (table, row)
        assert row["hi"] <= last, (table, row)
    (planned,) = _q(demo, "SELECT MIN(date) AS lo FROM meeting WHERE held = 0")
    assert planned["lo"] > last  # planned meetings are the future ones


def test_outcomes_feed_the_indicators(demo: Repositories) -> None:
    """E1-E4 need education/job/praktik/løntilskud outcomes in A6-A9; E5 needs FRITIDSJOB in A10."""
    rows = _q(demo, "SELECT c.activity, o.outcome_type FROM outcome o JOIN cases c ON c.id = o.case_id")
    by_activity: dict[str, set[str]] = {}
    for r in rows:
        by_activity.setdefault(r["activity"], set()).add(r["outcome_type"])
    e1_e4 = {OutcomeType.UDDANNELSE_STARTET, OutcomeType.ORDINAERT_JOB, OutcomeType.PRAKTIKPLADS}
    mentor = set().union(*(by_activity.get(a.value, set()) for a in CASE_ACTIVITIES[3:7]))
    assert e1_e4 <= mentor
    assert OutcomeType.LOENTILSKUD in mentor
    assert by_activity[Activity.A10_FRITIDSJOB.value] == {OutcomeType.FRITIDSJOB.value}


def test_many_a6_to_a8_cases_start_with_a_3_partssamtale(demo: Repositories) -> None:
    rows = _q(
        demo,
        "SELECT start_mode, COUNT(*) AS n FROM cases WHERE activity IN (?, ?, ?) "
        "AND start_mode IS NOT NULL GROUP BY start_mode",
        [Activity.A6_FREMSKUDT_UDD_BESK, Activity.A7_MENTOR_AKTIVITETSPARAT, Activity.A8_MENTOR_JOBPARAT],
    )
    counts = {r["start_mode"]: r["n"] for r in rows}
    assert counts[StartMode.TREPARTSSAMTALE] > sum(counts.values()) / 2
    meetings = _q(
        demo,
        "SELECT COUNT(*) AS n FROM meeting m JOIN cases c ON c.id = m.case_id "
        "WHERE m.meeting_type = 'TREPARTSSAMTALE' AND m.date = c.start_date",
    )
    assert meetings[0]["n"] >= counts[StartMode.TREPARTSSAMTALE]


def test_labels_are_synthetic(demo: Repositories) -> None:
    labels = [r["display_label"] for r in _q(demo, "SELECT display_label FROM person")]
    assert all(re.fullmatch(r"Demo \d{3} [A-Z]{2}", label) for label in labels)
    assert len(set(labels)) == len(labels)


# -- rules ------------------------------------------------------------------------------------


def test_every_case_keeps_the_plan_rules(demo: Repositories) -> None:
    """Start modes (DOMAIN.md:947-950), A3 consent (DOMAIN.md:946), closure (DOMAIN.md:951)."""
    service = CaseworkService(Repositories(demo.db))
    for case in demo.cases.all(order_by="id"):
        detail = service.detail(case.id)
        activity_rules = rules.rules_for(case.activity)
        if case.start_mode is not None:
            assert case.start_mode in activity_rules.start_modes, case
            assert case.start_date is not None
            assert detail.referral is not None
            assert case.start_date >= detail.referral.received_date
        if case.activity is Activity.A3_UNGERAADGIVNING and case.start_date is not None:
            assert {c.given_by for c in detail.consents} >= {ConsentGiver.UNG, ConsentGiver.FORAELDER}
        for closure in detail.closures:
            if activity_rules.closure_needs_status:
                assert closure.status_at_closure is not None
            if activity_rules.closure_needs_joint_decision:
                assert closure.joint_decision
        for outcome in detail.outcomes:
            assert case.start_date is not None
            assert case.start_date <= outcome.date <= TODAY
        for meeting in detail.meetings:
            if meeting.next_followup_date is not None:
                assert meeting.next_followup_date >= meeting.date
        if case.status is CaseStatus.AFSLUTTET:
            assert case.next_followup_date is None
            assert detail.closures


def test_most_people_fit_the_target_age_and_a_few_get_warnings(demo: Repositories) -> None:
    """Eligibility warns, never blocks (DOMAIN.md:940); a few demo referrals show the warning."""
    service = CaseworkService(Repositories(demo.db))
    warned = 0
    cases = demo.cases.all(order_by="id")
    for case in cases:
        person = demo.persons.get(case.person_id)
        assert case.referral_id is not None
        referral = demo.referrals.get(case.referral_id)
        warnings = service.referral_warnings(
            case.activity,
            birth_year=person.birth_year,
            birth_month=person.birth_month,
            area=person.area,
            received_date=referral.received_date,
        )
        warned += any(w.code in ("age_below", "age_above") for w in warnings)
    assert 1 <= warned <= len(cases) // 10


@pytest.mark.parametrize("weekday", range(7))
def test_any_day_of_the_week_gives_valid_data(weekday: int) -> None:
    """The generator never breaks a rule, whatever today is (a Sunday ends the week on the day)."""
    today = dt.date(2026, 11, 16) + dt.timedelta(days=weekday)
    db = open_database(None)
    try:
        repos = Repositories(db)
        populate_demo(repos, today=today, seed=weekday, n_cases=40)  # raises on any broken rule
        assert repos.cases.count() == 40
        (row,) = _q(repos, "SELECT MAX(date) AS last FROM meeting WHERE held = 1")
        assert row["last"] <= today.isoformat()
    finally:
        db.close()


def test_every_case_has_a_fitting_case_worker(demo: Repositories) -> None:
    rows = _q(
        demo,
        "SELECT c.activity, s.role, s.initials FROM cases c JOIN staff s ON s.id = c.staff_id",
    )
    assert len(rows) == demo.cases.count()
    roles: dict[str, set[str]] = {r["activity"]: set() for r in rows}
    for r in rows:
        roles[r["activity"]].add(r["role"])
    assert roles[Activity.A3_UNGERAADGIVNING.value] == {"UNGERAADGIVER"}
    assert roles[Activity.A2_FORAELDRERAADGIVNING.value] == {"FORAELDRERAADGIVER"}
    assert roles[Activity.A10_FRITIDSJOB.value] == {"FRITIDSJOB"}
    assert roles[Activity.A7_MENTOR_AKTIVITETSPARAT.value] == {"MENTOR"}
    local = demo.local_staff()
    assert local is not None
    assert local.initials == "DM"


# -- the --demo entry point --------------------------------------------------------------------


def test_demo_database_is_filled_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    repos = open_repositories(path, demo=True)
    count = repos.cases.count()
    repos.db.close()
    assert count == 300
    reopened = open_repositories(path, demo=True)
    try:
        assert reopened.cases.count() == count
    finally:
        reopened.db.close()


def test_generation_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure half-way leaves an empty database, not half a demo."""
    repos = Repositories(open_database(tmp_path / "demo.db"))
    calls = 0
    original = CaseworkService.close_case

    def failing_close(self: CaseworkService, case_id: str, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 20:
            raise RuntimeError("disk on fire")
        return original(self, case_id, **kwargs)

    monkeypatch.setattr(CaseworkService, "close_case", failing_close)
    with pytest.raises(RuntimeError, match="disk on fire"):
        populate_demo(repos, today=TODAY)
    try:
        assert [repos.db.table(t).count for t in TABLES] == [0] * len(TABLES)
    finally:
        repos.db.close()

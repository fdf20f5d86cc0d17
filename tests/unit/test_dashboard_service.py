"""The dashboard service: period stepping, a year earlier, team and "my cases" figures (issue 7 item 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts.dashboard import (
    build_dashboard,
    exact_figures,
    period_label,
    period_of,
    step_period,
)
from mentor_tui.services.counts.export import compute_export
from mentor_tui.services.counts.periods import Period, PeriodKind, a_year_earlier, date_range, parse_period
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.repositories import Repositories


@pytest.mark.parametrize(
    ("code", "steps", "expected"),
    [
        ("2026-W47", 1, "2026-W48"),
        ("2026-W53", 1, "2027-W01"),
        ("2027-W01", -1, "2026-W53"),
        ("PY3-Q1", -1, "PY2-Q4"),
        ("PY2-Q4", 1, "PY3-Q1"),
        ("PY3-Q4", 2, "PY4-Q2"),
        ("PY3", -2, "PY1"),
        ("2026-01-01..2026-01-10", 1, "2026-01-11..2026-01-20"),
    ],
)
def test_step_period(code: str, steps: int, expected: str) -> None:
    stepped = step_period(parse_period(code), steps)
    assert stepped.code == expected
    assert step_period(stepped, -steps) == parse_period(code)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("week", "2026-W47"), ("quarter", "PY3-Q1"), ("year", "PY3"), ("range", "2026-11-20..2026-11-20")],
)
def test_period_of_the_kind_containing_a_day(kind: PeriodKind, expected: str) -> None:
    assert period_of(kind, dt.date(2026, 11, 20)).code == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("2026-W47", "2025-W47"), ("2026-W53", "2025-W52"), ("PY3-Q2", "PY2-Q2"), ("PY3", "PY2")],
)
def test_a_year_earlier(code: str, expected: str) -> None:
    assert a_year_earlier(parse_period(code)).code == expected


def test_period_labels() -> None:
    assert period_label(parse_period("2026-W47")) == "uge 47 2026"
    assert period_label(parse_period("2026-W47"), "en") == "week 47 2026"
    assert period_label(parse_period("PY3-Q1")) == "PY3-Q1"
    assert period_label(date_range("2026-01-01", "2026-01-31")) == "01-01-2026–31-01-2026"


@pytest.fixture
def demo_repos(repos: Repositories) -> Repositories:
    """Demo caseload (synthetic, reproducible) up to the frozen today, 20-11-2026."""
    populate_demo(repos, today=dt.date(2026, 11, 20), n_cases=150)
    return repos


PERIODS: tuple[Period, ...] = (
    parse_period("2026-W46"),
    parse_period("PY3-Q1"),
    parse_period("PY2"),
    parse_period("PY2-Q3"),
    date_range("2025-06-01", "2026-11-20"),
)


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.code)
def test_my_figures_equal_the_export_for_someone_with_every_case(
    demo_repos: Repositories, period: Period
) -> None:
    """One counting code: "my cases" with every case equals the team and the export's summary."""
    (staff,) = [s for s in demo_repos.staff.all() if s.is_local_user]
    demo_repos.db.execute("UPDATE cases SET staff_id = ?", [staff.id])
    demo_repos.db.conn.commit()
    mine = exact_figures(demo_repos, period, staff_id=staff.id)
    assert mine == exact_figures(demo_repos, period)
    export = compute_export(demo_repos, period, internal=True, allow_incomplete=True)
    assert mine == {
        "REFERRALS": export.cell("REFERRALS").value,
        "TREPARTSSAMTALER": export.cell("MEETINGS", breakdown="TREPARTSSAMTALE").value,
        "CASES_ACTIVE": export.cell("CASES_ACTIVE").value,
        "CASES_CLOSED": export.cell("CASES_CLOSED").value,
        **{code: export.cell(code).value for code in ("E1", "E2", "E3", "E4", "E5")},
    }
    assert mine["CASES_ACTIVE"]  # the demo has active cases in every one of these periods


def test_my_figures_count_only_my_cases(seeded: CaseworkService) -> None:
    repos = seeded.repos
    local = seeded.ensure_local_staff("AB")
    (amal,) = [c for c in repos.cases.summaries() if c.display_label == "Amal K"]
    repos.cases.update(repos.cases.get(amal.id).model_copy(update={"staff_id": local.id}))
    figures = exact_figures(repos, parse_period("PY3"), staff_id=local.id)
    assert figures["REFERRALS"] == 1
    assert figures["TREPARTSSAMTALER"] == 1
    assert figures["CASES_ACTIVE"] == 1
    assert figures["CASES_CLOSED"] == 0
    assert exact_figures(repos, parse_period("PY3"), staff_id="nobody") == dict.fromkeys(figures, 0)


def test_team_figures_hide_one_to_four(seeded: CaseworkService) -> None:
    data = build_dashboard(seeded.repos, staff_id=None, threshold=5)
    year = data.comparisons[2].counts
    assert exact_figures(seeded.repos, data.comparisons[2].so_far)["REFERRALS"] == 2
    assert year["REFERRALS"] is None
    assert year["CASES_ACTIVE"] == 5
    assert year["E1"] == 0


def test_my_cases_are_exact(seeded: CaseworkService) -> None:
    local = seeded.ensure_local_staff("AB")
    seeded.repos.db.execute("UPDATE cases SET staff_id = ?", [local.id])
    seeded.repos.db.conn.commit()
    year = build_dashboard(seeded.repos, staff_id=local.id, threshold=5).comparisons[2].counts
    assert year["REFERRALS"] == 2


def test_a_hidden_week_cannot_be_worked_out_from_the_year(casework: CaseworkService) -> None:
    """The trend's weeks add up to the year so far: one hidden week would be the difference."""
    for i in range(6):
        casework.register_referral(
            activity="A8_MENTOR_JOBPARAT",
            received_date="2026-10-06" if i else "2026-11-17",
            source="JOBRAADGIVER",
            display_label=f"P{i}",
            birth_year=1990,
            birth_month=1,
            area="VOLLSMOSE",
        )
    data = build_dashboard(casework.repos, staff_id=None, threshold=5)
    weekly = data.trend.series["REFERRALS"]
    assert None in weekly  # week 47 has 1 referral
    assert data.comparisons[2].counts["REFERRALS"] is None or weekly.count(None) >= 2


def test_dashboard_compares_the_same_days_a_year_earlier(seeded: CaseworkService) -> None:
    data = build_dashboard(seeded.repos, staff_id=None, threshold=5)
    week, quarter, year = data.comparisons
    assert (week.period.code, quarter.period.code, year.period.code) == ("2026-W47", "PY3-Q1", "PY3")
    assert (week.so_far.start, week.so_far.end) == (dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    assert (week.last_year.start, week.last_year.end) == (dt.date(2025, 11, 17), dt.date(2025, 11, 21))
    assert (year.last_year.start, year.last_year.end) == (dt.date(2025, 10, 1), dt.date(2025, 11, 20))
    assert [w.code for w in data.trend.weeks] == [f"2026-W{n}" for n in range(40, 48)]

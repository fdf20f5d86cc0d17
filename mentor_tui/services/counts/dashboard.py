"""Dashboard figures and the period stepping the export and dashboard screens need.

Built on the export service (:mod:`mentor_tui.services.counts.export`,
:mod:`mentor_tui.services.counts.periods`):
team figures come from :func:`~mentor_tui.services.counts.export.dashboard_counts` with its disclosure
control; this module adds the comparison with the same days a year earlier, the weekly trend
over the project year, and the local user's own ("my cases") figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mentor_tui.ages import age_band_on
from mentor_tui.codes import Lang, MeetingType
from mentor_tui.dates import format_date, week_label
from mentor_tui.services.counts.export import dashboard_counts
from mentor_tui.services.counts.metrics import INDICATOR_RULES, active_during
from mentor_tui.services.counts.periods import (
    Period,
    PeriodKind,
    date_range,
    project_year,
    project_year_number,
    quarter_of,
    week_of,
)
from mentor_tui.storage.repositories import Repositories

PERIOD_KINDS: tuple[PeriodKind, ...] = ("week", "quarter", "year", "range")
"""The kinds of period the picker offers, in its order."""


def period_of(kind: PeriodKind, day: dt.date) -> Period:
    """Return the period of ``kind`` containing ``day`` (a range: just that day)."""
    if kind == "week":
        return week_of(day)
    if kind == "quarter":
        return quarter_of(day)
    if kind == "year":
        return project_year(project_year_number(day))
    return date_range(day, day)


def step_period(period: Period, steps: int) -> Period:
    """Return the period ``steps`` periods after ``period`` (before it, when negative).

    Weeks step by ISO week, quarters and years by project quarter and year, and a range by its
    own length, so that ``→`` then ``←`` always returns to where it started.
    """
    if period.kind == "week":
        return week_of(period.start + dt.timedelta(weeks=steps))
    if period.kind == "quarter":
        month0 = period.start.year * 12 + period.start.month - 1 + 3 * steps
        return quarter_of(dt.date(month0 // 12, month0 % 12 + 1, 1))
    if period.kind == "year":
        return project_year(project_year_number(period.start) + steps)
    shift = dt.timedelta(days=period.days * steps)
    return date_range(period.start + shift, period.end + shift)


def period_label(period: Period, lang: Lang = "da") -> str:
    """Return how the period is named on screen: ``uge 47 2026``, ``PY3-Q1``, ``PY3``, or the dates."""
    if period.kind == "week":
        return f"{week_label(period.start, lang)} {period.start.isocalendar().year}"
    if period.kind in ("quarter", "year"):
        return period.code
    return f"{format_date(period.start, lang)}–{format_date(period.end, lang)}"


# -- dashboard ------------------------------------------------------------------------------------

DASHBOARD_METRICS: tuple[str, ...] = (
    "REFERRALS",
    "TREPARTSSAMTALER",
    "CASES_ACTIVE",
    "CASES_CLOSED",
    "E1",
    "E2",
    "E3",
    "E4",
    "E5",
)
"""The main counts the dashboard shows, in its row order."""

TREND_METRICS: tuple[str, ...] = ("REFERRALS", "TREPARTSSAMTALER")
"""The weekly series plotted over the project year."""


Figures = dict[str, int | None]
"""Counts by metric code (:data:`DASHBOARD_METRICS`); ``None`` where disclosure control hides one."""


def team_figures(repos: Repositories, period: Period, *, threshold: int) -> Figures:
    """Return the whole team's counts of ``period`` under the export's disclosure control."""
    counts = dashboard_counts(repos, period, threshold=threshold)
    return {
        "REFERRALS": counts.referrals,
        "TREPARTSSAMTALER": counts.tripartite_meetings,
        "CASES_ACTIVE": counts.active,
        "CASES_CLOSED": counts.closed,
        **counts.indicators,
    }


def my_figures(repos: Repositories, period: Period, *, staff_id: str) -> Figures:
    """Return the exact counts of ``period`` over the cases whose case worker is ``staff_id``.

    The export service counts the whole database, so this applies the same definitions
    (``export_metrics.active_during`` and ``INDICATOR_RULES``, age by ``ages.age_band_on``) to
    one staff member's cases through the repositories. A test checks that, for a staff member
    who has every case, the figures equal :func:`dashboard_counts`'s exact ones.
    """
    figures: Figures = dict.fromkeys(DASHBOARD_METRICS, 0)
    cases = {c.id: c for c in repos.cases.of_staff(staff_id)}
    if not cases:
        return figures
    referrals = repos.referrals.with_ids(c.referral_id for c in cases.values() if c.referral_id)
    figures["REFERRALS"] = sum(1 for r in referrals if r.received_date in period)
    figures["TREPARTSSAMTALER"] = sum(
        1
        for m in repos.meetings.of_cases(cases)
        if m.held and m.meeting_type is MeetingType.TREPARTSSAMTALE and m.date in period
    )
    closures = repos.closures.of_cases(cases)
    figures["CASES_CLOSED"] = sum(1 for x in closures if x.date in period)
    events = sorted(
        [(x.case_id, x.date, x.created_at, True) for x in closures]
        + [(r.case_id, r.date, r.created_at, False) for r in repos.reopenings.of_cases(cases)]
    )
    history: dict[str, list[tuple[dt.date, bool]]] = {case_id: [] for case_id in cases}
    for case_id, day, _created, is_closure in events:
        history[case_id].append((day, is_closure))
    figures["CASES_ACTIVE"] = sum(
        1
        for c in cases.values()
        if c.start_date is not None and active_during(c.start_date, history[c.id], period.start, period.end)
    )
    persons = {p.id: p for p in repos.persons.with_ids(c.person_id for c in cases.values())}
    outcomes = [o for o in repos.outcomes.of_cases(cases) if o.date in period]
    for code, (wanted, band) in INDICATOR_RULES.items():
        found: set[str] = set()
        for outcome in outcomes:
            person = persons[cases[outcome.case_id].person_id]
            if outcome.outcome_type in wanted and (
                band is None or age_band_on(person.birth_year, person.birth_month, outcome.date) == band
            ):
                found.add(person.id)
        figures[code] = len(found)
    return figures


def figures_for(repos: Repositories, period: Period, *, staff_id: str | None, threshold: int) -> Figures:
    """Return the team's disclosed figures (``staff_id`` None) or one staff member's exact ones."""
    if staff_id is None:
        return team_figures(repos, period, threshold=threshold)
    return my_figures(repos, period, staff_id=staff_id)


@dataclass(frozen=True)
class Comparison:
    """One period's counts so far beside the same days a year earlier."""

    period: Period
    """The whole period (this week, quarter or project year)."""
    previous: Period
    """The whole period of the same kind a year earlier."""
    so_far: Period
    """The period from its first day up to today."""
    last_year: Period
    """The same number of days from the start of :attr:`previous`."""
    counts: Figures
    last_year_counts: Figures


@dataclass(frozen=True)
class Trend:
    """Weekly counts over the project year so far, one series per metric of :data:`TREND_METRICS`."""

    weeks: tuple[Period, ...]
    series: dict[str, tuple[int | None, ...]]


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, for one mode."""

    today: dt.date
    staff_id: str | None
    """The local user's staff id in "my cases" mode; ``None`` for the whole team."""
    comparisons: tuple[Comparison, ...]
    """This week, this project quarter and this project year, in that order."""
    trend: Trend


def a_year_earlier(period: Period) -> Period:
    """Return the period of the same kind one year before ``period``.

    A week maps to the same ISO week number of the year before (week 53 to week 52 when that
    year has none), a project quarter or year to the one of the project year before.
    """
    if period.kind == "week":
        iso = period.start.isocalendar()
        week = min(iso.week, dt.date(iso.year - 1, 12, 28).isocalendar().week)
        return week_of(dt.date.fromisocalendar(iso.year - 1, week, 1))
    if period.kind == "quarter":
        return quarter_of(period.start.replace(year=period.start.year - 1))
    if period.kind == "year":
        return project_year(project_year_number(period.start) - 1)
    return date_range(_minus_year(period.start), _minus_year(period.end))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _first_days(period: Period, days: int) -> Period:
    end = min(period.end, period.start + dt.timedelta(days=days - 1))
    return date_range(period.start, end)


def compare(
    repos: Repositories, period: Period, today: dt.date, *, staff_id: str | None, threshold: int
) -> Comparison:
    """Count ``period`` up to ``today`` and the same number of days of the period a year earlier."""
    days = max(1, (min(today, period.end) - period.start).days + 1)
    so_far = _first_days(period, days)
    previous = a_year_earlier(period)
    last_year = _first_days(previous, days)
    return Comparison(
        period=period,
        previous=previous,
        so_far=so_far,
        last_year=last_year,
        counts=figures_for(repos, so_far, staff_id=staff_id, threshold=threshold),
        last_year_counts=figures_for(repos, last_year, staff_id=staff_id, threshold=threshold),
    )


def weekly_trend(repos: Repositories, today: dt.date, *, staff_id: str | None, threshold: int) -> Trend:
    """Return the weekly counts from the first week of the current project year to this week."""
    year = project_year(project_year_number(today))
    weeks: list[Period] = []
    week = week_of(year.start)
    while week.start <= today:
        weeks.append(week)
        week = step_period(week, 1)
    counted = [figures_for(repos, w, staff_id=staff_id, threshold=threshold) for w in weeks]
    return Trend(tuple(weeks), {m: tuple(c.get(m, 0) for c in counted) for m in TREND_METRICS})


def build_dashboard(repos: Repositories, *, staff_id: str | None, threshold: int) -> DashboardData:
    """Compute the dashboard as of ``repos.clock.today()``.

    Args:
        repos: The repositories.
        staff_id: Count only this staff member's cases, exactly ("my cases"); ``None`` for the
            whole team under disclosure control.
        threshold: The suppression threshold of team figures.
    """
    today = repos.clock.today()
    periods = (week_of(today), quarter_of(today), project_year(project_year_number(today)))
    return DashboardData(
        today=today,
        staff_id=staff_id,
        comparisons=tuple(compare(repos, p, today, staff_id=staff_id, threshold=threshold) for p in periods),
        trend=weekly_trend(repos, today, staff_id=staff_id, threshold=threshold),
    )

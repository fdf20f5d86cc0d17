"""Dashboard figures and the period stepping the export and dashboard screens need.

One definition of every figure: the dashboard counts with the export's counting code
(:func:`mentor_tui.services.counts.metrics.count_metric`, the SQL in ``storage/counts.py``) and
the export's summary lines, and hides team figures through the export's disclosure control
(:func:`mentor_tui.services.counts.protection.hide`) over every figure it shows at once, with
the weekly trend as the parts of the project year so far. "My cases" is the same counting code
with a staff filter (exact figures: the user's own cases).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mentor_tui.codes import Lang, MeetingType
from mentor_tui.services.counts import protection
from mentor_tui.services.counts.metrics import ALL, METRIC_BY_CODE, Counts, count_metric
from mentor_tui.services.counts.periods import (
    Period,
    PeriodKind,
    a_year_earlier,
    date_range,
    first_days,
    project_year,
    project_year_number,
    quarter_of,
    week_of,
)
from mentor_tui.services.counts.tables import CellKey, Relation, period_text
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
    return period_text(period, lang)


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

_LINES: dict[str, tuple[str, str]] = {
    "REFERRALS": ("REFERRALS", ALL),
    "TREPARTSSAMTALER": ("MEETINGS", MeetingType.TREPARTSSAMTALE.value),
    "CASES_ACTIVE": ("CASES_ACTIVE", ALL),
    "CASES_CLOSED": ("CASES_CLOSED", ALL),
    **{code: (code, ALL) for code in ("E1", "E2", "E3", "E4", "E5")},
}
"""Each dashboard figure as a line of the export's summary: ``(metric, breakdown)``."""


def figure_key(figure: str, period: Period) -> CellKey:
    """Return the export cell a dashboard figure of ``period`` is (the same id as in a file)."""
    metric, breakdown = _LINES[figure]
    return CellKey(metric, period.start, period.end, breakdown=breakdown)


class _Counter:
    """Counts export cells once each, for the whole team or one case worker."""

    def __init__(self, repos: Repositories, staff_id: str | None) -> None:
        self.repos = repos
        self.staff_id = staff_id
        self._counts: dict[tuple[str, dt.date, dt.date], Counts] = {}

    def value(self, key: CellKey) -> int:
        slot = (key.metric, key.start, key.end)
        if slot not in self._counts:
            self._counts[slot] = count_metric(
                self.repos.db, METRIC_BY_CODE[key.metric], key.start, key.end, staff_id=self.staff_id
            )
        return self._counts[slot].get(key.coords, 0)


def exact_figures(repos: Repositories, period: Period, *, staff_id: str | None = None) -> dict[str, int]:
    """Return the exact dashboard figures of ``period`` (``staff_id``: only that case worker's cases)."""
    counter = _Counter(repos, staff_id)
    return {figure: counter.value(figure_key(figure, period)) for figure in DASHBOARD_METRICS}


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


def trend_weeks(today: dt.date) -> tuple[Period, ...]:
    """Return the ISO weeks of the current project year up to ``today``, cut to the year and to today.

    The first week starts on 1 October and the last ends today, so the weeks' counts add up to
    the project year so far (the relation disclosure control protects).
    """
    year = project_year(project_year_number(today))
    weeks: list[Period] = []
    week = week_of(year.start)
    while week.start <= today:
        start = max(week.start, year.start)
        weeks.append(Period("week", week.code, start, min(week.end, today)))
        week = step_period(week, 1)
    return tuple(weeks)


def _windows(period: Period, today: dt.date) -> tuple[Period, Period, Period]:
    days = max(1, (min(today, period.end) - period.start).days + 1)
    previous = a_year_earlier(period)
    return first_days(period, days), previous, first_days(previous, days)


def build_dashboard(repos: Repositories, *, staff_id: str | None, threshold: int) -> DashboardData:
    """Compute the dashboard as of ``repos.clock.today()``.

    Args:
        repos: The repositories.
        staff_id: Count only this staff member's cases, exactly ("my cases"); ``None`` for the
            whole team under disclosure control.
        threshold: The suppression threshold of team figures.

    Raises:
        MentorError: ``threshold`` is below 3.
    """
    today = repos.clock.today()
    counter = _Counter(repos, staff_id)
    periods = (week_of(today), quarter_of(today), project_year(project_year_number(today)))
    windows = [_windows(p, today) for p in periods]
    weeks = trend_weeks(today)
    keys: list[CellKey] = []
    for so_far, _previous, last_year in windows:
        keys += [figure_key(f, so_far) for f in DASHBOARD_METRICS]
        keys += [figure_key(f, last_year) for f in DASHBOARD_METRICS]
    keys += [figure_key(f, w) for f in TREND_METRICS for w in weeks]
    values = {key: counter.value(key) for key in keys}
    hidden: frozenset[CellKey] = frozenset()
    if staff_id is None:
        year_so_far = windows[2][0]
        relations = [
            Relation(figure_key(f, year_so_far), tuple(figure_key(f, w) for w in weeks), "additive")
            for f in TREND_METRICS
        ]
        hidden = protection.hide(values, relations, threshold)

    def shown(key: CellKey) -> int | None:
        return None if key in hidden else values[key]

    def figures(period: Period) -> Figures:
        return {f: shown(figure_key(f, period)) for f in DASHBOARD_METRICS}

    comparisons = tuple(
        Comparison(p, previous, so_far, last_year, figures(so_far), figures(last_year))
        for p, (so_far, previous, last_year) in zip(periods, windows, strict=True)
    )
    series = {f: tuple(shown(figure_key(f, w)) for w in weeks) for f in TREND_METRICS}
    return DashboardData(today, staff_id, comparisons, Trend(weeks, series))

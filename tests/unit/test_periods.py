"""Reporting periods: ISO weeks, project years and quarters, explicit ranges (issue 4 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from mentor_tui.errors import MentorError
from mentor_tui.services.counts.periods import (
    a_year_earlier,
    date_range,
    is_complete,
    iso_week,
    last_complete_week,
    parse_period,
    project_quarter,
    project_year,
    project_year_number,
    quarter_of,
    week_of,
    years_to_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("code", "kind", "norm", "start", "end"),
    [
        ("2026-W47", "week", "2026-W47", D(2026, 11, 16), D(2026, 11, 22)),
        ("2026w7", "week", "2026-W07", D(2026, 2, 9), D(2026, 2, 15)),
        ("2026-W53", "week", "2026-W53", D(2026, 12, 28), D(2027, 1, 3)),
        ("2025-W01", "week", "2025-W01", D(2024, 12, 30), D(2025, 1, 5)),
        ("PY1", "year", "PY1", D(2024, 10, 1), D(2025, 9, 30)),
        ("py3", "year", "PY3", D(2026, 10, 1), D(2027, 9, 30)),
        ("PY1-Q1", "quarter", "PY1-Q1", D(2024, 10, 1), D(2024, 12, 31)),
        ("PY1-Q2", "quarter", "PY1-Q2", D(2025, 1, 1), D(2025, 3, 31)),
        ("PY2-Q4", "quarter", "PY2-Q4", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-01-01..2026-03-31", "range", "2026-01-01..2026-03-31", D(2026, 1, 1), D(2026, 3, 31)),
        ("01-01-2026..31-03-2026", "range", "2026-01-01..2026-03-31", D(2026, 1, 1), D(2026, 3, 31)),
    ],
)
def test_parse_period_codes(code: str, kind: str, norm: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(code)
    assert (period.kind, period.code, period.start, period.end) == (kind, norm, start, end)


@pytest.mark.parametrize(
    ("code", "da_part", "en_part"),
    [
        ("2025-W53", "Uge 53 findes ikke i 2025", "Week 53 does not exist in 2025"),
        ("PY1-Q5", "Kvartal 5 findes ikke", "Quarter 5 does not exist"),
        ("PY0", "PY1", "PY1"),
        ("uge 47", "er ikke en periode", "is not a period"),
        ("2026-03-31..2026-01-01", "før den begynder", "before it starts"),
        ("2026-02-30..2026-03-01", "findes ikke i kalenderen", "not a calendar date"),
    ],
)
def test_bad_period_codes_give_bilingual_errors(code: str, da_part: str, en_part: str) -> None:
    with pytest.raises(MentorError) as info:
        parse_period(code)
    assert da_part in info.value.text("da")
    assert en_part in info.value.text("en")


def test_default_is_the_last_complete_iso_week() -> None:
    # Friday of week 47 -> week 46; a Monday -> the week that ended the day before
    assert last_complete_week(D(2026, 11, 20)).code == "2026-W46"
    assert last_complete_week(D(2026, 11, 23)).code == "2026-W47"
    assert last_complete_week(D(2026, 1, 2)).code == "2025-W52"


def test_project_years_and_quarters_tile_the_calendar() -> None:
    day = D(2024, 10, 1)
    while day <= D(2028, 9, 30):
        year = project_year(project_year_number(day))
        quarter = quarter_of(day)
        assert day in year
        assert day in quarter
        assert quarter.code.startswith(year.code + "-Q")
        assert day in week_of(day)
        day += dt.timedelta(days=17)
    assert [project_quarter(2, q).days for q in range(1, 5)] == [92, 90, 91, 92]


def test_years_to_date() -> None:
    (ytd,) = years_to_date(iso_week(2026, 47))
    assert (ytd.code, ytd.start, ytd.end) == ("PY3..2026-11-22", D(2026, 10, 1), D(2026, 11, 22))
    (whole,) = years_to_date(project_year(3))
    assert (whole.code, whole.start, whole.end) == ("PY3", D(2026, 10, 1), D(2027, 9, 30))
    (q2,) = years_to_date(project_quarter(3, 2))
    assert (q2.start, q2.end) == (D(2026, 10, 1), D(2027, 3, 31))


def test_a_week_across_30_september_gets_both_project_years() -> None:
    """2026-W40 (28 Sep-4 Oct): the whole PY2 that ends in it, and PY3 to 4 October."""
    ended, begun = years_to_date(iso_week(2026, 40))
    assert (ended.code, ended.start, ended.end) == ("PY2", D(2025, 10, 1), D(2026, 9, 30))
    assert (begun.code, begun.start, begun.end) == ("PY3..2026-10-04", D(2026, 10, 1), D(2026, 10, 4))


def test_every_day_of_a_project_year_is_in_its_weeks_year_to_date() -> None:
    """Issue 7 item 5: no outcome dated in a project year may be missing from every weekly figure."""
    day = D(2024, 10, 1)
    while day <= D(2028, 10, 10):
        year = project_year(project_year_number(day))
        ytds = years_to_date(week_of(day))
        assert any(y.start == year.start and y.start <= day <= y.end for y in ytds), day
        day += dt.timedelta(days=1)


def test_a_year_earlier_and_completeness() -> None:
    assert a_year_earlier(iso_week(2026, 47)).code == "2025-W47"
    assert a_year_earlier(date_range("2024-02-29", "2024-03-01")).start == D(2023, 2, 28)
    assert is_complete(iso_week(2026, 46), D(2026, 11, 20))
    assert not is_complete(iso_week(2026, 47), D(2026, 11, 22))  # ends today: not over yet
    assert is_complete(iso_week(2026, 47), D(2026, 11, 23))


def test_range_file_code_has_no_dots() -> None:
    assert date_range("2026-01-01", "2026-01-31").file_code == "2026-01-01_2026-01-31"

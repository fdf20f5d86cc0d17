"""Reporting periods: ISO weeks, project quarters and years, and explicit date ranges (issue 4).

Pure functions, no database. The plan year runs 1 October to 30 September; project year 1
(``PY1``) is 2024-10-01..2025-09-30 and ``PY1-Q1`` is October-December 2024 (DOMAIN.md 7.3
rule 9). Codes are what the user types after ``--period`` and what the export files carry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from mentor_tui.dates import parse_date
from mentor_tui.errors import InputError, MentorError
from mentor_tui.i18n import Bilingual

PeriodKind = Literal["week", "quarter", "year", "range"]
"""What kind of period a :class:`Period` is."""

FIRST_PROJECT_YEAR_START = dt.date(2024, 10, 1)
"""The first day of project year 1 [002:27]."""

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*PY(\d{1,2})\s*$", re.IGNORECASE)
_QUARTER = re.compile(r"^\s*PY(\d{1,2})-?Q(\d)\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(\S+)\s*(?:\.\.|/)\s*(\S+)\s*$")

_FORMATS_DA = "skriv fx 2026-W47 (uge), PY1 (projektår), PY1-Q1 (projektkvartal) eller 2026-01-01..2026-03-31"
_FORMATS_EN = (
    "type e.g. 2026-W47 (week), PY1 (project year), PY1-Q1 (project quarter) or 2026-01-01..2026-03-31"
)


@dataclass(frozen=True)
class Period:
    """A closed range of days with a code, e.g. ``2026-W47`` = 2026-11-16..2026-11-22."""

    kind: PeriodKind
    code: str
    start: dt.date
    end: dt.date
    """The last day, included."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    @property
    def file_code(self) -> str:
        """The code as it may appear in a file name (no ``..``)."""
        return self.code.replace("..", "_")

    def until(self, last: dt.date) -> Period:
        """Return this period cut off after ``last`` (same kind and code): what an incomplete
        period is counted over."""
        if last >= self.end:
            return self
        return Period(self.kind, self.code, self.start, max(self.start, last))


def iso_week(year: int, week: int) -> Period:
    """Return ISO week ``week`` of ``year`` (Monday to Sunday).

    Raises:
        MentorError: the year has no such week.
    """
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise MentorError(
            Bilingual(f"Uge {week} findes ikke i {year}", f"Week {week} does not exist in {year}"),
        ) from None
    return Period("week", f"{year:04d}-W{week:02d}", start, start + dt.timedelta(days=6))


def week_of(day: dt.date) -> Period:
    """Return the ISO week that contains ``day``."""
    iso = day.isocalendar()
    return iso_week(iso.year, iso.week)


def last_complete_week(today: dt.date) -> Period:
    """Return the ISO week before the one containing ``today`` (the default export period)."""
    return week_of(today - dt.timedelta(days=7))


def project_year_number(day: dt.date) -> int:
    """Return the number of the project year containing ``day`` (0 or less before PY1)."""
    return day.year - FIRST_PROJECT_YEAR_START.year + (1 if day.month >= 10 else 0)


def project_year(number: int) -> Period:
    """Return project year ``number``: 1 October to 30 September (``PY1`` starts 2024-10-01)."""
    start = dt.date(FIRST_PROJECT_YEAR_START.year + number - 1, 10, 1)
    return Period("year", f"PY{number}", start, dt.date(start.year + 1, 9, 30))


def project_quarter(number: int, quarter: int) -> Period:
    """Return quarter ``quarter`` (1-4) of project year ``number``; Q1 is October-December.

    Raises:
        MentorError: ``quarter`` is not 1-4.
    """
    if not 1 <= quarter <= 4:
        raise MentorError(
            Bilingual(
                f"Kvartal {quarter} findes ikke; et projektår har kvartal 1-4",
                f"Quarter {quarter} does not exist; a project year has quarters 1-4",
            ),
        )
    year_start = project_year(number).start
    month0 = year_start.month - 1 + 3 * (quarter - 1)  # 0-based month counted from January
    start = dt.date(year_start.year + month0 // 12, month0 % 12 + 1, 1)
    next0 = month0 + 3
    end = dt.date(year_start.year + next0 // 12, next0 % 12 + 1, 1) - dt.timedelta(days=1)
    return Period("quarter", f"PY{number}-Q{quarter}", start, end)


def quarter_of(day: dt.date) -> Period:
    """Return the project quarter containing ``day``."""
    number = project_year_number(day)
    months_in = (day.month - 10) % 12
    return project_quarter(number, months_in // 3 + 1)


def date_range(start: dt.date | str, end: dt.date | str) -> Period:
    """Return the explicit range ``start``..``end`` (both days included).

    Dates may be ``dd-mm-åååå`` or ISO text.

    Raises:
        MentorError: a date cannot be read, or the range ends before it starts.
    """
    first = _date(start, "fra", "from")
    last = _date(end, "til", "to")
    if last < first:
        raise MentorError(
            Bilingual(
                f"Perioden slutter ({last.isoformat()}) før den begynder ({first.isoformat()})",
                f"The period ends ({last.isoformat()}) before it starts ({first.isoformat()})",
            ),
        )
    return Period("range", f"{first.isoformat()}..{last.isoformat()}", first, last)


def parse_period(text: str) -> Period:
    """Parse a period code: ``2026-W47``, ``PY1``, ``PY1-Q1`` or ``2026-01-01..2026-03-31``.

    Raises:
        MentorError: the text is not a period (the message lists the accepted forms).
    """
    m = _WEEK.match(text)
    if m:
        return iso_week(int(m[1]), int(m[2]))
    m = _QUARTER.match(text)
    if m:
        return project_quarter(_year_number(int(m[1])), int(m[2]))
    m = _YEAR.match(text)
    if m:
        return project_year(_year_number(int(m[1])))
    m = _RANGE.match(text)
    if m:
        return date_range(m[1], m[2])
    raise MentorError(
        Bilingual(
            f"«{text.strip()}» er ikke en periode; {_FORMATS_DA}",
            f"“{text.strip()}” is not a period; {_FORMATS_EN}",
        ),
    )


def _year_number(number: int) -> int:
    if number < 1:
        raise MentorError(
            Bilingual(
                "Projektårene tælles fra PY1 (2024-10-01 til 2025-09-30)",
                "Project years count from PY1 (2024-10-01 to 2025-09-30)",
            ),
        )
    return number


def _date(value: dt.date | str, name_da: str, name_en: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except InputError as exc:
        raise MentorError(
            Bilingual(f"Datoen «{name_da}»: {exc.message.da}", f"The “{name_en}” date: {exc.message.en}")
        ) from None


def years_to_date(period: Period) -> tuple[Period, ...]:
    """Return the project-year-to-date periods of ``period``, one per project year it overlaps.

    The rule (issue 7 item 5; DOMAIN.md 3.3 and 4: E1-E5 are followed per project year, and
    weekly files carry year-to-date figures so nobody adds up weeks): for every project year that
    has a day in ``period``, the days from that year's 1 October up to the period's last day or
    the year's 30 September, whichever comes first.

    Most periods lie in one project year and get one figure. A week that straddles 30 Sep / 1 Oct
    (2026-W40 = 28 Sep-4 Oct 2026) gets two: the whole project year that ended inside it
    (``PY2``, 1 Oct 2025-30 Sep 2026) and the new one to date (``PY3``, 1-4 Oct 2026). So every
    day of a project year is in the year-to-date figure of the week that holds it, and the last
    weekly figure of a project year equals the yearly file's.
    """
    found: list[Period] = []
    for number in range(project_year_number(period.start), project_year_number(period.end) + 1):
        year = project_year(number)
        end = min(year.end, period.end)
        code = year.code if end == year.end else f"{year.code}..{end.isoformat()}"
        found.append(Period("year" if end == year.end else "range", code, year.start, end))
    return tuple(found)


def a_year_earlier(period: Period) -> Period:
    """Return the period of the same kind one year before ``period``.

    A week maps to the same ISO week number of the year before (week 53 to week 52 when that
    year has none), a project quarter or year to the one of the project year before, a range to
    the same dates a year earlier (29 February to 28 February).
    """
    if period.kind == "week":
        iso = period.start.isocalendar()
        week = min(iso.week, dt.date(iso.year - 1, 12, 28).isocalendar().week)
        return week_of(dt.date.fromisocalendar(iso.year - 1, week, 1))
    if period.kind == "quarter":
        return quarter_of(_minus_year(period.start))
    if period.kind == "year":
        return project_year(project_year_number(period.start) - 1)
    return date_range(_minus_year(period.start), _minus_year(period.end))


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def first_days(period: Period, days: int) -> Period:
    """Return the first ``days`` days of ``period`` (all of it if it is shorter), same kind and code."""
    return period.until(period.start + dt.timedelta(days=days - 1))


def is_complete(period: Period, today: dt.date) -> bool:
    """Return whether ``period`` has ended: its last day is before ``today``.

    A period that ends today has not ended: registrations of today may still come.
    """
    return period.end < today

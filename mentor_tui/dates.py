"""Dates as Danish users type and read them: ``dd-mm-åååå`` (or ISO), weeks as "uge 47".

One parser per kind of input, shared by the forms and the spreadsheet import: :func:`parse_date`
(a date), :func:`parse_user_date` (a date, or ``+14`` / ``+2u`` from today, in forms),
:func:`parse_year_month` (a birth year and month). Each raises
:class:`~mentor_tui.errors.InputError` with a message in both languages.
"""

from __future__ import annotations

import datetime as dt
import re

from mentor_tui.errors import InputError
from mentor_tui.i18n import Bilingual, Lang

_RELATIVE = re.compile(r"^\s*\+\s*(\d{1,3})\s*([duw]?)\s*$", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-./ ]?\s*(\d{1,2})\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[-./ ]\s*(\d{4})\s*$")
BIRTH_YEARS = range(1900, 2101)
"""Years a birth year-month may have."""
_DMY = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> dt.date:
    """Parse ``dd-mm-åååå`` (also with ``.`` or ``/``) or ISO ``åååå-mm-dd``.

    Raises:
        InputError: not a date; the message says so in Danish and English.
    """
    m = _DMY.match(text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = _ISO.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InputError(
            Bilingual(
                f"«{text.strip()}» findes ikke i kalenderen", f"“{text.strip()}” is not a calendar date"
            )
        ) from None
    raise InputError(
        Bilingual(
            f"«{text.strip()}» er ikke en dato; skriv dd-mm-åååå",
            f"“{text.strip()}” is not a date; type dd-mm-yyyy",
        )
    )


def parse_user_date(text: str, today: dt.date) -> dt.date:
    """Parse what a user typed into a date field of a form.

    Args:
        text: ``dd-mm-åååå``, ``åååå-mm-dd``, ``+N`` days or ``+Nu`` / ``+Nw`` weeks.
        today: the day relative dates count from.

    Raises:
        InputError: the text is not a date (message in Danish and English).
    """
    m = _RELATIVE.match(text)
    if m:
        n = int(m[1])
        return today + dt.timedelta(weeks=n) if m[2].lower() in {"u", "w"} else today + dt.timedelta(days=n)
    return parse_date(text)


def parse_year_month(text: str) -> tuple[int, int]:
    """Parse a birth year and month, as typed in the referral form or written in an import file.

    Accepts ``åååå-mm``, ``ååååmm``, ``mm-åååå`` (``-``, ``.``, ``/`` or a space between) and a
    whole date (``dd-mm-åååå`` or ISO), whose day is dropped: only the month is kept.

    Returns:
        ``(year, month)``, the year within :data:`BIRTH_YEARS`.

    Raises:
        InputError: not a year and month (the message does not repeat what was typed).
    """
    year_month: tuple[int, int] | None = None
    if m := _YEAR_MONTH.match(text):
        year_month = int(m[1]), int(m[2])
    elif m := _MONTH_YEAR.match(text):
        year_month = int(m[2]), int(m[1])
    else:
        try:
            day = parse_date(text)
        except InputError:
            pass
        else:
            year_month = day.year, day.month
    if year_month is None or year_month[0] not in BIRTH_YEARS or not 1 <= year_month[1] <= 12:
        raise InputError(
            Bilingual(
                "Skriv fødselsår og -måned som åååå-mm, fx 2004-03",
                "Type the birth year and month as yyyy-mm, e.g. 2004-03",
            )
        )
    return year_month


def format_year_month(year: int, month: int) -> str:
    """Return ``åååå-mm``, as a birth year-month is shown."""
    return f"{year:04d}-{month:02d}"


def week_start(day: dt.date) -> dt.date:
    """Return the Monday that starts ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def week_end(day: dt.date) -> dt.date:
    """Return the Sunday that ends ``day``'s ISO week (the last day "this week" covers)."""
    return day + dt.timedelta(days=6 - day.weekday())


def coerce_date(value: object) -> object:
    """Pydantic before-validator: accept ``dd-mm-åååå`` strings as well as ISO and dates."""
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
            try:  # as stored (ISO): the fast way, for every date read from the database
                return dt.date.fromisoformat(value)
            except ValueError:
                pass  # parse_date says what is wrong
        if not value.strip():
            return None
        return parse_date(value)
    return value


def format_date(value: dt.date | None, lang: Lang = "da") -> str:
    """Return ``dd-mm-åååå`` (both languages use the Danish order; users are in Denmark)."""
    if value is None:
        return ""
    return value.strftime("%d-%m-%Y")


def week_label(value: dt.date, lang: Lang | None = None) -> str:
    """Return the ISO week, e.g. ``uge 47`` (``week 47`` in English; default: the UI language)."""
    return Bilingual("uge {week}", "week {week}").format(week=value.isocalendar().week).text(lang)

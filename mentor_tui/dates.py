"""Dates as Danish users type and read them: ``dd-mm-åååå`` (or ISO), weeks as "uge 47"."""

from __future__ import annotations

import datetime as dt
import re

from mentor_tui.errors import InputError
from mentor_tui.i18n import Bilingual, Lang

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


def coerce_date(value: object) -> object:
    """Pydantic before-validator: accept ``dd-mm-åååå`` strings as well as ISO and dates."""
    if isinstance(value, str):
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

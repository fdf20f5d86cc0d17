"""Ages from a birth year-month: whole years on a date, and the age band counts are grouped by.

Plain domain knowledge below storage, so both the plan's rules (``services.casework.rules``) and the
counting queries (``storage``/``services.counts``) use this one definition.
"""

from __future__ import annotations

from datetime import date

from mentor_tui.codes import AgeBand


def age_on(birth_year: int, birth_month: int, on: date) -> int:
    """Return whole years of age on ``on``, the birthday taken as the 1st of the birth month.

    Issue 4: "Age is whole years on the outcome date, with the birthday taken as the first day
    of the birth month." Only year and month are stored (DOMAIN.md 5.3 item 3, minimisation).
    """
    age = on.year - birth_year
    if on.month < birth_month:
        age -= 1
    return age


def age_band(age: int) -> AgeBand:
    """Return the band of ``age``: 13-17 [002:718], 18-29 and 30-64 [002:986-989], or outside.

    DOMAIN.md 7.1 ``age_band``: computed, never entered.
    """
    if age <= 12:
        return AgeBand.B0_12
    if age <= 17:
        return AgeBand.B13_17
    if age <= 29:
        return AgeBand.B18_29
    if age <= 64:
        return AgeBand.B30_64
    return AgeBand.B65_PLUS


def age_band_on(birth_year: int, birth_month: int, on: date) -> AgeBand:
    """Return the age band of someone born in ``birth_year``-``birth_month`` on ``on``."""
    return age_band(age_on(birth_year, birth_month, on))

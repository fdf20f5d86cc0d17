"""Ages from a birth year-month: whole years on a date, and the age band counts are grouped by.

Plain domain knowledge below storage, so both the plan's rules (``services.casework.rules``) and the
counting queries (``storage``/``services.counts``) use this one definition.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import lru_cache

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


# -- the age bands kept for a person whose birth month retention removed (issue 13 item 4) ----

_BOUNDARIES: tuple[int, ...] = (13, 18, 30, 65)
"""The ages at which :func:`age_band` changes."""


def band_history(birth_year: int, birth_month: int, first: date, last: date) -> list[tuple[date, AgeBand]]:
    """Return the bands of someone born ``birth_year``-``birth_month`` on each day of ``first``..``last``.

    As ``(from_day, band)`` pairs, oldest first: the first pair starts on ``first``, and a new one
    starts on each birthday in the range at which the band changes (13, 18, 30, 65). It holds no
    more than the bands on those days: without a change inside the range there is one pair, and
    nothing of the birth month is in it.
    """
    history = [(first, age_band_on(birth_year, birth_month, first))]
    for boundary in _BOUNDARIES:
        birthday = date(birth_year + boundary, birth_month, 1)
        if first < birthday <= last:
            history.append((birthday, age_band_on(birth_year, birth_month, birthday)))
    return history


def encode_band_history(history: list[tuple[date, AgeBand]]) -> str:
    """Return ``history`` as the compact text stored in ``person.kept_age_bands``.

    >>> encode_band_history([(date(2024, 3, 4), AgeBand.B18_29)])
    '2024-03-04 18_29'
    """
    return ";".join(f"{day.isoformat()} {band.value}" for day, band in history)


@lru_cache(maxsize=4096)
def _decoded(kept: str) -> tuple[tuple[str, ...], tuple[AgeBand, ...]]:
    days: list[str] = []
    bands: list[AgeBand] = []
    for part in kept.split(";"):
        day, band = part.split(" ")
        days.append(date.fromisoformat(day).isoformat())
        bands.append(AgeBand(band))
    if not days:
        raise ValueError("no age bands kept")
    return tuple(days), tuple(bands)


def kept_band_on(kept: str, on: date) -> AgeBand:
    """Return the band on ``on`` from the text :func:`encode_band_history` wrote.

    A day before the first kept one gets the first band; a day after the last range that was
    kept (the retention run, or the end of the project year of the person's last record) keeps
    the last band: the person's age is no longer known there (docs/security.md).

    Raises:
        ValueError: ``kept`` is not such a text.
    """
    days, bands = _decoded(kept)
    return bands[max(bisect_right(days, on.isoformat()) - 1, 0)]


def person_age_band(birth_year: int | None, birth_month: int | None, kept: str | None, on: date) -> AgeBand:
    """Return a person's age band on ``on``: from the birth year-month, or from the bands kept
    when retention removed them (``person.kept_age_bands``). The counts use this one function.

    Raises:
        ValueError: neither is known (a person row that is neither whole nor anonymised).
    """
    if birth_year is not None and birth_month is not None:
        return age_band_on(birth_year, birth_month, on)
    if kept is None:
        raise ValueError("a person without a birth month has no kept age bands")
    return kept_band_on(kept, on)

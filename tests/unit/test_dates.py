"""Dates as Danish users type and read them: dd-mm-åååå, ISO, and ISO weeks ("uge 47")."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_tui.dates import coerce_date, format_date, parse_date, week_label
from mentor_tui.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-12-2026", dt.date(2026, 12, 24)),
        ("1-2-2026", dt.date(2026, 2, 1)),
        ("01-02-2026", dt.date(2026, 2, 1)),
        ("24.12.2026", dt.date(2026, 12, 24)),
        ("24/12/2026", dt.date(2026, 12, 24)),
        ("2026-12-24", dt.date(2026, 12, 24)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("  29-02-2028 ", dt.date(2028, 2, 29)),
    ],
)
def test_parse_date_accepts_danish_and_iso(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2026", "29-02-2026", "00-01-2026", "12-13-2026", "2026-02-30"])
def test_parse_date_names_impossible_dates_in_both_languages(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(text)
    assert info.value.message.da == f"«{text.strip()}» findes ikke i kalenderen"
    assert info.value.message.en.endswith("is not a calendar date")


@pytest.mark.parametrize("text", ["", "i morgen", "24-12-26", "24122026", "2026/12/24", "24-12-2026x"])
def test_parse_date_explains_the_format_in_both_languages(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(text)
    assert "skriv dd-mm-åååå" in info.value.message.da
    assert "type dd-mm-yyyy" in info.value.message.en


def test_coerce_date_for_models() -> None:
    assert coerce_date("") is None
    assert coerce_date("   ") is None
    assert coerce_date("05-11-2026") == dt.date(2026, 11, 5)
    day = dt.date(2026, 1, 1)
    assert coerce_date(day) is day
    assert coerce_date(None) is None


def test_coerce_date_reads_stored_iso_dates_and_refuses_impossible_ones() -> None:
    assert coerce_date("2026-11-05") == dt.date(2026, 11, 5)  # as the database stores it
    assert coerce_date("2024-02-29") == dt.date(2024, 2, 29)
    with pytest.raises(InputError) as info:
        coerce_date("2026-02-30")
    assert "findes ikke i kalenderen" in info.value.message.da
    with pytest.raises(InputError):
        coerce_date("2026-1x-05")


def test_format_date_is_dd_mm_yyyy_in_both_languages() -> None:
    assert format_date(dt.date(2026, 2, 3)) == "03-02-2026"
    assert format_date(dt.date(2026, 2, 3), "en") == "03-02-2026"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (dt.date(2026, 11, 20), 47),  # the tests' frozen "today"
        (dt.date(2026, 11, 16), 47),  # its Monday
        (dt.date(2026, 11, 22), 47),  # its Sunday
        (dt.date(2026, 11, 23), 48),
        (dt.date(2026, 12, 31), 53),  # 2026 has 53 ISO weeks
        (dt.date(2027, 1, 1), 53),
        (dt.date(2027, 1, 4), 1),
    ],
)
def test_week_label_uses_iso_weeks(day: dt.date, week: int) -> None:
    assert week_label(day) == f"uge {week}"
    assert week_label(day, "en") == f"week {week}"


def test_round_trip_through_text() -> None:
    day = dt.date(2026, 7, 9)
    assert parse_date(format_date(day)) == day


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_survives_format_and_parse(day: dt.date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day

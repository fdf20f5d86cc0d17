"""One parser for a birth year-month: the referral form and the import accept and refuse the same text.

Regression (issue 8): ``200304`` was accepted by the form and refused by the import.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.dates import parse_year_month
from mentor_tui.errors import InputError
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.services.importing.importer import Importer
from mentor_tui.storage.repositories import Repositories

ACCEPTED: dict[str, tuple[int, int]] = {
    "2003-04": (2003, 4),
    "200304": (2003, 4),
    "2003-4": (2003, 4),
    "2003.04": (2003, 4),
    "2003 04": (2003, 4),
    "04-2003": (2003, 4),
    "4/2003": (2003, 4),
    "12-1990": (1990, 12),
}
"""Typed text (at most 7 characters, as the form's field takes) → (year, month)."""

REFUSED = ["2003-13", "2003", "1850-01", "13-2003", "apr 03", "2003-0"]


@pytest.mark.parametrize(("typed", "expected"), ACCEPTED.items())
def test_the_parser_reads_a_year_month(typed: str, expected: tuple[int, int]) -> None:
    assert parse_year_month(typed) == expected


@pytest.mark.parametrize("typed", [*REFUSED, "", "15-04-2003 x"])
def test_the_parser_refuses_what_is_not_one(typed: str) -> None:
    with pytest.raises(InputError) as info:
        parse_year_month(typed)
    assert info.value.message.da == "Skriv fødselsår og -måned som åååå-mm, fx 2004-03"
    assert typed.strip() == "" or typed not in info.value.message.en


def test_a_whole_date_gives_its_month() -> None:
    assert parse_year_month("15-04-2003") == (2003, 4)
    assert parse_year_month("2003-04-15") == (2003, 4)


def _import(repos: Repositories, tmp_path: Path, births: list[str]) -> dict[int, list[str]]:
    header = "person_ref;birth;area;activity;event;date;code"
    rows = [f"P{i};{birth};RISING;A8;henvisning;2026-10-01;UUO" for i, birth in enumerate(births)]
    path = tmp_path / "births.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = Importer(repos).import_file(path)
    by_line: dict[int, list[str]] = {}
    for problem in result.problems:
        by_line.setdefault(problem.line, []).append(problem.code)
    return by_line


def test_the_import_accepts_the_same_text(repos: Repositories, tmp_path: Path) -> None:
    assert _import(repos, tmp_path, list(ACCEPTED)) == {}
    births = {(p.birth_year, p.birth_month) for p in repos.persons.all()}
    assert births == set(ACCEPTED.values())
    assert repos.persons.count() == len(ACCEPTED)


def test_the_import_refuses_the_same_text(repos: Repositories, tmp_path: Path) -> None:
    by_line = _import(repos, tmp_path, REFUSED)
    assert {line: codes[0] for line, codes in by_line.items()} == {
        line: "bad_year_month" for line in range(2, 2 + len(REFUSED))
    }
    assert repos.persons.count() == 0


async def _type_and_leave(pilot: Pilot[None], field: Input, other: Input, typed: str, shown: str) -> None:
    """Type ``typed`` into ``field`` and move to ``other``; wait until the field shows ``shown``."""
    field.focus()
    await pilot.pause()
    field.value = typed
    other.focus()
    for _ in range(20):  # the blur goes field → form → field; under load that takes a few rounds
        await pilot.pause()
        if other.has_focus and field.value == shown:
            break


async def test_the_form_accepts_and_refuses_the_same_text(app: MentorApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewReferralScreen)
        field = form.query_one("#birth_ym", Input)
        label = form.query_one("#display_label", Input)
        for typed, (year, month) in ACCEPTED.items():
            await _type_and_leave(pilot, field, label, typed, f"{year:04d}-{month:02d}")
            assert field.value == f"{year:04d}-{month:02d}", typed
            assert not [p for p in form.local_problems() if p.field == "birth_ym"], typed
        for typed in REFUSED:
            await _type_and_leave(pilot, field, label, typed, typed)
            codes = [p.code for p in form.local_problems() if p.field == "birth_ym"]
            assert codes == ["bad_year_month"], typed

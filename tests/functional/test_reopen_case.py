"""Reopen a closed case (issue 3 item 4): a note is required."""

from __future__ import annotations

from mentor_tui.app import MentorApp
from mentor_tui.codes import CaseStatus
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, case_id, row_counts

SIZE = (100, 30)


async def test_empty_note_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, cid))
        await Keys(pilot).type("   ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReopenCaseScreen)
        assert "Note skal udfyldes" in app.screen.query_one("#note-msg", FieldMessage).text
    assert row_counts(app.repos) == before
    assert app.repos.cases.get(cid).status is CaseStatus.AFSLUTTET


async def test_reopen_with_note(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")
    results: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, cid), results.append)
        await Keys(pilot).type("mistede fritidsjobbet")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert results == [True]
    assert app.repos.cases.get(cid).status is CaseStatus.AKTIV
    (reopening,) = app.repos.reopenings.for_case(cid)
    assert reopening.note == "mistede fritidsjobbet"


async def test_open_case_cannot_be_reopened(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, cid))
        await Keys(pilot).type("igen")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Kun afsluttede" in app.screen.query_one("#form-msg", FieldMessage).text
    assert app.repos.reopenings.count() == 0

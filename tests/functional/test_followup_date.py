"""Set or clear the next follow-up date (issue 3 item 4)."""

from __future__ import annotations

import datetime as dt

from mentor_tui.app import MentorApp
from mentor_tui.screens.followup_date import FollowupDateScreen
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, case_id

SIZE = (100, 30)


async def test_set_follow_up_date_shows_week(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    results: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(FollowupDateScreen(app.casework, cid), results.append)
        form = app.screen
        assert isinstance(form, FollowupDateScreen)
        assert form.date_input("next_followup_date").text == "13-11-2026"
        await keys.type("2026-11-30")  # the old date is selected, so typing replaces it
        await pilot.pause()
        assert "uge 49" in str(app.screen.query_one(".date-input--week").render())
        await keys.press("ctrl+s")
        await pilot.pause()
    assert results == [True]
    assert app.repos.cases.get(cid).next_followup_date == dt.date(2026, 11, 30)


async def test_clear_follow_up_date(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(FollowupDateScreen(app.casework, cid))
        await pilot.press("backspace", "ctrl+s")
        await pilot.pause()
    assert app.repos.cases.get(cid).next_followup_date is None


async def test_bad_date_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(FollowupDateScreen(app.casework, cid))
        await Keys(pilot).type("i morgen")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowupDateScreen)
        assert "ikke en dato" in app.screen.query_one("#next_followup_date-msg", FieldMessage).text
    assert app.repos.cases.get(cid).next_followup_date == dt.date(2026, 11, 13)


async def test_closed_case_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(FollowupDateScreen(app.casework, cid))
        await Keys(pilot).type("+7")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "afsluttet" in app.screen.query_one("#form-msg", FieldMessage).text
    assert app.repos.cases.get(cid).next_followup_date is None

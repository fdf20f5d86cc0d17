"""Issue 11 item 6: starting or reopening a case proposes the next follow-up, and the follow-ups
view lists active cases without one."""

from __future__ import annotations

import datetime as dt

from mentor_tui.app import MentorApp
from mentor_tui.screens.followups import FollowupsScreen
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.widgets.date_input import DateInput
from tests.functional.forms_support import burst, case_id
from tests.functional.shell_support import plain

SIZE = (100, 30)


async def test_the_start_proposes_a_follow_up_that_moves_with_the_start_date(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Dana R")  # A8, referred 16-11-2026
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(StartCaseScreen(app.casework, cid))
        await pilot.pause()
        followup = app.screen.query_one("#next_followup_date", DateInput)
        assert followup.value == dt.date(2026, 12, 4)  # today (20-11) + two weeks
        app.screen.query_one("#start_date-input").focus()
        await burst(pilot, "ctrl+u", *"18-11-2026")
        assert followup.value == dt.date(2026, 12, 2)  # follows the start date
        await burst(pilot, "ctrl+s")
    assert app.repos.cases.get(cid).next_followup_date == dt.date(2026, 12, 2)


async def test_a_follow_up_the_user_changed_stays_when_the_start_date_changes(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Dana R")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(StartCaseScreen(app.casework, cid))
        await pilot.pause()
        app.screen.query_one("#next_followup_date-input").focus()
        await burst(pilot, *"+1u", "tab")
        app.screen.query_one("#start_date-input").focus()
        await burst(pilot, "ctrl+u", *"18-11-2026", "ctrl+s")
    assert app.repos.cases.get(cid).next_followup_date == dt.date(2026, 11, 27)


async def test_reopening_proposes_a_follow_up(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")  # A10, closed
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, cid))
        await burst(pilot, *"mistede jobbet", "ctrl+s")
    case = app.repos.cases.get(cid)
    assert case.next_followup_date == dt.date(2026, 12, 18)  # four weeks for A10


async def test_the_reopening_proposal_moves_with_the_reopening_date(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")  # A10, closed 30-10-2026
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, cid))
        await burst(pilot, *"mistede jobbet", "tab", "ctrl+u", *"16-11-2026", "ctrl+s")
    case = app.repos.cases.get(cid)
    assert case.next_followup_date == dt.date(2026, 12, 14)  # four weeks after the reopening


async def test_the_follow_ups_view_lists_active_cases_without_one(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Fatima H")  # A2 active, follow-up 15-12 (not due)
    app.casework.set_next_followup(cid, None)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(FollowupsScreen(app.casework))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FollowupsScreen)
        assert screen.rows[-1].id == cid
        assert "1 aktive forløb uden næste opfølgning" in plain(screen.query_one("#followups-summary"))  # type: ignore[arg-type]
        screen.table.move_cursor(row=len(screen.rows) - 1)
        await burst(pilot, "f")  # propose and set one from the list
        assert app.screen.query_one("#next_followup_date", DateInput).value == dt.date(2026, 12, 11)
        await burst(pilot, "ctrl+s")
        assert cid not in [r.id for r in screen.rows]

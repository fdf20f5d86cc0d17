"""Follow-ups view: everything due this week and overdue across the caseload (issue 3 item 7)."""

from __future__ import annotations

from textual.widgets import Static

from mentor_tui.app import MentorApp
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.followup_date import FollowupDateScreen
from mentor_tui.screens.followups import FollowupsScreen
from mentor_tui.screens.main import MainScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from tests.functional.shell_support import footer_actions, plain

SIZE = (100, 30)


def followups_screen(app: MentorApp) -> FollowupsScreen:
    screen = app.screen
    assert isinstance(screen, FollowupsScreen)
    return screen


def rows(screen: FollowupsScreen) -> list[list[str]]:
    table = screen.table
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_lists_overdue_and_this_weeks_follow_ups_oldest_first(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        screen = followups_screen(seeded_app)
        shown = rows(screen)
        assert [r[:3] for r in shown] == [
            ["! 13-11-2026", "uge 46", "Amal K"],
            ["! 19-11-2026", "uge 47", "Cem D"],
            ["› 22-11-2026", "uge 47", "Bo T"],
        ]
        # not due yet (Fatima H), never planned (Dana R) and closed (Emil S) are left out
        summary = plain(screen.query_one("#followups-summary", Static))
        assert "Uge 47: 16-11-2026 – 22-11-2026.  2 forfaldne, 1 i denne uge." in summary


async def test_enter_opens_the_case_and_escape_comes_back(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        detail = seeded_app.screen
        assert isinstance(detail, CaseDetailScreen)
        assert detail.detail.person.display_label == "Cem D"
        # a new follow-up date moves Cem D out of the view when we come back
        seeded_app.casework.set_next_followup(detail.case_id, "2026-12-10")
        await pilot.press("escape")
        await pilot.pause()
        screen = followups_screen(seeded_app)
        assert [r[2] for r in rows(screen)] == ["Amal K", "Bo T"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(seeded_app.screen, MainScreen)


async def test_f_sets_a_new_follow_up_straight_from_the_list(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        amal = followups_screen(seeded_app).rows[0].id
        await pilot.press("f")
        await pilot.pause()
        form = seeded_app.screen
        assert isinstance(form, FollowupDateScreen)
        assert form.case_id == amal
        # what the form does when it saves
        seeded_app.casework.set_next_followup(amal, "2026-12-01")
        form.dismiss(True)
        await pilot.pause()
        screen = followups_screen(seeded_app)
        assert [r[2] for r in rows(screen)] == ["Cem D", "Bo T"]


async def test_m_records_a_meeting_on_the_case_under_the_cursor(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        bo = followups_screen(seeded_app).rows[2]
        assert bo.display_label == "Bo T"
        await pilot.press("down", "down", "m")
        await pilot.pause()
        form = seeded_app.screen
        assert isinstance(form, MeetingFormScreen)
        assert form.case_id == bo.id


async def test_nothing_due_says_so(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        screen = followups_screen(app)
        assert rows(screen) == []
        assert not {"add_meeting", "set_followup"} & footer_actions(app)
        assert "Ingen opfølgninger forfaldne eller i denne uge." in plain(
            screen.query_one("#followups-summary", Static)
        )

"""Add a meeting (issue 3 item 5): type, date, roles present, held or planned, next follow-up."""

from __future__ import annotations

import datetime as dt

from mentor_tui.app import MentorApp
from mentor_tui.codes import MeetingType, ParticipantRole
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, case_id, row_counts

SIZE = (100, 30)


def _msg(app: MentorApp, field: str) -> FieldMessage:
    return app.screen.query_one(f"#{field}-msg", FieldMessage)


async def test_follow_up_meeting_with_defaults_and_next_follow_up(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    before = len(app.repos.meetings.for_case(cid))
    results: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(MeetingFormScreen(app.casework, cid), results.append)
        assert app.screen.query_one("#meeting_type-input").value == "Opfølgningsmøde (flerpart)"  # type: ignore[attr-defined]
        await keys.press("tab", "tab")  # type -> date -> roles
        await keys.type("job")
        await keys.press("enter", "tab", "tab")  # add Jobrådgiver; -> held -> next follow-up
        await keys.type("+2u")
        await keys.press("ctrl+s")
        await pilot.pause()
    assert results == [True]
    meetings = app.repos.meetings.for_case(cid)
    assert len(meetings) == before + 1
    new = next(m for m in meetings if m.date == dt.date(2026, 11, 20))
    assert new.meeting_type is MeetingType.OPFOELGNING_FLERPART
    assert new.held
    assert new.participants == [ParticipantRole.BEBOER, ParticipantRole.JOBRAADGIVER]
    assert app.repos.cases.get(cid).next_followup_date == dt.date(2026, 12, 4)


async def test_planned_meeting_in_the_future(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(MeetingFormScreen(app.casework, cid))
        await keys.type("sam")
        await keys.press("tab")
        await keys.type("27-11-2026")
        await pilot.pause()
        assert "uge 48" in str(app.screen.query_one("#date .date-input--week").render())
        await keys.press("tab", "tab", "space", "ctrl+s")  # roles -> held: untick (planned)
        await pilot.pause()
    planned = [m for m in app.repos.meetings.for_case(cid) if not m.held]
    assert [(m.meeting_type, m.date) for m in planned] == [(MeetingType.SAMTALE, dt.date(2026, 11, 27))]


async def test_held_meeting_in_the_future_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(MeetingFormScreen(app.casework, cid))
        await keys.press("tab")
        await keys.type("27-11-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingFormScreen)
        assert "markér mødet som planlagt" in _msg(app, "date").text
    assert row_counts(app.repos) == before


async def test_bad_date_and_follow_up_before_meeting_are_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(MeetingFormScreen(app.casework, cid))
        await keys.press("tab")
        await keys.type("20-13-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "20-13-2026" in _msg(app, "date").text
        app.screen.query_one("#date-input").value = "20-11-2026"  # type: ignore[attr-defined]
        await pilot.pause()
        app.screen.query_one("#next_followup_date-input").focus()
        await keys.type("01-11-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "før mødet" in _msg(app, "next_followup_date").text
        assert not _msg(app, "date").errors
    assert row_counts(app.repos) == before


async def test_closed_case_refuses_meetings(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(MeetingFormScreen(app.casework, cid))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "genåbn det først" in app.screen.query_one("#form-msg", FieldMessage).text
    assert row_counts(app.repos) == before


async def test_roles_added_by_typing_and_browsing_and_removed_with_backspace(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(MeetingFormScreen(app.casework, cid))
        app.screen.query_one("#participants-input").focus()
        await pilot.pause()
        await keys.type("lær")
        await keys.press("enter")  # + Lærer
        await keys.press("down", "down", "enter")  # browse all roles: the 2nd is Ung
        await keys.press("backspace")  # removes the last one chosen (Ung)
        await keys.type("pp")
        await keys.press("enter", "ctrl+s")  # + PPR
        await pilot.pause()
    new = next(m for m in app.repos.meetings.for_case(cid) if m.date == dt.date(2026, 11, 20))
    assert new.participants == [ParticipantRole.BEBOER, ParticipantRole.LAERER, ParticipantRole.PPR]

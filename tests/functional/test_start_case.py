"""Start a case (issue 3 item 3): start modes the plan allows, roles present, goals, consent."""

from __future__ import annotations

import datetime as dt

from mentor_tui.app import MentorApp
from mentor_tui.codes import CaseStatus, ConsentGiver, MeetingType, ParticipantRole, StartMode
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, case_id, row_counts

SIZE = (100, 30)


def _msg(app: MentorApp, field: str) -> FieldMessage:
    return app.screen.query_one(f"#{field}-msg", FieldMessage)


def _referred(app: MentorApp, activity: str, label: str, birth_year: int, source: str) -> str:
    case = app.casework.register_referral(
        activity=activity,
        received_date="2026-11-18",
        source=source,
        display_label=label,
        birth_year=birth_year,
        birth_month=5,
        area="RISING",
    )
    return case.id


async def test_three_party_start_with_preselected_mode_and_roles(app: MentorApp) -> None:
    cid = _referred(app, "A6_FREMSKUDT_UDD_BESK", "Sara K", 2003, "UDDANNELSESRAADGIVER_CFU")
    results: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(StartCaseScreen(app.casework, cid), results.append)
        # goals (tick) -> roles -> next follow-up: proposed two weeks on (A6), typed over
        await keys.press("tab", "space", "tab", "tab")
        await keys.type("+3u")
        await keys.press("ctrl+s")
        await pilot.pause()
    assert results == [True]
    case = app.repos.cases.get(cid)
    assert case.status is CaseStatus.AKTIV
    assert case.start_mode is StartMode.TREPARTSSAMTALE
    assert case.goals_agreed
    assert case.start_date == dt.date(2026, 11, 20)
    assert case.next_followup_date == dt.date(2026, 12, 11)
    (meeting,) = app.repos.meetings.for_case(cid)
    assert meeting.meeting_type is MeetingType.TREPARTSSAMTALE
    assert meeting.held
    assert meeting.participants == [ParticipantRole.BEBOER, ParticipantRole.UDDANNELSESRAADGIVER]


async def test_start_mode_the_plan_does_not_allow_is_refused(app: MentorApp) -> None:
    cid = _referred(app, "A6_FREMSKUDT_UDD_BESK", "Sara K", 2003, "UDDANNELSESRAADGIVER_CFU")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(StartCaseScreen(app.casework, cid))
        await keys.type("bsh")
        await pilot.pause()
        assert "kan ikke starte med «BSH kontakter beboeren»" in _msg(app, "start_mode").text
        assert "Tilladt: 3-partssamtale" in _msg(app, "start_mode").text
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartCaseScreen)
        assert _msg(app, "start_mode").errors
    assert row_counts(app.repos) == before
    assert app.repos.cases.get(cid).status is CaseStatus.HENVIST


async def test_a3_without_parent_consent_is_refused_then_starts_with_both(app: MentorApp) -> None:
    cid = _referred(app, "A3_UNGERAADGIVNING", "Cem D", 2011, "FOLKESKOLE")
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(StartCaseScreen(app.casework, cid))
        assert isinstance(app.screen, StartCaseScreen)
        rule = str(app.screen.query_one("#consent-rule").render())
        assert "samtykke fra den unge OG en forælder" in rule
        assert app.screen.start_mode.text == "Møde med og om den unge"
        await keys.press("tab", "space")  # consent comes first for A3: tick "Den unge"
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartCaseScreen)
        assert "mangler: forælder" in _msg(app, "consent").text
        assert row_counts(app.repos)["consents"] == 0
        assert app.repos.cases.get(cid).status is CaseStatus.HENVIST
        await keys.press("down", "space", "ctrl+s")  # tick "Forælder" too
        await pilot.pause()
    assert app.repos.cases.get(cid).status is CaseStatus.AKTIV
    assert {c.given_by for c in app.repos.consents.for_case(cid, order_by="given_date")} == {
        ConsentGiver.UNG,
        ConsentGiver.FORAELDER,
    }
    (meeting,) = app.repos.meetings.for_case(cid)
    assert meeting.participants == [ParticipantRole.UNG, ParticipantRole.FORAELDER, ParticipantRole.LAERER]


async def test_roles_are_asked_only_for_a_meeting_start(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Dana R")
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(StartCaseScreen(app.casework, cid))
        assert app.screen.query_one("#participants-field").display
        await keys.type("bsh")
        await pilot.pause()
        assert not app.screen.query_one("#participants-field").display
        await keys.press("ctrl+s")
        await pilot.pause()
    case = app.repos.cases.get(cid)
    assert case.start_mode is StartMode.BSH_KONTAKTER_BEBOER
    assert app.repos.meetings.for_case(cid) == []


async def test_bad_start_date_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Dana R")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(StartCaseScreen(app.casework, cid))
        app.screen.query_one("#start_date-input").focus()
        await keys.type("32-11-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "32-11-2026" in _msg(app, "start_date").text
        await pilot.press("escape")
        await pilot.pause()
    assert row_counts(app.repos) == before
    assert app.repos.cases.get(cid).status is CaseStatus.HENVIST


async def test_start_before_referral_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Dana R")  # referred 16-11-2026
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(StartCaseScreen(app.casework, cid))
        app.screen.query_one("#start_date-input").focus()
        await keys.type("10-11-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "før henvisningen" in _msg(app, "start_date").text
    assert app.repos.cases.get(cid).status is CaseStatus.HENVIST

"""Issue 11 item 1: keys that arrive in a burst are applied in order, in every kind of field.

A burst is every key posted to the app before the first is handled, as tmux ``send-keys``, a
text expander or a slow SSH link delivers them. Found in tmux: ``a b d Backspace c`` saved
``abd`` in the label field, because Textual looks up Backspace's binding only after the key has
bubbled up through every container while the ``c`` is already inserted
(:mod:`mentor_tui.widgets.keystrokes`).
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.codes import Activity, Area, CaseStatus, ReferralReason, ReferralSource
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.screens.start_case import StartCaseScreen
from tests.functional.forms_support import burst, case_id

SIZE = (100, 30)


async def test_backspace_among_characters_in_the_label(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await burst(pilot, *"abd", "backspace", "c")
        assert app.screen.query_one("#display_label", Input).value == "abc"


async def test_a_whole_referral_typed_in_one_burst_is_saved_as_typed(app: MentorApp) -> None:
    """Label, year-month, three code pickers, a date, the multi picker and a checkbox, with
    Backspace, Home, End, arrows and Delete among the characters, and ctrl+s at the end."""
    results: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework), results.append)
        await pilot.pause()
        await burst(
            pilot,
            *"Sxra",
            "home",
            "right",
            "delete",
            "a",
            "end",
            *" K",  # label: Sara K
            "tab",
            *"2002-05",
            "backspace",
            "4",  # born: 2002-04
            "tab",
            *"kor",
            "backspace",
            "backspace",
            "backspace",
            *"vol",  # area: Vollsmose
            "tab",
            *"a7",
            "backspace",
            "6",  # activity: A6
            "tab",
            *"jobx",
            "ctrl+u",
            *"udd",  # referred by: Uddannelsesrådgiver
            "tab",
            *"10-11-2025",
            "backspace",
            "6",  # received: 10-11-2026 (typing replaces the proposed date)
            "tab",
            *"frafald",
            "enter",
            *"mål: uxx",
            "backspace",
            "backspace",
            *"dd",
            "enter",  # reasons: two
            "tab",
            "tab",
            "space",  # "start the case right after": untick
            "ctrl+s",
        )
        assert not isinstance(app.screen, NewReferralScreen)

    (case,) = app.repos.cases.all()
    assert results == [case.id]
    person = app.repos.persons.get(case.person_id)
    referral = app.repos.referrals.get(case.referral_id or "")
    assert (person.display_label, person.birth_year, person.birth_month) == ("Sara K", 2002, 4)
    assert person.area is Area.VOLLSMOSE
    assert case.activity is Activity.A6_FREMSKUDT_UDD_BESK
    assert case.status is CaseStatus.HENVIST
    assert referral.source is ReferralSource.UDDANNELSESRAADGIVER_CFU
    assert referral.received_date == dt.date(2026, 11, 10)
    assert set(referral.reasons) == {ReferralReason.FRAFALDSRISIKO, ReferralReason.UDDANNELSE_MAAL}


async def test_keys_typed_right_after_n_land_in_the_new_form(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, "n", *"Sara", "tab", *"2003-04")
        screen = app.screen
        assert isinstance(screen, NewReferralScreen)
        assert screen.query_one("#display_label", Input).value == "Sara"
        assert screen.query_one("#birth_ym", Input).value == "2003-04"


async def test_space_for_a_checkbox_is_not_lost_when_tab_follows(app: MentorApp) -> None:
    """Before: the Space's binding was looked up after the next Tab had moved focus on."""
    case = app.casework.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="2026-11-18",
        source="UDDANNELSESRAADGIVER_CFU",
        display_label="Ida P",
        birth_year=2001,
        birth_month=6,
        area="VOLLSMOSE",
    )
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(CaseDetailScreen(app.casework, case.id))
        await pilot.pause()
        # start mode -> goals (Space) -> roles -> next follow-up, typed over the proposal
        await burst(pilot, "s", "tab", "space", "tab", "tab", *"+3u", "ctrl+s")
        assert not isinstance(app.screen, StartCaseScreen)
    started = app.repos.cases.get(case.id)
    assert started.status is CaseStatus.AKTIV
    assert started.goals_agreed
    assert started.next_followup_date == dt.date(2026, 12, 11)


async def test_note_edited_with_arrows_in_a_burst(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, cid))
        await pilot.pause()
        await burst(pilot, *"mistede jobbxt", "left", "backspace", "e", "ctrl+s")
    (reopening,) = app.repos.reopenings.for_case(cid)
    assert reopening.note == "mistede jobbet"

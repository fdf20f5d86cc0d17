"""One person, one record, and who you are (issue 9 items 5-7), as a user meets them in the app."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.codes import Activity, Team
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.screens.same_person import SamePersonScreen
from mentor_tui.screens.who_are_you import WhoAreYouScreen
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, row_counts, settle
from tests.functional.shell_support import labels, type_text

SIZE = (100, 30)


def _msg(app: MentorApp, field: str) -> str:
    return app.screen.query_one(f"#{field}-msg", FieldMessage).text


def _add_aase(app: MentorApp) -> None:
    app.casework.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="02-11-2026",
        source="FOLKESKOLE",
        display_label="Åse Ørsted",
        birth_year=2011,
        birth_month=4,
        area="RISING",
    )


async def test_search_finds_aase_and_kaare_in_any_case(seeded_app: MentorApp) -> None:
    app = seeded_app
    _add_aase(app)
    app.casework.register_referral(
        activity="A10_FRITIDSJOB",
        received_date="02-11-2026",
        source="UUO",
        display_label="Kåre",
        birth_year=2010,
        birth_month=1,
        area="RISING",
    )
    async with app.run_test(size=SIZE) as pilot:
        for typed, found in (("åse", "Åse Ørsted"), ("ØRSTED", "Åse Ørsted"), ("KÅRE", "Kåre")):
            await pilot.press("slash", "ctrl+a", "ctrl+k")
            await type_text(pilot, typed)
            await pilot.pause()
            assert await labels(pilot) == [found], typed


async def _type_referral(keys: Keys, label: str, birth: str, activity: str) -> None:
    await keys.type(label)
    # not picking a suggestion: straight on to the birth month (Tab would enter the suggestions)
    keys.pilot.app.screen.query_one("#birth_ym", Input).focus()
    await keys.pilot.pause()
    await keys.type(birth)
    await keys.press("tab")
    await keys.type("rising")
    await keys.press("tab")
    await keys.type(activity)
    await keys.press("tab")
    await keys.type("folkeskole")
    await keys.press("tab", "tab", "tab", "tab", "space")  # untick "start now"


async def test_a_label_typed_without_picking_the_suggestion_asks_same_or_different(
    seeded_app: MentorApp,
) -> None:
    """Issue 9: "åse ørsted" with the right birth month got no warning and a second A3 case."""
    app = seeded_app
    _add_aase(app)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(NewReferralScreen(app.casework))
        await _type_referral(keys, "åse ørsted", "2011-04", "a3")
        before = row_counts(app.repos)
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SamePersonScreen)
        assert "«åse ørsted» født 2011-04 findes allerede" in str(
            app.screen.query_one("#same-explain").render()
        )
        await keys.press("enter")  # "same person: Åse Ørsted" is highlighted first
        await pilot.pause()
        # the same person already has an open A3 case: refused beside the activity, nothing written
        assert isinstance(app.screen, NewReferralScreen)
        assert "allerede et åbent forløb" in _msg(app, "activity")
        assert row_counts(app.repos) == before
        app.screen.query_one("#activity-input", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "a10")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NewReferralScreen)
    after = row_counts(app.repos)
    assert after["persons"] == before["persons"]  # no second person
    aase = [s for s in app.repos.cases.summaries(label_like="åse")]
    assert {s.activity for s in aase} == {Activity.A3_UNGERAADGIVNING, Activity.A10_FRITIDSJOB}


async def test_a_different_person_with_the_same_label_can_be_confirmed(seeded_app: MentorApp) -> None:
    app = seeded_app
    _add_aase(app)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(NewReferralScreen(app.casework))
        await _type_referral(keys, "Åse Ørsted", "2011-04", "a10")
        await keys.press("ctrl+s")
        await pilot.pause()
        await keys.press("down", "enter")  # "a different person"
        await pilot.pause()
        assert not isinstance(app.screen, (NewReferralScreen, SamePersonScreen))
    assert len(app.casework.find_persons("åse ørsted")) == 2


async def test_a_pasted_row_of_cells_keeps_the_first_cell_and_says_so(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        label = app.screen.query_one("#display_label", Input)
        label.post_message(events.Paste("Åse Ø\t2011-04\tRising\r\nKåre\t2010-01\tRising\r\n"))
        await settle(pilot)  # pastes wait their turn among the keys
        assert label.value == "Åse Ø"
        message = _msg(app, "display_label")
        assert "kun «Åse Ø» er sat ind" in message
        assert "«2011-04», «Rising», «Kåre»" in message


async def test_a_label_over_the_limit_gets_a_message_instead_of_being_cut(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(NewReferralScreen(app.casework))
        long_label = "Abdirahman Mohamed Ali Hassan-Christensen"  # 41 characters
        await _type_referral(keys, long_label, "1990-01", "a7")
        assert app.screen.query_one("#display_label", Input).value == long_label  # nothing cut
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewReferralScreen)
        assert "er 41 tegn; højst 40 er tilladt" in _msg(app, "display_label")
    assert app.repos.persons.count() == 0


async def test_a_new_database_asks_who_you_are(unknown_user_app: MentorApp) -> None:
    app = unknown_user_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WhoAreYouScreen)
        await pilot.press("ctrl+s")  # nothing typed: refused, nothing written
        await pilot.pause()
        assert "Initialer skal udfyldes" in _msg(app, "initials")
        assert app.repos.local_staff() is None
        await type_text(pilot, "mj")
        await pilot.press("tab")
        await type_text(pilot, "besk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, WhoAreYouScreen)
    staff = app.repos.local_staff()
    assert staff is not None
    assert (staff.initials, staff.team) == ("MJ", Team.TEAM_BESKAEFTIGELSE)
    assert app.repos.session_staff_id() == staff.id  # the audit trail names MJ from now on


async def test_pasted_rows_of_a_spreadsheet_fill_the_form_from_the_first_row_and_say_so(
    app: MentorApp,
) -> None:
    """Issue 9 item 6, as the terminal sends a paste (to the app, through the key queue): two
    copied rows never run into each other's fields; the first row fills the form, the user is told."""
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await pilot.pause()
        app.post_message(events.Paste("Åse Ørsted\t2008-03\tvol\r\nKåre\t2010-01\tRising\r\n"))
        await settle(pilot)
        form = app.screen
        assert form.query_one("#display_label", Input).value == "Åse Ørsted"
        assert form.query_one("#birth_ym", Input).value == "2008-03"
        assert form.query_one("#area", CodePicker).text == "vol"  # not "vol Kåre"
        notes = [str(n.message) for n in app._notifications]
        assert any("2 rækker; kun den første er sat ind" in note for note in notes)
    assert row_counts(app.repos) == before  # nothing is saved before the user has looked

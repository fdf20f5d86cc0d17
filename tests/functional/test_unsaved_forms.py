"""Issue 11 items 3 and 8: Escape on a form with unsaved input asks first (Enter keeps typing), a
discarded form can be brought back in the same session, and every save says so briefly."""

from __future__ import annotations

from textual.widgets import Input

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.codes import Activity, Area
from mentor_tui.config import Settings
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.discard import DiscardScreen
from tests.functional.conftest import local_user_repos
from tests.functional.forms_support import burst, case_id, row_counts
from tests.functional.shell_support import open_case

SIZE = (100, 30)


def _notes(app: MentorApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_escape_on_an_untouched_form_closes_it_at_once(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n")
        assert isinstance(seeded_app.screen, NewReferralScreen)
        await burst(pilot, "escape")
        assert not isinstance(seeded_app.screen, NewReferralScreen | DiscardScreen)


async def test_escape_asks_and_enter_keeps_typing(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Sara K", "tab", *"2003-04", "tab", *"vol")
        await burst(pilot, "escape")
        assert isinstance(app.screen, DiscardScreen)
        await burst(pilot, "enter")  # keep typing: the default
        form = app.screen
        assert isinstance(form, NewReferralScreen)
        assert form.query_one("#display_label", Input).value == "Sara K"
        await burst(pilot, "escape", "escape")  # Escape in the question keeps typing too
        assert app.screen is form
        assert form.query_one("#area", CodePicker).text == "vol"


async def test_a_discarded_form_comes_back_with_ctrl_g(seeded_app: MentorApp) -> None:
    app = seeded_app
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Sara K", "tab", *"2003-04", "tab", *"vol", "tab", *"a6", "tab", *"udd")
        await burst(pilot, "escape", "tab", "enter")  # to "Kassér", and discard
        assert not isinstance(app.screen, NewReferralScreen | DiscardScreen)
        assert any("ctrl+g" in note for note in _notes(app))
        assert row_counts(app.repos) == before
        await burst(pilot, "n")
        form = app.screen
        assert isinstance(form, NewReferralScreen)
        assert "ctrl+g henter den tilbage" in str(form.query_one("#draft-note").render())
        assert form.query_one("#display_label", Input).value == ""
        await burst(pilot, "ctrl+g")
        assert form.query_one("#display_label", Input).value == "Sara K"
        assert form.query_one("#birth_ym", Input).value == "2003-04"
        assert form.query_one("#area", CodePicker).value is Area.VOLLSMOSE
        assert form.query_one("#activity", CodePicker).value is Activity.A6_FREMSKUDT_UDD_BESK
        assert not form.query("#draft-note")
        await burst(pilot, "ctrl+s")
    assert row_counts(app.repos)["cases"] == before["cases"] + 1


async def test_quitting_with_unsaved_input_asks_first(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Sara K")
        await burst(pilot, "ctrl+q")
        assert isinstance(app.screen, DiscardScreen)
        await burst(pilot, "enter")
        assert isinstance(app.screen, NewReferralScreen)
        assert app.is_running


async def test_a_saved_meeting_is_confirmed_in_danish(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(MeetingFormScreen(app.casework, case_id(app, "Amal K")))
        await burst(pilot, "ctrl+s")
        assert "Møde gemt: Amal K" in _notes(app)


async def test_a_referral_and_its_start_are_confirmed_in_english(seeded: CaseworkService) -> None:
    app = make_app(settings=Settings(language="en"), repos=local_user_repos(seeded))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", *"Sara K", "tab", *"2003-04", "tab", *"vol", "tab", *"a6", "tab", *"udd")
        await burst(pilot, "ctrl+s")
        await burst(pilot, "ctrl+s")  # the start dialog, as proposed
        assert isinstance(app.screen, CaseDetailScreen)
        notes = _notes(app)
        assert "Case started: Sara K" in notes
        assert "Referral saved: Sara K" in notes


async def test_reopen_and_close_are_confirmed(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Emil S")
        await burst(pilot, "g", *"igen", "ctrl+s")
        assert "Forløbet er genåbnet: Emil S" in _notes(app)

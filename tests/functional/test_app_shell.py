"""App shell: F1 help, ? key list, command palette, theme, language and keymap (issue 3 item 8)."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import HelpPanel, Input, Static

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.codes import Team
from mentor_tui.config import Settings
from mentor_tui.screens.followups import FollowupsScreen
from mentor_tui.screens.help import HelpScreen
from mentor_tui.screens.main import MainScreen
from mentor_tui.services.casework.service import CaseworkService
from tests.functional.conftest import LOCAL_INITIALS
from tests.functional.shell_support import home, labels, open_case, plain, settle, type_text

SIZE = (100, 30)


def seeded_with(seeded: CaseworkService, **settings: object) -> MentorApp:
    seeded.ensure_local_staff(LOCAL_INITIALS, Team.TEAM_BESKAEFTIGELSE)  # no "who are you?" first
    return make_app(settings=Settings.from_mapping(settings), repos=seeded.repos)


def palette_titles(app: MentorApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_f1_shows_help_for_the_current_screen(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = seeded_app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.topic == "case-list"
        await pilot.press("escape")
        await pilot.pause()
        await open_case(pilot, "Amal K")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(seeded_app.screen, HelpScreen)
        assert seeded_app.screen.topic == "case-detail"
        await pilot.press("f1")  # F1 again closes it
        await pilot.pause()
        assert not isinstance(seeded_app.screen, HelpScreen)


async def test_f1_on_a_form_gives_the_form_help(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, "Amal K")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(seeded_app.screen, HelpScreen)
        assert seeded_app.screen.topic == "form"


async def test_question_mark_shows_and_hides_the_key_list(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert seeded_app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not seeded_app.screen.query(HelpPanel)


async def test_the_key_list_is_in_danish_textuals_own_keys_too(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        descriptions = {a.binding.description for a in seeded_app.screen.active_bindings.values()}
        assert {"Åbn forløb", "Rul op", "Side ned", "Næste felt", "Ny henvisning", "Hjælp"} <= descriptions
        assert "Cursor up" not in descriptions
        await pilot.press("slash")
        descriptions = {a.binding.description for a in seeded_app.screen.active_bindings.values()}
        assert {"Slet tegn til venstre", "Til listen"} <= descriptions


async def test_palette_offers_the_list_actions(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = palette_titles(seeded_app)
        for title in [
            "Ny henvisning",
            "Opfølgninger",
            "Status",
            "Aktivitet",
            "Område",
            "Forfaldne",
            "Sortér",
        ]:
            assert title in titles
        assert {"Hjælp", "Taster", "Tema", "Luk programmet"} <= set(titles)


async def test_palette_offers_the_steps_that_apply_to_the_case(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, "Dana R")
        titles = palette_titles(seeded_app)
        assert "Start forløb: Dana R" in titles
        assert "Møde: Dana R" in titles
        assert "Genåbn: Dana R" not in titles
        await pilot.press("escape")
        await pilot.pause()
        await open_case(pilot, "Emil S")
        titles = palette_titles(seeded_app)
        assert "Genåbn: Emil S" in titles
        assert "Afslut: Emil S" not in titles
        assert "Resultat: Emil S" in titles


async def test_palette_on_the_follow_ups_view_acts_on_the_case_under_the_cursor(
    seeded_app: MentorApp,
) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await pilot.pause()
        titles = palette_titles(seeded_app)
        assert {"Møde: Amal K", "Opfølgning: Amal K"} <= set(titles)


async def test_palette_runs_a_command_by_typing_its_name(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(seeded_app.screen, CommandPalette)
        assert seeded_app.screen.query_one(Input).placeholder == "Søg efter kommandoer…"
        await type_text(pilot, "opfølgninger")
        await seeded_app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(seeded_app.screen, FollowupsScreen)


async def test_configured_theme_is_used_and_ctrl_t_opens_the_theme_picker(seeded: CaseworkService) -> None:
    app = seeded_with(seeded, theme="textual-light")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_switching_theme_recolours_the_overdue_rows(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(seeded_app).table

        def overdue_style() -> str:
            row = next(i for i in range(table.row_count) if table.cell_text(i, "label") == "Amal K")
            return table.cell_style(row, "next_followup")

        before = overdue_style()
        seeded_app.theme = "textual-light"
        await pilot.pause()
        assert overdue_style() != before
        assert overdue_style() == f"bold {seeded_app.theme_variables['text-error']}"


async def test_unknown_theme_falls_back_with_a_warning(seeded: CaseworkService) -> None:
    app = seeded_with(seeded, theme="no-such-theme")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert any("no-such-theme" in str(n.message) for n in app._notifications)


async def test_english_everywhere_on_the_list_and_detail(seeded: CaseworkService) -> None:
    app = seeded_with(seeded, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = home(app)
        assert screen.title == "Cases"
        assert "Status: all" in plain(screen.query_one("#filter-bar", Static))
        assert screen.table.border_title == "6 of 6 cases · 2 overdue"
        assert screen.table.header_text("next_followup") == "Next follow-up"
        descriptions = {a.binding.description for a in app.screen.active_bindings.values()}
        assert {"New referral", "Search", "Follow-ups", "Help", "Keys"} <= descriptions
        assert "New referral" in palette_titles(app)
        detail = await open_case(pilot, "Amal K")
        facts = plain(detail.query_one("#case-panel", Static))
        assert "Active" in facts
        assert "Goals agreed" in facts
        assert "week 46" in facts
        assert "Meeting: Amal K" in palette_titles(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#help-box").border_title == "Help: Case"


async def test_keymap_in_the_settings_remaps_keys(seeded: CaseworkService) -> None:
    app = seeded_with(seeded, keymap={"followups": "w", "filter-status": "z"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")  # no longer bound
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("z")
        assert await labels(pilot) == ["Dana R"]
        assert plain(home(app).query_one("#filter-bar", Static)).startswith("z Status: Henvist")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)

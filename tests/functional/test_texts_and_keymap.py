"""Issue 11 items 4 and 5: the quit key in the footer, Textual's own texts in the UI language,
the keymap checked at start (line named, nothing dropped), F1 with the keys in force, and the
theme remembered across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandList
from textual.widgets._footer import FooterKey

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.codes import Lang
from mentor_tui.config import Settings, load_settings
from mentor_tui.screens.help import HelpScreen
from mentor_tui.services.casework.service import CaseworkService
from tests.functional.conftest import local_user_repos
from tests.functional.forms_support import burst, settle
from tests.functional.shell_support import open_case

SIZE = (120, 35)


def _footer(app: MentorApp) -> dict[str, str]:
    return {key.key: key.description for key in app.screen.query(FooterKey)}


@pytest.mark.parametrize(("lang", "text"), [("da", "Luk programmet"), ("en", "Quit")])
async def test_the_quit_key_is_in_the_footer(seeded: CaseworkService, lang: Lang, text: str) -> None:
    app = make_app(settings=Settings(language=lang), repos=local_user_repos(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _footer(app).get("ctrl+q") == text


async def test_ctrl_c_says_how_to_quit_in_danish(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        (note,) = list(seeded_app._notifications)
        assert note.title == "Vil du lukke programmet?"
        assert "Tryk ^q for at lukke programmet" in str(note.message)


async def test_the_palette_says_no_matches_in_danish(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await burst(pilot, *"qqqzzz")
        await pilot.pause(0.8)  # Textual waits half a second before it says nothing matches
        options = seeded_app.screen.query_one(CommandList)
        texts = [str(options.get_option_at_index(i).prompt.renderable) for i in range(options.option_count)]  # type: ignore[union-attr]
        assert any("Ingen kommandoer passer" in t for t in texts)
        assert not any("No matches" in t for t in texts)


@pytest.mark.parametrize(("lang", "space", "delete"), [("da", "mellemrum", "slet"), ("en", "space", "del")])
async def test_key_names_are_in_the_ui_language(
    seeded: CaseworkService, lang: Lang, space: str, delete: str
) -> None:
    app = make_app(settings=Settings(language=lang), repos=local_user_repos(seeded))
    async with app.run_test(size=SIZE):
        assert app.get_key_display(Binding("space", "x")) == space
        assert app.get_key_display(Binding("delete", "x")) == delete
        assert app.get_key_display(Binding("ctrl+s", "x")) == "^s"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_bad_keymap_is_reported_by_line_and_nothing_is_dropped(
    seeded: CaseworkService, tmp_path: Path
) -> None:
    path = _config(
        tmp_path,
        '# my keys\nlanguage = "da"\n\n[keymap]\nnew-referal = "ctrl+n"\n'
        'followups = "ctrl+banana"\nnew-referral = "s"\nopen-dashboard = "ctrl+d"\n',
    )
    app = make_app(settings=load_settings(path), repos=local_user_repos(seeded), config_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        (note,) = [n for n in app._notifications if n.severity == "error"]
        message = str(note.message)
        assert "config.toml, linje 5: «new-referal» er ikke navnet" in message
        assert "Mente du «new-referral»?" in message
        assert "linje 6: «ctrl+banana» er ikke en tast" in message
        assert "linje 7: Tasten s bruges allerede af «Status» (filter-status)" in message
        # the bad lines changed nothing: s still filters, n still opens a referral, u the follow-ups;
        # the good line is in force
        bound = {a.binding.id: key for key, a in app.screen.active_bindings.items()}
        assert bound["filter-status"] == "s"
        assert bound["new-referral"] == "n"
        assert bound["followups"] == "u"
        assert bound["open-dashboard"] == "ctrl+d"
        await pilot.press("s")
        assert app.screen.status is not None  # type: ignore[attr-defined]


async def test_f1_shows_the_keys_in_force_after_a_remap(seeded: CaseworkService, tmp_path: Path) -> None:
    path = _config(tmp_path, '[keymap]\nstart-case = "b"\nquit = "ctrl+x"\n')
    app = make_app(settings=load_settings(path), repos=local_user_repos(seeded), config_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Dana R")  # referred, not started
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = help_screen.query_one("#help-text").source  # type: ignore[attr-defined]
        assert "**b** starter et henvist forløb" in text
        assert "**s** starter" not in text
        footer = str(help_screen.query_one("#help-footer").render())
        assert "^x lukker programmet" in footer


async def test_the_chosen_theme_is_remembered_across_restarts(
    seeded: CaseworkService, tmp_path: Path
) -> None:
    path = _config(tmp_path, '# mine\nlanguage = "en"\n\n[keymap]\nnew-referral = "ctrl+n"\n')
    app = make_app(settings=load_settings(path), repos=local_user_repos(seeded), config_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await burst(pilot, *"nord", "enter")
        await settle(pilot)
        assert app.theme == "nord"
    text = path.read_text(encoding="utf-8")
    assert 'theme = "nord"' in text
    assert text.startswith("# mine\n")  # the user's own lines stay
    assert '[keymap]\nnew-referral = "ctrl+n"' in text
    again = make_app(settings=load_settings(path), repos=local_user_repos(seeded), config_path=path)
    async with again.run_test(size=SIZE):
        assert again.theme == "nord"

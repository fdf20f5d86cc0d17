"""The keymap check (issue 11 item 5): every way Textual would silently ignore or drop a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor_tui.app import MentorApp
from mentor_tui.keymap import check_keymap, default_keys, display_key, key_is_typeable


@pytest.mark.parametrize("key", ["ctrl+n", "f2", "x", "ø", "question_mark", "?", "shift+tab", "ctrl+shift+a"])
def test_keys_that_can_be_typed(key: str) -> None:
    assert key_is_typeable(key)


@pytest.mark.parametrize("key", ["ctrl+banana", "banana", "", "ctrl+", "cmd+n", "ctrl+ctrl+n", "f99", " "])
def test_keys_that_cannot_be_typed(key: str) -> None:
    assert not key_is_typeable(key)


def _check(keymap: dict[str, str], path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    safe, problems = check_keymap(keymap, path=path, app_class=MentorApp)
    return safe, [p.text(path, "en") for p in problems]


def test_good_remaps_pass_untouched() -> None:
    assert _check({"new-referral": "ctrl+n", "followups": "U", "help": "f2"}) == (
        {"new-referral": "ctrl+n", "followups": "U", "help": "f2"},
        [],
    )


def test_each_problem_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('language = "en"\n[keymap]\n"nwe-referral" = "ctrl+n"\nhelp = "ctrl+banana"\n')
    safe, problems = _check({"nwe-referral": "ctrl+n", "help": "ctrl+banana"}, path)
    assert safe == {}
    assert problems[0].startswith("config.toml, line 3: “nwe-referral” is not the name")
    assert "Did you mean “new-referral”?" in problems[0]
    assert problems[1].startswith("config.toml, line 4: “ctrl+banana” is not a key")


def test_a_key_in_use_on_the_same_screen_is_refused() -> None:
    safe, problems = _check({"new-referral": "s"})
    assert safe == {}
    assert "already used by “Status” (filter-status)" in problems[0]


def test_two_remaps_onto_one_key_are_refused() -> None:
    safe, problems = _check({"filter-status": "z", "filter-area": "z"})
    assert len(safe) == 1
    assert len(problems) == 1


def test_a_screen_key_may_not_take_an_app_key() -> None:
    safe, problems = _check({"add-meeting": "question_mark"})
    assert safe == {}
    assert "The key ? is already used by “Keys” (keys)" in problems[0]


def test_a_widget_key_may_not_take_its_screens_letter() -> None:
    """The case table has focus on the case list: Enter→v would hide the reversed sort."""
    safe, problems = _check({"open-case": "v"})
    assert safe == {}
    assert "(sort-reverse)" in problems[0]


def test_moving_one_of_two_bindings_that_share_a_key_is_refused_and_both_is_fine() -> None:
    safe, problems = _check({"form-cancel": "q"})
    assert safe == {}
    assert "shares the key esc with “Back” (confirm-back)" in problems[0]
    assert _check({"form-cancel": "q", "confirm-back": "q"}) == (
        {"form-cancel": "q", "confirm-back": "q"},
        [],
    )


def test_default_keys_and_how_they_are_shown() -> None:
    keys = default_keys()
    assert keys["new-referral"] == "n"
    assert keys["close-help"] == "escape,f1,enter"
    assert display_key("space", "da") == "mellemrum"
    assert display_key("ctrl+shift+a", "da") == "skift+^a"

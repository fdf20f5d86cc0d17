"""Settings from config.toml: defaults, valid values, and clear bilingual refusals."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mentor_tui.config import Settings, load_settings
from mentor_tui.errors import MentorError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(None) == Settings()
    assert load_settings(tmp_path / "missing.toml") == Settings()
    defaults = Settings()
    assert defaults.language == "da"
    assert defaults.suppression_threshold == 5
    assert defaults.a3_max_age == 17


def test_a_full_file_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
language = "en"
theme = "nord"
staff_initials = "ØK"
suppression_threshold = 3
a3_max_age = 24

[keymap]
new-referral = "ctrl+n"
""",
    )
    settings = load_settings(path)
    assert settings.language == "en"
    assert settings.theme == "nord"
    assert not hasattr(settings, "staff_initials")  # removed: it did nothing (issue 9 item 7)
    assert settings.suppression_threshold == 3
    assert settings.a3_max_age == 24
    assert settings.keymap == {"new-referral": "ctrl+n"}


@pytest.mark.parametrize("threshold", [2, 1, 0, -5])
def test_a_suppression_threshold_below_3_is_refused(tmp_path: Path, threshold: int) -> None:
    """Issue 4: export cells are suppressed below the threshold, which may never be under 3."""
    path = _write(tmp_path, f"suppression_threshold = {threshold}\n")
    with pytest.raises(MentorError) as info:
        load_settings(path)
    da, en = info.value.text("da"), info.value.text("en")
    assert str(path) in da
    assert str(path) in en
    assert "«suppression_threshold»" in da
    assert "ugyldig værdi" in da
    assert "“suppression_threshold”" in en
    assert "bad value" in en
    assert "3" in en


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('language = "de"\n', "language"),
        ("a3_max_age = 25\n", "a3_max_age"),
        ("a3_max_age = 16\n", "a3_max_age"),
        ('suppression_threshold = "five"\n', "suppression_threshold"),
        ("colour = 1\n", "colour"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(MentorError) as info:
        load_settings(_write(tmp_path, text))
    assert f"«{key}»" in info.value.text("da")
    assert f"“{key}”" in info.value.text("en")


def test_a_broken_toml_file_is_explained(tmp_path: Path) -> None:
    path = _write(tmp_path, "language = \n")
    with pytest.raises(MentorError) as info:
        load_settings(path)
    assert info.value.text("da").startswith(f"Konfigurationsfilen {path} kan ikke læses")
    assert info.value.text("en").startswith(f"The config file {path} cannot be read")


def test_settings_are_read_only() -> None:
    settings = Settings()
    name = "language"  # via setattr: mypy already knows the attribute is read-only
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(settings, name, "en")
    assert settings.language == "da"

"""Issue 11 item 4: ``mentor-tui --help`` and every sub-command's help in the user's language,
each with a description and its defaults; argparse's own words and errors follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor_tui import __main__ as cli
from mentor_tui.commands.help_texts import COMMANDS, untranslated


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as info:
        cli.run(argv)
    assert info.value.code == 0
    return capsys.readouterr().out


def _sub_commands() -> list[str]:
    parser = cli.build_parser("da")
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert isinstance(sub.choices, dict)
    return list(sub.choices)


def test_every_option_and_sub_command_has_both_texts() -> None:
    assert untranslated(cli.build_parser("da")) == []
    assert set(_sub_commands()) <= set(COMMANDS)


def test_help_is_danish_by_default_with_defaults_shown(capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(capsys, ["--help"])
    assert out.startswith("brug: mentor-tui")
    assert "Uden en kommando starter programmet." in out
    assert "valgmuligheder:" in out
    assert "vis denne hjælp og afslut" in out
    assert "(standard: language i" in out
    assert "usage" not in out
    assert "show this help" not in out


def test_help_follows_the_language_of_the_config_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    out = " ".join(_help(capsys, ["--config", str(config), "--help"]).split())
    assert out.startswith("usage: mentor-tui")
    assert "Without a command it starts the app." in out
    assert "(default: language in the config file, else da)" in out
    # --lang wins over the config file
    assert _help(capsys, ["--config", str(config), "--lang", "da", "--help"]).startswith("brug:")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_sub_command_has_a_description_in_the_language(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    for command in _sub_commands():
        out = _help(capsys, [command, "--help", "--lang", lang])
        description = COMMANDS[command][1].text("da" if lang == "da" else "en")
        assert " ".join(description.split()[:4]) in " ".join(out.split()), command
        assert ("brug:" if lang == "da" else "usage:") in out


def test_export_help_shows_its_defaults_in_danish(capsys: pytest.CaptureFixture[str]) -> None:
    out = " ".join(_help(capsys, ["export", "--help"]).split())
    assert "(standard: den seneste hele ISO-uge)" in out
    assert "--from DATO" in out
    assert "--out STI" in out


def test_a_wrong_argument_is_explained_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.run(["locate", "nope"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "fejl: argument what: ugyldigt valg: 'nope'" in err
    with pytest.raises(SystemExit):
        cli.run(["locate", "nope", "--lang", "en"])
    assert "error: argument what: invalid choice: 'nope'" in capsys.readouterr().err

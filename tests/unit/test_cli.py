"""The command line: --help, locate, the --demo database, and clear errors with exit code 2."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mentor_tui import __main__ as cli
from mentor_tui.storage.database import open_database
from mentor_tui.storage.migrations import SCHEMA_VERSION


@pytest.fixture
def no_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record instead of starting the TUI; returns the calls to make_app."""
    calls: list[dict[str, Any]] = []

    class _FakeApp:
        return_code = 0

        def run(self) -> None:
            pass

    def fake_make_app(db_path: Path | str | None = None, **kwargs: Any) -> _FakeApp:
        calls.append(kwargs)
        return _FakeApp()

    monkeypatch.setattr(cli, "make_app", fake_make_app)
    return calls


def test_help_lists_the_options_and_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.run(["--help", "--lang", "en"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--db PATH", "--demo", "--lang {da,en}", "--config PATH", "--version"):
        assert option in out
    for command in ("locate", "export", "import"):
        assert command in out


def test_help_works_as_a_module_in_a_fresh_process(tmp_path: Path) -> None:
    """``python -m mentor_tui --help`` needs nothing but the package (issue 2 item 5)."""
    result = subprocess.run(
        [sys.executable, "-m", "mentor_tui", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "", "MENTOR_TUI_DATA_DIR": str(tmp_path / "d"), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "brug: mentor-tui" in result.stdout  # Danish unless asked otherwise
    assert "--demo" in result.stdout
    assert not (tmp_path / "d").exists()  # --help touches no files


def test_locate_prints_data_db_and_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.run(["locate"]) == 0
    out = capsys.readouterr().out.splitlines()
    data_dir = Path(out[0].split(maxsplit=1)[1])
    assert out[0].startswith("data:")
    assert out[1] == f"db:     {data_dir / 'mentor.db'}"
    assert out[2] == f"demo:   {data_dir / 'demo.db'}"
    assert out[3].startswith("config: ")
    assert out[3].endswith("config.toml")


def test_locate_respects_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MENTOR_TUI_DB", str(tmp_path / "cases.db"))
    monkeypatch.setenv("MENTOR_TUI_CONFIG_FILE", str(tmp_path / "cfg.toml"))
    assert cli.run(["locate"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"data:   {tmp_path / 'data'}",
        f"db:     {tmp_path / 'cases.db'}",
        f"demo:   {tmp_path / 'data' / 'demo.db'}",
        f"config: {tmp_path / 'cfg.toml'}",
    ]


def test_locate_db_with_flags(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.run(["locate", "db", "--db", str(tmp_path / "x.db")]) == 0
    assert capsys.readouterr().out == f"db:     {tmp_path / 'x.db'}\n"
    assert cli.run(["locate", "db", "--demo"]) == 0
    assert capsys.readouterr().out.strip().endswith("demo.db")
    assert cli.run(["locate", "config", "--config", str(tmp_path / "c.toml")]) == 0
    assert capsys.readouterr().out == f"config: {tmp_path / 'c.toml'}\n"


@pytest.mark.parametrize("argv_head", [["--db", "{tmp}/x.db"], ["--demo"], ["--config", "{tmp}/c.toml"]])
def test_options_before_a_sub_command_are_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv_head: list[str]
) -> None:
    """``mentor-tui --db X export ...`` must use X, as ``mentor-tui export --db X ...`` does."""
    head = [a.format(tmp=tmp_path) for a in argv_head]
    assert cli.run([*head, "locate"]) == 0
    before = capsys.readouterr().out
    assert cli.run(["locate", *head]) == 0
    after = capsys.readouterr().out
    assert before == after


def test_locate_creates_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(tmp_path / "data"))
    assert cli.run(["locate"]) == 0
    assert not (tmp_path / "data" / "mentor.db").exists()


def test_start_opens_the_db_given_by_db(tmp_path: Path, no_app: list[dict[str, Any]]) -> None:
    path = tmp_path / "mine.db"
    assert cli.run(["--db", str(path), "--lang", "en"]) == 0
    assert path.exists()
    (call,) = no_app
    assert call["settings"].language == "en"
    # the app is started on the file's plain connections (issue 12), an empty database
    assert call["connections"].path == path
    assert call["connections"].conn.execute("SELECT count(*) FROM cases").fetchone() == (0,)


def test_demo_opens_a_filled_demo_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_app: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(tmp_path / "data"))
    assert cli.run(["--demo"]) == 0
    (call,) = no_app
    assert call["repos"].cases.count() == 300
    assert (tmp_path / "data" / "demo.db").exists()
    assert not (tmp_path / "data" / "mentor.db").exists()  # the real database is never touched


def test_a_newer_database_exits_2_with_the_message_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_app: list[dict[str, Any]]
) -> None:
    path = tmp_path / "newer.db"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = path.read_bytes()
    assert cli.run(["--db", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("mentor-tui: Fejl: Databasen")
    assert "nyere version af mentor-tui" in captured.err
    assert no_app == []
    assert path.read_bytes() == before
    assert cli.run(["--db", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mentor-tui: Error: The database")
    assert "newer mentor-tui" in err


def test_a_bad_config_value_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_app: list[dict[str, Any]]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("suppression_threshold = 2\n", encoding="utf-8")
    assert cli.run(["--config", str(config), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mentor-tui: Fejl: Konfigurationsfilen {config} har en ugyldig værdi")
    assert "«suppression_threshold»" in err
    assert no_app == []
    assert not (tmp_path / "x.db").exists()
    assert cli.run(["locate", "--config", str(config), "--lang", "en"]) == 2
    assert "has a bad value at “suppression_threshold”" in capsys.readouterr().err


def test_the_config_file_sets_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_app: list[dict[str, Any]]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("MENTOR_TUI_CONFIG_FILE", str(config))
    assert cli.run(["--db", str(tmp_path / "x.db")]) == 0
    assert no_app[0]["settings"].language == "en"
    assert cli.run(["--db", str(tmp_path / "x.db"), "--lang", "da"]) == 0
    assert no_app[1]["settings"].language == "da"  # the flag wins over the file


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.run(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("mentor-tui ")


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.run(["--no-such-option"])
    assert info.value.code == 2
    assert "ukendte argumenter: --no-such-option" in capsys.readouterr().err


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """``mentor-tui retention --dry-run | head``: no "unexpected error" once head has its lines."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mentor_tui", "locate"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
            cwd=tmp_path,
            env={"PATH": "", "MENTOR_TUI_DATA_DIR": str(tmp_path / "d"), "HOME": str(tmp_path)},
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == ""


def test_a_broken_pipe_inside_a_command_is_no_unexpected_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def reader_gone(args: object) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(cli, "_locate", reader_gone)
    assert cli.run(["locate"]) == 141
    assert capsys.readouterr().err == ""

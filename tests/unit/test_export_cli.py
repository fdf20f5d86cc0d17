"""``mentor-tui export`` (issue 4 item 6): files, names, the export_run record and clear errors."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import pytest

from mentor_tui.__main__ import build_parser
from mentor_tui.__main__ import run as cli
from mentor_tui.commands import export_command
from mentor_tui.config import Settings
from mentor_tui.services.casework.service import CaseworkService


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["export", *argv])


def test_default_is_last_complete_week_as_csv_in_the_current_directory(
    seeded: CaseworkService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert export_command.run(parse(), seeded.repos, Settings()) == 0
    path = tmp_path / "mentor-tui-2026-W46.csv"  # today is in week 47
    assert path.exists()
    assert str(path) in capsys.readouterr().out
    (run,) = seeded.repos.export_runs.all()
    assert (run.period_code, run.period_kind, run.format, run.threshold, run.internal) == (
        "2026-W46",
        "week",
        "csv",
        5,
        False,
    )
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_period_format_and_out_directory(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--period", "PY3-Q1", "--format", "xlsx", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    assert (tmp_path / "mentor-tui-PY3-Q1.xlsx").exists()


def test_format_follows_the_out_suffix(seeded: CaseworkService, tmp_path: Path) -> None:
    out = tmp_path / "tal.json"
    assert export_command.run(parse("--period", "2026-W47", "--out", str(out)), seeded.repos, Settings()) == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_from_to_range(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--from", "01-10-2026", "--to", "2026-10-31", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    assert (tmp_path / "mentor-tui-2026-10-01_2026-10-31.csv").exists()
    (run,) = seeded.repos.export_runs.all()
    assert (run.period_kind, run.period_code) == ("range", "2026-10-01..2026-10-31")


def test_internal_is_marked_in_the_name_and_header(
    seeded: CaseworkService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse("--period", "2026-W47", "--internal", "--out", str(tmp_path / "uge.csv"))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    path = tmp_path / "uge-INTERNAL.csv"
    assert "internal;true" in path.read_text(encoding="utf-8-sig")
    assert "INTERN" in capsys.readouterr().out
    assert seeded.repos.export_runs.all()[0].internal


def test_threshold_comes_from_the_settings(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--period", "PY3", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings(suppression_threshold=7)) == 0
    assert seeded.repos.export_runs.all()[0].threshold == 7
    assert "threshold;7" in (tmp_path / "mentor-tui-PY3.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("argv", "da", "en"),
    [
        (["--period", "2025-W53"], "Uge 53 findes ikke i 2025", "Week 53 does not exist in 2025"),
        (["--period", "uge 47"], "er ikke en periode", "is not a period"),
        (["--threshold", "2"], "må ikke være under 3", "may not be below 3"),
        (
            ["--from", "2026-01-01"],
            "--from og --to skal bruges sammen",
            "--from and --to must be given together",
        ),
        (["--period", "PY1", "--from", "2026-01-01", "--to", "2026-01-31"], "ikke begge", "not both"),
        (["--format", "csv", "--out", "tal.json"], "passer ikke til formatet", "does not match the format"),
    ],
)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_errors_are_clear_exit_2_and_write_nothing(
    argv: list[str],
    da: str,
    en: str,
    lang: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "m.db"
    assert cli(["export", "--db", str(db), "--lang", lang, *argv]) == 2
    err = capsys.readouterr().err
    assert (da if lang == "da" else en) in err
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("m.db")) == []


def test_unwritable_out_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fil").write_text("x")
    assert cli(["export", "--db", str(tmp_path / "m.db"), "--out", str(tmp_path / "fil" / "ud.csv")]) == 2
    assert "Kan ikke skrive" in capsys.readouterr().err

"""``mentor-tui export`` (issues 4 and 7): files, names, output safety, the records, clear errors."""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from mentor_tui.__main__ import build_parser
from mentor_tui.__main__ import run as cli
from mentor_tui.commands import export_command
from mentor_tui.config import Settings
from mentor_tui.errors import MentorError
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
    assert (tmp_path / "mentor-tui-2026-W46.metadata.csv").exists()


def test_period_format_and_out_directory(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--period", "PY2-Q4", "--format", "xlsx", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    assert (tmp_path / "mentor-tui-PY2-Q4.xlsx").exists()


def test_format_follows_the_out_suffix(seeded: CaseworkService, tmp_path: Path) -> None:
    out = tmp_path / "tal.json"
    assert export_command.run(parse("--period", "2026-W46", "--out", str(out)), seeded.repos, Settings()) == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_from_to_range(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--from", "01-10-2026", "--to", "2026-10-31", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    assert (tmp_path / "mentor-tui-2026-10-01_2026-10-31.csv").exists()
    (run,) = seeded.repos.export_runs.all()
    assert (run.period_kind, run.period_code) == ("range", "2026-10-01..2026-10-31")


def test_internal_default_name_says_so(
    seeded: CaseworkService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse("--period", "2026-W46", "--internal", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    path = tmp_path / "mentor-tui-2026-W46-INTERNAL.csv"
    assert "internal;Intern (eksakte tal);ja" in metadata(path)
    assert "INTERN" in capsys.readouterr().out
    assert seeded.repos.export_runs.all()[0].internal
    assert seeded.repos.db.execute("SELECT COUNT(*) FROM export_cell").fetchone()[0] == 0  # not published


def test_an_explicit_out_name_is_honoured_exactly_with_a_warning_for_internal_files(
    seeded: CaseworkService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse("--period", "2026-W46", "--internal", "--out", str(tmp_path / "uge.csv"))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    assert (tmp_path / "uge.csv").exists()
    assert not (tmp_path / "uge-INTERNAL.csv").exists()
    assert "navnet siger det ikke" in capsys.readouterr().err


def metadata(path: Path) -> str:
    return path.with_name(f"{path.stem}.metadata.csv").read_text(encoding="utf-8-sig")


def test_threshold_comes_from_the_settings(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--period", "PY2", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings(suppression_threshold=7)) == 0
    assert seeded.repos.export_runs.all()[0].threshold == 7
    assert "threshold;Grænse for små tal;7" in metadata(tmp_path / "mentor-tui-PY2.csv")


def test_every_published_cell_is_recorded(seeded: CaseworkService, tmp_path: Path) -> None:
    args = parse("--period", "2026-W46", "--out", str(tmp_path))
    assert export_command.run(args, seeded.repos, Settings()) == 0
    (run,) = seeded.repos.export_runs.all()
    rows = seeded.repos.db.execute(
        "SELECT cell_id, value, suppressed FROM export_cell WHERE export_run_id = ?", [run.id]
    ).fetchall()
    cells = {cell_id: (value, hidden) for cell_id, value, hidden in rows}
    assert cells["CASES_ACTIVE|2026-11-09..2026-11-15|"] == (None, 1)  # 4 active: hidden
    assert cells["MEETINGS|2026-11-09..2026-11-15|"] == (0, 0)
    assert "REFERRALS|2026-10-01..2026-11-15|" in cells  # the year to date
    assert len(cells) == len(rows)  # a cell shown in several tables is recorded once


def test_an_existing_file_is_not_overwritten_without_force(
    seeded: CaseworkService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tal.csv"
    out.write_text("the lead's own notes")
    with pytest.raises(MentorError, match="--force"):
        export_command.run(parse("--period", "2026-W46", "--out", str(out)), seeded.repos, Settings())
    assert out.read_text() == "the lead's own notes"
    assert seeded.repos.export_runs.count() == 0
    assert not (tmp_path / "tal.metadata.csv").exists()
    args = parse("--period", "2026-W46", "--out", str(out), "--force")
    assert export_command.run(args, seeded.repos, Settings()) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Tabel;")


def _database_with_a_case(tmp_path: Path) -> Path:
    db = tmp_path / "mentor.db"
    assert cli(["--db", str(db), "import", str(BOUNDARY)]) == 0
    return db


BOUNDARY = Path(__file__).parents[1] / "data" / "cases" / "export" / "py_boundary.csv"


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("target", ["mentor.db", "mentor.db-wal", "mentor.db-shm", "kopi.bak"])
def test_out_onto_the_database_is_refused_and_the_database_is_intact(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
    force: list[str],
) -> None:
    """Issue 7: ``--out X`` where X was the database replaced it with the CSV (all cases gone)."""
    monkeypatch.chdir(tmp_path)
    db = _database_with_a_case(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, tmp_path / "kopi.bak")  # a backup: found by its content, whatever its name
    argv = ["--db", str(db), "export", "--period", "PY3-Q1", "--allow-incomplete", *force]
    assert cli([*argv, "--out", target, "--format", "csv"]) == 2
    assert "database" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sqlite3.connect(tmp_path / "kopi.bak").execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    assert not (tmp_path / f"{Path(target).stem}.metadata.csv").exists()


def test_an_incomplete_period_needs_allow_incomplete_and_says_so(
    seeded: CaseworkService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_path = tmp_path / "ud"
    tmp_path.mkdir()
    with pytest.raises(MentorError, match="allow-incomplete"):
        export_command.run(parse("--period", "2026-W47", "--out", str(tmp_path)), seeded.repos, Settings())
    assert list(tmp_path.iterdir()) == []
    args = parse("--period", "2026-W47", "--out", str(tmp_path), "--allow-incomplete")
    assert export_command.run(args, seeded.repos, Settings()) == 0
    path = tmp_path / "mentor-tui-2026-W47-UFULDSTAENDIG.csv"
    assert "complete;Perioden var slut;nej" in metadata(path)
    assert "counted_until;Talt til og med;2026-11-20" in metadata(path)
    assert "UFULDSTÆNDIG" in capsys.readouterr().out
    assert not seeded.repos.export_runs.all()[0].complete


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

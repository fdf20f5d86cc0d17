"""``mentor-tui import FILE``: exit codes, the summary, the bad-row report and the progress bar."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from mentor_tui.__main__ import run as cli
from mentor_tui.commands import import_command
from mentor_tui.commands.import_command import TextProgress
from mentor_tui.config import Settings
from mentor_tui.i18n import set_language
from mentor_tui.storage.repositories import Repositories

FIXTURES = Path(__file__).resolve().parents[2] / "db" / "fixtures"


def run_command(repos: Repositories, path: Path, *, dry_run: bool = False) -> int:
    args = argparse.Namespace(file=str(path), dry_run=dry_run)
    return import_command.run(args, repos, Settings())


def test_good_file_exits_0_with_a_summary(repos: Repositories, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_command(repos, FIXTURES / "import_example.csv")

    out, err = capsys.readouterr()
    assert code == 0
    assert "Importeret fra import_example.csv: 20 rækker" in out
    assert "personer 5, forløb 6, henvisninger 6, opstarter 5, møder 7, resultater 3, afslutninger 3" in out
    assert err == ""  # 20 rows: no progress bar


def test_second_import_says_nothing_new(repos: Repositories, capsys: pytest.CaptureFixture[str]) -> None:
    run_command(repos, FIXTURES / "import_example.csv")
    capsys.readouterr()
    set_language("en")

    code = run_command(repos, FIXTURES / "import_example.csv")

    out, _ = capsys.readouterr()
    assert code == 0
    assert "Nothing new to import." in out
    assert "20 rows were already there" in out


def test_bad_file_exits_2_and_lists_the_bad_lines(
    repos: Repositories, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language("en")

    code = run_command(repos, FIXTURES / "import_bad.csv")

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("Nothing imported: 14 problems in import_bad.csv.")
    assert "  Line 8, column status: Mentor (activity-ready): give the education/job status at closure" in err
    assert "  Line 13, column event: No henvisning row for BAD-07" in err
    assert repos.cases.count() == 0


def test_dry_run_checks_without_writing(repos: Repositories, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_command(repos, FIXTURES / "import_example.xlsx", dry_run=True)

    out, _ = capsys.readouterr()
    assert code == 0
    assert "intet skrevet, --dry-run" in out
    assert repos.cases.count() == 0


def test_missing_file_exits_2(
    repos: Repositories, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_command(repos, tmp_path / "nope.csv")

    _, err = capsys.readouterr()
    assert code == 2
    assert "Filen findes ikke" in err


def test_large_file_shows_progress_on_stderr(
    repos: Repositories, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["person_ref,birth,gender,area,activity,event,date,code"]
    for i in range(1500):
        lines.append(f"L{i},1990-05,,RISING,A8,henvisning,2026-10-01,JOBRAADGIVER")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    code = run_command(repos, path)

    _, err = capsys.readouterr()
    assert code == 0
    assert f"Læser og tjekker rækker [##############################] {path.stat().st_size}/" in err
    assert "Tjekker forløb [##############################] 1500/1500 (100%)\n" in err
    assert err.endswith("Skriver [##############################] 1/1 (100%)\n")


def test_the_first_problems_of_a_large_file_are_shown_as_they_are_found(
    repos: Repositories, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["person_ref,birth,gender,area,activity,event,date,code"]
    lines.append("BAD1,1990-05,,RISING,A8,henvisning,31-02-2026,JOBRAADGIVER")
    for i in range(1500):
        lines.append(f"L{i},1990-05,,RISING,A8,henvisning,2026-10-01,JOBRAADGIVER")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    assert run_command(repos, path) == 2

    _, err = capsys.readouterr()
    early = err.index("Fejl fundet (intet bliver importeret)")
    assert err.index("Linje 2, kolonne date", early) < err.index("Tjekker forløb")  # before the end
    assert repos.cases.count() == 0


def test_text_progress_bar_draws_on_each_percent() -> None:
    stream = io.StringIO()
    bar = TextProgress(stream, label="Importing", width=10)

    for done in range(0, 1001):
        bar(done, 1000)

    text = stream.getvalue()
    assert text.count("\r") == 101  # 0 % .. 100 %, not once per row
    assert "\rImporting [#####.....] 500/1000 (50%)" in text
    assert text.endswith("[##########] 1000/1000 (100%)\n")


def test_end_to_end_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    argv = ["import", str(FIXTURES / "import_example.csv"), "--db", str(db), "--lang", "en"]

    assert cli(argv) == 0
    assert cli(argv) == 0

    out, _ = capsys.readouterr()
    assert "Imported from import_example.csv: 20 rows" in out
    assert out.rstrip().endswith(
        "20 rows were already there (from an earlier import, or as the start meeting) and were skipped"
    )
    assert cli(["import", str(FIXTURES / "import_bad.csv"), "--db", str(db)]) == 2

"""The CLI never shows a traceback, and backup, restore and check keep the data safe (issue 10
items 2-5)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

import mentor_tui.services.counts.formats  # noqa: F401  (loaded before a child drops privileges)
from mentor_tui import __main__ as cli
from mentor_tui.clock import FixedClock
from mentor_tui.commands import export_command
from mentor_tui.locations import log_file
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.robust_support import give_to_child, listing, run_in_child, shared_folder, zero_page

REFERRAL: dict[str, Any] = {
    "activity": "A6_FREMSKUDT_UDD_BESK",
    "received_date": "01-11-2026",
    "source": "UDDANNELSESRAADGIVER_CFU",
    "birth_year": 2001,
    "birth_month": 3,
    "area": "RISING",
}


def _with_people(path: Path, clock: FixedClock, labels: list[str]) -> Repositories:
    repos = Repositories(open_database(path), clock)
    for label in labels:
        CaseworkService(repos).register_referral(display_label=label, **REFERRAL)
    return repos


def _labels(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT display_label FROM person"))


# -- one handler, no traceback, no data -----------------------------------------------------------


def test_an_unexpected_error_in_a_command_gives_a_message_and_a_log_entry_without_data(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    repos = _with_people(path, clock, ["Amal Testperson"])
    repos.db.close()

    def broken(args: object, repos: Repositories, settings: object) -> int:
        person = repos.persons.all()[0]
        raise KeyError(f"{person.display_label} {person.birth_year}-{person.birth_month:02d}")

    monkeypatch.setattr(export_command, "run", broken)
    assert cli.run(["--db", str(path), "export"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("mentor-tui: Fejl: Der skete en uventet fejl (KeyError)")
    assert str(log_file()) in err
    assert "Amal" not in err
    logged = log_file().read_text(encoding="utf-8")
    assert "builtins.KeyError" in logged
    assert "where: command export" in logged
    assert "in broken" in logged
    assert "Amal" not in logged
    assert "2001-03" not in logged
    assert log_file().stat().st_mode & 0o777 == 0o600


def test_ctrl_c_ends_a_command_with_a_short_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(export_command, "run", interrupted)
    open_database(tmp_path / "mentor.db").close()
    assert cli.run(["--db", str(tmp_path / "mentor.db"), "export", "--lang", "en"]) == 130
    assert capsys.readouterr().err == "mentor-tui: Interrupted. Nothing was half-saved.\n"


def test_a_given_db_in_a_missing_folder_exits_2_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo" / "mentor.db"
    assert cli.run(["--db", str(path), "export"]) == 2
    assert f"Mappen {path.parent} findes ikke" in capsys.readouterr().err
    assert not path.parent.exists()


# -- backup, restore, check ---------------------------------------------------------------------


def test_backup_holds_records_still_in_the_wal_while_the_app_is_open(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    app_repos = _with_people(path, clock, ["Testperson A", "Testperson B"])  # the app stays open
    copied = tmp_path / "copied.db"
    shutil.copyfile(path, copied)  # what a file manager copy gets
    out = tmp_path / "kopi.db"
    assert cli.run(["--db", str(path), "backup", "--out", str(out)]) == 0
    assert f"Sikkerhedskopi skrevet: {out}" in capsys.readouterr().out
    assert _labels(out) == ["Testperson A", "Testperson B"]
    assert out.stat().st_mode & 0o777 == 0o600
    assert not Path(f"{out}-wal").exists()  # one self-contained file
    assert _labels(copied) == []  # the plain copy misses what is still in mentor.db-wal
    app_repos.db.close()


def test_backup_never_overwrites_and_names_a_dated_file_in_a_folder(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    _with_people(path, clock, ["Testperson A"]).db.close()
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"precious")
    assert cli.run(["--db", str(path), "backup", "--out", str(taken)]) == 2
    assert "findes allerede" in capsys.readouterr().err
    assert taken.read_bytes() == b"precious"
    folder = tmp_path / "kopier"
    folder.mkdir()
    assert cli.run(["--db", str(path), "backup", "--out", str(folder)]) == 0
    (made,) = folder.iterdir()
    assert made.name.startswith("mentor-")
    assert made.suffix == ".db"
    assert _labels(made) == ["Testperson A"]


def test_restore_checks_the_backup_first_and_keeps_the_current_file_aside(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    _with_people(path, clock, ["Testperson A"]).db.close()
    backup = tmp_path / "kopi.db"
    assert cli.run(["--db", str(path), "backup", "--out", str(backup)]) == 0
    later = _with_people(path, clock, ["Testperson B"])  # work done after the backup
    later.db.close()
    before = path.read_bytes()

    damaged = tmp_path / "damaged.db"
    shutil.copyfile(backup, damaged)
    with sqlite3.connect(damaged) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'person'").fetchone()
    conn.close()
    zero_page(damaged, root)
    capsys.readouterr()
    assert cli.run(["--db", str(path), "restore", str(damaged)]) == 2
    assert "er beskadiget" in capsys.readouterr().err
    assert path.read_bytes() == before  # nothing changed

    not_ours = tmp_path / "other.db"
    sqlite3.connect(not_ours).execute("CREATE TABLE t (x)").connection.close()
    assert cli.run(["--db", str(path), "restore", str(not_ours)]) == 2
    assert "er ikke en sikkerhedskopi af en mentor-tui-database" in capsys.readouterr().err

    assert cli.run(["--db", str(path), "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert _labels(path) == ["Testperson A"]
    (aside,) = tmp_path.glob("mentor.db.before-restore-*")
    assert str(aside) in out
    assert _labels(aside) == ["Testperson A", "Testperson B"]
    assert path.stat().st_mode & 0o777 == 0o600
    db = open_database(path)  # the restored file opens and works
    db.close()


def test_restore_is_refused_while_the_database_is_open_elsewhere(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    _with_people(path, clock, ["Testperson A"]).db.close()
    backup = tmp_path / "kopi.db"
    assert cli.run(["--db", str(path), "backup", "--out", str(backup)]) == 0
    app = _with_people(path, clock, ["Testperson B"])
    reading = app.db.conn.execute("SELECT * FROM person")  # the app is in the middle of a read
    reading.fetchone()
    try:
        assert cli.run(["--db", str(path), "restore", str(backup), "--lang", "en"]) == 2
        assert "is open in another program" in capsys.readouterr().err
    finally:
        reading.close()
        app.db.close()
    assert _labels(path) == ["Testperson A", "Testperson B"]


def test_check_reports_a_sound_and_a_damaged_file(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    repos = _with_people(path, clock, [f"Testperson {i}" for i in range(80)])
    (root,) = repos.db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'person'").fetchone()
    repos.db.close()
    assert cli.run(["--db", str(path), "check"]) == 0
    assert "fandt ingen fejl" in capsys.readouterr().out
    zero_page(path, root)
    before = path.read_bytes()
    assert cli.run(["--db", str(path), "check", "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert f"{path} is damaged" in out
    assert path.read_bytes() == before


# -- read-only work -----------------------------------------------------------------------------


def test_export_works_on_a_read_only_file_and_leaves_nothing_behind(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with shared_folder() as folder, shared_folder() as home:
        for name, sub in (("DATA_DIR", "data"), ("CONFIG_FILE", "config.toml"), ("STATE_DIR", "state")):
            monkeypatch.setenv(f"MENTOR_TUI_{name}", str(home / sub))
        path = folder / "mentor.db"
        _with_people(path, clock, ["Testperson A"]).db.close()
        give_to_child(path)
        os.chmod(path, 0o444)
        out = folder / "out"
        out.mkdir()
        give_to_child(out)
        before = listing(folder)

        def export() -> int:
            return cli.run(["--db", str(path), "export", "--period", "2026-W45", "--out", str(out)])

        assert run_in_child(export) == 0
        assert listing(folder) == before  # no -wal/-shm, the database untouched
        assert sorted(p.name for p in out.iterdir()) == [  # the export and its metadata file
            "mentor-tui-2026-W45.csv",
            "mentor-tui-2026-W45.metadata.csv",
        ]


def test_export_works_while_another_program_writes(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    app = _with_people(path, clock, ["Testperson A"])
    writer = sqlite3.connect(path, timeout=0, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # a save in progress in the open app
    writer.execute("DELETE FROM cases")

    def finish_the_save() -> None:
        writer.rollback()
        writer.close()

    done = threading.Timer(1.0, finish_the_save)
    done.start()
    try:
        code = cli.run(["--db", str(path), "export", "--period", "2026-W45", "--out", str(tmp_path)])
        assert code == 0, capsys.readouterr().err
    finally:
        done.join()
        app.db.close()
    assert len([p for p in tmp_path.glob("*.csv") if not p.name.endswith(".metadata.csv")]) == 1


def test_a_full_disk_during_an_import_gives_a_message_and_writes_nothing(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """RLIMIT_FSIZE in a child: the import's one write transaction fails as on a full disk."""
    import resource

    path = tmp_path / "mentor.db"
    open_database(path).close()
    rows = ["person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"]
    rows += [f"FULL-{i:04d};1990-05;;RISING;A8;henvisning;2026-10-01;JOBRAADGIVER;;;" for i in range(3000)]
    sheet = tmp_path / "rows.csv"
    sheet.write_text("\r\n".join(rows), encoding="utf-8")
    limit = path.stat().st_size + 64 * 1024

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    code = run_in_child(
        lambda: cli.run(["--db", str(path), "import", str(sheet)]), unprivileged=False, setup=limit_file_size
    )
    assert code == 2
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (0,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()

"""Automatic backups and restore (issue 13 item 3): one a day on start, kept in rotation, owner-only,
and a restore round trip (plain and encrypted)."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from mentor_tui.__main__ import run as cli
from mentor_tui.clock import FixedClock
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.security.passphrase import PASSPHRASE_ENV
from mentor_tui.storage import backups, encryption
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories


def add_person(repos: Repositories, label: str) -> None:
    CaseworkService(repos).register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-11-02",
        source="JOBRAADGIVER",
        display_label=label,
        birth_year=1990,
        birth_month=5,
        area="VOLLSMOSE",
    )


def test_one_backup_a_day_kept_in_rotation_owner_only(repos: Repositories, db_path: Path) -> None:
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    written = []
    for hours in range(0, 24 * 20, 6):  # the app started four times a day for 20 days
        done = backups.backup_if_due(repos.db, db_path, start + dt.timedelta(hours=hours), keep=14)
        if done.written:
            written.append(done.written)
    assert len(written) == 20
    files = backups.backup_files(db_path)
    assert files == written[-14:]
    assert files[0].name == "mentor-20261107T080000Z.db"
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.backup_folder(db_path).stat().st_mode) == 0o700
    assert not list(backups.backup_folder(db_path).glob("*.part"))


def test_restore_round_trip_keeps_the_replaced_database(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    db = open_database(path)
    repos = Repositories(db, clock)
    add_person(repos, "Før Kopien")
    backup = backups.write_backup(db, path, clock.now())
    add_person(repos, "Efter Kopien")
    db.close()

    assert cli(["--db", str(path), "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    again = Repositories(open_database(path), clock)
    assert [p.display_label for p in again.persons.where()] == ["Før Kopien"]
    again.db.close()
    safety = [f for f in backups.backup_files(path) if f != backup]
    assert len(safety) == 1
    assert str(safety[0]) in out
    kept = Repositories(open_database(safety[0]), clock)
    assert sorted(p.display_label for p in kept.persons.where()) == ["Efter Kopien", "Før Kopien"]
    kept.db.close()


def test_restore_refuses_a_file_that_is_not_a_backup(
    tmp_path: Path, repos: Repositories, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_person(repos, "Bliver Her")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = db_path.read_bytes()
    assert cli(["--db", str(db_path), "--lang", "en", "restore", str(junk)]) == 2
    assert "nothing was changed" in capsys.readouterr().err
    assert db_path.read_bytes() == before


def test_encrypted_backup_restores_with_the_same_passphrase(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
    path = tmp_path / "mentor.db"
    db = open_database(path, passphrase="hemmelig")
    repos = Repositories(db, clock)
    add_person(repos, "Krypteret Før")
    backup = backups.write_backup(db, path, clock.now())
    add_person(repos, "Krypteret Efter")
    db.close()
    assert encryption.is_encrypted(backup)
    assert b"Krypteret" not in backup.read_bytes()

    monkeypatch.setenv(PASSPHRASE_ENV, "hemmelig")
    assert cli(["--db", str(path), "restore", str(backup)]) == 0
    again = Repositories(open_database(path, passphrase="hemmelig"), clock)
    assert [p.display_label for p in again.persons.where()] == ["Krypteret Før"]
    again.db.close()

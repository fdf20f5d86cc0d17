"""Automatic backups (issue 13 item 3): one a day on start, kept in rotation, owner-only; an
encrypted database's backups are encrypted and restore with the same passphrase. (Backup and
restore themselves are ``robust``'s, tested in their tests.)"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from mentor_tui.__main__ import run as cli
from mentor_tui.clock import FixedClock
from mentor_tui.locations import backup_directory
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.security.passphrase import PASSPHRASE_ENV
from mentor_tui.storage import encryption
from mentor_tui.storage.backup import backup_database, backup_file_name
from mentor_tui.storage.backup_rotation import backup_if_due, backups_of
from mentor_tui.storage.database import ThreadLocalDatabase
from mentor_tui.storage.encryption import open_with_passphrase
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


def test_one_backup_a_day_kept_in_rotation_owner_only(repos: Repositories, tmp_path: Path) -> None:
    assert isinstance(repos.db, ThreadLocalDatabase)
    folder = tmp_path / "backups"
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    written = []
    for hours in range(0, 24 * 20, 6):  # the app started four times a day for 20 days
        done = backup_if_due(repos.db, folder, start + dt.timedelta(hours=hours), keep=14)
        if done.written:
            written.append(done.written)
    assert len(written) == 20
    files = backups_of(folder, "mentor")
    assert files == written[-14:]
    assert files[0].name == "mentor-2026-11-07T080000.db"
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_app_start_writes_the_daily_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> None:
    from mentor_tui import __main__ as main_module

    class FakeApp:
        return_code = 0
        notices: list[object] = []
        crash_message = None

        def run(self) -> None:
            pass

    monkeypatch.setattr(main_module, "make_app", lambda **kwargs: FakeApp())
    path = tmp_path / "mentor.db"
    assert cli(["--db", str(path)]) == 0
    assert cli(["--db", str(path)]) == 0  # the same day: no second backup
    assert len(backups_of(backup_directory(), "mentor")) == 1


def test_encrypted_backup_restores_with_the_same_passphrase(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
    path = tmp_path / "mentor.db"
    db = open_with_passphrase(path, "hemmelig")
    repos = Repositories(db, clock)
    add_person(repos, "Krypteret Før")
    backup = backup_database(db, tmp_path / backup_file_name(clock.now())).path
    add_person(repos, "Krypteret Efter")
    db.close()
    assert encryption.is_encrypted(backup)
    assert b"Krypteret" not in backup.read_bytes()
    assert encryption.passphrase_opens(backup, "hemmelig")

    monkeypatch.setenv(PASSPHRASE_ENV, "hemmelig")
    assert cli(["--db", str(path), "restore", str(backup)]) == 0
    again = Repositories(open_with_passphrase(path, "hemmelig"), clock)
    assert [p.display_label for p in again.persons.all()] == ["Krypteret Før"]
    again.db.close()

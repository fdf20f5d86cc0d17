"""Automatic backups (issue 13 item 3): one a day on start, kept in rotation, owner-only; an
encrypted database's backups are encrypted and restore with the same passphrase, also over a
database with another salt or one that no longer opens. (Backup and restore themselves are
``robust``'s, tested in their tests.)"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mentor_tui.__main__ import run as cli
from mentor_tui.clock import FixedClock
from mentor_tui.locations import backup_directory
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.security.passphrase import PASSPHRASE_ENV
from mentor_tui.storage import encryption
from mentor_tui.storage.backup import backup_database, backup_file_name
from mentor_tui.storage.backup_rotation import backup_if_due, backups_of
from mentor_tui.storage.database import ThreadLocalDatabase, open_database
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
        # the real app runs ``start_work`` in a thread after its first screen (issue 12); this one
        # runs it at once (tests/functional/test_startup_work.py covers the app's side)
        return_code = 0
        notices: list[object] = []
        crash_message = None
        start_work: Callable[[Repositories], list[object]] | None = None

        def __init__(self, repos: Repositories) -> None:
            self.repos = repos

        def run(self) -> None:
            assert self.start_work is not None
            self.notices = self.start_work(self.repos)

    def make_app(**kwargs: Any) -> FakeApp:
        # ``mentor-tui`` starts the app on plain connections; the app builds its repositories
        return FakeApp(kwargs.get("repos") or Repositories(ThreadLocalDatabase(kwargs["connections"])))

    monkeypatch.setattr(main_module, "make_app", make_app)
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


def _labels(repos: Repositories) -> list[str]:
    labels = sorted(p.display_label for p in repos.persons.all())
    repos.db.close()
    return labels


def test_a_backup_encrypted_on_its_own_restores_over_the_encrypted_database(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `mentor-tui encrypt` encrypts the database and its plain backups one by one: each file gets
    # its own salt, so the backup and the database it replaces open with different keys
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
    path = tmp_path / "mentor.db"
    db = open_database(path)
    repos = Repositories(db, clock)
    add_person(repos, "Person Før")
    backup = backup_database(db, tmp_path / backup_file_name(clock.now())).path
    add_person(repos, "Person Efter")
    repos.db.close()
    encryption.encrypt_file(path, "hemmelig")
    encryption.encrypt_file(backup, "hemmelig")
    assert path.read_bytes()[:16] != backup.read_bytes()[:16]  # two salts

    monkeypatch.setenv(PASSPHRASE_ENV, "hemmelig")
    assert cli(["--db", str(path), "restore", str(backup), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "The previous database was kept as" in out
    assert _labels(Repositories(open_with_passphrase(path, "hemmelig"), clock)) == ["Person Før"]
    (aside,) = tmp_path.glob("mentor.db.before-restore-*")
    assert _labels(Repositories(open_with_passphrase(aside, "hemmelig"), clock)) == [
        "Person Efter",
        "Person Før",
    ]


@pytest.mark.parametrize("current", ["damaged", "other passphrase"])
def test_restore_replaces_a_database_it_cannot_read_and_keeps_it_whole(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    current: str,
) -> None:
    # the usual reason to restore: the database no longer opens
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
    path = tmp_path / "mentor.db"
    db = open_with_passphrase(path, "hemmelig")
    repos = Repositories(db, clock)
    add_person(repos, "Person Før")
    backup = backup_database(db, tmp_path / backup_file_name(clock.now())).path
    repos.db.close()
    if current == "damaged":
        path.write_bytes(b"\x17" * 8192)
    else:
        path.unlink()
        other = Repositories(open_with_passphrase(path, "en anden"), clock)
        add_person(other, "Person Ny")
        other.db.close()
    before = path.read_bytes()

    monkeypatch.setenv(PASSPHRASE_ENV, "hemmelig")
    assert cli(["--db", str(path), "restore", str(backup), "--lang", "en"]) == 0
    assert "could not be read" in capsys.readouterr().out
    assert _labels(Repositories(open_with_passphrase(path, "hemmelig"), clock)) == ["Person Før"]
    (aside,) = tmp_path.glob("mentor.db.before-restore-*[0-9]")
    assert aside.read_bytes() == before  # kept as it was
    if current == "other passphrase":
        assert _labels(Repositories(open_with_passphrase(aside, "en anden"), clock)) == ["Person Ny"]


def test_restore_replaces_a_damaged_plain_database_and_keeps_it_with_its_wal(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    db = open_database(path)
    repos = Repositories(db, clock)
    add_person(repos, "Person Før")
    backup = backup_database(db, tmp_path / backup_file_name(clock.now())).path
    repos.db.close()
    path.write_bytes(b"\x17" * 8192)
    Path(f"{path}-wal").write_bytes(b"what the file lacks")

    # damaged bytes cannot be told from an encrypted file: a plain backup needs the flag
    assert cli(["--db", str(path), "restore", str(backup)]) == 2
    assert path.read_bytes() == b"\x17" * 8192
    capsys.readouterr()
    assert cli(["--db", str(path), "restore", str(backup), "--allow-unencrypted"]) == 0
    assert "kunne ikke læses" in capsys.readouterr().out
    assert _labels(Repositories(open_database(path), clock)) == ["Person Før"]
    (aside,) = tmp_path.glob("mentor.db.before-restore-*[0-9]")
    assert aside.read_bytes() == b"\x17" * 8192
    assert Path(f"{aside}-wal").read_bytes() == b"what the file lacks"


def test_a_plain_backup_is_not_restored_over_an_encrypted_database(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a backup from before `mentor-tui encrypt`: restoring it would silently undo the encryption
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
    path = tmp_path / "mentor.db"
    db = open_database(path)
    repos = Repositories(db, clock)
    add_person(repos, "Person Før")
    backup = backup_database(db, tmp_path / backup_file_name(clock.now())).path
    repos.db.close()
    encryption.encrypt_file(path, "hemmelig")
    before = path.read_bytes()

    monkeypatch.setenv(PASSPHRASE_ENV, "hemmelig")
    assert cli(["--db", str(path), "restore", str(backup), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "is not encrypted" in err
    assert "Encrypt the backup first" in err
    assert "Nothing was changed" in err
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("mentor.db.before-restore-*"))

    # encrypted first, as the message says, the backup restores and the database stays encrypted
    assert cli(["--db", str(backup), "encrypt"]) == 0
    assert cli(["--db", str(path), "restore", str(backup)]) == 0
    assert encryption.is_encrypted(path)
    assert _labels(Repositories(open_with_passphrase(path, "hemmelig"), clock)) == ["Person Før"]

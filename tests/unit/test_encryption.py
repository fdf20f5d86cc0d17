"""Encryption at rest with SQLCipher 4 (issue 13 item 1): round trips through the service and the
CLI, wrong passphrases, rekey, and ``encrypt`` refusing a damaged source.

Skipped only where the ``encrypted`` extra cannot be installed (``.ci/run`` installs it)."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from mentor_tui import __main__ as main_module
from mentor_tui.__main__ import run as cli
from mentor_tui.clock import FixedClock
from mentor_tui.locations import backup_directory
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.security.passphrase import PASSPHRASE_ENV, PassphraseAttempts
from mentor_tui.storage import encryption
from mentor_tui.storage.database import DatabaseOpenError, open_database
from mentor_tui.storage.encryption import open_with_passphrase
from mentor_tui.storage.repositories import Repositories

pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra (sqlcipher3) is not installed")

PASSPHRASE = "korrekt hest batteri 'hæfteklamme'"
LABEL = "Zoltan Ø"


def register(repos: Repositories) -> None:
    CaseworkService(repos).register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-11-02",
        source="JOBRAADGIVER",
        display_label=LABEL,
        birth_year=1990,
        birth_month=5,
        area="VOLLSMOSE",
    )


def make_plain(path: Path, clock: FixedClock) -> None:
    db = open_database(path)
    register(Repositories(db, clock))
    db.close()


def test_round_trip_through_the_service(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "mentor.db"
    db = open_with_passphrase(path, PASSPHRASE)
    register(Repositories(db, clock))
    db.close()

    assert encryption.is_encrypted(path)
    raw = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
    assert LABEL.encode() not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM person").fetchall()

    again = Repositories(open_with_passphrase(path, PASSPHRASE), clock)
    assert [p.display_label for p in again.persons.all()] == [LABEL]
    again.db.close()


def test_wrong_or_missing_passphrase_is_a_clear_error_and_sqlcipher_prints_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    open_with_passphrase(path, PASSPHRASE).close()
    capfd.readouterr()
    with pytest.raises(encryption.WrongPassphraseError) as wrong:
        open_with_passphrase(path, "forkert")
    assert "cannot be recovered" in wrong.value.text("en")
    with pytest.raises(DatabaseOpenError) as missing:
        open_database(path)
    assert "not changed" in missing.value.text("en")
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""  # no "ERROR CORE sqlcipher_page_cipher" over the screen


def test_every_cli_command_works_on_an_encrypted_file(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    make_plain(path, clock)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert cli(["--db", str(path), "encrypt"]) == 0
    out = capsys.readouterr().out
    assert "SQLCipher 4" in out
    assert "overskrevet med nuller" in out
    assert encryption.is_encrypted(path)

    assert cli(["--db", str(path), "export", "--period", "2026-W45", "--out", str(tmp_path / "x.csv")]) == 0
    assert (tmp_path / "x.csv").exists()
    assert cli(["--db", str(path), "backup"]) == 0
    (backup,) = sorted(backup_directory().iterdir())
    assert encryption.is_encrypted(backup)
    assert encryption.passphrase_opens(backup, PASSPHRASE)

    monkeypatch.delenv(PASSPHRASE_ENV)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert cli(["--db", str(path), "--passphrase-file", str(secret), "locate", "db"]) == 0
    out_file = tmp_path / "w44.csv"
    assert (
        cli(
            [
                "--db",
                str(path),
                "export",
                "--passphrase-file",
                str(secret),
                "--period",
                "2026-W44",
                "--out",
                str(out_file),
            ]
        )
        == 0
    )
    assert out_file.exists()

    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    sheet = tmp_path / "rows.csv"
    sheet.write_text(
        "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status\r\n"
        "ENC-0001;1991-04;;RISING;A8;henvisning;2026-10-01;JOBRAADGIVER;;;\r\n",
        encoding="utf-8",
    )
    assert cli(["--db", str(path), "import", str(sheet)]) == 0
    assert cli(["--db", str(path), "check"]) == 0
    assert cli(["--db", str(path), "person-report", "ENC-0001"]) == 0
    assert cli(["--db", str(path), "retention", "--dry-run"]) == 0
    assert "ENC-0001" in capsys.readouterr().out
    repos = Repositories(open_with_passphrase(path, PASSPHRASE), clock)
    assert sorted(p.display_label for p in repos.persons.all()) == sorted([LABEL, "ENC-0001"])
    repos.db.close()
    monkeypatch.delenv(PASSPHRASE_ENV)

    capsys.readouterr()
    assert cli(["--db", str(path), "backup"]) == 2  # no passphrase, no terminal to ask in
    err = capsys.readouterr().err
    assert "--passphrase-file" in err
    assert "Traceback" not in err


def test_wrong_passphrase_on_the_cli_exits_2_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    open_with_passphrase(path, PASSPHRASE).close()
    monkeypatch.setenv(PASSPHRASE_ENV, "forkert")
    assert cli(["--db", str(path), "--lang", "en", "backup"]) == 2
    out, err = capfd.readouterr()
    assert "Wrong passphrase" in err
    assert "sqlcipher" not in (out + err).lower()


def test_rekey_changes_the_passphrase_of_the_file_and_its_backups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mentor.db"
    open_with_passphrase(path, PASSPHRASE).close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert cli(["--db", str(path), "backup"]) == 0
    new = tmp_path / "new.txt"
    new.write_text("en helt ny frase\n", encoding="utf-8")
    assert cli(["--db", str(path), "rekey", "--new-passphrase-file", str(new)]) == 0
    assert encryption.passphrase_opens(path, "en helt ny frase")
    assert not encryption.passphrase_opens(path, PASSPHRASE)
    (backup,) = backup_directory().iterdir()
    assert encryption.passphrase_opens(backup, "en helt ny frase")


def test_rekey_with_a_wrong_old_passphrase_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mentor.db"
    open_with_passphrase(path, PASSPHRASE).close()
    before = path.read_bytes()
    with pytest.raises(encryption.WrongPassphraseError):
        encryption.rekey(path, "forkert", "ny")
    assert path.read_bytes() == before


def test_encrypt_refuses_a_damaged_source_and_leaves_it_untouched(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "mentor.db"
    make_plain(path, clock)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # everything in the one file
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # scribble over every b-tree page header but the first
        data[start : start + 12] = b"\x0d\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    path.write_bytes(bytes(data))
    with pytest.raises(encryption.EncryptionRefusedError) as refused:
        encryption.encrypt_file(path, PASSPHRASE)
    assert "damaged" in refused.value.text("en")
    assert path.read_bytes() == bytes(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mentor.db"]


def test_encrypt_replaces_the_plain_file_and_overwrites_the_old_one(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "mentor.db"
    make_plain(path, clock)
    keep_open = path.open("rb")  # a reader of the old inode sees what the disk blocks now hold
    report = encryption.encrypt_file(path, PASSPHRASE)
    assert path in report.shredded
    assert set(keep_open.read()) <= {0}
    keep_open.close()
    assert {t.name for t in report.tables} >= {"person", "cases", "referral"}
    assert not Path(f"{path}-wal").exists()
    repos = Repositories(open_with_passphrase(path, PASSPHRASE), clock)
    assert [p.display_label for p in repos.persons.all()] == [LABEL]
    repos.db.close()
    with pytest.raises(encryption.EncryptionRefusedError):
        encryption.encrypt_file(path, PASSPHRASE)  # already encrypted


def test_without_the_extra_encrypt_says_what_to_install(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    make_plain(path, clock)
    monkeypatch.setattr("mentor_tui.storage.encryption.importlib.import_module", _no_sqlcipher)
    assert cli(["--db", str(path), "--lang", "en", "encrypt"]) == 2
    assert "pip install 'mentor-tui[encrypted]'" in capsys.readouterr().err
    assert not encryption.is_encrypted(path)
    assert cli(["--db", str(path), "backup"]) == 0  # everything else works as before


_import_module = importlib.import_module


def _no_sqlcipher(name: str, package: str | None = None) -> object:
    """``importlib.import_module`` without SQLCipher (everything else still imports on demand)."""
    if name.split(".")[0] == "sqlcipher3":
        raise ImportError(name)
    return _import_module(name, package)


def test_the_app_on_a_passphrase_from_the_environment_still_locks_with_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mentor.db"
    open_with_passphrase(path, PASSPHRASE).close()
    started: list[Any] = []

    class FakeApp:
        return_code = 0
        passphrase: Any = None
        notices: list[str] = []

        def run(self) -> None:
            started.append(self)

    monkeypatch.setattr(main_module, "make_app", lambda **kwargs: FakeApp())
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert cli(["--db", str(path)]) == 0
    (app,) = started
    assert isinstance(app.passphrase, PassphraseAttempts)
    assert app.passphrase.check(PASSPHRASE)
    assert not app.passphrase.check("forkert")


def test_a_new_passphrase_of_fewer_than_8_characters_is_refused(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentor.db"
    make_plain(path, clock)
    before = path.read_bytes()
    monkeypatch.setenv(PASSPHRASE_ENV, "kort")
    assert cli(["--db", str(path), "--lang", "en", "encrypt"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert path.read_bytes() == before  # still plain, untouched

    encrypted = tmp_path / "encrypted.db"
    open_with_passphrase(encrypted, PASSPHRASE).close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    short = tmp_path / "new.txt"
    short.write_text(" 1234567 \n", encoding="utf-8")
    assert cli(["--db", str(encrypted), "rekey", "--new-passphrase-file", str(short)]) == 2
    assert "mindst 8 tegn" in capsys.readouterr().err
    assert encryption.passphrase_opens(encrypted, PASSPHRASE)

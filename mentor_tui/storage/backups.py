"""Backups with SQLite's online backup API, kept in rotation, and restoring one (issue 13 item 3).

Backups of ``<folder>/<name>.db`` go to ``<folder>/backups/<name>-<UTC time>.db`` (for the default
and the demo database, ``<folder>`` is the data folder). Each is written to a ``.part`` file with
mode 0600 and renamed into place only when complete, so a half-written backup never counts. A
backup of an encrypted database is encrypted with the same key (and salt), so it opens with the
same passphrase; a stolen backup is no easier to read than the database.

Built here because ``robust``'s backup/restore (issue 10) had not landed when issue 13 needed it;
the layout (``storage/backups.py``, commands ``backup`` and ``restore``) is meant to be theirs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.storage import encryption

BACKUP_FOLDER = "backups"
"""The folder beside the database that holds its backups."""

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
"""The UTC time in a backup's file name, e.g. ``mentor-20261130T081500Z.db``."""

_STAMP = re.compile(r"-(\d{8}T\d{6}Z)\.db$")


class BackupError(MentorError):
    """A backup could not be written, or a file cannot be restored; nothing was changed."""


def backup_folder(db_path: Path) -> Path:
    """Return the folder that holds the backups of the database at ``db_path``."""
    return db_path.parent / BACKUP_FOLDER


def backup_time(backup: Path) -> dt.datetime | None:
    """Return when ``backup`` was taken (from its name), or ``None`` for another file."""
    match = _STAMP.search(backup.name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), STAMP_FORMAT).replace(tzinfo=dt.UTC)


def backup_files(db_path: Path) -> list[Path]:
    """Return the backups of the database at ``db_path``, oldest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{db_path.stem}-*.db") if backup_time(p) is not None]
    return sorted(found, key=lambda p: (backup_time(p), p.name))


def newest_backup(db_path: Path) -> Path | None:
    """Return the most recent backup of the database at ``db_path``, if any."""
    files = backup_files(db_path)
    return files[-1] if files else None


def _private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _connect_plain_or_keyed(path: Path, key: bytes | None) -> Any:
    if key is None:
        return sqlite3.connect(path, check_same_thread=False)
    conn = encryption.dbapi().connect(str(path), check_same_thread=False)
    encryption.keyed(key)(conn)
    return conn


def write_backup(db: Database, db_path: Path, now: dt.datetime) -> Path:
    """Copy the open database into a new backup file with SQLite's online backup API.

    Returns:
        The backup file (mode 0600; encrypted with the database's key when it is encrypted).

    Raises:
        BackupError: it could not be written (the database is unchanged, no partial file is left).
    """
    folder = backup_folder(db_path)
    stamp = now.astimezone(dt.UTC).strftime(STAMP_FORMAT)
    target = folder / f"{db_path.stem}-{stamp}.db"
    part = target.with_name(target.name + ".part")
    failures: tuple[type[Exception], ...] = (OSError, *encryption.database_errors())
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        part.unlink(missing_ok=True)
        _private_file(part)
        dest = _connect_plain_or_keyed(part, encryption.key_of(db))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        os.replace(part, target)
    except failures as exc:
        part.unlink(missing_ok=True)
        raise BackupError(
            Bilingual(
                "Sikkerhedskopien til {folder} kunne ikke skrives ({why}). Databasen er ikke ændret.",
                "The backup to {folder} could not be written ({why}). The database was not changed.",
            ).format(folder=folder, why=exc)
        ) from exc
    return target


def rotate(db_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return the deleted files."""
    files = backup_files(db_path)
    old = files[: max(len(files) - keep, 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


@dataclass(frozen=True)
class AutomaticBackup:
    """What the start-up backup did: the new file (if one was due) and the rotated-out ones."""

    written: Path | None
    removed: list[Path]


BACKUP_INTERVAL = dt.timedelta(days=1)
"""An automatic backup is taken when the newest one is at least this old."""


def backup_if_due(db: Database, db_path: Path, now: dt.datetime, *, keep: int) -> AutomaticBackup:
    """Take a backup when the newest is a day old or more (or there is none), then rotate.

    Args:
        db: the open database.
        db_path: its file.
        now: the app clock's time.
        keep: how many backups to keep (``Settings.backup_keep``, default 14).
    """
    newest = newest_backup(db_path)
    last = backup_time(newest) if newest else None
    written = None
    if last is None or now - last >= BACKUP_INTERVAL:
        written = write_backup(db, db_path, now)
    return AutomaticBackup(written, rotate(db_path, keep))


# -- restore -------------------------------------------------------------------------------------


def _refuse(da: str, en: str, **values: object) -> BackupError:
    return BackupError(Bilingual(da, en).format(**values))


def open_backup(backup: Path, passphrase: str | None) -> tuple[Any, bytes | None]:
    """Open ``backup`` for reading (with ``passphrase`` when it is encrypted) and check it.

    Raises:
        BackupError: it is missing, damaged or not a database.
        WrongPassphraseError / PassphraseRequiredError: it is encrypted and cannot be opened.
    """
    if not backup.is_file():
        raise _refuse("Filen findes ikke: {path}", "No such file: {path}", path=backup)
    key = None
    if encryption.is_encrypted(backup):
        if not passphrase:
            raise encryption.PassphraseRequiredError(
                Bilingual(
                    "{path} er krypteret: angiv adgangsfrasen.", "{path} is encrypted: give its passphrase."
                ).format(path=backup)
            )
        key = encryption.derive_key(backup, passphrase)
        conn = encryption.connect_with_key(backup, key)
    else:
        conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True, check_same_thread=False)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except encryption.database_errors() as exc:
        conn.close()
        raise _refuse(
            "{path} er ikke en database ({why}); intet er ændret.",
            "{path} is not a database ({why}); nothing was changed.",
            path=backup,
            why=exc,
        ) from exc
    if [tuple(r) for r in rows] != [("ok",)] or not {"meta", "cases", "person"} <= tables:
        conn.close()
        raise _refuse(
            "{path} er beskadiget eller ikke en mentor-tui-database; intet er ændret.",
            "{path} is damaged or not a mentor-tui database; nothing was changed.",
            path=backup,
        )
    return conn, key


def restore(backup: Path, db_path: Path, *, passphrase: str | None, now: dt.datetime) -> Path | None:
    """Replace the database at ``db_path`` with the content of ``backup``.

    The backup is checked first (integrity, mentor-tui tables); the current database, when it
    exists and opens, is itself backed up first (returned), so a restore can be undone. The
    restored file keeps the backup's encryption (an encrypted backup gives an encrypted database
    with the same passphrase).

    Raises:
        BackupError: the backup is not usable; nothing was changed.
    """
    source, key = open_backup(backup, passphrase)
    safety: Path | None = None
    try:
        if db_path.exists() and db_path.stat().st_size > 0:
            current_key = (
                encryption.derive_key(db_path, passphrase)
                if encryption.is_encrypted(db_path) and passphrase
                else None
            )
            if encryption.is_encrypted(db_path) and current_key is None:
                raise _refuse(
                    "Den nuværende database {path} er krypteret: angiv adgangsfrasen.",
                    "The current database {path} is encrypted: give its passphrase.",
                    path=db_path,
                )
            current = _connect_plain_or_keyed(db_path, current_key)
            try:
                current_db = Database(current)
                if current_key is not None:
                    encryption.remember_key(current_db, current_key)
                safety = write_backup(current_db, db_path, now)
            finally:
                current.close()
        work = db_path.with_name(db_path.name + ".restoring")
        work.unlink(missing_ok=True)
        _private_file(work)
        dest = _connect_plain_or_keyed(work, key)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL")
        finally:
            dest.close()
        os.replace(work, db_path)
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    finally:
        source.close()
    return safety

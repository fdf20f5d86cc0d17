"""Automatic backups kept in rotation (issue 13 item 3), on top of ``robust``'s online backup
(:func:`mentor_tui.storage.backup.backup_database`, issue 10).

On start, when the newest backup of the database in the backups folder is a day old or more (or
there is none), one is written; then all but the newest ``keep`` are deleted. A backup is written
through the database's own driver, so the backup of an encrypted database is encrypted with the
same key and salt (it opens with the same passphrase), and it is owner-only (0600).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from mentor_tui.locations import ensure_private_dir
from mentor_tui.storage.backup import backup_database, backup_file_name
from mentor_tui.storage.database import ThreadLocalDatabase

BACKUP_INTERVAL = dt.timedelta(days=1)
"""An automatic backup is taken when the newest one is at least this old."""

_TIME_FORMAT = "%Y-%m-%dT%H%M%S"
"""The time in a backup's name, as :func:`~mentor_tui.storage.backup.backup_file_name` writes it."""


def backup_time(backup: Path, stem: str) -> dt.datetime | None:
    """Return when ``backup`` (a backup of the database named ``stem``) was taken, or ``None``."""
    match = re.fullmatch(re.escape(stem) + r"-(\d{4}-\d{2}-\d{2}T\d{6})\.db", backup.name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), _TIME_FORMAT).replace(tzinfo=dt.UTC)


def backups_of(folder: Path, stem: str) -> list[Path]:
    """Return the backups of the database named ``stem`` (``mentor``, ``demo``) in ``folder``,
    oldest first."""
    if not folder.is_dir():
        return []
    dated = [(t, p) for p in folder.glob(f"{stem}-*.db") if (t := backup_time(p, stem)) is not None]
    return [p for _, p in sorted(dated)]


def rotate(folder: Path, stem: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``stem``; return the deleted files."""
    files = backups_of(folder, stem)
    old = files[: max(len(files) - keep, 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


@dataclass(frozen=True)
class AutomaticBackup:
    """What the start-up backup did: the new file (if one was due) and the rotated-out ones."""

    written: Path | None
    removed: list[Path]


def backup_if_due(
    db: ThreadLocalDatabase, folder: Path, now: dt.datetime, *, keep: int, stem: str | None = None
) -> AutomaticBackup:
    """Take a backup when the newest is a day old or more (or there is none), then rotate.

    Args:
        db: the open database.
        folder: the backups folder (created owner-only if missing).
        now: the app clock's time (UTC).
        keep: how many backups to keep (``Settings.backup_keep``, default 14).
        stem: the name the backups carry (default: the database file's stem).

    Raises:
        BackupError: the backup could not be written (nothing partial is left).
    """
    stem = stem or (db.path.stem if db.path is not None else "mentor")
    files = backups_of(folder, stem)
    last = backup_time(files[-1], stem) if files else None
    written = None
    if last is None or now - last >= BACKUP_INTERVAL:
        ensure_private_dir(folder)
        written = backup_database(db, folder / backup_file_name(now.astimezone(dt.UTC), stem)).path
    return AutomaticBackup(written, rotate(folder, stem, keep))

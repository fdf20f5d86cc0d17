"""``mentor-tui backup`` and ``mentor-tui restore FILE`` (issue 13 item 3, in the layout of issue 10),
and the automatic backup taken when the app starts."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from mentor_tui.config import Settings
from mentor_tui.i18n import Catalog
from mentor_tui.storage import backups
from mentor_tui.storage.backups import BackupError
from mentor_tui.storage.repositories import Repositories

T = Catalog(
    {
        "written": ("Sikkerhedskopi gemt: {path}", "Backup written: {path}"),
        "auto-written": (
            "Dagens sikkerhedskopi er gemt i {folder}",
            "Today's backup was written to {folder}",
        ),
        "auto-failed": ("Ingen sikkerhedskopi i dag: {why}", "No backup today: {why}"),
        "removed": (
            "{n} ældre sikkerhedskopier er slettet (beholder {keep}).",
            "{n} older backups deleted (keeping {keep}).",
        ),
        "restored": ("{db} er gendannet fra {backup}.", "{db} was restored from {backup}."),
        "safety": (
            "Den database der blev erstattet, er gemt som {path}.",
            "The database that was replaced is kept as {path}.",
        ),
        "quit-first": (
            "Luk mentor-tui på denne database før du gendanner.",
            "Quit mentor-tui on this database before restoring.",
        ),
    }
)


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    """``backup`` has no options of its own."""


def add_restore_arguments(parser: argparse.ArgumentParser) -> None:
    """``restore FILE``."""
    parser.add_argument("file", help="the backup to restore (a file in the data folder's backups/)")


def run_backup(repos: Repositories, path: Path, settings: Settings) -> int:
    """Write a backup now and rotate the old ones."""
    written = backups.write_backup(repos.db, path, repos.clock.now())
    print(T("written", path=written))
    removed = backups.rotate(path, settings.backup_keep)
    if removed:
        print(T("removed", n=len(removed), keep=settings.backup_keep))
    return 0


def run_restore(args: argparse.Namespace, path: Path, passphrase: str | None, now: dt.datetime) -> int:
    """Restore ``args.file`` over the database at ``path`` (after backing the current one up)."""
    print(T("quit-first"))
    safety = backups.restore(Path(args.file).expanduser(), path, passphrase=passphrase, now=now)
    print(T("restored", db=path, backup=args.file))
    if safety is not None:
        print(T("safety", path=safety))
    return 0


def automatic_backup(repos: Repositories, path: Path, settings: Settings) -> list[str]:
    """The start-up backup: one a day, kept in rotation. Returns messages for the user; a failure
    is reported, never raised (the app still starts)."""
    try:
        done = backups.backup_if_due(repos.db, path, repos.clock.now(), keep=settings.backup_keep)
    except BackupError as exc:
        return [T("auto-failed", why=exc.text())]
    return [T("auto-written", folder=done.written.parent)] if done.written else []

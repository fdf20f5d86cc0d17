"""``mentor-tui backup``, ``restore`` and ``check``: copy the database safely, put a copy back,
and check a file in full (issue 10 items 4 and 5).

Examples::

    mentor-tui backup                          # <data dir>/backups/mentor-2026-11-30T140512.db
    mentor-tui backup --out /media/usb/mentor-kopi.db
    mentor-tui restore /media/usb/mentor-kopi.db   # the current file is kept aside
    mentor-tui check                           # full integrity check; exit code 2 if damaged

Errors are :class:`~mentor_tui.errors.MentorError`: ``mentor_tui.__main__`` prints them in the
user's language and exits with code 2. Nothing is half-written.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from mentor_tui.i18n import Bilingual, lang
from mentor_tui.locations import backup_directory, ensure_private_dir
from mentor_tui.storage.backup import BackupError, backup_database, backup_file_name, restore_database
from mentor_tui.storage.backup_rotation import backup_if_due
from mentor_tui.storage.database import SQLITE, Driver, ThreadLocalDatabase, integrity_check

BACKUP_WRITTEN = Bilingual(
    "Sikkerhedskopi skrevet: {path} ({size} KB). Den indeholder alt, der er gemt til nu.",
    "Backup written: {path} ({size} KB). It holds everything saved until now.",
)
RESTORED = Bilingual(
    "Gendannet {target} fra {source}.",
    "Restored {target} from {source}.",
)
KEPT_ASIDE = Bilingual(
    "Den hidtidige database er gemt som {aside}.",
    "The previous database was kept as {aside}.",
)
KEPT_ASIDE_UNREADABLE = Bilingual(
    "Den hidtidige database kunne ikke læses (beskadiget, eller krypteret med en anden adgangsfrase); "
    "den er gemt uændret som {aside}.",
    "The previous database could not be read (damaged, or encrypted with another passphrase); "
    "it was kept unchanged as {aside}.",
)
CHECK_OK = Bilingual(
    "{path}: integritetstjekket fandt ingen fejl.",
    "{path}: the integrity check found no problems.",
)
CHECK_BAD = Bilingual(
    "{path} er beskadiget ({n} fejl). Gendan den seneste sikkerhedskopi med "
    "«mentor-tui restore KOPI». De første fejl:",
    "{path} is damaged ({n} problems). Restore the latest backup with "
    "“mentor-tui restore BACKUP”. The first problems:",
)


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``backup``."""
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="the backup file to write (default: a new, dated file in the backups folder "
        "beside the database); never overwritten",
    )


def add_restore_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``restore``."""
    parser.add_argument("file", help="the backup to restore (made by mentor-tui backup)")
    parser.add_argument(
        "--allow-unencrypted",
        action="store_true",
        help="restore a plain backup over a file that looks encrypted (a damaged plain database); "
        "the restored database is then not encrypted",
    )


def run_backup(args: argparse.Namespace, db: ThreadLocalDatabase, now: dt.datetime) -> int:
    """Write a backup of ``db`` and print where it is; return 0."""
    name = backup_file_name(now, stem=db.path.stem if db.path is not None else "mentor")
    if args.out:
        destination = Path(args.out).expanduser()
        if destination.is_dir():
            destination = destination / name
    else:
        destination = ensure_private_dir(backup_directory()) / name
    result = backup_database(db, destination)
    print(BACKUP_WRITTEN.format(path=result.path, size=max(1, result.size_bytes // 1024)).text(lang()))
    return 0


def run_restore(
    args: argparse.Namespace,
    target: Path,
    now: dt.datetime,
    driver: Driver = SQLITE,
    target_driver: Driver | None = None,
) -> int:
    """Restore the backup ``args.file`` over ``target``; return 0.

    ``driver`` opens the backup, ``target_driver`` (default: ``driver``) the current database
    (encrypted ones: each with its own key, issue 13)."""
    source = Path(args.file).expanduser()
    done = restore_database(source, target, now=now, driver=driver, target_driver=target_driver)
    print(RESTORED.format(target=target, source=source).text(lang()))
    if done.aside is not None:
        kept = KEPT_ASIDE_UNREADABLE if done.unreadable else KEPT_ASIDE
        print(kept.format(aside=done.aside).text(lang()))
    return 0


def run_check(db: ThreadLocalDatabase) -> int:
    """Run the full integrity check; print the result; return 0 (sound) or 2 (damaged)."""
    problems = integrity_check(db)
    if not problems:
        print(CHECK_OK.format(path=db.path).text(lang()))
        return 0
    print(CHECK_BAD.format(path=db.path, n=len(problems)).text(lang()))
    for problem in problems[:10]:
        print(f"  {problem}")
    return 2


AUTO_WRITTEN = Bilingual("Dagens sikkerhedskopi er gemt i {folder}", "Today's backup was written to {folder}")
AUTO_FAILED = Bilingual("Ingen sikkerhedskopi i dag: {why}", "No backup today: {why}")


def automatic_backup(db: ThreadLocalDatabase, now: dt.datetime, *, keep: int) -> list[Bilingual]:
    """The start-up backup (issue 13 item 3): one a day into the backups folder, the newest
    ``keep`` kept. Returns messages for the user; a failure is reported, never raised (the app
    still starts)."""
    try:
        done = backup_if_due(db, ensure_private_dir(backup_directory()), now, keep=keep)
    except BackupError as exc:
        return [AUTO_FAILED.format(why=exc.message)]
    return [AUTO_WRITTEN.format(folder=done.written.parent)] if done.written else []

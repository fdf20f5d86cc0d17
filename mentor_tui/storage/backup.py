"""Backups of the database with SQLite's online backup API, and restoring one (issue 10 item 5).

Copying ``mentor.db`` with the file manager while mentor-tui runs misses the latest records: they
are still in ``mentor.db-wal``. :func:`backup_database` copies through a connection instead, so
the copy holds every committed record (WAL included), taken as one consistent snapshot while
others keep reading and writing. The copy is a single self-contained file (rollback journal, no
``-wal``), owner-only, checked with ``PRAGMA integrity_check`` before it is put in place, and
never overwrites an existing file.

:func:`restore_database` checks a backup first (that it is a mentor-tui database, not from a
newer version, and sound), refuses while another program has the database open, keeps the
current file aside as ``<name>.before-restore-<time>``, and only then puts the copy in place.

Both take the :class:`~mentor_tui.storage.database.Driver` of the database, so an encrypted
database (issue 13) is copied with its own driver and key. :func:`backup_database` is the one
call an automatic, rotating backup needs; ``mentor-tui backup`` and ``restore`` are the CLI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.storage.connections import (
    SQLITE,
    SQLITE_HEADER,
    Driver,
    _uri,
    _wal_files,
    check_not_newer,
    error_kind,
    translate_write_error,
)
from mentor_tui.storage.database import ThreadLocalDatabase, _fsync, _fsync_dir


class BackupError(MentorError):
    """A backup could not be made or a restore could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    """A finished backup: where it is and how big."""

    path: Path
    size_bytes: int


def backup_file_name(now: dt.datetime, stem: str = "mentor") -> str:
    """Return the default name of a backup taken at ``now``: ``mentor-2026-11-30T1405.db``."""
    return f"{stem}-{now.strftime('%Y-%m-%dT%H%M%S')}.db"


def backup_database(db: ThreadLocalDatabase, destination: Path) -> BackupResult:
    """Copy the whole database to ``destination`` (a new file) with the online backup API.

    Args:
        db: the open database (any mode; read-only is enough).
        destination: the new file; its folder must exist and the file must not.

    Returns:
        Where the copy is and its size.

    Raises:
        BackupError: the destination exists, its folder is missing or not writable, the disk is
            full, or the copy failed its integrity check. Nothing is left at ``destination``.
    """
    destination = destination.expanduser()
    if destination.exists():
        raise BackupError(
            Bilingual(
                "{path} findes allerede; vælg et andet navn (--out), så intet overskrives.",
                "{path} already exists; choose another name (--out) so that nothing is overwritten.",
            ).format(path=destination)
        )
    if not destination.parent.is_dir():
        raise BackupError(
            Bilingual(
                "Mappen {folder} findes ikke; opret den eller vælg en anden (--out).",
                "The folder {folder} does not exist; create it or choose another (--out).",
            ).format(folder=destination.parent)
        )
    driver = db.driver
    temp = destination.parent / f".{destination.name}.part-{uuid.uuid4().hex[:12]}"
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(temp, 0o600)
        target = driver.connect(str(temp))
        try:
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = _integrity(target)
        finally:
            target.close()
        if problems:
            raise BackupError(
                Bilingual(
                    "Kopien af {source} består ikke integritetstjekket, så databasen selv er "
                    "sandsynligvis beskadiget ({problem}). Der er ikke lavet nogen "
                    "sikkerhedskopi; kør «mentor-tui check».",
                    "The copy of {source} fails the integrity check, so the database itself is "
                    "probably damaged ({problem}). No backup was made; run “mentor-tui check”.",
                ).format(source=db.path, problem=problems[0])
            )
        _fsync(temp)
        os.link(temp, destination)  # never overwrites: fails if the name was taken meanwhile
        _fsync_dir(destination.parent)
        return BackupResult(destination, destination.stat().st_size)
    except MentorError:
        raise
    except FileExistsError as exc:
        raise BackupError(
            Bilingual("{path} findes allerede.", "{path} already exists.").format(path=destination)
        ) from exc
    except OSError as exc:
        raise _write_failed(destination, exc) from exc
    except Exception as exc:
        if driver.is_error(exc):
            raise (translate_write_error(exc, destination) or _write_failed(destination, exc)) from exc
        raise
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal"), *_wal_files(temp)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _write_failed(path: Path, exc: BaseException) -> BackupError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return BackupError(
        Bilingual(
            "Sikkerhedskopien {path} kunne ikke skrives ({reason}). Der er ikke efterladt nogen halv kopi.",
            "The backup {path} could not be written ({reason}). No partial copy was left behind.",
        ).format(path=path, reason=reason)
    )


def _integrity(conn: Any) -> list[str]:
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except Exception as exc:
        if error_kind(exc) in ("corrupt", "notadb"):
            return [str(exc)]  # too damaged for the check itself to run
        raise
    return [] if rows == ["ok"] else rows


def check_backup(source: Path, *, driver: Driver = SQLITE) -> None:
    """Check that ``source`` is a sound mentor-tui database this version can open.

    Raises:
        BackupError: the file is missing, not a mentor-tui database, or damaged.
        SchemaTooNewError: it comes from a newer mentor-tui.
    """
    if not source.is_file():
        raise BackupError(
            Bilingual("Filen {path} findes ikke.", "The file {path} does not exist.").format(path=source)
        )
    if driver.plain_header:
        with source.open("rb") as f:
            if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise _not_a_backup(source)
    conn = driver.connect(_uri(source, mode="ro", immutable="1"), uri=True)
    try:
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except Exception as exc:
            if driver.is_error(exc):
                raise (
                    _damaged_backup(source) if error_kind(exc) == "corrupt" else _not_a_backup(source)
                ) from exc
            raise
        if not {"meta", "_sqlite_migrations", "cases", "person"} <= names:
            raise _not_a_backup(source)
        check_not_newer(conn, source)
        if _integrity(conn):
            raise _damaged_backup(source)
    finally:
        conn.close()


def _not_a_backup(path: Path) -> BackupError:
    return BackupError(
        Bilingual(
            "{path} er ikke en sikkerhedskopi af en mentor-tui-database. Intet er ændret.",
            "{path} is not a backup of a mentor-tui database. Nothing was changed.",
        ).format(path=path)
    )


def _damaged_backup(path: Path) -> BackupError:
    return BackupError(
        Bilingual(
            "Sikkerhedskopien {path} er beskadiget og kan ikke bruges. Intet er ændret; prøv en ældre kopi.",
            "The backup {path} is damaged and cannot be used. Nothing was changed; try an older copy.",
        ).format(path=path)
    )


@dataclass(frozen=True)
class Restored:
    """What :func:`restore_database` did with the file it replaced."""

    aside: Path | None
    """Where the replaced database was kept (``None``: there was none)."""
    unreadable: bool
    """The replaced file could not be read (damaged, or encrypted with another passphrase): it
    was kept aside as it was, with its ``-wal`` and ``-shm``."""


def restore_database(
    source: Path,
    target: Path,
    *,
    now: dt.datetime,
    driver: Driver = SQLITE,
    target_driver: Driver | None = None,
) -> Restored:
    """Replace the database at ``target`` with the backup ``source``.

    The backup is checked first (:func:`check_backup`). The current file, if any, is kept aside
    as ``<name>.before-restore-<time>``; the restored file is owner-only and in WAL mode, and
    upgrades on its next open like any older file. ``driver`` opens the backup, ``target_driver``
    (default: ``driver``) the current file: an encrypted backup and database each have their own
    salt, so each its own key (issue 13). A current file that cannot be read (the usual reason to
    restore) is kept aside untouched, with its ``-wal`` and ``-shm``.

    Raises:
        BackupError: the backup is unusable, or another program has the database open (close
            mentor-tui everywhere first). Nothing was changed.
    """
    source = source.expanduser()
    check_backup(source, driver=driver)
    folder = target.parent
    if not folder.is_dir():
        raise BackupError(
            Bilingual("Mappen {folder} findes ikke.", "The folder {folder} does not exist.").format(
                folder=folder
            )
        )
    temp = folder / f".{target.name}.restore-{uuid.uuid4().hex[:12]}"
    aside: Path | None = None
    readable = True
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(temp, 0o600)
        src = driver.connect(_uri(source, mode="ro", immutable="1"), uri=True)
        dst = driver.connect(str(temp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            src.close()
            dst.close()
        _fsync(temp)
        if target.exists():
            readable = _take_over(target, target_driver or driver)
            aside = target.with_name(f"{target.name}.before-restore-{now.strftime('%Y%m%dT%H%M%S')}")
            if not readable:  # its -wal may hold what the file lacks: keep them together
                for wal in _wal_files(target):
                    if wal.exists():
                        os.replace(wal, aside.with_name(aside.name + wal.name[len(target.name) :]))
            os.replace(target, aside)
        os.replace(temp, target)
        _fsync_dir(folder)
        return Restored(aside, not readable)
    except OSError as exc:
        raise _write_failed(target, exc) from exc
    finally:
        for leftover in (temp, *_wal_files(temp)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _take_over(target: Path, driver: Driver) -> bool:
    """Make sure nobody else has ``target`` open, and fold its WAL into the file.

    Returns False when ``target`` cannot be read as a database with ``driver`` (damaged, or
    encrypted with another key): then nothing was done to it, and its ``-wal`` was not touched
    (the probe opens the file ``immutable``; a normal connection would drop a ``-wal`` it cannot
    read when it closes). Such a file is not checked for other users: none can read it with
    this key, and the caller keeps it aside whole.

    Raises:
        BackupError: another program uses the database.
    """
    probe = driver.connect(_uri(target, mode="ro", immutable="1"), uri=True)
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:
        if driver.is_error(exc) and error_kind(exc) in ("notadb", "corrupt"):
            return False
        raise
    finally:
        probe.close()
    conn = driver.connect(_uri(target, mode="rw"), uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 1000")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy is not None and busy[0]:
            raise _in_use(target)
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except MentorError:
        raise
    except Exception as exc:
        if driver.is_error(exc) and error_kind(exc) == "busy":
            raise _in_use(target) from exc
        raise
    finally:
        conn.close()
    return True


def _in_use(path: Path) -> BackupError:
    return BackupError(
        Bilingual(
            "Databasen {path} er åben i et andet program (mentor-tui, en import eller en eksport). "
            "Luk det først, og prøv igen. Intet er ændret.",
            "The database {path} is open in another program (mentor-tui, an import or an export). "
            "Close it first and try again. Nothing was changed.",
        ).format(path=path)
    )

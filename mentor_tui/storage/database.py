"""Opening the one SQLite file: permissions, pragmas, version check, migrations.

Durability: WAL journal with ``synchronous=FULL``, so every committed transaction is synced to
disk before the commit returns; a power cut cannot lose a record the user saw saved.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from sqlite_utils import Database

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.locations import ensure_private_dir
from mentor_tui.storage.migrations import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another connection's lock before giving up."""


class SchemaTooNewError(MentorError):
    """The file was written by a newer version of mentor-tui; it is left untouched."""


class DatabaseOpenError(MentorError):
    """The file could not be opened as a mentor-tui database."""


def _create_private_file(path: Path) -> None:
    ensure_private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    # sqlite gives -wal and -shm files the main file's permissions


def _check_not_newer(conn: sqlite3.Connection, path: Path | None) -> None:
    """Refuse a file from a newer app version, before anything is written to it."""
    (user_version,) = conn.execute("PRAGMA user_version").fetchone()
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    unknown: list[str] = []
    if has_table:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", ["mentor_tui"]
        ).fetchall()
        unknown = [r[0] for r in rows if r[0] not in KNOWN_MIGRATIONS]
    if user_version > SCHEMA_VERSION or unknown:
        where = str(path) if path else ":memory:"
        raise SchemaTooNewError(
            Bilingual(
                f"Databasen {where} er lavet af en nyere version af mentor-tui (skemaversion "
                f"{user_version}, denne version kender {SCHEMA_VERSION}). Filen er ikke ændret. "
                "Opdatér mentor-tui for at åbne den.",
                f"The database {where} was written by a newer mentor-tui (schema version "
                f"{user_version}, this version knows {SCHEMA_VERSION}). The file was not changed. "
                "Update mentor-tui to open it.",
            ),
        )


def open_database(path: Path | str | None = None) -> Database:
    """Open (creating if needed) a mentor-tui database and bring its schema up to date.

    Args:
        path: the file, or ``None`` for a private in-memory database (tests).

    Returns:
        A sqlite-utils ``Database`` whose connection may be used from worker threads.

    Raises:
        SchemaTooNewError: the file comes from a newer app version (nothing is written).
        DatabaseOpenError: the file is not a SQLite database or cannot be opened.
    """
    file: Path | None = Path(path).expanduser() if path is not None else None
    try:
        if file is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            _create_private_file(file)
            conn = sqlite3.connect(file, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            _check_not_newer(conn, file)
        except SchemaTooNewError:
            conn.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(
            Bilingual(
                f"Kan ikke åbne {file} som database: {exc}", f"Cannot open {file} as a database: {exc}"
            ),
        ) from exc
    except OSError as exc:
        raise DatabaseOpenError(
            Bilingual(
                f"Kan ikke oprette eller åbne {file}: {exc.strerror}",
                f"Cannot create or open {file}: {exc.strerror}",
            ),
        ) from exc
    db = Database(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    if file is not None:
        db.enable_wal()
    conn.execute("PRAGMA synchronous = FULL")
    migrations.apply(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    _ensure_device_id(db)
    return db


def _ensure_device_id(db: Database) -> None:
    meta = db.table("meta")
    if meta.count_where("key = ?", ["device_id"]) == 0:
        with db.atomic():
            meta.insert({"key": "device_id", "value": str(uuid.uuid4())})


def device_id(db: Database) -> str:
    """Return the id of the device that owns this database file (created on first open)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    return str(row[0])


def pragma(db: Database, name: str) -> object:
    """Return the value of ``PRAGMA name`` (for tests and diagnostics)."""
    return db.execute(f"PRAGMA {name}").fetchone()[0]

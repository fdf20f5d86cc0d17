"""Connections to the one SQLite file: checks, one connection per thread, write transactions.

The plain-``sqlite3`` half of :mod:`mentor_tui.storage.database`, which imports neither
sqlite-utils nor pydantic, so the app opens its file and shows the case list before either is
loaded (issue 12: cold start). :func:`open_connections` makes every check
:func:`~mentor_tui.storage.database.open_database` makes (that function is this one plus the
sqlite-utils ``Database`` on top); when the file needs a migration or is new, it loads the
migrations and applies them first. See :mod:`mentor_tui.storage.database` for what is guaranteed
(durability, one connection per thread, ``BEGIN IMMEDIATE``, odd files left alone).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import quote

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual

MIGRATION_NAMES: tuple[str, ...] = (
    "m001_create_core",
    "m002_tombstones_and_label_key",
    "m003_audit_trail_and_corrections",
    "m004_export_cells",
    "m005_retention",
    "m006_case_list",
    "m007_case_list_paused",
)
"""The names of :mod:`mentor_tui.storage.migrations`' migrations, in order (append a new one
here too; ``tests/unit/test_migrations.py`` checks the two agree). A file that has them all and
``PRAGMA user_version`` = their number opens without loading the migrations."""

SCHEMA_VERSION = len(MIGRATION_NAMES)
"""The schema version this code writes (``PRAGMA user_version``)."""

MIGRATION_SET = "mentor_tui"
"""The migration set's name in sqlite-utils' ``_sqlite_migrations`` table."""


class HasConnection(Protocol):
    """Anything that hands out the calling thread's connection (``ThreadConnections``, or the
    sqlite-utils database built on them)."""

    @property
    def conn(self) -> sqlite3.Connection:
        """The calling thread's connection."""
        ...


BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another connection's lock before giving up (milliseconds)."""

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every (unencrypted) SQLite database file."""

# primary result codes (https://www.sqlite.org/rescode.html)
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


# -- the seam for another DB-API driver ------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    """How connections are made: a ``sqlite3``-compatible DB-API module and a first step.

    Attributes:
        module: the DB-API 2.0 module (``connect``, ``Error``, ``DatabaseError``, ...). Default
            ``sqlite3``; SQLCipher passes ``sqlcipher3.dbapi2``.
        prepare: run on every new connection before anything else (for SQLCipher:
            ``conn.execute("PRAGMA key = ...")``). A wrong key shows up as
            :class:`NotADatabaseError` when the file is first read.
        plain_header: the file starts with ``SQLite format 3``; False for encrypted files,
            whose first bytes are random (the header check is then skipped).
    """

    module: Any = sqlite3
    prepare: Callable[[Any], None] | None = None
    plain_header: bool = True

    def connect(self, target: str, *, uri: bool = False) -> Any:
        """Return a new connection to ``target`` with ``prepare`` applied."""
        conn = self.module.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            if self.prepare is not None:
                self.prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def is_error(self, exc: BaseException) -> bool:
        """Return whether ``exc`` is a database error of this driver."""
        return isinstance(exc, self.module.Error)


SQLITE = Driver()
"""The default driver: Python's ``sqlite3``, unencrypted files."""


# -- errors ----------------------------------------------------------------------------------


class DatabaseOpenError(MentorError):
    """The file could not be opened as a mentor-tui database; it was not changed."""


class EmptyFileError(DatabaseOpenError):
    """The file exists but holds zero bytes (not a database mentor-tui made)."""


class NotADatabaseError(DatabaseOpenError):
    """The file is not a SQLite database (or, encrypted, the key is wrong)."""


class DatabaseDamagedError(DatabaseOpenError):
    """``PRAGMA quick_check`` (or SQLite itself) found the file damaged."""


class SchemaTooNewError(DatabaseOpenError):
    """The file was written by a newer version of mentor-tui; it is left untouched."""


class SchemaTooOldError(DatabaseOpenError):
    """The file needs an upgrade, but it was opened read-only."""


class FolderMissingError(DatabaseOpenError):
    """The folder of a given database path does not exist (it is created only for the default)."""


class DatabaseMissingError(DatabaseOpenError):
    """Read-only work was asked for on a file that does not exist."""


class DatabaseWriteError(MentorError):
    """A write could not be completed; the transaction was rolled back and nothing was written."""


class DatabaseBusyError(DatabaseWriteError):
    """Another program held the write lock for longer than the busy timeout."""


class DiskFullError(DatabaseWriteError):
    """The disk (or the user's quota) is full."""


class DatabaseReadOnlyError(DatabaseOpenError, DatabaseWriteError):
    """The file or its folder cannot be written to (permissions, a read-only disk)."""


def _show(path: Path | None) -> str:
    return str(path) if path is not None else ":memory:"


def _empty_file(path: Path) -> EmptyFileError:
    return EmptyFileError(
        Bilingual(
            "Filen {path} er tom (0 byte) og er ikke en mentor-tui-database. Filen er ikke ændret. "
            "Tjek stien; skal den ikke bruges, så slet den eller flyt den væk, så opretter "
            "mentor-tui en ny database der.",
            "The file {path} is empty (0 bytes) and is not a mentor-tui database. The file was not "
            "changed. Check the path; if the file is not needed, delete or move it and mentor-tui "
            "will create a new database there.",
        ).format(path=path)
    )


def _not_a_database(path: Path, driver: Driver) -> NotADatabaseError:
    if not driver.plain_header:
        return NotADatabaseError(
            Bilingual(
                "Filen {path} kan ikke åbnes: adgangskoden passer ikke, eller filen er ikke en "
                "mentor-tui-database. Filen er ikke ændret.",
                "The file {path} cannot be opened: the passphrase does not match, or the file is "
                "not a mentor-tui database. The file was not changed.",
            ).format(path=path)
        )
    return NotADatabaseError(
        Bilingual(
            "Filen {path} er ikke en mentor-tui-database (det er ikke en SQLite-fil). Filen er "
            "ikke ændret. Tjek stien (--db), eller gendan en sikkerhedskopi med "
            "«mentor-tui restore KOPI».",
            "The file {path} is not a mentor-tui database (it is not an SQLite file). The file "
            "was not changed. Check the path (--db), or restore a backup with "
            "“mentor-tui restore BACKUP”.",
        ).format(path=path)
    )


def _damaged(path: Path | None) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        Bilingual(
            "Databasen {path} er beskadiget. Filen er ikke ændret. Gendan den seneste "
            "sikkerhedskopi med «mentor-tui restore KOPI» (den beskadigede fil gemmes ved siden "
            "af), og kør «mentor-tui check» for detaljer.",
            "The database {path} is damaged. The file was not changed. Restore the latest backup "
            "with “mentor-tui restore BACKUP” (the damaged file is kept beside it), and run "
            "“mentor-tui check” for details.",
        ).format(path=_show(path))
    )


def _folder_missing(path: Path) -> FolderMissingError:
    return FolderMissingError(
        Bilingual(
            "Mappen {folder} findes ikke, så databasen {path} kan ikke åbnes eller oprettes. "
            "Tjek stien, eller opret mappen først.",
            "The folder {folder} does not exist, so the database {path} cannot be opened or "
            "created. Check the path, or create the folder first.",
        ).format(folder=path.parent, path=path)
    )


def _missing(path: Path) -> DatabaseMissingError:
    return DatabaseMissingError(
        Bilingual(
            "Der er ingen database i {path}. Tjek stien (--db); «mentor-tui locate» viser, hvor "
            "databasen ligger.",
            "There is no database at {path}. Check the path (--db); “mentor-tui locate” shows "
            "where the database is.",
        ).format(path=path)
    )


def _read_only_file(path: Path | None) -> DatabaseReadOnlyError:
    return DatabaseReadOnlyError(
        Bilingual(
            "Databasen {path} er skrivebeskyttet, og mentor-tui skal kunne gemme i den. Intet er "
            "gemt. Gør filen skrivbar (fx «chmod u+w»), eller brug «mentor-tui export», som kun "
            "læser.",
            "The database {path} is read-only, and mentor-tui needs to save to it. Nothing was "
            "saved. Make the file writable (for example “chmod u+w”), or use “mentor-tui export”, "
            "which only reads.",
        ).format(path=_show(path))
    )


def _read_only_folder(path: Path) -> DatabaseReadOnlyError:
    return DatabaseReadOnlyError(
        Bilingual(
            "Mappen {folder} er skrivebeskyttet. mentor-tui skal kunne lægge hjælpefilerne "
            "{name}-wal og {name}-shm ved siden af databasen. Gør mappen skrivbar, eller flyt "
            "databasen til en mappe du kan skrive i.",
            "The folder {folder} is read-only. mentor-tui needs to put the helper files "
            "{name}-wal and {name}-shm beside the database. Make the folder writable, or move the "
            "database to a folder you can write to.",
        ).format(folder=path.parent, name=path.name)
    )


def _busy(path: Path | None) -> DatabaseBusyError:
    return DatabaseBusyError(
        Bilingual(
            "Databasen {path} var optaget af et andet program (fx en import eller en anden "
            "mentor-tui) i mere end {seconds} sekunder. Intet er gemt endnu; prøv igen om lidt.",
            "The database {path} was busy in another program (for example an import or another "
            "mentor-tui) for more than {seconds} seconds. Nothing was saved yet; try again in a "
            "moment.",
        ).format(path=_show(path), seconds=BUSY_TIMEOUT_MS // 1000)
    )


def _disk_full(path: Path | None) -> DiskFullError:
    return DiskFullError(
        Bilingual(
            "Der er ikke plads nok på disken til {path}. Intet er gemt (ændringen er rullet "
            "tilbage). Frigør plads, og prøv igen.",
            "There is not enough space on the disk for {path}. Nothing was saved (the change was "
            "rolled back). Free some space and try again.",
        ).format(path=_show(path))
    )


def _io_error(path: Path | None) -> DatabaseWriteError:
    return DatabaseWriteError(
        Bilingual(
            "Disken svarede med en fejl ved skrivning til {path}. Intet er gemt (ændringen er "
            "rullet tilbage). Tjek disken eller USB-stikket, og prøv igen.",
            "The disk reported an error while writing to {path}. Nothing was saved (the change "
            "was rolled back). Check the disk or USB stick and try again.",
        ).format(path=_show(path))
    )


def _cannot_open(path: Path, reason: str) -> DatabaseOpenError:
    return DatabaseOpenError(
        Bilingual(
            "Kan ikke åbne {path}: {reason}. Filen er ikke ændret.",
            "Cannot open {path}: {reason}. The file was not changed.",
        ).format(path=path, reason=reason)
    )


def error_kind(exc: BaseException) -> str:
    """Classify a driver error: ``busy``, ``readonly``, ``full``, ``ioerr``, ``corrupt``,
    ``notadb``, ``cantopen`` or ``other`` (result code first, the message as a fallback)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        kinds = {
            _SQLITE_BUSY: "busy",
            _SQLITE_LOCKED: "busy",
            _SQLITE_READONLY: "readonly",
            _SQLITE_PERM: "readonly",
            _SQLITE_FULL: "full",
            _SQLITE_IOERR: "ioerr",
            _SQLITE_CORRUPT: "corrupt",
            _SQLITE_NOTADB: "notadb",
            _SQLITE_CANTOPEN: "cantopen",
        }
        if primary in kinds:
            return kinds[primary]
    text = str(exc).lower()
    for needle, kind in (
        ("locked", "busy"),
        ("busy", "busy"),
        ("readonly", "readonly"),
        ("read-only", "readonly"),
        ("full", "full"),
        ("disk i/o", "ioerr"),
        ("malformed", "corrupt"),
        ("not a database", "notadb"),
        ("unable to open", "cantopen"),
    ):
        if needle in text:
            return kind
    return "other"


def translate_write_error(exc: BaseException, path: Path | None) -> MentorError | None:
    """Return the user-facing error for a driver error raised while writing, or None."""
    kind = error_kind(exc)
    if kind == "busy":
        return _busy(path)
    if kind == "full":
        return _disk_full(path)
    if kind == "readonly":
        return _read_only_file(path)
    if kind == "ioerr":
        return _disk_full(path) if _disk_is_full(path) else _io_error(path)
    if kind in ("corrupt", "notadb"):
        return _damaged(path)
    return None


def _disk_is_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


# -- one connection per thread -----------------------------------------------------------------


class ThreadConnections:
    """One connection per thread to the same file, opened on first use with the same settings.

    Transactions therefore never mix between the UI thread and worker threads. Connections of
    threads that have ended are closed when the next one is opened; :meth:`close` closes them
    all. :class:`~mentor_tui.storage.database.ThreadLocalDatabase` is the sqlite-utils
    ``Database`` over these.

    ``atomic()`` starts a write transaction with ``BEGIN IMMEDIATE``; nested blocks are savepoints.
    """

    def __init__(
        self,
        opener: Callable[[], Any],
        *,
        path: Path | None,
        readonly: bool,
        driver: Driver,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._opener = opener
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: dict[threading.Thread, Any] = {}
        self._functions: list[tuple[str, int, Callable[..., Any], bool]] = []
        self._on_close = on_close
        self._closed = False
        self._check_done: threading.Event | None = None
        self._check_problems: list[str] = []
        self._check_thread: threading.Thread | None = None
        self._savepoints = 0
        self.path = path
        """The database file (a private temporary file for ``open_database(None)``)."""
        self.readonly = readonly
        """True when opened for reading only: writes fail with :class:`DatabaseReadOnlyError`."""
        self.driver = driver
        """How connections are made (the encryption seam)."""
        self._open_for_thread()

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open_for_thread()
        return conn  # type: ignore[no-any-return]

    def use(self, conn: sqlite3.Connection) -> None:
        """Make ``conn`` this thread's connection (closed with the others by :meth:`close`)."""
        self._local.conn = conn
        with self._lock:
            self._connections[threading.current_thread()] = conn

    def _open_for_thread(self) -> Any:
        if self._closed:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        conn = self._opener()
        for name, arity, fn, deterministic in self._functions:
            conn.create_function(name, arity, fn, deterministic=deterministic)
        self._local.conn = conn
        with self._lock:
            dead = [t for t in self._connections if not t.is_alive()]
            for thread in dead:
                with contextlib.suppress(Exception):
                    self._connections.pop(thread).close()
            self._connections[threading.current_thread()] = conn
        return conn

    def register_function(self, fn: Callable[..., Any], name: str, arity: int, deterministic: bool) -> None:
        """Register a SQL function on this thread's connection and on every later one."""
        self.conn.create_function(name, arity, fn, deterministic=deterministic)
        self._functions = [x for x in self._functions if (x[0], x[1]) != (name, arity)]
        self._functions.append((name, arity, fn, deterministic))

    def check_in_background(self) -> None:
        """Run ``PRAGMA quick_check`` in a thread of its own; writes wait for it (see :meth:`atomic`)."""
        done = threading.Event()
        self._check_done = done

        def run() -> None:
            try:
                self._check_problems = quick_check(self)
            except Exception as exc:  # the check itself failed: treat the file as damaged
                self._check_problems = [type(exc).__name__]
            finally:
                done.set()

        self._check_thread = threading.Thread(target=run, name="mentor-tui quick_check", daemon=True)
        self._check_thread.start()

    def wait_for_check(self) -> None:
        """Wait for a background check to finish.

        Raises:
            DatabaseDamagedError: it found the file damaged (nothing may be written).
        """
        if self._check_done is None:
            return
        self._check_done.wait()
        if self._check_problems:
            raise _damaged(self.path)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, or a savepoint when nested.

        Raises:
            DatabaseBusyError: another program kept the write lock past the busy timeout.
            DiskFullError, DatabaseReadOnlyError, DatabaseWriteError: the write failed; the
                whole transaction was rolled back.
        """
        conn = self.conn
        if conn.in_transaction:
            with self._savepoint(conn):
                yield
            return
        if not self.readonly:
            self.wait_for_check()
        try:
            conn.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
        except Exception as exc:
            raise self.translated(exc) from exc
        try:
            yield
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
            if self.driver.is_error(exc):
                raise self.translated(exc) from exc
            raise
        try:
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
            raise self.translated(exc) from exc

    @contextlib.contextmanager
    def _savepoint(self, conn: Any) -> Iterator[None]:
        self._savepoints += 1
        name = f"mentor_{self._savepoints}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a RAISE(ROLLBACK) trigger may have ended the transaction
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")

    def translated(self, exc: BaseException) -> BaseException:
        """Return the user-facing error for a driver error (``exc`` itself for any other)."""
        if not self.driver.is_error(exc):
            return exc
        if self.readonly and error_kind(exc) == "readonly":
            return _read_only_file(self.path)
        return translate_write_error(exc, self.path) or exc

    def close(self) -> None:
        """Close every thread's connection (a WAL checkpoint runs as the last one closes)."""
        thread = self._check_thread
        if thread is not None and thread.is_alive():
            with self._lock:
                checking = self._connections.get(thread)
            if checking is not None:
                with contextlib.suppress(Exception):
                    checking.interrupt()
            thread.join(timeout=10)
        with self._lock:
            connections = list(self._connections.values())
            self._connections.clear()
            self._closed = True
        self._local = threading.local()
        for conn in connections:
            with contextlib.suppress(Exception):
                conn.close()
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def connection_count(self) -> int:
        """Return how many per-thread connections are open (for tests and diagnostics)."""
        with self._lock:
            return len(self._connections)


# -- opening -----------------------------------------------------------------------------------


@dataclass
class _Target:
    """What to connect to: a URI and the pragmas of each new connection."""

    uri: str
    readonly: bool
    query_only: bool = False
    pragmas: list[str] = field(default_factory=list)


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path.absolute()))}?{query}"


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def can_write(path: Path) -> bool:
    """Return whether ``path`` exists and both it and its folder may be written to."""
    return path.is_file() and _writable(path) and _writable(path.parent)


def _wal_files(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _read_target(path: Path) -> _Target:
    """Choose how to read ``path`` without writing to it or leaving files behind.

    - file and folder writable: a normal connection with ``query_only`` (the -wal/-shm files,
      if made, get the file's own permissions and are removed again on close);
    - otherwise, when another program has the file open (its -wal and -shm exist): ``mode=ro``
      on those files;
    - otherwise ``immutable=1``: nobody can be writing a file that no one may write to, and
      SQLite then creates no files at all.
    """
    wal, shm = _wal_files(path)
    if _writable(path) and _writable(path.parent):
        return _Target(_uri(path, mode="rw"), readonly=True, query_only=True)
    if wal.exists() and shm.exists():
        return _Target(_uri(path, mode="ro"), readonly=True)
    return _Target(_uri(path, mode="ro", immutable="1"), readonly=True)


def _connection_opener(target: _Target, driver: Driver) -> Callable[[], Any]:
    def open_connection() -> Any:
        conn = driver.connect(target.uri, uri=True)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA recursive_triggers = ON")
            if target.query_only or target.readonly:
                conn.execute("PRAGMA query_only = ON")
            else:
                conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    return open_connection


def _check_file_kind(path: Path, driver: Driver) -> None:
    """Refuse what is not a database file before SQLite touches it."""
    if path.is_dir():
        raise _cannot_open(path, "det er en mappe / it is a folder")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise DatabaseOpenError(
                Bilingual(
                    "Du har ikke adgang til at læse {path}. Tjek filens rettigheder.",
                    "You are not allowed to read {path}. Check the file's permissions.",
                ).format(path=path)
            ) from exc
        raise _cannot_open(path, exc.strerror or str(exc)) from exc
    if not head:
        raise _empty_file(path)
    if driver.plain_header and head != SQLITE_HEADER:
        raise _not_a_database(path, driver)


def applied_migrations(conn: Any) -> list[str]:
    """Return the names of the migrations applied to the file, in the order applied."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not has_table:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", [MIGRATION_SET]
    ).fetchall()
    return [str(r[0]) for r in rows]


def check_not_newer(conn: Any, path: Path | None) -> list[str]:
    """Refuse a file from a newer app version, before anything is written to it; return the
    names of the migrations it still needs (in order)."""
    (user_version,) = conn.execute("PRAGMA user_version").fetchone()
    applied = applied_migrations(conn)
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if not unknown and user_version <= SCHEMA_VERSION:
        return [name for name in MIGRATION_NAMES if name not in applied]
    from mentor_tui import __version__

    if unknown:
        detail = Bilingual(
            "den indeholder ændringer, som mentor-tui {version} ikke kender: {names}",
            "it holds changes that mentor-tui {version} does not know: {names}",
        ).format(version=__version__, names=", ".join(unknown))
    else:
        detail = Bilingual(
            "skemaversion {found}; mentor-tui {version} kender op til {known}",
            "schema version {found}; mentor-tui {version} knows up to {known}",
        ).format(found=user_version, version=__version__, known=SCHEMA_VERSION)
    raise SchemaTooNewError(
        Bilingual(
            "Databasen {path} er gemt af en nyere version af mentor-tui ({detail}). Filen er ikke "
            "ændret. Opdatér mentor-tui for at åbne den.",
            "The database {path} was saved by a newer mentor-tui ({detail}). The file was not "
            "changed. Update mentor-tui to open it.",
        ).format(path=_show(path), detail=detail)
    )


def quick_check(db: HasConnection) -> list[str]:
    """Return the problems ``PRAGMA quick_check`` finds (empty when the file is sound).

    Quick: O(size of the file), without the index cross-checks of :func:`integrity_check`.
    """
    return _check_rows(db, "quick_check")


def integrity_check(db: HasConnection) -> list[str]:
    """Return the problems a full ``PRAGMA integrity_check`` and ``foreign_key_check`` find."""
    problems = _check_rows(db, "integrity_check")
    if not problems:
        for row in db.conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign key: {row[0]} rowid {row[1]} -> {row[2]}")
    return problems


def _check_rows(db: HasConnection, pragma_name: str) -> list[str]:
    try:
        rows = [str(r[0]) for r in db.conn.execute(f"PRAGMA {pragma_name}").fetchall()]
    except Exception as exc:
        driver = getattr(db, "driver", SQLITE)
        if driver.is_error(exc) and error_kind(exc) in ("corrupt", "notadb"):
            return [str(exc)]  # so damaged that the check itself cannot run
        raise
    return [] if rows == ["ok"] else rows


def _opening_error(exc: BaseException, path: Path, driver: Driver) -> BaseException:
    """Turn a driver error raised while opening and checking into a message."""
    if not driver.is_error(exc):
        return exc
    kind = error_kind(exc)
    if kind == "corrupt":
        return _damaged(path)
    if kind == "notadb":
        return _not_a_database(path, driver)
    if kind == "busy":
        return _busy(path)
    if kind == "readonly":
        return _read_only_file(path)
    if kind == "full":
        return _disk_full(path)
    return _cannot_open(path, str(exc))


def open_connections(
    path: Path | str,
    *,
    readonly: bool = False,
    create: bool = True,
    check: bool | Literal["background"] = True,
    driver: Driver = SQLITE,
) -> ThreadConnections:
    """Open a mentor-tui database file (creating it if needed), checked and up to date, on plain
    connections: :func:`mentor_tui.storage.database.open_database` without sqlite-utils (see
    there for the arguments and errors). sqlite-utils and the migrations load only when the file
    is new or needs an upgrade.
    """
    file = Path(path).expanduser()
    folder = file.parent
    if not folder.is_dir():
        raise _folder_missing(file)
    if not file.exists():
        if readonly or not create:
            raise _missing(file)
        from mentor_tui.storage.database import create_database

        create_database(file, driver=driver)
    _check_file_kind(file, driver)
    if readonly:
        target = _read_target(file)
    else:
        wal, shm = _wal_files(file)
        if not _writable(file):
            raise _read_only_file(file)
        if not _writable(folder) and not (wal.exists() and shm.exists()):
            raise _read_only_folder(file)
        target = _Target(_uri(file, mode="rw"), readonly=False)
    return open_checked(file, target, driver, check=check)


def open_checked(
    file: Path,
    target: _Target,
    driver: Driver,
    *,
    check: bool | Literal["background"],
    on_close: Callable[[], None] | None = None,
) -> ThreadConnections:
    """Connect to ``target`` and check it: not newer, not damaged, migrated (see
    :func:`open_connections`)."""
    connections: ThreadConnections | None = None
    try:
        connections = ThreadConnections(
            _connection_opener(target, driver),
            path=file,
            readonly=target.readonly,
            driver=driver,
            on_close=on_close,
        )
        conn = connections.conn
        if not target.readonly:
            conn.execute("PRAGMA query_only = ON")  # checks first; nothing is written before
        pending = check_not_newer(conn, file)
        later = check == "background" and not pending and not target.readonly
        if check and not later and quick_check(connections):
            raise _damaged(file)
        if target.readonly:
            if pending:
                raise SchemaTooOldError(
                    Bilingual(
                        "Databasen {path} er fra en ældre version af mentor-tui og skal opgraderes, "
                        "men den er åbnet skrivebeskyttet. Start mentor-tui én gang med "
                        "skriveadgang til filen, og prøv igen.",
                        "The database {path} is from an older mentor-tui and needs an upgrade, "
                        "but it was opened read-only. Start mentor-tui once with write access to "
                        "the file, then try again.",
                    ).format(path=file)
                )
            return connections
        conn.execute("PRAGMA query_only = OFF")
        (journal_mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        if journal_mode != "wal":
            conn.execute("PRAGMA journal_mode = wal")
        if pending or device_id_missing(conn):
            from mentor_tui.storage.database import migrate

            migrate(connections)
        if later:
            connections.check_in_background()
        return connections
    except BaseException as exc:
        if connections is not None:
            connections.close()
        elif on_close is not None:
            on_close()
        if isinstance(exc, MentorError):
            raise
        translated = _opening_error(exc, file, driver)
        if translated is exc:
            raise
        raise translated from exc


def device_id_missing(conn: Any) -> bool:
    """Return whether the file has no device id yet (made with the first migration's ``meta``)."""
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return True
    return conn.execute("SELECT 1 FROM meta WHERE key = 'device_id'").fetchone() is None


def has_local_staff(conn: Any) -> bool:
    """Return whether this laptop's user is set up in the file (see ``StaffRepository.local``):
    the app asks "who are you?" first when not. A plain query, so the first screen needs no
    models."""
    row = conn.execute(
        "SELECT 1 FROM staff WHERE is_local_user = 1 AND deleted_at IS NULL LIMIT 1"
    ).fetchone()
    return row is not None

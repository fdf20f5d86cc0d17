"""Opening the one SQLite file safely: checks, connections per thread, write transactions.

What this module guarantees (issue 10, issue 8 item 4):

- **Durability.** WAL journal with ``synchronous=FULL``: every committed transaction is synced
  to disk before the commit returns.
- **One connection per thread.** :class:`ThreadLocalDatabase` is a sqlite-utils ``Database``
  whose ``conn`` is the calling thread's own connection (opened on first use), so a worker
  thread's transaction never swallows or rolls back a form save made on the UI thread.
- **Write transactions take the lock first.** ``db.atomic()`` starts with ``BEGIN IMMEDIATE``
  and waits up to :data:`BUSY_TIMEOUT_MS` for another process's write to finish; if it is still
  busy the caller gets :class:`DatabaseBusyError` (a message in the user's language) and nothing
  was written. Disk full, read-only and I/O errors inside a transaction become
  :class:`DiskFullError`, :class:`DatabaseReadOnlyError` and :class:`DatabaseWriteError`; the
  transaction is rolled back.
- **Odd files are left alone.** A zero-byte file, a file that is not SQLite, a damaged file
  (``PRAGMA quick_check`` on every open) and a file from a newer app version are refused with a
  message naming the file and what to do; nothing is written to them. The app itself checks in
  the background (``check="background"``): ``quick_check`` reads the whole file (seconds at
  50,000 cases), so the case list shows at once, and the first write waits for the check and is
  refused if it found damage (issue 12).
- **New files appear whole.** A new database is built in a hidden temporary file next to the
  target and linked into place when complete, so many processes may open a new path at once,
  and a full disk leaves nothing half-made behind.
- **Read-only work opens read-only** (``readonly=True``): nothing is migrated or written, and no
  ``-wal``/``-shm`` files are left behind with the wrong permissions.

The seam for encryption at rest (issue 13) is :class:`Driver`: a DB-API module compatible with
``sqlite3`` (such as ``sqlcipher3.dbapi2``) and a ``prepare`` hook run first on every new
connection (``PRAGMA key``). Everything else here runs unchanged on the connections it makes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlite_utils import Database

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.storage.migrations import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations

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


class ThreadLocalDatabase(Database):
    """A sqlite-utils ``Database`` whose connection is the calling thread's own.

    Every thread that touches ``db.conn`` (directly or through sqlite-utils) gets its own
    connection to the same file, opened on first use with the same settings. Transactions
    therefore never mix between the UI thread and worker threads. Connections of threads that
    have ended are closed when the next one is opened; :meth:`close` closes them all.

    ``atomic()`` starts a write transaction with ``BEGIN IMMEDIATE`` (see the module docstring);
    nested blocks are savepoints.
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
        self.path = path
        """The database file (a private temporary file for ``open_database(None)``)."""
        self.readonly = readonly
        """True when opened for reading only: writes fail with :class:`DatabaseReadOnlyError`."""
        self.driver = driver
        """How connections are made (the encryption seam)."""
        super().__init__(self._open_for_thread(), execute_plugins=False)

    # sqlite-utils reads and assigns ``self.conn``; both go to the calling thread's connection
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open_for_thread()
        return conn  # type: ignore[no-any-return]

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:
        self._local.conn = value
        with self._lock:
            self._connections[threading.current_thread()] = value

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

    def register_function(
        self,
        fn: Callable[..., Any] | None = None,
        deterministic: bool = False,
        replace: bool = False,
        name: str | None = None,
    ) -> Any:
        """Register a SQL function on this thread's connection and on every later one."""

        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            import inspect

            fn_name = name or f.__name__
            arity = len(inspect.signature(f).parameters)
            self.conn.create_function(fn_name, arity, f, deterministic=deterministic)
            self._functions = [x for x in self._functions if (x[0], x[1]) != (fn_name, arity)]
            self._functions.append((fn_name, arity, f, deterministic))
            return f

        return register if fn is None else register(fn)

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
    def atomic(self) -> Iterator[Database]:
        """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, or a savepoint when nested.

        Raises:
            DatabaseBusyError: another program kept the write lock past the busy timeout.
            DiskFullError, DatabaseReadOnlyError, DatabaseWriteError: the write failed; the
                whole transaction was rolled back.
        """
        conn = self.conn
        if conn.in_transaction:
            with super().atomic():
                yield self
            return
        if not self.readonly:
            self.wait_for_check()
        try:
            conn.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
        except Exception as exc:
            raise self._translated(exc) from exc
        try:
            yield self
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
            if self.driver.is_error(exc):
                raise self._translated(exc) from exc
            raise
        try:
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
            raise self._translated(exc) from exc

    def _translated(self, exc: BaseException) -> BaseException:
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


def _check_not_newer(db: Database, path: Path | None) -> None:
    """Refuse a file from a newer app version, before anything is written to it."""
    (user_version,) = db.conn.execute("PRAGMA user_version").fetchone()
    has_table = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    unknown: list[str] = []
    if has_table:
        rows = db.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", ["mentor_tui"]
        ).fetchall()
        unknown = [r[0] for r in rows if r[0] not in KNOWN_MIGRATIONS]
    if not unknown and user_version <= SCHEMA_VERSION:
        return
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


def quick_check(db: Database) -> list[str]:
    """Return the problems ``PRAGMA quick_check`` finds (empty when the file is sound).

    Quick: O(size of the file), without the index cross-checks of :func:`integrity_check`.
    """
    return _check_rows(db, "quick_check")


def integrity_check(db: Database) -> list[str]:
    """Return the problems a full ``PRAGMA integrity_check`` and ``foreign_key_check`` find."""
    problems = _check_rows(db, "integrity_check")
    if not problems:
        for row in db.conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign key: {row[0]} rowid {row[1]} -> {row[2]}")
    return problems


def _check_rows(db: Database, pragma_name: str) -> list[str]:
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


def open_database(
    path: Path | str | None = None,
    *,
    readonly: bool = False,
    create: bool = True,
    check: bool | Literal["background"] = True,
    driver: Driver = SQLITE,
) -> ThreadLocalDatabase:
    """Open a mentor-tui database (creating it if needed) and bring its schema up to date.

    Args:
        path: the file, or ``None`` for a private temporary database removed on ``close()``
            (tests).
        readonly: open for reading only: nothing is migrated or written, the file may be
            read-only, and no files are left behind. Read-only work (export, check, backup)
            uses this.
        create: create the file when it does not exist (its folder must exist: only the
            default location's folder is created, by :mod:`mentor_tui.locations`).
        check: run ``PRAGMA quick_check`` before use; ``"background"``: in a thread of its own
            after opening (the app: the file is usable at once, the first write waits for the
            check; a file that needs an upgrade is checked first all the same).
        driver: how connections are made (the seam for SQLCipher, issue 13).

    Returns:
        A :class:`ThreadLocalDatabase`: each thread gets its own connection.

    Raises:
        FolderMissingError: the folder does not exist.
        DatabaseMissingError: ``readonly`` (or ``create=False``) and the file does not exist.
        EmptyFileError, NotADatabaseError, DatabaseDamagedError, SchemaTooNewError: the file
            is not one we can use; it was not changed.
        SchemaTooOldError: ``readonly`` and the file needs an upgrade first.
        DatabaseReadOnlyError: the file or its folder is read-only and ``readonly`` is False.
        DiskFullError: a new file could not be created for lack of space (nothing is left).
        DatabaseOpenError: any other reason the file cannot be opened.
    """
    if path is None:
        return _open_temporary(driver)
    file = Path(path).expanduser()
    folder = file.parent
    if not folder.is_dir():
        raise _folder_missing(file)
    if not file.exists():
        if readonly or not create:
            raise _missing(file)
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
    return _open_checked(file, target, driver, check=check)


def _open_checked(
    file: Path,
    target: _Target,
    driver: Driver,
    *,
    check: bool | Literal["background"],
    on_close: Callable[[], None] | None = None,
) -> ThreadLocalDatabase:
    db: ThreadLocalDatabase | None = None
    try:
        db = ThreadLocalDatabase(
            _connection_opener(target, driver),
            path=file,
            readonly=target.readonly,
            driver=driver,
            on_close=on_close,
        )
        conn = db.conn
        if not target.readonly:
            conn.execute("PRAGMA query_only = ON")  # checks first; nothing is written before
        _check_not_newer(db, file)
        pending = migrations.pending(db)
        later = check == "background" and not pending and not target.readonly
        if check and not later and quick_check(db):
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
            return db
        conn.execute("PRAGMA query_only = OFF")
        if db.journal_mode != "wal":
            db.enable_wal()
        if pending or _device_id_missing(db):
            _migrate(db)
        if later:
            db.check_in_background()
        return db
    except BaseException as exc:
        if db is not None:
            db.close()
        elif on_close is not None:
            on_close()
        if isinstance(exc, MentorError):
            raise
        translated = _opening_error(exc, file, driver)
        if translated is exc:
            raise
        raise translated from exc


def _migrate(db: ThreadLocalDatabase) -> None:
    """Apply pending migrations and create the device id, all in one write transaction.

    The write lock is taken first, then the state is read again, so processes opening the same
    file at once apply each migration exactly once.
    """
    with db.atomic():
        _check_not_newer(db, db.path)
        migrations.apply(db)
        db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if _device_id_missing(db):
            db.conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", [str(uuid.uuid4())])


def _device_id_missing(db: Database) -> bool:
    has_meta = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return True
    return db.conn.execute("SELECT 1 FROM meta WHERE key = 'device_id'").fetchone() is None


def _open_temporary(driver: Driver) -> ThreadLocalDatabase:
    folder = Path(tempfile.mkdtemp(prefix="mentor-tui-"))
    file = folder / "temporary.db"

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    create_database(file, driver=driver)
    db = _open_checked(
        file, _Target(_uri(file, mode="rw"), readonly=False), driver, check=False, on_close=remove
    )
    weakref.finalize(db, remove)
    return db


def create_database(
    path: Path,
    *,
    populate: Callable[[Database], None] | None = None,
    driver: Driver = SQLITE,
) -> bool:
    """Create a new, complete database file at ``path`` unless one appears there meanwhile.

    The file is built in a hidden temporary file in the same folder (owner-only, 0600), with
    every migration and the device id, then ``populate(db)`` if given (the demo data), and only
    then linked into place. So a file at ``path`` is always complete, and several processes may
    create the same path at once: one wins, the others use its file.

    Returns:
        True when this call created the file, False when another process was first.

    Raises:
        DiskFullError: no space for the new file (nothing is left behind).
        DatabaseReadOnlyError: the folder cannot be written to.
    """
    folder = path.parent
    temp = folder / f".{path.name}.new-{uuid.uuid4().hex[:12]}"
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise _read_only_folder(path) from exc
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(path) from exc
        raise _cannot_open(path, exc.strerror or str(exc)) from exc
    os.close(fd)
    os.chmod(temp, 0o600)  # O_CREAT's mode is filtered by the umask
    try:
        db = ThreadLocalDatabase(
            _connection_opener(_Target(_uri(temp, mode="rw"), readonly=False), driver),
            path=path,
            readonly=False,
            driver=driver,
        )
        try:
            db.enable_wal()
            _migrate(db)
            if populate is not None:
                populate(db)
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        _fsync(temp)
        created = _link_into_place(temp, path)
        _fsync_dir(folder)
        return created
    except BaseException as exc:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(path) from exc
        if driver.is_error(exc):
            raise (translate_write_error(exc, path) or _cannot_open(path, str(exc))) from exc
        raise
    finally:
        for leftover in (temp, *_wal_files(temp)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _link_into_place(temp: Path, path: Path) -> bool:
    """Put ``temp`` at ``path`` unless something is there already; return whether we did."""
    try:
        os.link(temp, path)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
    # file systems without hard links (FAT, some network shares): claim the name, then fill it
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    os.replace(temp, path)
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def device_id(db: Database) -> str:
    """Return the id of the device that owns this database file (created on first open)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    return str(row[0])


def pragma(db: Database, name: str) -> object:
    """Return the value of ``PRAGMA name`` (for tests and diagnostics)."""
    return db.execute(f"PRAGMA {name}").fetchone()[0]

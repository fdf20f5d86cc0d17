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
import uuid
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from mentor_tui.storage._sqlite_utils import Database
from mentor_tui.storage.connections import (
    BUSY_TIMEOUT_MS,
    MIGRATION_NAMES,
    SCHEMA_VERSION,
    SQLITE,
    SQLITE_HEADER,
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseMissingError,
    DatabaseOpenError,
    DatabaseReadOnlyError,
    DatabaseWriteError,
    DiskFullError,
    Driver,
    EmptyFileError,
    FolderMissingError,
    NotADatabaseError,
    SchemaTooNewError,
    SchemaTooOldError,
    ThreadConnections,
    _cannot_open,
    _connection_opener,
    _disk_full,
    _read_only_folder,
    _Target,
    _uri,
    _wal_files,
    can_write,
    check_not_newer,
    device_id_missing,
    error_kind,
    integrity_check,
    open_checked,
    open_connections,
    quick_check,
    translate_write_error,
)
from mentor_tui.storage.migrations import migrations

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATION_NAMES",
    "SCHEMA_VERSION",
    "SQLITE",
    "SQLITE_HEADER",
    "DatabaseBusyError",
    "DatabaseDamagedError",
    "DatabaseMissingError",
    "DatabaseOpenError",
    "DatabaseReadOnlyError",
    "DatabaseWriteError",
    "DiskFullError",
    "Driver",
    "EmptyFileError",
    "FolderMissingError",
    "NotADatabaseError",
    "SchemaTooNewError",
    "SchemaTooOldError",
    "ThreadConnections",
    "ThreadLocalDatabase",
    "can_write",
    "create_database",
    "device_id",
    "error_kind",
    "integrity_check",
    "migrate",
    "open_database",
    "pragma",
    "quick_check",
    "translate_write_error",
]


# -- one connection per thread -----------------------------------------------------------------


class ThreadLocalDatabase(Database):
    """A sqlite-utils ``Database`` whose connection is the calling thread's own.

    Built over :class:`~mentor_tui.storage.connections.ThreadConnections` (:attr:`connections`):
    every thread that touches ``db.conn`` (directly or through sqlite-utils) gets its own
    connection to the same file, opened on first use with the same settings. Transactions
    therefore never mix between the UI thread and worker threads.

    ``atomic()`` starts a write transaction with ``BEGIN IMMEDIATE`` (see the module docstring);
    nested blocks are savepoints.
    """

    def __init__(self, connections: ThreadConnections) -> None:
        self.connections = connections
        """The per-thread connections this database reads and writes on."""
        super().__init__(connections.conn, execute_plugins=False)

    # sqlite-utils reads and assigns ``self.conn``; both go to the calling thread's connection
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        return self.connections.conn

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:
        self.connections.use(value)

    @property
    def path(self) -> Path | None:
        """The database file (a private temporary file for ``open_database(None)``)."""
        return self.connections.path

    @property
    def readonly(self) -> bool:
        """True when opened for reading only: writes fail with :class:`DatabaseReadOnlyError`."""
        return self.connections.readonly

    @property
    def driver(self) -> Driver:
        """How connections are made (the encryption seam)."""
        return self.connections.driver

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
            self.connections.register_function(f, fn_name, arity, deterministic)
            return f

        return register if fn is None else register(fn)

    def check_in_background(self) -> None:
        """Run ``PRAGMA quick_check`` in a thread of its own; writes wait for it (see :meth:`atomic`)."""
        self.connections.check_in_background()

    def wait_for_check(self) -> None:
        """Wait for a background check to finish.

        Raises:
            DatabaseDamagedError: it found the file damaged (nothing may be written).
        """
        self.connections.wait_for_check()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, or a savepoint when nested.

        Raises:
            DatabaseBusyError: another program kept the write lock past the busy timeout.
            DiskFullError, DatabaseReadOnlyError, DatabaseWriteError: the write failed; the
                whole transaction was rolled back.
        """
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        with self.connections.atomic():
            yield self

    def close(self) -> None:
        """Close every thread's connection (a WAL checkpoint runs as the last one closes)."""
        self.connections.close()

    def connection_count(self) -> int:
        """Return how many per-thread connections are open (for tests and diagnostics)."""
        return self.connections.connection_count()


# -- opening -----------------------------------------------------------------------------------


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
    return ThreadLocalDatabase(
        open_connections(path, readonly=readonly, create=create, check=check, driver=driver)
    )


def migrate(connections: ThreadConnections) -> None:
    """Apply pending migrations and create the device id, all in one write transaction.

    The write lock is taken first, then the state is read again, so processes opening the same
    file at once apply each migration exactly once.
    """
    _migrate(ThreadLocalDatabase(connections))


def _migrate(db: ThreadLocalDatabase) -> None:
    with db.atomic():
        check_not_newer(db.conn, db.path)
        migrations.apply(db)
        db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if device_id_missing(db.conn):
            db.conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", [str(uuid.uuid4())])


def _open_temporary(driver: Driver) -> ThreadLocalDatabase:
    folder = Path(tempfile.mkdtemp(prefix="mentor-tui-"))
    file = folder / "temporary.db"

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    create_database(file, driver=driver)
    db = ThreadLocalDatabase(
        open_checked(
            file, _Target(_uri(file, mode="rw"), readonly=False), driver, check=False, on_close=remove
        )
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
            ThreadConnections(
                _connection_opener(_Target(_uri(temp, mode="rw"), readonly=False), driver),
                path=path,
                readonly=False,
                driver=driver,
            )
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

"""Encryption at rest with SQLCipher 4 (issue 13 item 1; DOMAIN.md 5.3 item 4).

The optional extra ``pip install 'mentor-tui[encrypted]'`` brings ``sqlcipher3``: a DB-API 2.0
binding that ships SQLCipher 4 (with OpenSSL) inside its wheels for Windows, macOS and Linux, so no
compiler is needed. Its connections go under sqlite-utils like :mod:`sqlite3`'s do.

Cipher settings are SQLCipher 4's defaults, never changed here: AES-256 in CBC mode per 4096-byte
page, HMAC-SHA512 on every page, the key derived from the passphrase with PBKDF2-HMAC-SHA512 at
256,000 iterations and a random salt per file. ``docs/security.md`` says what that protects against.

The passphrase is handed to SQLCipher (``PRAGMA key``) and dropped; it is never written anywhere.
SQLCipher's own log is silenced (``PRAGMA cipher_log_level = NONE``) so a wrong passphrase never
prints over the screen; the caller gets :class:`WrongPassphraseError` instead.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.storage.connections import SQLITE, Driver

if TYPE_CHECKING:
    from mentor_tui.storage.database import ThreadLocalDatabase

PLAIN_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every unencrypted SQLite file; an encrypted file starts with its salt."""

INSTALL_HINT = "pip install 'mentor-tui[encrypted]'"
"""What to install for encryption (also printed by ``mentor-tui encrypt`` without the extra)."""


class EncryptionUnavailableError(MentorError):
    """The SQLCipher binding (the ``encrypted`` extra) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            Bilingual(
                "Kryptering kræver SQLCipher. Installér den med: {hint}",
                "Encryption needs SQLCipher. Install it with: {hint}",
            ).format(hint=INSTALL_HINT)
        )


class PassphraseRequiredError(MentorError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphraseError(MentorError):
    """The passphrase does not open the file (or the file is damaged)."""

    def __init__(self) -> None:
        super().__init__(
            Bilingual(
                "Forkert adgangsfrase (eller en beskadiget fil). En glemt adgangsfrase kan ikke gendannes.",
                "Wrong passphrase (or a damaged file). A forgotten passphrase cannot be recovered.",
            )
        )


class EncryptionRefusedError(MentorError):
    """``encrypt`` or ``rekey`` refused; the file was not changed."""


def dbapi() -> ModuleType:
    """Return ``sqlcipher3.dbapi2``.

    Raises:
        EncryptionUnavailableError: the ``encrypted`` extra is not installed.
    """
    try:
        return importlib.import_module("sqlcipher3.dbapi2")
    except ImportError as exc:
        raise EncryptionUnavailableError() from exc


def available() -> bool:
    """Return whether SQLCipher can be used here."""
    try:
        dbapi()
    except EncryptionUnavailableError:
        return False
    return True


def is_encrypted(path: Path) -> bool:
    """Return whether ``path`` is a non-empty file that is not a plain SQLite file.

    An encrypted file cannot be told from a damaged or foreign one without its passphrase;
    opening then says "wrong passphrase (or a damaged file)".
    """
    try:
        with path.open("rb") as f:
            head = f.read(len(PLAIN_HEADER))
    except OSError:
        return False
    return len(head) > 0 and head != PLAIN_HEADER


def _quote(passphrase: str) -> str:
    if not passphrase or "\x00" in passphrase:
        raise WrongPassphraseError()
    # PRAGMA takes no bound parameters: a string literal with its quotes doubled
    return "'" + passphrase.replace("'", "''") + "'"


KDF_ITERATIONS = 256_000
"""SQLCipher 4's default PBKDF2-HMAC-SHA512 iterations (``PRAGMA kdf_iter``)."""

SALT_BYTES = 16
"""SQLCipher keeps a file's random KDF salt in its first 16 bytes."""


def derive_key(path: Path, passphrase: str) -> bytes:
    """Return the raw key of the file ``path``: the 256-bit key SQLCipher 4 derives from
    ``passphrase``, followed by the file's 16-byte salt.

    PBKDF2-HMAC-SHA512, :data:`KDF_ITERATIONS` iterations, the file's own salt: exactly what
    SQLCipher does with a passphrase. The app derives it once (about a third of a second, on
    purpose) and opens further connections with the raw key, so the passphrase itself is not
    kept even in memory. With the salt included, a backup written with this key opens with the
    same passphrase.
    """
    import hashlib  # on first use (issue 12: not at start)

    _quote(passphrase)
    with path.open("rb") as f:
        salt = f.read(SALT_BYTES)
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32) + salt


def new_key(passphrase: str) -> bytes:
    """Return a raw key for a new file: derived from ``passphrase`` with a new random salt
    (followed by that salt, as :func:`derive_key` returns it)."""
    import hashlib  # on first use (issue 12: not at start)

    _quote(passphrase)
    salt = os.urandom(SALT_BYTES)
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32) + salt


def driver(key: bytes) -> Driver:
    """Return the connection driver for files encrypted with the raw ``key``
    (:class:`~mentor_tui.storage.database.Driver`, the seam ``robust`` built for this)."""
    return Driver(module=dbapi(), prepare=keyed(key), plain_header=False)


def driver_for(path: Path, passphrase: str | None) -> Driver:
    """Return how to open ``path``: SQLCipher with the key of ``passphrase`` for an encrypted
    file (or a new one when a passphrase is given), plain :mod:`sqlite3` otherwise.

    Raises:
        EncryptionUnavailableError: SQLCipher is needed and not installed.
        WrongPassphraseError: the passphrase does not open the encrypted file.
    """
    if is_encrypted(path):
        if not passphrase:
            return SQLITE  # opening then says the file is not a plain database
        key = derive_key(path, passphrase)
        connect_with_key(path, key).close()  # a wrong passphrase is reported as such
        return driver(key)
    if passphrase and (not path.exists() or path.stat().st_size == 0):
        return driver(new_key(passphrase))
    return SQLITE


def keyed(key: bytes) -> Callable[[Any], None]:
    """Return the first step for every new connection to a file with the raw ``key``."""
    statement = f"PRAGMA key = \"x'{key.hex()}'\""

    def prepare(conn: Any) -> None:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(statement)

    return prepare


def connect_with_key(path: Path, key: bytes, *, timeout: float = 5.0) -> Any:
    """Open the encrypted file ``path`` with its raw ``key`` (see :func:`derive_key`).

    Raises:
        WrongPassphraseError: the key does not open the file.
    """
    module = dbapi()
    conn = module.connect(str(path), check_same_thread=False, timeout=timeout)
    try:
        keyed(key)(conn)
        # the key is only checked when the first page is read
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        conn.close()
        raise WrongPassphraseError() from exc
    return conn


def create(path: Path, passphrase: str) -> None:
    """Create the empty file ``path`` encrypted with ``passphrase`` (SQLCipher's defaults)."""
    module = dbapi()
    conn = module.connect(str(path), check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_quote(passphrase)}")
        conn.execute("PRAGMA user_version = 0")  # writes page 1, and with it the salt
        conn.commit()
    finally:
        conn.close()


def connect(path: Path, passphrase: str, *, timeout: float = 5.0) -> Any:
    """Open ``path`` with SQLCipher and ``passphrase``; a new (or empty) file is created encrypted.

    Returns:
        A DB-API connection (``sqlcipher3.dbapi2.Connection``), usable from other threads.

    Raises:
        EncryptionUnavailableError: the extra is not installed.
        WrongPassphraseError: the passphrase does not open the file.
    """
    dbapi()
    if not path.exists() or path.stat().st_size == 0:
        create(path, passphrase)
    return connect_with_key(path, derive_key(path, passphrase), timeout=timeout)


def passphrase_opens(path: Path, passphrase: str) -> bool:
    """Return whether ``passphrase`` opens the encrypted file ``path`` (a fresh connection)."""
    try:
        conn = connect(path, passphrase)
    except WrongPassphraseError:
        return False
    conn.close()
    return True


def database_errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes an open database may raise: :mod:`sqlite3`'s and SQLCipher's."""
    try:
        return (sqlite3.DatabaseError, dbapi().DatabaseError)
    except EncryptionUnavailableError:
        return (sqlite3.DatabaseError,)


# -- converting and re-keying -------------------------------------------------------------------


@dataclass(frozen=True)
class TableCheck:
    """What the verification compared for one table: its rows and a digest of their values."""

    name: str
    rows: int
    digest: str


def _fingerprint(conn: Any) -> tuple[list[TableCheck], int]:
    """Rows and a SHA-256 of every table's content (in rowid/primary-key order), and user_version."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    ]
    import hashlib  # on first use (issue 12: not at start)

    checks = []
    for name in names:
        digest = hashlib.sha256()
        quoted = '"' + name.replace('"', '""') + '"'
        # sorted here: a copy need not keep the rowid order of tables without an integer key
        rows = sorted(repr(tuple(row)) for row in conn.execute(f"SELECT * FROM {quoted}"))
        for row in rows:
            digest.update(row.encode())
        checks.append(TableCheck(name, len(rows), digest.hexdigest()))
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return checks, int(version)


def _integrity(conn: Any) -> str:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "ok" if [tuple(r) for r in rows] == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def _refuse(da: str, en: str, **values: object) -> EncryptionRefusedError:
    return EncryptionRefusedError(Bilingual(da, en).format(**values))


def _shred(fd: int) -> None:
    """Overwrite the whole file behind ``fd`` with zeros and sync it."""
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\x00" * 65536
    left = size
    while left > 0:
        left -= os.write(fd, block[: min(left, len(block))])
    os.fsync(fd)


def _sync_dir(path: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory to sync it
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class EncryptReport:
    """What ``encrypt_file`` did: the tables it checked and the files it overwrote."""

    tables: list[TableCheck]
    shredded: list[Path]


def encrypt_file(path: Path, passphrase: str) -> EncryptReport:
    """Replace the plain SQLite file ``path`` with an encrypted copy, then destroy the plain copy.

    Steps (nothing is changed until the copy is verified):

    1. refuse a file that is already encrypted, missing, or fails ``PRAGMA integrity_check``;
    2. copy it with ``sqlcipher_export`` into ``<name>.encrypting`` (owner-only) next to it;
    3. verify the copy: it opens with the passphrase, passes the integrity check, and every
       table has the same rows with the same values, and the same schema version;
    4. atomically rename the copy over ``path``;
    5. overwrite the old plain file and its ``-wal`` journal with zeros (through handles opened
       before the rename) and delete them.

    On a solid-state disk or a copy-on-write file system, overwriting cannot guarantee that no
    old block survives; docs/security.md says so and advises full-disk encryption as well.

    Raises:
        EncryptionUnavailableError: the extra is not installed.
        EncryptionRefusedError: the source is damaged, already encrypted or missing (untouched).
    """
    module = dbapi()
    _quote(passphrase)
    if not path.is_file():
        raise _refuse("Filen findes ikke: {path}", "No such file: {path}", path=path)
    if is_encrypted(path):
        raise _refuse(
            "{path} er allerede krypteret (eller ikke en SQLite-fil). Intet er ændret.",
            "{path} is already encrypted (or not a SQLite file). Nothing was changed.",
            path=path,
        )
    work = path.with_name(path.name + ".encrypting")
    for leftover in (work, Path(f"{work}-journal"), Path(f"{work}-wal")):
        leftover.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problem = _integrity(source)
            if problem != "ok":
                raise _refuse(
                    "{path} er beskadiget ({problem}); den krypteres ikke og er ikke ændret. "
                    "Gendan den fra en sikkerhedskopi først.",
                    "{path} is damaged ({problem}); it is not encrypted and was not changed. "
                    "Restore it from a backup first.",
                    path=path,
                    problem=problem,
                )
            expected = _fingerprint(source)
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise _refuse(
            "{path} kan ikke læses som database ({why}); den er ikke ændret.",
            "{path} cannot be read as a database ({why}); it was not changed.",
            path=path,
            why=exc,
        ) from exc
    fd = os.open(work, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        conn = module.connect(str(path), check_same_thread=False)
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {_quote(passphrase)}", [str(work)])
            conn.execute("SELECT sqlcipher_export('encrypted')")
            conn.execute(f"PRAGMA encrypted.user_version = {expected[1]}")
            conn.execute("DETACH DATABASE encrypted")
        finally:
            conn.close()
        copy = connect(work, passphrase)
        try:
            problem = _integrity(copy)
            got = _fingerprint(copy)
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
        if problem != "ok" or got != expected:
            raise _refuse(
                "Den krypterede kopi svarer ikke til originalen; {path} er ikke ændret.",
                "The encrypted copy does not match the original; {path} was not changed.",
                path=path,
            )
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    return EncryptReport(expected[0], _replace_and_shred(work, path))


def _replace_and_shred(new: Path, path: Path) -> list[Path]:
    """Rename ``new`` over ``path``; overwrite and delete the old file and its journals."""
    journals = [Path(f"{path}-wal"), Path(f"{path}-journal")]
    handles: list[tuple[Path, int]] = []
    for old in (path, *journals):
        if old.exists():
            handles.append((old, os.open(old, os.O_RDWR)))
    shredded = []
    try:
        os.replace(new, path)
        _sync_dir(path.parent)
        for old, fd in handles:
            _shred(fd)
            shredded.append(old)
        for journal in journals:
            journal.unlink(missing_ok=True)
        Path(f"{path}-shm").unlink(missing_ok=True)
    finally:
        for _, fd in handles:
            os.close(fd)
    return shredded


def rekey(path: Path, old: str, new: str) -> None:
    """Change the passphrase of the encrypted file ``path`` from ``old`` to ``new``.

    SQLCipher re-encrypts every page in one transaction; the new passphrase is verified by
    opening the file afresh.

    Raises:
        WrongPassphraseError: ``old`` does not open the file (nothing was changed).
        EncryptionRefusedError: the new passphrase is empty or the same as the old one.
    """
    if not new or "\x00" in new:
        raise _refuse("Den nye adgangsfrase er tom.", "The new passphrase is empty.")
    if new == old:
        raise _refuse(
            "Den nye adgangsfrase er den samme som den gamle.",
            "The new passphrase is the same as the old one.",
        )
    conn = connect(path, old)
    try:
        conn.execute(f"PRAGMA rekey = {_quote(new)}")
    finally:
        conn.close()
    if not passphrase_opens(path, new):  # pragma: no cover - SQLCipher failed silently
        raise WrongPassphraseError()


def open_with_passphrase(path: Path, passphrase: str, **options: Any) -> ThreadLocalDatabase:
    """Open (or create, encrypted) the database at ``path`` with ``passphrase``; ``options`` go to
    :func:`~mentor_tui.storage.database.open_database`.

    Raises:
        WrongPassphraseError: the passphrase does not open the encrypted file.
    """
    from mentor_tui.storage.database import create_database, open_database

    drv = driver_for(path, passphrase)
    if not path.exists():
        create_database(path, driver=drv)
    return open_database(path, driver=drv, **options)

"""Opening and writing the database when things are not as they should be (issue 10 items 1, 3, 4;
issue 8 item 4): a busy file, a worker's rollback, many first opens at once, odd, read-only and
damaged files, a full disk."""

from __future__ import annotations

import multiprocessing
import os
import resource
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from mentor_tui.clock import FixedClock
from mentor_tui.codes import Team
from mentor_tui.models import Staff
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage import connections, database
from mentor_tui.storage.database import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseMissingError,
    DatabaseReadOnlyError,
    FolderMissingError,
    NotADatabaseError,
    SchemaTooNewError,
    ThreadLocalDatabase,
    integrity_check,
    open_database,
)
from mentor_tui.storage.migrations import SCHEMA_VERSION
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW
from tests.robust_support import (
    can_mount_tmpfs,
    fill_disk,
    give_to_child,
    listing,
    run_in_child,
    shared_folder,
    tiny_disk,
    zero_page,
)

REFERRAL: dict[str, Any] = {
    "activity": "A6_FREMSKUDT_UDD_BESK",
    "received_date": "01-11-2026",
    "source": "UDDANNELSESRAADGIVER_CFU",
    "birth_year": 2001,
    "birth_month": 3,
    "area": "RISING",
}


def _register(casework: CaseworkService, label: str = "Testperson B") -> str:
    return casework.register_referral(display_label=label, **REFERRAL).id


def _count(path: Path, table: str = "person") -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    """A busy timeout of 0.3 s, so that the "still busy" case is quick to test."""
    monkeypatch.setattr(connections, "BUSY_TIMEOUT_MS", 300)
    return 300


# -- busy database ------------------------------------------------------------------------------


def test_a_save_that_reads_first_waits_for_another_writer(casework: CaseworkService, db_path: Path) -> None:
    """register_referral reads (the open-case check, the schema) before it writes; with
    ``BEGIN IMMEDIATE`` it waits for the other writer instead of failing at once."""
    other = sqlite3.connect(db_path, timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    def release() -> None:
        other.execute("COMMIT")
        other.close()

    released = threading.Timer(0.3, release)
    released.start()
    try:
        _register(casework)
    finally:
        released.join()
    assert _count(db_path) == 1


def test_a_save_still_blocked_after_the_timeout_says_so_and_writes_nothing(
    db_path: Path, clock: FixedClock, short_timeout: int
) -> None:
    db = open_database(db_path)
    casework = CaseworkService(Repositories(db, clock))
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError) as info:
            _register(casework)
    finally:
        other.rollback()
        other.close()
    assert "optaget af et andet program" in info.value.text("da")
    assert "busy in another program" in info.value.text("en")
    assert "Intet er gemt" in info.value.text("da")
    assert str(db_path) in info.value.text("en")
    assert _count(db_path) == 0
    _register(casework)  # the connection is usable again once the lock is free
    assert _count(db_path) == 1
    db.close()


# -- one connection per thread (issue 8 item 4) -------------------------------------------------


def test_each_thread_gets_its_own_connection(repos: Repositories) -> None:
    db = repos.db
    assert isinstance(db, ThreadLocalDatabase)
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(db.conn))
    worker.start()
    worker.join()
    assert seen[0] is not db.conn


def test_a_form_save_survives_a_workers_rollback(casework: CaseworkService, db_path: Path) -> None:
    """Reproduces the lost save: a worker's transaction is open and later rolls back; a form save
    made meanwhile on the UI thread used to join that transaction and vanish with it."""
    repos = casework.repos
    in_transaction = threading.Event()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            with repos.atomic():
                repos.staff.add(Staff(initials="WK", team=Team.TEAM_UDD_KRIM))
                in_transaction.set()
                threading.Event().wait(0.3)
                raise RuntimeError("the worker fails")
        except RuntimeError as exc:
            failures.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    in_transaction.wait()
    case_id = _register(casework)  # the UI thread's save, while the worker's transaction is open
    thread.join()
    assert failures  # the worker did roll back
    assert _count(db_path, "staff") == 0
    with sqlite3.connect(db_path) as other:
        assert other.execute("SELECT count(*) FROM cases WHERE id = ?", [case_id]).fetchone() == (1,)
    assert repos.cases.get(case_id).id == case_id


def test_connections_of_finished_threads_are_closed(repos: Repositories) -> None:
    db = repos.db
    assert isinstance(db, ThreadLocalDatabase)
    for _ in range(5):
        thread = threading.Thread(target=lambda: db.execute("SELECT 1").fetchone())
        thread.start()
        thread.join()
    db.execute("SELECT 1")
    threading.Thread(target=lambda: db.execute("SELECT 1")).start()
    assert db.connection_count() <= 3


# -- many first opens at once -------------------------------------------------------------------


def _first_open(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        db = open_database(path)
        results.put(("ok", database.device_id(db)))
        db.close()
    except BaseException as exc:
        results.put(("error", repr(exc)))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork start method")
def test_sixty_simultaneous_first_opens_of_a_new_file_all_succeed(tmp_path: Path) -> None:
    """Issue 10: 9-10 of 60 simultaneous first opens failed ("database is locked", "table meta
    already exists")."""
    ctx = multiprocessing.get_context("fork")
    n = 60
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    path = tmp_path / "new.db"
    processes = [ctx.Process(target=_first_open, args=(str(path), barrier, results)) for _ in range(n)]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=60) for _ in range(n)]
    for p in processes:
        p.join()
    assert [o for o in outcomes if o[0] != "ok"] == []
    assert len({o[1] for o in outcomes}) == 1  # one file, one device id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]  # no temporary files left
    db = open_database(path)
    assert integrity_check(db) == []
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION
    db.close()


# -- odd files: refused with a message naming the file, left byte-identical ---------------------


def _damaged_file(path: Path, clock: FixedClock) -> None:
    db = open_database(path)
    casework = CaseworkService(Repositories(db, clock))
    for i in range(80):
        _register(casework, f"Testperson {i:03d}")
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'person'").fetchone()
    db.close()
    zero_page(path, root)  # the person table's pages are gone; the schema still reads


@pytest.mark.parametrize(
    ("kind", "error", "da", "en"),
    [
        ("not_sqlite", NotADatabaseError, "er ikke en mentor-tui-database", "is not a mentor-tui database"),
        ("text_with_header", NotADatabaseError, "", ""),
        ("damaged", DatabaseDamagedError, "er beskadiget", "is damaged"),
        ("newer", SchemaTooNewError, "nyere version", "newer mentor-tui"),
    ],
)
def test_an_odd_file_is_refused_by_name_and_left_byte_identical(
    tmp_path: Path, clock: FixedClock, kind: str, error: type[Exception], da: str, en: str
) -> None:
    path = tmp_path / "mentor.db"
    if kind == "not_sqlite":
        path.write_bytes(b"person_ref;birth\nAK-01;2001-04\n" * 50)
    elif kind == "text_with_header":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    elif kind == "damaged":
        _damaged_file(path, clock)
    else:
        open_database(path).close()
        with sqlite3.connect(path) as conn:
            conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
                ["mentor_tui", "m999_from_the_future", "2030-01-01"],
            )
        conn.close()
    before = listing(tmp_path)
    with pytest.raises((error, NotADatabaseError, DatabaseDamagedError)) as info:
        open_database(path)
    assert listing(tmp_path) == before  # byte-identical, and no -wal/-shm left behind
    assert str(path) in info.value.text("da")  # type: ignore[attr-defined]
    assert str(path) in info.value.text("en")  # type: ignore[attr-defined]
    if da:
        assert isinstance(info.value, error)
        assert da in info.value.text("da")  # type: ignore[attr-defined]
        assert en in info.value.text("en")  # type: ignore[attr-defined]


def test_a_file_with_an_unknown_newer_migration_says_what_is_unknown(db_path: Path) -> None:
    """Not "skemaversion 1, denne version kender 1": the message names what this version lacks."""
    open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ["mentor_tui", "m999_from_the_future", "2030-01-01"],
        )
    conn.close()
    with pytest.raises(SchemaTooNewError) as info:
        open_database(db_path)
    da, en = info.value.text("da"), info.value.text("en")
    assert "m999_from_the_future" in da
    assert "m999_from_the_future" in en
    assert f"kender {SCHEMA_VERSION}" not in da
    assert "Opdatér mentor-tui" in da


def test_a_damaged_file_opened_without_the_quick_check_is_found_by_the_full_check(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "mentor.db"
    _damaged_file(path, clock)
    db = open_database(path, readonly=True, check=False)
    try:
        assert integrity_check(db) != []
    finally:
        db.close()


def test_a_given_path_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "mentor.db"
    with pytest.raises(FolderMissingError) as info:
        open_database(path)
    assert not path.parent.exists()
    assert f"Mappen {path.parent} findes ikke" in info.value.text("da")
    assert f"The folder {path.parent} does not exist" in info.value.text("en")


def test_reading_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError):
        open_database(tmp_path / "mentor.db", readonly=True)
    assert list(tmp_path.iterdir()) == []


# -- read-only files and folders ----------------------------------------------------------------


def _make_db(folder: Path, clock: FixedClock, rows: int = 3) -> Path:
    path = folder / "mentor.db"
    db = open_database(path)
    casework = CaseworkService(Repositories(db, clock))
    for i in range(rows):
        _register(casework, f"Testperson {i}")
    db.close()
    give_to_child(path)
    return path


def _read_count(path: Path) -> int:
    db = open_database(path, readonly=True)
    try:
        return int(db.execute("SELECT count(*) FROM person").fetchone()[0])
    finally:
        db.close()


def _write_one(path: Path) -> str:
    db = open_database(path)
    try:
        CaseworkService(Repositories(db, FixedClock(FROZEN_NOW))).register_referral(
            display_label="Testperson W", **REFERRAL
        )
        return "written"
    finally:
        db.close()


def test_a_read_only_file_is_read_without_leaving_files_and_refused_for_writing(clock: FixedClock) -> None:
    with shared_folder() as folder:
        path = _make_db(folder, clock)
        os.chmod(path, 0o444)
        before = listing(folder)
        assert run_in_child(lambda: _read_count(path)) == 3
        assert listing(folder) == before  # no -wal/-shm with the file's read-only mode left behind
        refused = run_in_child(lambda: _write_one(path))
        assert refused[:2] == ("MentorError", "DatabaseReadOnlyError")
        assert f"Databasen {path} er skrivebeskyttet" in refused[2]
        assert "is read-only" in refused[3]
        assert listing(folder) == before
        os.chmod(path, 0o644)  # made writable again: the app works
        assert run_in_child(lambda: _write_one(path)) == "written"
        assert _count(path) == 4


def test_a_read_only_folder_is_named_in_the_message(clock: FixedClock) -> None:
    with shared_folder() as folder:
        path = _make_db(folder, clock)
        os.chmod(folder, 0o555)
        before = listing(folder)
        assert run_in_child(lambda: _read_count(path)) == 3
        refused = run_in_child(lambda: _write_one(path))
        assert refused[:2] == ("MentorError", "DatabaseReadOnlyError")
        assert f"Mappen {folder} er skrivebeskyttet" in refused[2]
        assert listing(folder) == before


def test_reading_while_another_process_writes_sees_the_committed_rows(
    repos: Repositories, db_path: Path, clock: FixedClock
) -> None:
    casework = CaseworkService(repos)
    _register(casework, "Testperson 1")
    writer = sqlite3.connect(db_path, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # a long import holding the write lock
    writer.execute("DELETE FROM cases")
    try:
        reader = open_database(db_path, readonly=True)
        assert reader.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        reader.close()
    finally:
        writer.rollback()
        writer.close()


def test_a_read_only_open_refuses_writes_with_a_message(repos: Repositories, db_path: Path) -> None:
    reader = open_database(db_path, readonly=True)
    try:
        with pytest.raises(DatabaseReadOnlyError), reader.atomic():
            reader.execute("DELETE FROM meta")
    finally:
        reader.close()
    assert _count(db_path, "meta") == 1


# -- a full disk --------------------------------------------------------------------------------


def _write_big_rows(path: Path, n: int) -> str:
    db = open_database(path)
    try:
        repos = Repositories(db, FixedClock(FROZEN_NOW))
        with repos.atomic():
            for i in range(n):
                repos.staff.add(Staff(initials=f"X{i}", team=Team.TEAM_UDD_KRIM))
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [f"filler{i}", "x" * 3000])
        return "written"
    finally:
        db.close()


def test_a_file_size_limit_mid_transaction_gives_a_message_and_rolls_back(db_path: Path) -> None:
    """RLIMIT_FSIZE makes every write beyond the limit fail, as a full disk does."""
    open_database(db_path).close()
    limit = db_path.stat().st_size + 16 * 1024

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    outcome = run_in_child(lambda: _write_big_rows(db_path, 200), unprivileged=False, setup=limit_file_size)
    assert outcome[0] == "MentorError"
    assert "Intet er gemt" in outcome[2]
    assert "Nothing was saved" in outcome[3]
    assert _count(db_path, "staff") == 0
    db = open_database(db_path)
    assert integrity_check(db) == []
    db.close()


@pytest.mark.skipif(not can_mount_tmpfs(), reason="needs root to mount a small tmpfs")
def test_a_full_disk_gives_a_message_and_leaves_nothing_half_written() -> None:
    with tiny_disk(2048) as disk:
        path = disk / "mentor.db"
        open_database(path).close()
        fill_disk(disk, leave_bytes=40 * 1024)
        outcome = run_in_child(lambda: _write_big_rows(path, 200), unprivileged=False)
        assert outcome[:2] == ("MentorError", "DiskFullError")
        assert "ikke plads nok på disken" in outcome[2]
        assert _count(path, "staff") == 0
        (disk / "filler").unlink()
        db = open_database(path)
        assert integrity_check(db) == []
        db.close()


@pytest.mark.skipif(not can_mount_tmpfs(), reason="needs root to mount a small tmpfs")
def test_a_new_file_on_a_full_disk_is_not_left_half_made() -> None:
    with tiny_disk(2048) as disk:
        fill_disk(disk, leave_bytes=8 * 1024)
        outcome = run_in_child(lambda: open_database(disk / "mentor.db").close(), unprivileged=False)
        assert outcome[:2] == ("MentorError", "DiskFullError")
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]

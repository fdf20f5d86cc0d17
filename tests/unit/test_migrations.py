"""Migrations: from empty, re-applied, and the refusal of a file from a newer app version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from mentor_tui.storage.connections import MIGRATION_NAMES
from mentor_tui.storage.connections import SCHEMA_VERSION as CONNECTIONS_SCHEMA_VERSION
from mentor_tui.storage.database import (
    DatabaseOpenError,
    EmptyFileError,
    SchemaTooNewError,
    device_id,
    open_database,
    pragma,
)
from mentor_tui.storage.migrations import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations
from mentor_tui.storage.schema import schema_sql

TABLES = {
    "_sqlite_migrations",
    "audit_log",
    "session",
    "meta",
    "staff",
    "person",
    "referral",
    "cases",
    "consent",
    "meeting",
    "outcome",
    "closure",
    "reopening",
    "export_run",
    "export_cell",
    "retention_run",
    # derived from the records, for the case list (m006): the list and its trigram search index
    "case_list",
    "case_search",
    "case_search_config",
    "case_search_data",
    "case_search_docsize",
    "case_search_idx",
    # empty but inside a bulk write's transaction, which fills the case list once (m007)
    "case_list_paused",
    "sqlite_stat1",
}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


def _applied(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name, applied_at FROM _sqlite_migrations ORDER BY id").fetchall()


def test_a_new_file_gets_every_table(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert migrations.pending(db) == []
        assert pragma(db, "user_version") == SCHEMA_VERSION >= 1
    finally:
        db.close()
    assert _tables(db_path) == TABLES
    assert {name for name, _ in _applied(db_path)} == set(KNOWN_MIGRATIONS)


def test_an_empty_existing_file_is_refused_and_left_alone(db_path: Path) -> None:
    """A zero-byte file is not something mentor-tui made: say so rather than fill it (issue 10)."""
    db_path.write_bytes(b"")
    with pytest.raises(EmptyFileError) as info:
        open_database(db_path)
    assert db_path.read_bytes() == b""
    assert str(db_path) in info.value.text("da")
    assert "er tom (0 byte)" in info.value.text("da")
    assert "is empty (0 bytes)" in info.value.text("en")


def test_opening_twice_changes_nothing(db_path: Path) -> None:
    first = open_database(db_path)
    schema, device = schema_sql(first), device_id(first)
    first.close()
    applied = _applied(db_path)
    again = open_database(db_path)
    try:
        assert migrations.pending(again) == []
        assert schema_sql(again) == schema
        assert device_id(again) == device
        assert again.table("meta").count == 1
    finally:
        again.close()
    assert _applied(db_path) == applied  # nothing re-applied, not even the timestamps


def test_applying_again_by_hand_is_a_no_op(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        before = schema_sql(db)
        migrations.apply(db)
        assert schema_sql(db) == before
    finally:
        db.close()


def _make_newer(path: Path, how: str) -> None:
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        if how == "user_version":
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        else:
            conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
                ["mentor_tui", "m999_from_the_future", "2030-01-01T00:00:00"],
            )
    conn.close()


@pytest.mark.parametrize("how", ["user_version", "unknown_migration"])
def test_a_file_from_a_newer_version_is_refused_and_left_untouched(db_path: Path, how: str) -> None:
    _make_newer(db_path, how)
    before = db_path.read_bytes()
    siblings = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(SchemaTooNewError) as info:
        open_database(db_path)
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == siblings  # no -wal/-shm left behind
    da, en = info.value.text("da"), info.value.text("en")
    assert "nyere version af mentor-tui" in da
    assert "Filen er ikke ændret" in da
    assert "newer mentor-tui" in en
    assert "was not changed" in en
    assert str(db_path) in da
    assert str(db_path) in en


def test_a_file_that_is_not_a_database_gives_a_clear_error(db_path: Path) -> None:
    db_path.write_bytes(b"this is a text file, not SQLite" * 100)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError) as info:
        open_database(db_path)
    assert f"Filen {db_path} er ikke en mentor-tui-database" in info.value.text("da")
    assert f"The file {db_path} is not a mentor-tui database" in info.value.text("en")
    assert db_path.read_bytes() == before


def test_known_migrations_are_named_in_order() -> None:
    """Append-only: names are m001_, m002_, ... in registration order (STYLE.md 5)."""
    names = [m.name for m in migrations.pending(Database(memory=True))]
    assert names == sorted(names)
    assert all(name[0] == "m" and name[1:4].isdigit() for name in names)
    assert len(names) == SCHEMA_VERSION


def test_the_start_path_knows_every_migration() -> None:
    """The app opens an up-to-date file without loading the migrations (issue 12): it compares the
    file with ``connections.MIGRATION_NAMES``, which must name every migration, in order (append
    a new migration's name there too)."""
    names = tuple(m.name for m in migrations.pending(Database(memory=True)))
    assert names == MIGRATION_NAMES
    assert CONNECTIONS_SCHEMA_VERSION == SCHEMA_VERSION


def test_an_existing_file_gains_tombstones_and_label_keys(db_path: Path) -> None:
    """A file with only the first migration upgrades in place: labels get their search key."""
    old = Database(db_path)
    first = migrations.pending(old)[0]
    first.fn(old)
    migrations.ensure_migrations_table(old)
    old.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ["mentor_tui", first.name, "2026-01-01T00:00:00"],
    )
    old.execute(
        "INSERT INTO person (id, display_label, birth_year, birth_month, area, created_at, updated_at,"
        " device_id) VALUES ('p1', 'Åse  ØRSTED', 2001, 4, 'VOLLSMOSE', 'x', 'x', 'd')"
    )
    old.conn.commit()
    old.close()
    db = open_database(db_path)
    try:
        assert db.execute("SELECT label_key, deleted_at FROM person").fetchall() == [("åse ørsted", None)]
    finally:
        db.close()

"""``db/schema.sql`` is the schema of a freshly migrated database, kept in sync by this test."""

from __future__ import annotations

from pathlib import Path

from mentor_tui.codes import Team
from mentor_tui.models import Staff
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from mentor_tui.storage.schema import schema_sql

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "db" / "schema.sql"

TABLES = [
    "_sqlite_migrations",
    "audit_log",
    "cases",
    "closure",
    "consent",
    "export_run",
    "meeting",
    "meta",
    "outcome",
    "person",
    "referral",
    "reopening",
    "session",
    "staff",
]


def test_schema_file_is_up_to_date(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    try:
        expected = schema_sql(db)
    finally:
        db.close()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, (
        "db/schema.sql is out of date; regenerate it with: python db/generate_schema.py"
    )


def test_schema_lists_every_table_once_and_no_sqlite_internals(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    try:
        text = schema_sql(db)
    finally:
        db.close()
    for table in TABLES:
        assert text.count(f'CREATE TABLE "{table}" (') + text.count(f"CREATE TABLE {table} (") == 1, table
    assert "sqlite_autoindex" not in text
    assert "sqlite_sequence" not in text
    assert "CREATE INDEX idx_cases_followup ON cases (next_followup_date);" in text


def test_schema_does_not_depend_on_data(tmp_path: Path, repos: Repositories) -> None:
    """Rows (here the device id and a staff member) never leak into the schema text."""
    fresh = open_database(tmp_path / "fresh.db")
    try:
        empty = schema_sql(fresh)
    finally:
        fresh.close()
    repos.staff.add(Staff(initials="AB", team=Team.TEAM_BESKAEFTIGELSE))
    repos.db.execute("CREATE TABLE IF NOT EXISTS meta_check (x)")  # a stray table shows up ...
    with_stray = schema_sql(repos.db)
    repos.db.execute("DROP TABLE meta_check")
    assert "meta_check" in with_stray
    assert schema_sql(repos.db) == empty  # ... and disappears again; rows never matter

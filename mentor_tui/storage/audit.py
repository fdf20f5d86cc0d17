"""The audit trail: SQLite triggers write one ``audit_log`` row per insert, update, void and delete.

Every write to an audited table, from the app, the import, a script or the ``sqlite3`` shell,
fires a trigger that appends a row to ``audit_log``: which table and row, the action, the old and
new values as JSON, who (the ``session`` row's staff id), the device (``meta.device_id``) and when.
No code path can skip it, and other triggers abort any ``UPDATE`` or ``DELETE`` on ``audit_log``.

The triggers use only core SQL (``json_group_object``, ``strftime``, ``randomblob``): no function
registered by the app, so they work unchanged on any connection, in every thread, and on an
encrypted SQLCipher file.

Who made a change: ``session`` is a one-row table the app writes when it starts (the local staff
member). A ``TEMP`` table would be per connection, and a trigger in the main schema may not read
the temp schema at all; one row in the file is seen by every connection of the app.

Personal data is not copied into the trail: for the columns in :data:`REDACTED_COLUMNS` (a
person's label and birth year-month) the log records that the value was set or changed, not the
value, so that retention can really remove it (issue 13) while the trail says who changed it when.

One sanctioned exception to append-only (issue 13 item 4, agreed with the lead): migration
``m005_retention`` replaces ``audit_log_no_update`` with
:data:`mentor_tui.storage.retention.AUDIT_NO_UPDATE`. Inside its own transaction a retention run
may redact the values (``old_values``/``new_values``) of the audit rows of the persons it
anonymises (free text such as a reopening note or a void reason can name a person); ids, times,
tables, rows, actions and who stay, every other update is still refused, and the run itself is
logged through its ``retention_run`` row. Nothing may ever delete a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mentor_tui.storage._sqlite_utils import Database

AUDIT_TABLE = "audit_log"
"""The append-only table the triggers write to."""

DERIVED_TABLES: tuple[str, ...] = ("case_list", "case_search")
"""Tables computed from the records by triggers (the case list and its search index, with the
full-text index's own ``case_search_*`` tables): nothing to audit, no row of their own."""

NOT_AUDITED: frozenset[str] = frozenset({AUDIT_TABLE, "_sqlite_migrations", "export_cell"})
"""Tables without audit triggers: the trail itself, the migration bookkeeping, the cells each
export published (derived output, written once with its ``export_run`` row, which is audited),
and the :data:`DERIVED_TABLES`."""

STAMP_COLUMNS: frozenset[str] = frozenset({"created_at", "updated_at", "device_id"})
"""Columns every write changes; they are not values of the record (``audit_log`` has its own)."""

REDACTED_COLUMNS: dict[str, frozenset[str]] = {
    "person": frozenset({"display_label", "label_key", "birth_year", "birth_month"}),
}
"""Personal data: the trail records that it changed, with :data:`REDACTED`, never the value."""

REDACTED = "[redacted]"
"""What the trail holds instead of a value of :data:`REDACTED_COLUMNS`."""

ACTIONS: tuple[str, ...] = ("insert", "update", "void", "restore", "delete")
"""``void`` sets ``deleted_at`` (a tombstone), ``restore`` clears it again (an undone void)."""

_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
"""UTC now in the format the repositories stamp rows with (milliseconds, ``+00:00``)."""

CREATE_AUDIT_LOG: tuple[str, ...] = (
    f"""CREATE TABLE {AUDIT_TABLE} (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ({", ".join(f"'{a}'" for a in ACTIONS)})),
    old_values TEXT,
    new_values TEXT,
    staff_id TEXT,
    device_id TEXT
)""",
    f"CREATE INDEX idx_audit_log_row ON {AUDIT_TABLE} (row_id)",
    f"CREATE INDEX idx_audit_log_at ON {AUDIT_TABLE} (at)",
    f"""CREATE TRIGGER {AUDIT_TABLE}_no_update BEFORE UPDATE ON {AUDIT_TABLE}
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed');
END""",
    f"""CREATE TRIGGER {AUDIT_TABLE}_no_delete BEFORE DELETE ON {AUDIT_TABLE}
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be deleted');
END""",
    """CREATE TABLE session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    staff_id TEXT,
    started_at TEXT NOT NULL
)""",
)
"""The trail, its append-only guards and the one-row ``session`` table."""


def _value(table: str, column: str, row: str) -> str:
    """SQL for the logged value of ``row.column`` (``row`` is ``NEW`` or ``OLD``)."""
    if column in REDACTED_COLUMNS.get(table, frozenset()):
        return f"CASE WHEN {row}.{column} IS NULL THEN NULL ELSE '{REDACTED}' END"
    return f"{row}.{column}"


def _whole_row(table: str, columns: Sequence[str], row: str) -> str:
    pairs = ", ".join(f"'{c}', {_value(table, c, row)}" for c in columns)
    return f"json_object({pairs})"


def _changed(table: str, columns: Sequence[str], row: str) -> str:
    """SQL for a JSON object of the columns whose value changed, as in ``row``."""
    parts = " UNION ALL ".join(
        f"SELECT '{c}' AS k, {_value(table, c, row)} AS v WHERE OLD.{c} IS NOT NEW.{c}" for c in columns
    )
    return f"(SELECT json_group_object(k, v) FROM ({parts}))"


def _insert(table: str, action: str, key: str, old: str, new: str, at: str) -> str:
    return (
        f"INSERT INTO {AUDIT_TABLE} "
        "(id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES ("
        f"lower(hex(randomblob(16))), {at}, '{table}', {key}, {action}, {old}, {new}, "
        "(SELECT staff_id FROM session WHERE id = 1), "
        "(SELECT value FROM meta WHERE key = 'device_id'));"
    )


def trigger_sql(table: str, columns: Sequence[str], primary_key: str) -> list[str]:
    """Return the ``CREATE TRIGGER`` statements that audit ``table``.

    Args:
        table: the table name.
        columns: all its columns, in table order.
        primary_key: the column whose value is the logged ``row_id``.
    """
    data = [c for c in columns if c not in STAMP_COLUMNS and c != primary_key]
    stamped = "updated_at" in columns
    # app writes carry the app clock's time in updated_at; other writes get the real time
    at_new = f"CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE {_NOW} END"
    at_insert = f"COALESCE(NEW.updated_at, {_NOW})" if stamped else _NOW
    if "deleted_at" in columns:
        action = (
            "CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' "
            "WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' "
            "ELSE 'update' END"
        )
    else:
        action = "'update'"
    changed_any = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in [primary_key, *data]) or "0"
    name = f"{AUDIT_TABLE}_{table}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table}\nBEGIN\n    "
        + _insert(table, "'insert'", f"NEW.{primary_key}", "NULL", _whole_row(table, data, "NEW"), at_insert)
        + "\nEND",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table}\nWHEN {changed_any}\nBEGIN\n    "
        + _insert(
            table,
            action,
            f"NEW.{primary_key}",
            _changed(table, data, "OLD"),
            _changed(table, data, "NEW"),
            at_new if stamped else _NOW,
        )
        + "\nEND",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table}\nBEGIN\n    "
        + _insert(table, "'delete'", f"OLD.{primary_key}", _whole_row(table, data, "OLD"), "NULL", _NOW)
        + "\nEND",
    ]


def audited_tables(db: Database) -> list[str]:
    """Return the tables that must carry audit triggers: every table but :data:`NOT_AUDITED`."""
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows if r[0] not in NOT_AUDITED and not _derived(r[0])]


def _derived(table: str) -> bool:
    return any(table == name or table.startswith(f"{name}_") for name in DERIVED_TABLES)


def _columns(db: Database, table: str) -> tuple[list[str], str]:
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    columns = [row[1] for row in info]
    keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    return columns, keys[0] if keys else "rowid"


def install_triggers(db: Database, tables: Iterable[str] | None = None) -> None:
    """(Re)create the audit triggers of ``tables`` (default: every audited table).

    A migration that adds a table or a column calls this at its end, so the new columns are
    logged too (``tests/unit/test_audit.py`` fails for a table or column the triggers miss).
    """
    for table in audited_tables(db) if tables is None else tables:
        for suffix in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS {AUDIT_TABLE}_{table}_{suffix}")
        columns, key = _columns(db, table)
        for statement in trigger_sql(table, columns, key):
            db.execute(statement)


# -- reading the trail ------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    """One row of ``audit_log``, its JSON decoded."""

    id: str
    at: str
    """UTC ISO 8601."""
    table_name: str
    row_id: str
    action: str
    """One of :data:`ACTIONS`."""
    old_values: dict[str, Any]
    new_values: dict[str, Any]
    staff_id: str | None
    staff_initials: str | None
    device_id: str | None


def entries_for_rows(db: Database, row_ids: Sequence[str]) -> list[AuditEntry]:
    """Return the trail of the given rows (any table), oldest first."""
    import json

    if not row_ids:
        return []
    marks = ", ".join("?" for _ in row_ids)
    rows = db.execute(
        f"""
        SELECT a.id, a.at, a.table_name, a.row_id, a.action, a.old_values, a.new_values,
               a.staff_id, s.initials, a.device_id
        FROM {AUDIT_TABLE} a LEFT JOIN staff s ON s.id = a.staff_id
        WHERE a.row_id IN ({marks})
        ORDER BY a.at, a.rowid""",
        list(row_ids),
    ).fetchall()
    return [
        AuditEntry(
            id=r[0],
            at=r[1],
            table_name=r[2],
            row_id=r[3],
            action=r[4],
            old_values=json.loads(r[5]) if r[5] else {},
            new_values=json.loads(r[6]) if r[6] else {},
            staff_id=r[7],
            staff_initials=r[8],
            device_id=r[9],
        )
        for r in rows
    ]


def set_session(db: Database, staff_id: str | None, started_at: str) -> None:
    """Record who is using the app now; the triggers log this staff id with every change."""
    db.execute(
        "INSERT INTO session (id, staff_id, started_at) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET staff_id = excluded.staff_id, started_at = excluded.started_at",
        [staff_id, started_at],
    )


def session_staff_id(db: Database) -> str | None:
    """Return the staff id of the current session, if one was started."""
    row = db.execute("SELECT staff_id FROM session WHERE id = 1").fetchone()
    return None if row is None else row[0]

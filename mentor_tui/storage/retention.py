"""Retention's SQL (issue 13 item 4): which persons are due, anonymising one, and leaving no trace.

A person is *due* when none of their cases is open and the last date on any of their records
(a referral, start, meeting, outcome, closure, reopening or consent date, or the day their case
or the person was voided) is on or before a cut-off day. Anonymising them, in one transaction of a run:

- the person row loses its label, label key, birth year and month, gender, benefit type,
  readiness and void reason, and keeps ``kept_age_bands`` (the counts' age bands, computed by
  the caller from the birth month before it goes) and the id of the run;
- the free text of their other records goes: every ``deleted_reason``, and reopening notes
  (:data:`REMOVED_NOTE`; the column is ``NOT NULL`` and a note is never empty);
- the audit trail of those records keeps who changed what when, but the values of
  :data:`REDACTED_KEYS` become :data:`~mentor_tui.storage.audit.REDACTED` (the one sanctioned
  exception to the append-only trail, :data:`AUDIT_NO_UPDATE`).

Then :func:`wipe_free_space` runs ``VACUUM`` and a truncating WAL checkpoint, so that freed pages
and the ``-wal`` file hold none of the old bytes (the run itself writes with ``secure_delete``).

What is kept: dates, codes, areas, the case worker, and the ids that tie a case's records
together; nothing of it names the person (docs/security.md, DOMAIN.md 5.3 item 6).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from mentor_tui.storage._sqlite_utils import Database
from mentor_tui.storage.audit import AUDIT_TABLE, REDACTED
from mentor_tui.storage.case_list import purge_search_index

# -- schema (migration m005_retention) -------------------------------------------------------
# Released with m005: never change these (tests/unit/test_migrations_released.py); a change to
# the schema is a new migration.

CREATE_RETENTION_RUN = """CREATE TABLE retention_run (
    id TEXT PRIMARY KEY,
    run_at TEXT NOT NULL,
    cutoff_date TEXT NOT NULL,
    retention_months INTEGER NOT NULL,
    persons INTEGER NOT NULL,
    staff_id TEXT REFERENCES staff (id),
    finished_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
)"""
"""One row per retention run; ``finished_at`` is empty only inside the run's own transaction."""

PERSON_COLUMNS_BEFORE: tuple[str, ...] = (
    "id",
    "display_label",
    "birth_year",
    "birth_month",
    "gender",
    "area",
    "ydelsestype",
    "parathed",
    "created_at",
    "updated_at",
    "device_id",
    "deleted_at",
    "deleted_reason",
    "deleted_by",
    "label_key",
)
"""The columns of ``person`` before m005 (m001 to m004), in table order."""

_WHOLE = (
    "display_label IS NOT NULL AND label_key IS NOT NULL AND birth_year IS NOT NULL "
    "AND birth_month IS NOT NULL"
)
_ANONYMISED = (
    "display_label IS NULL AND label_key IS NULL AND birth_year IS NULL AND birth_month IS NULL "
    "AND gender IS NULL AND ydelsestype IS NULL AND parathed IS NULL AND kept_age_bands IS NOT NULL"
)

CREATE_PERSON = f"""CREATE TABLE person (
    id TEXT PRIMARY KEY,
    display_label TEXT,
    birth_year INTEGER,
    birth_month INTEGER CHECK (birth_month BETWEEN 1 AND 12),
    gender TEXT,
    area TEXT NOT NULL,
    ydelsestype TEXT,
    parathed TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL,
    deleted_at TEXT,
    deleted_reason TEXT,
    deleted_by TEXT,
    label_key TEXT DEFAULT '',
    retention_run_id TEXT REFERENCES retention_run (id),
    kept_age_bands TEXT,
    CHECK (CASE WHEN retention_run_id IS NULL THEN {_WHOLE} AND kept_age_bands IS NULL
           ELSE {_ANONYMISED} END)
)"""
"""``person`` from m005: whole (label and birth month) or anonymised by a run, nothing between."""

# the person an audit row belongs to, by the table it is about
_OWNER = """CASE OLD.table_name
            WHEN 'person' THEN OLD.row_id
            WHEN 'referral' THEN (SELECT person_id FROM referral WHERE id = OLD.row_id)
            WHEN 'cases' THEN (SELECT person_id FROM cases WHERE id = OLD.row_id)
            {children}
        END"""
CASE_TABLES: tuple[str, ...] = ("consent", "meeting", "outcome", "closure", "reopening")
"""The record tables that belong to a case (``case_id``)."""

_CHILD_OWNERS = "\n            ".join(
    f"WHEN '{t}' THEN (SELECT c.person_id FROM {t} x JOIN cases c ON c.id = x.case_id "
    "WHERE x.id = OLD.row_id)"
    for t in CASE_TABLES
)

AUDIT_NO_UPDATE = f"""CREATE TRIGGER {AUDIT_TABLE}_no_update BEFORE UPDATE ON {AUDIT_TABLE}
WHEN NOT (
    NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.table_name IS OLD.table_name
    AND NEW.row_id IS OLD.row_id AND NEW.action IS OLD.action
    AND NEW.staff_id IS OLD.staff_id AND NEW.device_id IS OLD.device_id
    AND EXISTS (
        SELECT 1 FROM person p JOIN retention_run r ON r.id = p.retention_run_id
        WHERE r.finished_at IS NULL AND p.id = {_OWNER.format(children=_CHILD_OWNERS)})
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed');
END"""
"""The trail's guard against changes, with its one exception: while a retention run is open
(``finished_at`` empty, which only its own transaction ever sees), the values of the audit rows
of the persons it anonymised may change. Ids, times, tables, rows, actions and who stay."""

REDACTED_KEYS: frozenset[str] = frozenset(
    {
        "display_label",
        "label_key",
        "birth_year",
        "birth_month",
        "gender",
        "ydelsestype",
        "parathed",
        "deleted_reason",
        "note",
    }
)
"""Values redacted in the audit trail of an anonymised person's records: what names or
describes the person, and free text (a void reason, a reopening note) that may name them."""

REMOVED_NOTE = "—"
"""What a reopening note of an anonymised person becomes (a dash: the note was removed)."""

# -- which persons are due ---------------------------------------------------------------------


def _dated(
    table: str, columns: Sequence[str], person: str, join: str = "", *, voided: bool = False
) -> list[str]:
    parts = [f"SELECT {person}, {c} FROM {table} x{join} WHERE {c} IS NOT NULL" for c in columns]
    if voided:
        parts.append(
            f"SELECT {person}, substr(x.deleted_at, 1, 10) FROM {table} x WHERE x.deleted_at IS NOT NULL"
        )
    return parts


def _days_sql() -> str:
    # the day a case or person was voided is when it ended; voiding a meeting (a correction)
    # does not make a closed case recent
    through_case = " JOIN cases c ON c.id = x.case_id"
    parts = [
        *_dated("referral", ["x.received_date"], "x.person_id"),
        *_dated("cases", ["x.start_date", "x.end_date"], "x.person_id", voided=True),
        *_dated("meeting", ["x.date"], "c.person_id", through_case),
        *_dated("outcome", ["x.date"], "c.person_id", through_case),
        *_dated("closure", ["x.date"], "c.person_id", through_case),
        *_dated("reopening", ["x.date"], "c.person_id", through_case),
        *_dated("consent", ["x.given_date", "x.withdrawn_date"], "c.person_id", through_case),
        *_dated("person", [], "x.id", voided=True),
    ]
    return "\n        UNION ALL ".join(parts)


_PERSON_SPANS = f"""
    WITH days (person_id, day) AS (
        {_days_sql()}
    )
    SELECT p.id, p.display_label, p.birth_year, p.birth_month, p.area, p.deleted_at,
           COALESCE(MIN(d.day), substr(p.created_at, 1, 10)) AS first_day,
           COALESCE(MAX(d.day), substr(p.created_at, 1, 10)) AS last_day
    FROM person p LEFT JOIN days d ON d.person_id = p.id
    WHERE p.retention_run_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.person_id = p.id AND o.deleted_at IS NULL
                      AND o.status != 'AFSLUTTET')
    GROUP BY p.id
    HAVING last_day <= :cutoff
    ORDER BY last_day, p.label_key, p.id"""


@dataclass(frozen=True)
class DueRow:
    """A person due for anonymisation, as stored."""

    person_id: str
    display_label: str
    birth_year: int
    birth_month: int
    area: str
    deleted_at: str | None
    first_day: dt.date
    """The earliest date on any of the person's records."""
    last_day: dt.date
    """The latest date on any of the person's records (on or before the cut-off)."""


@dataclass(frozen=True)
class DueCaseRow:
    """One case of a due person, as stored."""

    person_id: str
    case_id: str
    activity: str
    status: str
    deleted_at: str | None
    last_closure: dt.date | None


def due_persons(db: Database, cutoff: dt.date) -> list[DueRow]:
    """Return the persons not yet anonymised with no open case and nothing dated after ``cutoff``.

    Oldest last date first. A voided person or case counts from the day it was voided; a voided
    meeting, outcome or closure by its own date (voiding one is a correction, not new work).
    """
    return [
        DueRow(pid, label, by, bm, area, deleted, dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        for pid, label, by, bm, area, deleted, first, last in db.execute(
            _PERSON_SPANS, {"cutoff": cutoff.isoformat()}
        ).fetchall()
    ]


def due_count(db: Database, cutoff: dt.date) -> int:
    """Return how many persons :func:`due_persons` would return."""
    row = db.execute(f"SELECT COUNT(*) FROM ({_PERSON_SPANS})", {"cutoff": cutoff.isoformat()}).fetchone()
    return int(row[0])


def cases_of(db: Database, person_ids: Sequence[str]) -> list[DueCaseRow]:
    """Return the cases of ``person_ids`` (voided ones too), with the date of their last closure."""
    if not person_ids:
        return []
    found: list[DueCaseRow] = []
    for start in range(0, len(person_ids), 500):
        batch = list(person_ids[start : start + 500])
        marks = ", ".join("?" for _ in batch)
        for pid, cid, activity, status, deleted, closed in db.execute(
            f"""SELECT c.person_id, c.id, c.activity, c.status, c.deleted_at,
                       (SELECT MAX(x.date) FROM closure x WHERE x.case_id = c.id AND x.deleted_at IS NULL)
                FROM cases c WHERE c.person_id IN ({marks})
                ORDER BY c.person_id, c.created_at, c.rowid""",
            batch,
        ).fetchall():
            found.append(
                DueCaseRow(
                    pid, cid, activity, status, deleted, dt.date.fromisoformat(closed) if closed else None
                )
            )
    return found


# -- a run ---------------------------------------------------------------------------------------


@contextmanager
def secure_delete(db: Database) -> Iterator[None]:
    """Within the block, SQLite overwrites deleted content with zeros on this thread's connection."""
    previous = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute(f"PRAGMA secure_delete = {int(previous)}")


def start_run(
    db: Database,
    *,
    run_id: str,
    now: str,
    cutoff: dt.date,
    months: int,
    persons: int,
    staff_id: str | None,
    device_id: str,
) -> None:
    """Record a run that has started (call inside the run's transaction)."""
    db.execute(
        """INSERT INTO retention_run (id, run_at, cutoff_date, retention_months, persons, staff_id,
               finished_at, created_at, updated_at, device_id)
           VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)""",
        [run_id, now, cutoff.isoformat(), months, persons, staff_id, now, now, device_id],
    )


def finish_run(db: Database, run_id: str, now: str) -> None:
    """Close the run (its audit exception ends with it).

    The anonymised persons' cases have already left the derived case list (its triggers); the
    label search index only marks their labels deleted, so it is merged here, in the run's
    transaction, and keeps no trigram of them (:func:`~mentor_tui.storage.case_list.purge_search_index`).
    """
    purge_search_index(db)
    db.execute("UPDATE retention_run SET finished_at = ?, updated_at = ? WHERE id = ?", [now, now, run_id])


def record_ids(db: Database, person_id: str) -> list[str]:
    """Return the ids of the person's row and of every record that belongs to them."""
    ids = [person_id]
    ids += [r[0] for r in db.execute("SELECT id FROM referral WHERE person_id = ?", [person_id]).fetchall()]
    ids += [r[0] for r in db.execute("SELECT id FROM cases WHERE person_id = ?", [person_id]).fetchall()]
    for table in CASE_TABLES:
        ids += [
            r[0]
            for r in db.execute(
                f"SELECT x.id FROM {table} x JOIN cases c ON c.id = x.case_id WHERE c.person_id = ?",
                [person_id],
            ).fetchall()
        ]
    return ids


def anonymise(
    db: Database, person_id: str, *, run_id: str, kept_age_bands: str, now: str, device_id: str
) -> None:
    """Remove what names or describes the person, and the free text of their records.

    Call inside the run's transaction, after :func:`start_run`. The audit trail is redacted by
    :func:`redact_trail` afterwards (these updates are logged too).
    """
    stamp = {"now": now, "device": device_id, "person": person_id}
    db.execute(
        """UPDATE person SET display_label = NULL, label_key = NULL, birth_year = NULL,
               birth_month = NULL, gender = NULL, ydelsestype = NULL, parathed = NULL,
               deleted_reason = NULL, retention_run_id = :run, kept_age_bands = :kept,
               updated_at = :now, device_id = :device
           WHERE id = :person AND retention_run_id IS NULL""",
        stamp | {"run": run_id, "kept": kept_age_bands},
    )
    owned = {
        "referral": "person_id = :person",
        "cases": "person_id = :person",
        **{t: "case_id IN (SELECT id FROM cases WHERE person_id = :person)" for t in CASE_TABLES},
    }
    for table, where in owned.items():
        db.execute(
            f"""UPDATE {table} SET deleted_reason = NULL, updated_at = :now, device_id = :device
                WHERE deleted_reason IS NOT NULL AND {where}""",
            stamp,
        )
    db.execute(
        f"""UPDATE reopening SET note = :removed, updated_at = :now, device_id = :device
            WHERE note != :removed AND {owned["reopening"]}""",
        stamp | {"removed": REMOVED_NOTE},
    )


def redact_trail(db: Database, row_ids: Sequence[str]) -> int:
    """Replace the values of :data:`REDACTED_KEYS` in the audit rows of ``row_ids``; return how many
    rows changed. Allowed only while a run that anonymised their person is open."""
    changed = 0
    for start in range(0, len(row_ids), 500):
        batch = list(row_ids[start : start + 500])
        marks = ", ".join("?" for _ in batch)
        rows = db.execute(
            f"SELECT id, old_values, new_values FROM {AUDIT_TABLE} WHERE row_id IN ({marks})", batch
        ).fetchall()
        for entry_id, old, new in rows:
            old_r, new_r = _redacted(old), _redacted(new)
            if old_r != old or new_r != new:
                db.execute(
                    f"UPDATE {AUDIT_TABLE} SET old_values = ?, new_values = ? WHERE id = ?",
                    [old_r, new_r, entry_id],
                )
                changed += 1
    return changed


def _redacted(values: str | None) -> str | None:
    if not values:
        return values
    data = json.loads(values)
    if not isinstance(data, dict):
        return values
    hits = [k for k, v in data.items() if k in REDACTED_KEYS and v is not None and v != REDACTED]
    if not hits:
        return values
    for key in hits:
        data[key] = REDACTED
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def wipe_free_space(db: Database) -> bool:
    """Rewrite the file without free pages (``VACUUM``) and empty the ``-wal`` (checkpoint, truncate).

    Returns whether the checkpoint completed: False when another program still reads an older
    state of the file (the ``-wal`` is then emptied when it closes). Call outside a transaction.
    """
    db.execute("VACUUM")
    busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0


def anonymised_count(db: Database) -> int:
    """Return how many persons retention has anonymised so far."""
    return int(db.execute("SELECT COUNT(*) FROM person WHERE retention_run_id IS NOT NULL").fetchone()[0])

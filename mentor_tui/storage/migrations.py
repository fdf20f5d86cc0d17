"""Schema migrations, applied in registration order every time a database is opened.

Append-only: never edit or reorder a released migration; add a new one at the end, and its line
in ``tests/unit/test_migrations_released.py``, which fails when a released one changes. ``SCHEMA_VERSION`` is
the number of migrations and is also written to ``PRAGMA user_version`` so other tools can see
which version a file has.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("mentor_tui")
"""The app's one migration set."""

_STAMPS = """
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL"""


def _execute_all(db: Database, script: str) -> None:
    # executescript() would COMMIT first and break the migration's transaction
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_create_core(db: Database) -> None:
    """Create the casework tables (DOMAIN.md 7.2)."""
    _execute_all(
        db,
        f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    initials TEXT NOT NULL,
    team TEXT NOT NULL,
    role TEXT NOT NULL,
    is_local_user INTEGER NOT NULL DEFAULT 0,{_STAMPS}
);
CREATE TABLE person (
    id TEXT PRIMARY KEY,
    display_label TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    birth_month INTEGER NOT NULL CHECK (birth_month BETWEEN 1 AND 12),
    gender TEXT,
    area TEXT NOT NULL,
    ydelsestype TEXT,
    parathed TEXT,{_STAMPS}
);
CREATE INDEX idx_person_label ON person (display_label COLLATE NOCASE);
CREATE TABLE referral (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person (id),
    activity TEXT NOT NULL,
    received_date TEXT NOT NULL,
    source TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',{_STAMPS}
);
CREATE INDEX idx_referral_received ON referral (received_date);
CREATE INDEX idx_referral_person ON referral (person_id);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person (id),
    referral_id TEXT REFERENCES referral (id),
    activity TEXT NOT NULL,
    area TEXT NOT NULL,
    staff_id TEXT REFERENCES staff (id),
    status TEXT NOT NULL CHECK (status IN ('HENVIST', 'AKTIV', 'AFSLUTTET')),
    start_date TEXT,
    start_mode TEXT,
    goals_agreed INTEGER NOT NULL DEFAULT 0,
    end_date TEXT,
    next_followup_date TEXT,{_STAMPS}
);
CREATE INDEX idx_cases_person ON cases (person_id);
CREATE INDEX idx_cases_status ON cases (status);
CREATE INDEX idx_cases_followup ON cases (next_followup_date);
CREATE INDEX idx_cases_start ON cases (start_date);
CREATE TABLE consent (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    given_by TEXT NOT NULL,
    given_date TEXT NOT NULL,
    withdrawn_date TEXT,{_STAMPS}
);
CREATE INDEX idx_consent_case ON consent (case_id);
CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    meeting_type TEXT NOT NULL,
    date TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '[]',
    held INTEGER NOT NULL DEFAULT 1,
    channel TEXT,
    next_followup_date TEXT,{_STAMPS}
);
CREATE INDEX idx_meeting_case ON meeting (case_id, date);
CREATE INDEX idx_meeting_date ON meeting (date);
CREATE TABLE outcome (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    outcome_type TEXT NOT NULL,
    date TEXT NOT NULL,{_STAMPS}
);
CREATE INDEX idx_outcome_case ON outcome (case_id);
CREATE INDEX idx_outcome_date ON outcome (date);
CREATE TABLE closure (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    date TEXT NOT NULL,
    reason TEXT NOT NULL,
    status_at_closure TEXT,
    joint_decision INTEGER NOT NULL DEFAULT 0,{_STAMPS}
);
CREATE INDEX idx_closure_case ON closure (case_id);
CREATE INDEX idx_closure_date ON closure (date);
CREATE TABLE reopening (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    date TEXT NOT NULL,
    note TEXT NOT NULL,
    closure_id TEXT REFERENCES closure (id),{_STAMPS}
);
CREATE INDEX idx_reopening_case ON reopening (case_id);
CREATE TABLE export_run (
    id TEXT PRIMARY KEY,
    generated_at TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    period_code TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    format TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    internal INTEGER NOT NULL DEFAULT 0,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,{_STAMPS}
);
""",
    )


RECORD_TABLES: tuple[str, ...] = (
    "staff",
    "person",
    "referral",
    "cases",
    "consent",
    "meeting",
    "outcome",
    "closure",
    "reopening",
)
"""The tables whose rows a user registers (and may correct or void); each has the tombstone columns."""


@migrations()
def m002_tombstones_and_label_key(db: Database) -> None:
    """Tombstones on every record table, and a stored search key for labels.

    - ``deleted_at`` / ``deleted_reason`` / ``deleted_by``: a voided record stays in the file as a
      tombstone, so merging laptops' files later cannot bring it back (issue 9). ``deleted_at IS NULL``
      means the record counts.
    - ``person.label_key``: the label Unicode-normalised (NFC) and case-folded (æøå included), the
      one key for search and the duplicate check (:func:`mentor_tui.models.label_key`).
    """
    from mentor_tui.models import label_key

    for table in RECORD_TABLES:
        for column in ("deleted_at", "deleted_reason", "deleted_by"):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    db.execute("ALTER TABLE person ADD COLUMN label_key TEXT NOT NULL DEFAULT ''")
    db.register_function(label_key, deterministic=True, replace=True, name="mentor_label_key")
    db.execute("UPDATE person SET label_key = mentor_label_key(display_label)")
    db.execute("CREATE INDEX idx_person_label_key ON person (label_key)")


@migrations()
def m003_audit_trail_and_corrections(db: Database) -> None:
    """The audit trail, who is using the app, the start meeting, and one open case per activity.

    - ``audit_log`` and its triggers on every table (:mod:`mentor_tui.storage.audit`): every
      insert, update, void and delete is logged by SQLite itself; the log is append-only.
    - ``session``: one row naming the staff member using the app, read by the triggers.
    - ``meeting.is_start``: the meeting a start such as a 3-partssamtale recorded, so correcting
      the start corrects that meeting too. Existing starts are matched to their meeting (same
      case, the start date, the start mode's meeting type, held, first written).
    - ``cases_one_open_per_activity``: a person has at most one open (not closed, not voided)
      case per activity, whichever code path writes (issue 9 item 5). Existing duplicates are
      left alone (closing or voiding one of them is always allowed).
    """
    from mentor_tui.storage import audit

    for statement in audit.CREATE_AUDIT_LOG:
        db.execute(statement)
    db.execute("ALTER TABLE meeting ADD COLUMN is_start INTEGER NOT NULL DEFAULT 0")
    # the start modes that are a meeting (codes.START_MODE_MEETING as it was at this migration)
    start_meetings = (
        ("TREPARTSSAMTALE", "TREPARTSSAMTALE"),
        ("MOEDE_MED_OG_OM_DEN_UNGE", "FLERPARTSSAMTALE"),
        ("FLERPARTS_OPSTARTSMOEDE", "FLERPARTSSAMTALE"),
        ("AFKLARINGSSAMTALE", "AFKLARINGSSAMTALE"),
        ("RAADGIVNINGSSAMTALE", "SAMTALE"),
    )
    mapping = " ".join(f"WHEN '{mode}' THEN '{kind}'" for mode, kind in start_meetings)
    db.execute(
        f"""
        UPDATE meeting SET is_start = 1 WHERE id IN (
            SELECT (SELECT m.id FROM meeting m
                    WHERE m.case_id = c.id AND m.date = c.start_date AND m.held = 1
                      AND m.meeting_type = CASE c.start_mode {mapping} END
                    ORDER BY m.created_at, m.rowid LIMIT 1)
            FROM cases c WHERE c.start_date IS NOT NULL AND c.start_mode IS NOT NULL)"""
    )
    db.execute(
        """
        CREATE TRIGGER cases_one_open_per_activity_insert BEFORE INSERT ON cases
        WHEN NEW.status != 'AFSLUTTET' AND NEW.deleted_at IS NULL AND EXISTS (
            SELECT 1 FROM cases o WHERE o.person_id = NEW.person_id AND o.activity = NEW.activity
            AND o.status != 'AFSLUTTET' AND o.deleted_at IS NULL AND o.id != NEW.id)
        BEGIN
            SELECT RAISE(ABORT, 'duplicate_open_case: the person already has an open case in this activity');
        END"""
    )
    db.execute(
        """
        CREATE TRIGGER cases_one_open_per_activity_update
        BEFORE UPDATE OF person_id, activity, status, deleted_at ON cases
        WHEN NEW.status != 'AFSLUTTET' AND NEW.deleted_at IS NULL
        AND (OLD.status = 'AFSLUTTET' OR OLD.deleted_at IS NOT NULL
             OR OLD.person_id IS NOT NEW.person_id OR OLD.activity IS NOT NEW.activity)
        AND EXISTS (
            SELECT 1 FROM cases o WHERE o.person_id = NEW.person_id AND o.activity = NEW.activity
            AND o.status != 'AFSLUTTET' AND o.deleted_at IS NULL AND o.id != NEW.id)
        BEGIN
            SELECT RAISE(ABORT, 'duplicate_open_case: the person already has an open case in this activity');
        END"""
    )
    audit.install_triggers(db)


@migrations()
def m004_export_cells(db: Database) -> None:
    """Record which cells each export published (issue 7 items 3 and 8).

    ``export_cell`` holds one row per cell of an anonymised file: its id, metric, counting window
    and coordinates, the published value, or ``NULL`` with ``suppressed = 1`` for a hidden cell.
    Disclosure control audits a new file together with these. ``export_run.complete`` is 0 for a
    file of a period that had not ended (``--allow-incomplete``).
    """
    db.execute("ALTER TABLE export_run ADD COLUMN complete INTEGER NOT NULL DEFAULT 1")
    db.execute(
        """CREATE TABLE export_cell (
    export_run_id TEXT NOT NULL REFERENCES export_run (id),
    cell_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    activity TEXT NOT NULL,
    area TEXT NOT NULL,
    age_band TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    value INTEGER,
    suppressed INTEGER NOT NULL CHECK (suppressed IN (0, 1)),
    CHECK ((suppressed = 1) = (value IS NULL)),
    PRIMARY KEY (export_run_id, cell_id)
)"""
    )
    db.execute("CREATE INDEX idx_export_cell_period ON export_cell (period_start, period_end)")
    from mentor_tui.storage import audit

    audit.install_triggers(db, ["export_run"])  # the new column is logged too


@migrations()
def m005_retention(db: Database) -> None:
    """Retention (issue 13 item 4): a person can be anonymised, and the run that did it is recorded.

    - ``retention_run``: one row per ``mentor-tui retention`` run (when, the cut-off day, the
      period in months, how many persons, who); audited like every table.
    - ``person`` is rebuilt (SQLite cannot drop a ``NOT NULL`` in place) so that its label, label
      key and birth year and month may be empty, and gains ``retention_run_id`` (the run that
      anonymised the person) and ``kept_age_bands`` (the age bands the counts need,
      :func:`mentor_tui.ages.band_history`). A ``CHECK`` allows exactly two shapes: a whole
      person (no run, label and birth month present) or an anonymised one (a run, kept bands,
      no label, no birth month). The rows, other indexes and triggers are kept as they were.
    - ``audit_log`` stays append-only with one exception
      (:data:`mentor_tui.storage.retention.AUDIT_NO_UPDATE`): while a retention run is open (in
      its own transaction), the old and new values of the audit rows of the persons that run
      anonymised may be redacted; nothing else of any row may change.

    The rebuild drops the old table after copying it, inside the migration's transaction: the
    foreign keys of referrals and cases are checked at commit (``defer_foreign_keys``), when
    every person is back.
    """
    from mentor_tui.storage import audit, retention

    db.execute(retention.CREATE_RETENTION_RUN)
    columns = [row[1] for row in db.execute("PRAGMA table_info(person)").fetchall()]
    if set(columns) != set(retention.PERSON_COLUMNS_BEFORE):
        raise RuntimeError(f"person has columns this migration does not know: {sorted(columns)}")
    kept = db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'person' AND sql IS NOT NULL "
        "AND type IN ('index', 'trigger') AND name NOT LIKE 'audit\\_log\\_person\\_%' ESCAPE '\\' "
        "ORDER BY type, name"
    ).fetchall()
    listed = ", ".join(columns)
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute(f"CREATE TABLE person_before_m005 AS SELECT {listed} FROM person")
    db.execute("DROP TABLE person")
    db.execute(retention.CREATE_PERSON)
    db.execute(f"INSERT INTO person ({listed}) SELECT {listed} FROM person_before_m005")
    db.execute("DROP TABLE person_before_m005")
    for (sql,) in kept:
        db.execute(sql)
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute(retention.AUDIT_NO_UPDATE)
    audit.install_triggers(db, ["person", "retention_run"])


SCHEMA_VERSION = len(migrations.pending(Database(memory=True)))
"""How many migrations this version of the app knows."""

KNOWN_MIGRATIONS: frozenset[str] = frozenset(m.name for m in migrations.pending(Database(memory=True)))
"""Names of the migrations this version knows; any other applied name means a newer app wrote the file."""

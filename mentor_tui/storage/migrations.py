"""Schema migrations, applied in registration order every time a database is opened.

Append-only: never edit or reorder a released migration; add a new one at the end, and its line
in ``tests/unit/test_migrations_released.py``, which fails when a released one changes. ``SCHEMA_VERSION`` is
the number of migrations and is also written to ``PRAGMA user_version`` so other tools can see
which version a file has.
"""

from __future__ import annotations

import sqlite3

from mentor_tui.storage._sqlite_utils import Database, Migrations
from mentor_tui.storage.case_list import last_meeting_sql as _set_last_meeting
from mentor_tui.storage.case_list import refresh_sql as _refresh_case_list

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


def _changed(*columns: str) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


CASE_LIST_SORT_COLUMNS: tuple[str, ...] = (
    "list_date DESC",
    "label_key",
    "status",
    "activity",
    "area",
    "next_followup_date",
    "last_meeting_date",
)
"""The columns of ``case_list`` the list sorts and filters by, in the default order's index."""


def _case_list_index(first: str) -> str:
    """A covering index that starts with ``first`` and then follows the default order (newest first)."""
    rest = [c for c in CASE_LIST_SORT_COLUMNS if c.split()[0] != first]
    name = first.split()[0]
    columns = ", ".join([first, *rest]) if first != "list_date DESC" else ", ".join(CASE_LIST_SORT_COLUMNS)
    return f"CREATE INDEX idx_case_list_{name} ON case_list ({columns})"


@migrations()
def m006_case_list(db: Database) -> None:
    """A derived, indexed copy of the case list, kept up to date by triggers (issue 12).

    ``case_list`` has one row per case that is not voided (nor its person): what the case list
    shows and sorts and filters by, with the person's label and search key, the list's date
    (the referral's received date, else the start date) and the last held meeting's date. Each
    sort has a covering index, so the list pages in SQL without touching the record tables, and
    ``case_search`` (FTS5 trigram, where SQLite has it) finds label substrings of three or more
    characters. The rows are derived: triggers on ``cases``, ``person``, ``referral`` and
    ``meeting`` keep them in step with every writer (the app, imports, a later merge), and the
    table could be dropped and rebuilt from the records at any time. ``search_id`` is an
    ``INTEGER PRIMARY KEY``, so ``VACUUM`` keeps it (the full-text index refers to it).
    """
    _execute_all(
        db,
        """
CREATE TABLE case_list (
    search_id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE,
    label_key TEXT NOT NULL,
    display_label TEXT NOT NULL,
    list_date TEXT,
    last_meeting_date TEXT,
    status TEXT NOT NULL,
    activity TEXT NOT NULL,
    area TEXT NOT NULL,
    next_followup_date TEXT
);
CREATE INDEX idx_meeting_case_held ON meeting (case_id, held, date);
CREATE INDEX idx_cases_referral ON cases (referral_id);
""",
    )
    for first in CASE_LIST_SORT_COLUMNS:
        db.execute(_case_list_index(first))
    fts = _has_fts5_trigram(db)
    if fts:
        db.execute("CREATE VIRTUAL TABLE case_search USING fts5(label_key, content='', tokenize='trigram')")
    triggers = {
        "case_list_on_case_insert": f"AFTER INSERT ON cases BEGIN {_refresh_case_list('c.id = NEW.id')} END",
        "case_list_on_case_update": (
            "AFTER UPDATE ON cases WHEN "
            + _changed(
                "id",
                "person_id",
                "referral_id",
                "start_date",
                "status",
                "activity",
                "area",
                "next_followup_date",
                "deleted_at",
            )
            + f" BEGIN DELETE FROM case_list WHERE case_id = OLD.id AND OLD.id IS NOT NEW.id;"
            f" {_refresh_case_list('c.id = NEW.id')} END"
        ),
        "case_list_on_case_delete": (
            "AFTER DELETE ON cases BEGIN DELETE FROM case_list WHERE case_id = OLD.id; END"
        ),
        "case_list_on_person_update": (
            f"AFTER UPDATE ON person WHEN {_changed('label_key', 'display_label', 'deleted_at')}"
            f" BEGIN {_refresh_case_list('c.person_id = NEW.id')} END"
        ),
        "case_list_on_referral_update": (
            f"AFTER UPDATE ON referral WHEN {_changed('received_date')}"
            f" BEGIN {_refresh_case_list('c.referral_id = NEW.id')} END"
        ),
        "case_list_on_meeting_insert": (
            f"AFTER INSERT ON meeting BEGIN {_set_last_meeting('NEW.case_id')} END"
        ),
        "case_list_on_meeting_update": (
            f"AFTER UPDATE ON meeting WHEN {_changed('case_id', 'date', 'held', 'deleted_at')}"
            f" BEGIN {_set_last_meeting('NEW.case_id')} {_set_last_meeting('OLD.case_id')} END"
        ),
        "case_list_on_meeting_delete": (
            f"AFTER DELETE ON meeting BEGIN {_set_last_meeting('OLD.case_id')} END"
        ),
    }
    if fts:
        triggers |= {
            "case_search_on_insert": (
                "AFTER INSERT ON case_list BEGIN"
                " INSERT INTO case_search (rowid, label_key) VALUES (NEW.search_id, NEW.label_key); END"
            ),
            "case_search_on_delete": (
                "AFTER DELETE ON case_list BEGIN INSERT INTO case_search (case_search, rowid, label_key)"
                " VALUES ('delete', OLD.search_id, OLD.label_key); END"
            ),
            "case_search_on_update": (
                "AFTER UPDATE OF label_key ON case_list WHEN NEW.label_key IS NOT OLD.label_key BEGIN"
                " INSERT INTO case_search (case_search, rowid, label_key)"
                " VALUES ('delete', OLD.search_id, OLD.label_key);"
                " INSERT INTO case_search (rowid, label_key) VALUES (NEW.search_id, NEW.label_key); END"
            ),
        }
    for name, body in triggers.items():
        db.execute(f"CREATE TRIGGER {name} {body}")
    db.execute(_refresh_case_list("1").split(";\n", 1)[1])  # the INSERT: every case there is so far
    db.execute("ANALYZE case_list")


def _has_fts5_trigram(db: Database) -> bool:
    """Return whether this SQLite has FTS5 with the trigram tokenizer (3.34 and later, nearly all builds)."""
    try:
        db.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:  # no such module (fts5) or no such tokenizer (trigram)
        return False
    db.execute("DROP TABLE temp.fts5_probe")
    return True


@migrations()
def m007_case_list_paused(db: Database) -> None:
    """A bulk write may fill the case list once instead of row by row (issue 10 item 6).

    ``case_list_paused`` is empty except inside a bulk write's own transaction (the import):
    while it holds its row, the ``case_list_on_*`` triggers of m006 do nothing, and the writer
    brings the rows of the cases it touched up to date in one statement before it commits
    (:func:`mentor_tui.storage.case_list.filled_once`). The row never outlives that
    transaction, so a failed or killed import leaves the list as it was. The triggers are
    m006's, each recreated with that one condition added; the search index's triggers on
    ``case_list`` itself stay as they were.
    """
    db.execute("CREATE TABLE case_list_paused (paused INTEGER PRIMARY KEY CHECK (paused = 1))")
    unpaused = "NOT EXISTS (SELECT 1 FROM case_list_paused)"
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name LIKE 'case\\_list\\_on\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    for name, sql in triggers:
        head, begin, body = sql.partition(" BEGIN ")
        event, when, condition = head.partition(" WHEN ")
        guarded = f"{event} WHEN ({condition}) AND {unpaused}" if when else f"{event} WHEN {unpaused}"
        db.execute(f"DROP TRIGGER {name}")
        db.execute(guarded + begin + body)


SCHEMA_VERSION = len(migrations.pending(Database(memory=True)))
"""How many migrations this version of the app knows."""

KNOWN_MIGRATIONS: frozenset[str] = frozenset(m.name for m in migrations.pending(Database(memory=True)))
"""Names of the migrations this version knows; any other applied name means a newer app wrote the file."""

-- mentor-tui database schema (schema version 3).
-- GENERATED from a freshly migrated database; do not edit by hand.
-- Regenerate with: python db/generate_schema.py

CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);

CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

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
    next_followup_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_cases_followup ON cases (next_followup_date);

CREATE INDEX idx_cases_person ON cases (person_id);

CREATE INDEX idx_cases_start ON cases (start_date);

CREATE INDEX idx_cases_status ON cases (status);

CREATE TABLE closure (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    date TEXT NOT NULL,
    reason TEXT NOT NULL,
    status_at_closure TEXT,
    joint_decision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_closure_case ON closure (case_id);

CREATE INDEX idx_closure_date ON closure (date);

CREATE TABLE consent (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    given_by TEXT NOT NULL,
    given_date TEXT NOT NULL,
    withdrawn_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_consent_case ON consent (case_id);

CREATE TABLE export_cell (
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
);

CREATE INDEX idx_export_cell_period ON export_cell (period_start, period_end);

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
    file_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, complete INTEGER NOT NULL DEFAULT 1);

CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    meeting_type TEXT NOT NULL,
    date TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '[]',
    held INTEGER NOT NULL DEFAULT 1,
    channel TEXT,
    next_followup_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_meeting_case ON meeting (case_id, date);

CREATE INDEX idx_meeting_date ON meeting (date);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE outcome (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    outcome_type TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_outcome_case ON outcome (case_id);

CREATE INDEX idx_outcome_date ON outcome (date);

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    display_label TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    birth_month INTEGER NOT NULL CHECK (birth_month BETWEEN 1 AND 12),
    gender TEXT,
    area TEXT NOT NULL,
    ydelsestype TEXT,
    parathed TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT, label_key TEXT NOT NULL DEFAULT '');

CREATE INDEX idx_person_label ON person (display_label COLLATE NOCASE);

CREATE INDEX idx_person_label_key ON person (label_key);

CREATE TABLE referral (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person (id),
    activity TEXT NOT NULL,
    received_date TEXT NOT NULL,
    source TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_referral_person ON referral (person_id);

CREATE INDEX idx_referral_received ON referral (received_date);

CREATE TABLE reopening (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    date TEXT NOT NULL,
    note TEXT NOT NULL,
    closure_id TEXT REFERENCES closure (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

CREATE INDEX idx_reopening_case ON reopening (case_id);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    initials TEXT NOT NULL,
    team TEXT NOT NULL,
    role TEXT NOT NULL,
    is_local_user INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT);

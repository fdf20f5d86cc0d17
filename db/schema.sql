-- mentor-tui database schema (schema version 7).
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

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'void', 'restore', 'delete')),
    old_values TEXT,
    new_values TEXT,
    staff_id TEXT,
    device_id TEXT
);

CREATE INDEX idx_audit_log_at ON audit_log (at);

CREATE INDEX idx_audit_log_row ON audit_log (row_id);

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

CREATE INDEX idx_case_list_activity ON case_list (activity, list_date DESC, label_key, status, area, next_followup_date, last_meeting_date);

CREATE INDEX idx_case_list_area ON case_list (area, list_date DESC, label_key, status, activity, next_followup_date, last_meeting_date);

CREATE INDEX idx_case_list_label_key ON case_list (label_key, list_date DESC, status, activity, area, next_followup_date, last_meeting_date);

CREATE INDEX idx_case_list_last_meeting_date ON case_list (last_meeting_date, list_date DESC, label_key, status, activity, area, next_followup_date);

CREATE INDEX idx_case_list_list_date ON case_list (list_date DESC, label_key, status, activity, area, next_followup_date, last_meeting_date);

CREATE INDEX idx_case_list_next_followup_date ON case_list (next_followup_date, list_date DESC, label_key, status, activity, area, last_meeting_date);

CREATE INDEX idx_case_list_status ON case_list (status, list_date DESC, label_key, activity, area, next_followup_date, last_meeting_date);

CREATE TABLE case_list_paused (paused INTEGER PRIMARY KEY CHECK (paused = 1));

CREATE VIRTUAL TABLE case_search USING fts5(label_key, content='', tokenize='trigram');

CREATE TABLE 'case_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE TABLE 'case_search_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'case_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'case_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

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

CREATE INDEX idx_cases_referral ON cases (referral_id);

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
, deleted_at TEXT, deleted_reason TEXT, deleted_by TEXT, is_start INTEGER NOT NULL DEFAULT 0);

CREATE INDEX idx_meeting_case ON meeting (case_id, date);

CREATE INDEX idx_meeting_case_held ON meeting (case_id, held, date);

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
    CHECK (CASE WHEN retention_run_id IS NULL THEN display_label IS NOT NULL AND label_key IS NOT NULL AND birth_year IS NOT NULL AND birth_month IS NOT NULL AND kept_age_bands IS NULL
           ELSE display_label IS NULL AND label_key IS NULL AND birth_year IS NULL AND birth_month IS NULL AND gender IS NULL AND ydelsestype IS NULL AND parathed IS NULL AND kept_age_bands IS NOT NULL END)
);

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

CREATE TABLE retention_run (
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
);

CREATE TABLE session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    staff_id TEXT,
    started_at TEXT NOT NULL
);

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

CREATE TRIGGER audit_log_cases_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'cases', OLD.id, 'delete', json_object('person_id', OLD.person_id, 'referral_id', OLD.referral_id, 'activity', OLD.activity, 'area', OLD.area, 'staff_id', OLD.staff_id, 'status', OLD.status, 'start_date', OLD.start_date, 'start_mode', OLD.start_mode, 'goals_agreed', OLD.goals_agreed, 'end_date', OLD.end_date, 'next_followup_date', OLD.next_followup_date, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_cases_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'cases', NEW.id, 'insert', NULL, json_object('person_id', NEW.person_id, 'referral_id', NEW.referral_id, 'activity', NEW.activity, 'area', NEW.area, 'staff_id', NEW.staff_id, 'status', NEW.status, 'start_date', NEW.start_date, 'start_mode', NEW.start_mode, 'goals_agreed', NEW.goals_agreed, 'end_date', NEW.end_date, 'next_followup_date', NEW.next_followup_date, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_cases_update AFTER UPDATE ON cases
WHEN OLD.id IS NOT NEW.id OR OLD.person_id IS NOT NEW.person_id OR OLD.referral_id IS NOT NEW.referral_id OR OLD.activity IS NOT NEW.activity OR OLD.area IS NOT NEW.area OR OLD.staff_id IS NOT NEW.staff_id OR OLD.status IS NOT NEW.status OR OLD.start_date IS NOT NEW.start_date OR OLD.start_mode IS NOT NEW.start_mode OR OLD.goals_agreed IS NOT NEW.goals_agreed OR OLD.end_date IS NOT NEW.end_date OR OLD.next_followup_date IS NOT NEW.next_followup_date OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'cases', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'person_id' AS k, OLD.person_id AS v WHERE OLD.person_id IS NOT NEW.person_id UNION ALL SELECT 'referral_id' AS k, OLD.referral_id AS v WHERE OLD.referral_id IS NOT NEW.referral_id UNION ALL SELECT 'activity' AS k, OLD.activity AS v WHERE OLD.activity IS NOT NEW.activity UNION ALL SELECT 'area' AS k, OLD.area AS v WHERE OLD.area IS NOT NEW.area UNION ALL SELECT 'staff_id' AS k, OLD.staff_id AS v WHERE OLD.staff_id IS NOT NEW.staff_id UNION ALL SELECT 'status' AS k, OLD.status AS v WHERE OLD.status IS NOT NEW.status UNION ALL SELECT 'start_date' AS k, OLD.start_date AS v WHERE OLD.start_date IS NOT NEW.start_date UNION ALL SELECT 'start_mode' AS k, OLD.start_mode AS v WHERE OLD.start_mode IS NOT NEW.start_mode UNION ALL SELECT 'goals_agreed' AS k, OLD.goals_agreed AS v WHERE OLD.goals_agreed IS NOT NEW.goals_agreed UNION ALL SELECT 'end_date' AS k, OLD.end_date AS v WHERE OLD.end_date IS NOT NEW.end_date UNION ALL SELECT 'next_followup_date' AS k, OLD.next_followup_date AS v WHERE OLD.next_followup_date IS NOT NEW.next_followup_date UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'person_id' AS k, NEW.person_id AS v WHERE OLD.person_id IS NOT NEW.person_id UNION ALL SELECT 'referral_id' AS k, NEW.referral_id AS v WHERE OLD.referral_id IS NOT NEW.referral_id UNION ALL SELECT 'activity' AS k, NEW.activity AS v WHERE OLD.activity IS NOT NEW.activity UNION ALL SELECT 'area' AS k, NEW.area AS v WHERE OLD.area IS NOT NEW.area UNION ALL SELECT 'staff_id' AS k, NEW.staff_id AS v WHERE OLD.staff_id IS NOT NEW.staff_id UNION ALL SELECT 'status' AS k, NEW.status AS v WHERE OLD.status IS NOT NEW.status UNION ALL SELECT 'start_date' AS k, NEW.start_date AS v WHERE OLD.start_date IS NOT NEW.start_date UNION ALL SELECT 'start_mode' AS k, NEW.start_mode AS v WHERE OLD.start_mode IS NOT NEW.start_mode UNION ALL SELECT 'goals_agreed' AS k, NEW.goals_agreed AS v WHERE OLD.goals_agreed IS NOT NEW.goals_agreed UNION ALL SELECT 'end_date' AS k, NEW.end_date AS v WHERE OLD.end_date IS NOT NEW.end_date UNION ALL SELECT 'next_followup_date' AS k, NEW.next_followup_date AS v WHERE OLD.next_followup_date IS NOT NEW.next_followup_date UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_closure_delete AFTER DELETE ON closure
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'closure', OLD.id, 'delete', json_object('case_id', OLD.case_id, 'date', OLD.date, 'reason', OLD.reason, 'status_at_closure', OLD.status_at_closure, 'joint_decision', OLD.joint_decision, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_closure_insert AFTER INSERT ON closure
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'closure', NEW.id, 'insert', NULL, json_object('case_id', NEW.case_id, 'date', NEW.date, 'reason', NEW.reason, 'status_at_closure', NEW.status_at_closure, 'joint_decision', NEW.joint_decision, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_closure_update AFTER UPDATE ON closure
WHEN OLD.id IS NOT NEW.id OR OLD.case_id IS NOT NEW.case_id OR OLD.date IS NOT NEW.date OR OLD.reason IS NOT NEW.reason OR OLD.status_at_closure IS NOT NEW.status_at_closure OR OLD.joint_decision IS NOT NEW.joint_decision OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'closure', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, OLD.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'date' AS k, OLD.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'reason' AS k, OLD.reason AS v WHERE OLD.reason IS NOT NEW.reason UNION ALL SELECT 'status_at_closure' AS k, OLD.status_at_closure AS v WHERE OLD.status_at_closure IS NOT NEW.status_at_closure UNION ALL SELECT 'joint_decision' AS k, OLD.joint_decision AS v WHERE OLD.joint_decision IS NOT NEW.joint_decision UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, NEW.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'date' AS k, NEW.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'reason' AS k, NEW.reason AS v WHERE OLD.reason IS NOT NEW.reason UNION ALL SELECT 'status_at_closure' AS k, NEW.status_at_closure AS v WHERE OLD.status_at_closure IS NOT NEW.status_at_closure UNION ALL SELECT 'joint_decision' AS k, NEW.joint_decision AS v WHERE OLD.joint_decision IS NOT NEW.joint_decision UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_consent_delete AFTER DELETE ON consent
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'consent', OLD.id, 'delete', json_object('case_id', OLD.case_id, 'given_by', OLD.given_by, 'given_date', OLD.given_date, 'withdrawn_date', OLD.withdrawn_date, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_consent_insert AFTER INSERT ON consent
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'consent', NEW.id, 'insert', NULL, json_object('case_id', NEW.case_id, 'given_by', NEW.given_by, 'given_date', NEW.given_date, 'withdrawn_date', NEW.withdrawn_date, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_consent_update AFTER UPDATE ON consent
WHEN OLD.id IS NOT NEW.id OR OLD.case_id IS NOT NEW.case_id OR OLD.given_by IS NOT NEW.given_by OR OLD.given_date IS NOT NEW.given_date OR OLD.withdrawn_date IS NOT NEW.withdrawn_date OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'consent', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, OLD.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'given_by' AS k, OLD.given_by AS v WHERE OLD.given_by IS NOT NEW.given_by UNION ALL SELECT 'given_date' AS k, OLD.given_date AS v WHERE OLD.given_date IS NOT NEW.given_date UNION ALL SELECT 'withdrawn_date' AS k, OLD.withdrawn_date AS v WHERE OLD.withdrawn_date IS NOT NEW.withdrawn_date UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, NEW.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'given_by' AS k, NEW.given_by AS v WHERE OLD.given_by IS NOT NEW.given_by UNION ALL SELECT 'given_date' AS k, NEW.given_date AS v WHERE OLD.given_date IS NOT NEW.given_date UNION ALL SELECT 'withdrawn_date' AS k, NEW.withdrawn_date AS v WHERE OLD.withdrawn_date IS NOT NEW.withdrawn_date UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_export_run_delete AFTER DELETE ON export_run
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'export_run', OLD.id, 'delete', json_object('generated_at', OLD.generated_at, 'period_kind', OLD.period_kind, 'period_code', OLD.period_code, 'period_start', OLD.period_start, 'period_end', OLD.period_end, 'format', OLD.format, 'threshold', OLD.threshold, 'internal', OLD.internal, 'file_name', OLD.file_name, 'file_sha256', OLD.file_sha256, 'complete', OLD.complete), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_export_run_insert AFTER INSERT ON export_run
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'export_run', NEW.id, 'insert', NULL, json_object('generated_at', NEW.generated_at, 'period_kind', NEW.period_kind, 'period_code', NEW.period_code, 'period_start', NEW.period_start, 'period_end', NEW.period_end, 'format', NEW.format, 'threshold', NEW.threshold, 'internal', NEW.internal, 'file_name', NEW.file_name, 'file_sha256', NEW.file_sha256, 'complete', NEW.complete), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_export_run_update AFTER UPDATE ON export_run
WHEN OLD.id IS NOT NEW.id OR OLD.generated_at IS NOT NEW.generated_at OR OLD.period_kind IS NOT NEW.period_kind OR OLD.period_code IS NOT NEW.period_code OR OLD.period_start IS NOT NEW.period_start OR OLD.period_end IS NOT NEW.period_end OR OLD.format IS NOT NEW.format OR OLD.threshold IS NOT NEW.threshold OR OLD.internal IS NOT NEW.internal OR OLD.file_name IS NOT NEW.file_name OR OLD.file_sha256 IS NOT NEW.file_sha256 OR OLD.complete IS NOT NEW.complete
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'export_run', NEW.id, 'update', (SELECT json_group_object(k, v) FROM (SELECT 'generated_at' AS k, OLD.generated_at AS v WHERE OLD.generated_at IS NOT NEW.generated_at UNION ALL SELECT 'period_kind' AS k, OLD.period_kind AS v WHERE OLD.period_kind IS NOT NEW.period_kind UNION ALL SELECT 'period_code' AS k, OLD.period_code AS v WHERE OLD.period_code IS NOT NEW.period_code UNION ALL SELECT 'period_start' AS k, OLD.period_start AS v WHERE OLD.period_start IS NOT NEW.period_start UNION ALL SELECT 'period_end' AS k, OLD.period_end AS v WHERE OLD.period_end IS NOT NEW.period_end UNION ALL SELECT 'format' AS k, OLD.format AS v WHERE OLD.format IS NOT NEW.format UNION ALL SELECT 'threshold' AS k, OLD.threshold AS v WHERE OLD.threshold IS NOT NEW.threshold UNION ALL SELECT 'internal' AS k, OLD.internal AS v WHERE OLD.internal IS NOT NEW.internal UNION ALL SELECT 'file_name' AS k, OLD.file_name AS v WHERE OLD.file_name IS NOT NEW.file_name UNION ALL SELECT 'file_sha256' AS k, OLD.file_sha256 AS v WHERE OLD.file_sha256 IS NOT NEW.file_sha256 UNION ALL SELECT 'complete' AS k, OLD.complete AS v WHERE OLD.complete IS NOT NEW.complete)), (SELECT json_group_object(k, v) FROM (SELECT 'generated_at' AS k, NEW.generated_at AS v WHERE OLD.generated_at IS NOT NEW.generated_at UNION ALL SELECT 'period_kind' AS k, NEW.period_kind AS v WHERE OLD.period_kind IS NOT NEW.period_kind UNION ALL SELECT 'period_code' AS k, NEW.period_code AS v WHERE OLD.period_code IS NOT NEW.period_code UNION ALL SELECT 'period_start' AS k, NEW.period_start AS v WHERE OLD.period_start IS NOT NEW.period_start UNION ALL SELECT 'period_end' AS k, NEW.period_end AS v WHERE OLD.period_end IS NOT NEW.period_end UNION ALL SELECT 'format' AS k, NEW.format AS v WHERE OLD.format IS NOT NEW.format UNION ALL SELECT 'threshold' AS k, NEW.threshold AS v WHERE OLD.threshold IS NOT NEW.threshold UNION ALL SELECT 'internal' AS k, NEW.internal AS v WHERE OLD.internal IS NOT NEW.internal UNION ALL SELECT 'file_name' AS k, NEW.file_name AS v WHERE OLD.file_name IS NOT NEW.file_name UNION ALL SELECT 'file_sha256' AS k, NEW.file_sha256 AS v WHERE OLD.file_sha256 IS NOT NEW.file_sha256 UNION ALL SELECT 'complete' AS k, NEW.complete AS v WHERE OLD.complete IS NOT NEW.complete)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_meeting_delete AFTER DELETE ON meeting
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'meeting', OLD.id, 'delete', json_object('case_id', OLD.case_id, 'meeting_type', OLD.meeting_type, 'date', OLD.date, 'participants', OLD.participants, 'held', OLD.held, 'channel', OLD.channel, 'next_followup_date', OLD.next_followup_date, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by, 'is_start', OLD.is_start), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_meeting_insert AFTER INSERT ON meeting
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'meeting', NEW.id, 'insert', NULL, json_object('case_id', NEW.case_id, 'meeting_type', NEW.meeting_type, 'date', NEW.date, 'participants', NEW.participants, 'held', NEW.held, 'channel', NEW.channel, 'next_followup_date', NEW.next_followup_date, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by, 'is_start', NEW.is_start), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_meeting_update AFTER UPDATE ON meeting
WHEN OLD.id IS NOT NEW.id OR OLD.case_id IS NOT NEW.case_id OR OLD.meeting_type IS NOT NEW.meeting_type OR OLD.date IS NOT NEW.date OR OLD.participants IS NOT NEW.participants OR OLD.held IS NOT NEW.held OR OLD.channel IS NOT NEW.channel OR OLD.next_followup_date IS NOT NEW.next_followup_date OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by OR OLD.is_start IS NOT NEW.is_start
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'meeting', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, OLD.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'meeting_type' AS k, OLD.meeting_type AS v WHERE OLD.meeting_type IS NOT NEW.meeting_type UNION ALL SELECT 'date' AS k, OLD.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'participants' AS k, OLD.participants AS v WHERE OLD.participants IS NOT NEW.participants UNION ALL SELECT 'held' AS k, OLD.held AS v WHERE OLD.held IS NOT NEW.held UNION ALL SELECT 'channel' AS k, OLD.channel AS v WHERE OLD.channel IS NOT NEW.channel UNION ALL SELECT 'next_followup_date' AS k, OLD.next_followup_date AS v WHERE OLD.next_followup_date IS NOT NEW.next_followup_date UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by UNION ALL SELECT 'is_start' AS k, OLD.is_start AS v WHERE OLD.is_start IS NOT NEW.is_start)), (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, NEW.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'meeting_type' AS k, NEW.meeting_type AS v WHERE OLD.meeting_type IS NOT NEW.meeting_type UNION ALL SELECT 'date' AS k, NEW.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'participants' AS k, NEW.participants AS v WHERE OLD.participants IS NOT NEW.participants UNION ALL SELECT 'held' AS k, NEW.held AS v WHERE OLD.held IS NOT NEW.held UNION ALL SELECT 'channel' AS k, NEW.channel AS v WHERE OLD.channel IS NOT NEW.channel UNION ALL SELECT 'next_followup_date' AS k, NEW.next_followup_date AS v WHERE OLD.next_followup_date IS NOT NEW.next_followup_date UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by UNION ALL SELECT 'is_start' AS k, NEW.is_start AS v WHERE OLD.is_start IS NOT NEW.is_start)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_meta_delete AFTER DELETE ON meta
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'meta', OLD.key, 'delete', json_object('value', OLD.value), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_meta_insert AFTER INSERT ON meta
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'meta', NEW.key, 'insert', NULL, json_object('value', NEW.value), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_meta_update AFTER UPDATE ON meta
WHEN OLD.key IS NOT NEW.key OR OLD.value IS NOT NEW.value
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'meta', NEW.key, 'update', (SELECT json_group_object(k, v) FROM (SELECT 'value' AS k, OLD.value AS v WHERE OLD.value IS NOT NEW.value)), (SELECT json_group_object(k, v) FROM (SELECT 'value' AS k, NEW.value AS v WHERE OLD.value IS NOT NEW.value)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be deleted');
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.table_name IS OLD.table_name
    AND NEW.row_id IS OLD.row_id AND NEW.action IS OLD.action
    AND NEW.staff_id IS OLD.staff_id AND NEW.device_id IS OLD.device_id
    AND EXISTS (
        SELECT 1 FROM person p JOIN retention_run r ON r.id = p.retention_run_id
        WHERE r.finished_at IS NULL AND p.id = CASE OLD.table_name
            WHEN 'person' THEN OLD.row_id
            WHEN 'referral' THEN (SELECT person_id FROM referral WHERE id = OLD.row_id)
            WHEN 'cases' THEN (SELECT person_id FROM cases WHERE id = OLD.row_id)
            WHEN 'consent' THEN (SELECT c.person_id FROM consent x JOIN cases c ON c.id = x.case_id WHERE x.id = OLD.row_id)
            WHEN 'meeting' THEN (SELECT c.person_id FROM meeting x JOIN cases c ON c.id = x.case_id WHERE x.id = OLD.row_id)
            WHEN 'outcome' THEN (SELECT c.person_id FROM outcome x JOIN cases c ON c.id = x.case_id WHERE x.id = OLD.row_id)
            WHEN 'closure' THEN (SELECT c.person_id FROM closure x JOIN cases c ON c.id = x.case_id WHERE x.id = OLD.row_id)
            WHEN 'reopening' THEN (SELECT c.person_id FROM reopening x JOIN cases c ON c.id = x.case_id WHERE x.id = OLD.row_id)
        END)
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed');
END;

CREATE TRIGGER audit_log_outcome_delete AFTER DELETE ON outcome
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'outcome', OLD.id, 'delete', json_object('case_id', OLD.case_id, 'outcome_type', OLD.outcome_type, 'date', OLD.date, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_outcome_insert AFTER INSERT ON outcome
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'outcome', NEW.id, 'insert', NULL, json_object('case_id', NEW.case_id, 'outcome_type', NEW.outcome_type, 'date', NEW.date, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_outcome_update AFTER UPDATE ON outcome
WHEN OLD.id IS NOT NEW.id OR OLD.case_id IS NOT NEW.case_id OR OLD.outcome_type IS NOT NEW.outcome_type OR OLD.date IS NOT NEW.date OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'outcome', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, OLD.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'outcome_type' AS k, OLD.outcome_type AS v WHERE OLD.outcome_type IS NOT NEW.outcome_type UNION ALL SELECT 'date' AS k, OLD.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, NEW.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'outcome_type' AS k, NEW.outcome_type AS v WHERE OLD.outcome_type IS NOT NEW.outcome_type UNION ALL SELECT 'date' AS k, NEW.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_person_delete AFTER DELETE ON person
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'person', OLD.id, 'delete', json_object('display_label', CASE WHEN OLD.display_label IS NULL THEN NULL ELSE '[redacted]' END, 'birth_year', CASE WHEN OLD.birth_year IS NULL THEN NULL ELSE '[redacted]' END, 'birth_month', CASE WHEN OLD.birth_month IS NULL THEN NULL ELSE '[redacted]' END, 'gender', OLD.gender, 'area', OLD.area, 'ydelsestype', OLD.ydelsestype, 'parathed', OLD.parathed, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by, 'label_key', CASE WHEN OLD.label_key IS NULL THEN NULL ELSE '[redacted]' END, 'retention_run_id', OLD.retention_run_id, 'kept_age_bands', OLD.kept_age_bands), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_person_insert AFTER INSERT ON person
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'person', NEW.id, 'insert', NULL, json_object('display_label', CASE WHEN NEW.display_label IS NULL THEN NULL ELSE '[redacted]' END, 'birth_year', CASE WHEN NEW.birth_year IS NULL THEN NULL ELSE '[redacted]' END, 'birth_month', CASE WHEN NEW.birth_month IS NULL THEN NULL ELSE '[redacted]' END, 'gender', NEW.gender, 'area', NEW.area, 'ydelsestype', NEW.ydelsestype, 'parathed', NEW.parathed, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by, 'label_key', CASE WHEN NEW.label_key IS NULL THEN NULL ELSE '[redacted]' END, 'retention_run_id', NEW.retention_run_id, 'kept_age_bands', NEW.kept_age_bands), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_person_update AFTER UPDATE ON person
WHEN OLD.id IS NOT NEW.id OR OLD.display_label IS NOT NEW.display_label OR OLD.birth_year IS NOT NEW.birth_year OR OLD.birth_month IS NOT NEW.birth_month OR OLD.gender IS NOT NEW.gender OR OLD.area IS NOT NEW.area OR OLD.ydelsestype IS NOT NEW.ydelsestype OR OLD.parathed IS NOT NEW.parathed OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by OR OLD.label_key IS NOT NEW.label_key OR OLD.retention_run_id IS NOT NEW.retention_run_id OR OLD.kept_age_bands IS NOT NEW.kept_age_bands
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'person', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'display_label' AS k, CASE WHEN OLD.display_label IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.display_label IS NOT NEW.display_label UNION ALL SELECT 'birth_year' AS k, CASE WHEN OLD.birth_year IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.birth_year IS NOT NEW.birth_year UNION ALL SELECT 'birth_month' AS k, CASE WHEN OLD.birth_month IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.birth_month IS NOT NEW.birth_month UNION ALL SELECT 'gender' AS k, OLD.gender AS v WHERE OLD.gender IS NOT NEW.gender UNION ALL SELECT 'area' AS k, OLD.area AS v WHERE OLD.area IS NOT NEW.area UNION ALL SELECT 'ydelsestype' AS k, OLD.ydelsestype AS v WHERE OLD.ydelsestype IS NOT NEW.ydelsestype UNION ALL SELECT 'parathed' AS k, OLD.parathed AS v WHERE OLD.parathed IS NOT NEW.parathed UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by UNION ALL SELECT 'label_key' AS k, CASE WHEN OLD.label_key IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.label_key IS NOT NEW.label_key UNION ALL SELECT 'retention_run_id' AS k, OLD.retention_run_id AS v WHERE OLD.retention_run_id IS NOT NEW.retention_run_id UNION ALL SELECT 'kept_age_bands' AS k, OLD.kept_age_bands AS v WHERE OLD.kept_age_bands IS NOT NEW.kept_age_bands)), (SELECT json_group_object(k, v) FROM (SELECT 'display_label' AS k, CASE WHEN NEW.display_label IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.display_label IS NOT NEW.display_label UNION ALL SELECT 'birth_year' AS k, CASE WHEN NEW.birth_year IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.birth_year IS NOT NEW.birth_year UNION ALL SELECT 'birth_month' AS k, CASE WHEN NEW.birth_month IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.birth_month IS NOT NEW.birth_month UNION ALL SELECT 'gender' AS k, NEW.gender AS v WHERE OLD.gender IS NOT NEW.gender UNION ALL SELECT 'area' AS k, NEW.area AS v WHERE OLD.area IS NOT NEW.area UNION ALL SELECT 'ydelsestype' AS k, NEW.ydelsestype AS v WHERE OLD.ydelsestype IS NOT NEW.ydelsestype UNION ALL SELECT 'parathed' AS k, NEW.parathed AS v WHERE OLD.parathed IS NOT NEW.parathed UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by UNION ALL SELECT 'label_key' AS k, CASE WHEN NEW.label_key IS NULL THEN NULL ELSE '[redacted]' END AS v WHERE OLD.label_key IS NOT NEW.label_key UNION ALL SELECT 'retention_run_id' AS k, NEW.retention_run_id AS v WHERE OLD.retention_run_id IS NOT NEW.retention_run_id UNION ALL SELECT 'kept_age_bands' AS k, NEW.kept_age_bands AS v WHERE OLD.kept_age_bands IS NOT NEW.kept_age_bands)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_referral_delete AFTER DELETE ON referral
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'referral', OLD.id, 'delete', json_object('person_id', OLD.person_id, 'activity', OLD.activity, 'received_date', OLD.received_date, 'source', OLD.source, 'reasons', OLD.reasons, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_referral_insert AFTER INSERT ON referral
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'referral', NEW.id, 'insert', NULL, json_object('person_id', NEW.person_id, 'activity', NEW.activity, 'received_date', NEW.received_date, 'source', NEW.source, 'reasons', NEW.reasons, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_referral_update AFTER UPDATE ON referral
WHEN OLD.id IS NOT NEW.id OR OLD.person_id IS NOT NEW.person_id OR OLD.activity IS NOT NEW.activity OR OLD.received_date IS NOT NEW.received_date OR OLD.source IS NOT NEW.source OR OLD.reasons IS NOT NEW.reasons OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'referral', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'person_id' AS k, OLD.person_id AS v WHERE OLD.person_id IS NOT NEW.person_id UNION ALL SELECT 'activity' AS k, OLD.activity AS v WHERE OLD.activity IS NOT NEW.activity UNION ALL SELECT 'received_date' AS k, OLD.received_date AS v WHERE OLD.received_date IS NOT NEW.received_date UNION ALL SELECT 'source' AS k, OLD.source AS v WHERE OLD.source IS NOT NEW.source UNION ALL SELECT 'reasons' AS k, OLD.reasons AS v WHERE OLD.reasons IS NOT NEW.reasons UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'person_id' AS k, NEW.person_id AS v WHERE OLD.person_id IS NOT NEW.person_id UNION ALL SELECT 'activity' AS k, NEW.activity AS v WHERE OLD.activity IS NOT NEW.activity UNION ALL SELECT 'received_date' AS k, NEW.received_date AS v WHERE OLD.received_date IS NOT NEW.received_date UNION ALL SELECT 'source' AS k, NEW.source AS v WHERE OLD.source IS NOT NEW.source UNION ALL SELECT 'reasons' AS k, NEW.reasons AS v WHERE OLD.reasons IS NOT NEW.reasons UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_reopening_delete AFTER DELETE ON reopening
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'reopening', OLD.id, 'delete', json_object('case_id', OLD.case_id, 'date', OLD.date, 'note', OLD.note, 'closure_id', OLD.closure_id, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_reopening_insert AFTER INSERT ON reopening
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'reopening', NEW.id, 'insert', NULL, json_object('case_id', NEW.case_id, 'date', NEW.date, 'note', NEW.note, 'closure_id', NEW.closure_id, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_reopening_update AFTER UPDATE ON reopening
WHEN OLD.id IS NOT NEW.id OR OLD.case_id IS NOT NEW.case_id OR OLD.date IS NOT NEW.date OR OLD.note IS NOT NEW.note OR OLD.closure_id IS NOT NEW.closure_id OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'reopening', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, OLD.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'date' AS k, OLD.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'note' AS k, OLD.note AS v WHERE OLD.note IS NOT NEW.note UNION ALL SELECT 'closure_id' AS k, OLD.closure_id AS v WHERE OLD.closure_id IS NOT NEW.closure_id UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'case_id' AS k, NEW.case_id AS v WHERE OLD.case_id IS NOT NEW.case_id UNION ALL SELECT 'date' AS k, NEW.date AS v WHERE OLD.date IS NOT NEW.date UNION ALL SELECT 'note' AS k, NEW.note AS v WHERE OLD.note IS NOT NEW.note UNION ALL SELECT 'closure_id' AS k, NEW.closure_id AS v WHERE OLD.closure_id IS NOT NEW.closure_id UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_retention_run_delete AFTER DELETE ON retention_run
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'retention_run', OLD.id, 'delete', json_object('run_at', OLD.run_at, 'cutoff_date', OLD.cutoff_date, 'retention_months', OLD.retention_months, 'persons', OLD.persons, 'staff_id', OLD.staff_id, 'finished_at', OLD.finished_at), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_retention_run_insert AFTER INSERT ON retention_run
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'retention_run', NEW.id, 'insert', NULL, json_object('run_at', NEW.run_at, 'cutoff_date', NEW.cutoff_date, 'retention_months', NEW.retention_months, 'persons', NEW.persons, 'staff_id', NEW.staff_id, 'finished_at', NEW.finished_at), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_retention_run_update AFTER UPDATE ON retention_run
WHEN OLD.id IS NOT NEW.id OR OLD.run_at IS NOT NEW.run_at OR OLD.cutoff_date IS NOT NEW.cutoff_date OR OLD.retention_months IS NOT NEW.retention_months OR OLD.persons IS NOT NEW.persons OR OLD.staff_id IS NOT NEW.staff_id OR OLD.finished_at IS NOT NEW.finished_at
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'retention_run', NEW.id, 'update', (SELECT json_group_object(k, v) FROM (SELECT 'run_at' AS k, OLD.run_at AS v WHERE OLD.run_at IS NOT NEW.run_at UNION ALL SELECT 'cutoff_date' AS k, OLD.cutoff_date AS v WHERE OLD.cutoff_date IS NOT NEW.cutoff_date UNION ALL SELECT 'retention_months' AS k, OLD.retention_months AS v WHERE OLD.retention_months IS NOT NEW.retention_months UNION ALL SELECT 'persons' AS k, OLD.persons AS v WHERE OLD.persons IS NOT NEW.persons UNION ALL SELECT 'staff_id' AS k, OLD.staff_id AS v WHERE OLD.staff_id IS NOT NEW.staff_id UNION ALL SELECT 'finished_at' AS k, OLD.finished_at AS v WHERE OLD.finished_at IS NOT NEW.finished_at)), (SELECT json_group_object(k, v) FROM (SELECT 'run_at' AS k, NEW.run_at AS v WHERE OLD.run_at IS NOT NEW.run_at UNION ALL SELECT 'cutoff_date' AS k, NEW.cutoff_date AS v WHERE OLD.cutoff_date IS NOT NEW.cutoff_date UNION ALL SELECT 'retention_months' AS k, NEW.retention_months AS v WHERE OLD.retention_months IS NOT NEW.retention_months UNION ALL SELECT 'persons' AS k, NEW.persons AS v WHERE OLD.persons IS NOT NEW.persons UNION ALL SELECT 'staff_id' AS k, NEW.staff_id AS v WHERE OLD.staff_id IS NOT NEW.staff_id UNION ALL SELECT 'finished_at' AS k, NEW.finished_at AS v WHERE OLD.finished_at IS NOT NEW.finished_at)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_session_delete AFTER DELETE ON session
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'session', OLD.id, 'delete', json_object('staff_id', OLD.staff_id, 'started_at', OLD.started_at), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_session_insert AFTER INSERT ON session
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'session', NEW.id, 'insert', NULL, json_object('staff_id', NEW.staff_id, 'started_at', NEW.started_at), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_session_update AFTER UPDATE ON session
WHEN OLD.id IS NOT NEW.id OR OLD.staff_id IS NOT NEW.staff_id OR OLD.started_at IS NOT NEW.started_at
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'session', NEW.id, 'update', (SELECT json_group_object(k, v) FROM (SELECT 'staff_id' AS k, OLD.staff_id AS v WHERE OLD.staff_id IS NOT NEW.staff_id UNION ALL SELECT 'started_at' AS k, OLD.started_at AS v WHERE OLD.started_at IS NOT NEW.started_at)), (SELECT json_group_object(k, v) FROM (SELECT 'staff_id' AS k, NEW.staff_id AS v WHERE OLD.staff_id IS NOT NEW.staff_id UNION ALL SELECT 'started_at' AS k, NEW.started_at AS v WHERE OLD.started_at IS NOT NEW.started_at)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_staff_delete AFTER DELETE ON staff
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'staff', OLD.id, 'delete', json_object('initials', OLD.initials, 'team', OLD.team, 'role', OLD.role, 'is_local_user', OLD.is_local_user, 'deleted_at', OLD.deleted_at, 'deleted_reason', OLD.deleted_reason, 'deleted_by', OLD.deleted_by), NULL, (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_staff_insert AFTER INSERT ON staff
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), COALESCE(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'staff', NEW.id, 'insert', NULL, json_object('initials', NEW.initials, 'team', NEW.team, 'role', NEW.role, 'is_local_user', NEW.is_local_user, 'deleted_at', NEW.deleted_at, 'deleted_reason', NEW.deleted_reason, 'deleted_by', NEW.deleted_by), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER audit_log_staff_update AFTER UPDATE ON staff
WHEN OLD.id IS NOT NEW.id OR OLD.initials IS NOT NEW.initials OR OLD.team IS NOT NEW.team OR OLD.role IS NOT NEW.role OR OLD.is_local_user IS NOT NEW.is_local_user OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.deleted_reason IS NOT NEW.deleted_reason OR OLD.deleted_by IS NOT NEW.deleted_by
BEGIN
    INSERT INTO audit_log (id, at, table_name, row_id, action, old_values, new_values, staff_id, device_id) VALUES (lower(hex(randomblob(16))), CASE WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') END, 'staff', NEW.id, CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'void' WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore' ELSE 'update' END, (SELECT json_group_object(k, v) FROM (SELECT 'initials' AS k, OLD.initials AS v WHERE OLD.initials IS NOT NEW.initials UNION ALL SELECT 'team' AS k, OLD.team AS v WHERE OLD.team IS NOT NEW.team UNION ALL SELECT 'role' AS k, OLD.role AS v WHERE OLD.role IS NOT NEW.role UNION ALL SELECT 'is_local_user' AS k, OLD.is_local_user AS v WHERE OLD.is_local_user IS NOT NEW.is_local_user UNION ALL SELECT 'deleted_at' AS k, OLD.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, OLD.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, OLD.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT json_group_object(k, v) FROM (SELECT 'initials' AS k, NEW.initials AS v WHERE OLD.initials IS NOT NEW.initials UNION ALL SELECT 'team' AS k, NEW.team AS v WHERE OLD.team IS NOT NEW.team UNION ALL SELECT 'role' AS k, NEW.role AS v WHERE OLD.role IS NOT NEW.role UNION ALL SELECT 'is_local_user' AS k, NEW.is_local_user AS v WHERE OLD.is_local_user IS NOT NEW.is_local_user UNION ALL SELECT 'deleted_at' AS k, NEW.deleted_at AS v WHERE OLD.deleted_at IS NOT NEW.deleted_at UNION ALL SELECT 'deleted_reason' AS k, NEW.deleted_reason AS v WHERE OLD.deleted_reason IS NOT NEW.deleted_reason UNION ALL SELECT 'deleted_by' AS k, NEW.deleted_by AS v WHERE OLD.deleted_by IS NOT NEW.deleted_by)), (SELECT staff_id FROM session WHERE id = 1), (SELECT value FROM meta WHERE key = 'device_id'));
END;

CREATE TRIGGER case_list_on_case_delete AFTER DELETE ON cases WHEN NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN DELETE FROM case_list WHERE case_id = OLD.id; END;

CREATE TRIGGER case_list_on_case_insert AFTER INSERT ON cases WHEN NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL OR p.label_key IS NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL AND p.label_key IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_list_on_case_update AFTER UPDATE ON cases WHEN (NEW.id IS NOT OLD.id OR NEW.person_id IS NOT OLD.person_id OR NEW.referral_id IS NOT OLD.referral_id OR NEW.start_date IS NOT OLD.start_date OR NEW.status IS NOT OLD.status OR NEW.activity IS NOT OLD.activity OR NEW.area IS NOT OLD.area OR NEW.next_followup_date IS NOT OLD.next_followup_date OR NEW.deleted_at IS NOT OLD.deleted_at) AND NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN DELETE FROM case_list WHERE case_id = OLD.id AND OLD.id IS NOT NEW.id;
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL OR p.label_key IS NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL AND p.label_key IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_list_on_meeting_delete AFTER DELETE ON meeting WHEN NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = OLD.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = OLD.case_id; END;

CREATE TRIGGER case_list_on_meeting_insert AFTER INSERT ON meeting WHEN NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = NEW.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = NEW.case_id; END;

CREATE TRIGGER case_list_on_meeting_update AFTER UPDATE ON meeting WHEN (NEW.case_id IS NOT OLD.case_id OR NEW.date IS NOT OLD.date OR NEW.held IS NOT OLD.held OR NEW.deleted_at IS NOT OLD.deleted_at) AND NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = NEW.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = NEW.case_id;
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = OLD.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = OLD.case_id; END;

CREATE TRIGGER case_list_on_person_update AFTER UPDATE ON person WHEN (NEW.label_key IS NOT OLD.label_key OR NEW.display_label IS NOT OLD.display_label OR NEW.deleted_at IS NOT OLD.deleted_at) AND NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.person_id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL OR p.label_key IS NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.person_id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL AND p.label_key IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_list_on_referral_update AFTER UPDATE ON referral WHEN (NEW.received_date IS NOT OLD.received_date) AND NOT EXISTS (SELECT 1 FROM case_list_paused) BEGIN
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.referral_id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL OR p.label_key IS NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.referral_id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL AND p.label_key IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_search_on_delete AFTER DELETE ON case_list BEGIN INSERT INTO case_search (case_search, rowid, label_key) VALUES ('delete', OLD.search_id, OLD.label_key); END;

CREATE TRIGGER case_search_on_insert AFTER INSERT ON case_list BEGIN INSERT INTO case_search (rowid, label_key) VALUES (NEW.search_id, NEW.label_key); END;

CREATE TRIGGER case_search_on_update AFTER UPDATE OF label_key ON case_list WHEN NEW.label_key IS NOT OLD.label_key BEGIN INSERT INTO case_search (case_search, rowid, label_key) VALUES ('delete', OLD.search_id, OLD.label_key); INSERT INTO case_search (rowid, label_key) VALUES (NEW.search_id, NEW.label_key); END;

CREATE TRIGGER cases_one_open_per_activity_insert BEFORE INSERT ON cases
        WHEN NEW.status != 'AFSLUTTET' AND NEW.deleted_at IS NULL AND EXISTS (
            SELECT 1 FROM cases o WHERE o.person_id = NEW.person_id AND o.activity = NEW.activity
            AND o.status != 'AFSLUTTET' AND o.deleted_at IS NULL AND o.id != NEW.id)
        BEGIN
            SELECT RAISE(ABORT, 'duplicate_open_case: the person already has an open case in this activity');
        END;

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
        END;

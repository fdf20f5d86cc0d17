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
);

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

CREATE TRIGGER case_list_on_case_delete AFTER DELETE ON cases BEGIN DELETE FROM case_list WHERE case_id = OLD.id; END;

CREATE TRIGGER case_list_on_case_insert AFTER INSERT ON cases BEGIN
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_list_on_case_update AFTER UPDATE ON cases WHEN NEW.id IS NOT OLD.id OR NEW.person_id IS NOT OLD.person_id OR NEW.referral_id IS NOT OLD.referral_id OR NEW.start_date IS NOT OLD.start_date OR NEW.status IS NOT OLD.status OR NEW.activity IS NOT OLD.activity OR NEW.area IS NOT OLD.area OR NEW.next_followup_date IS NOT OLD.next_followup_date OR NEW.deleted_at IS NOT OLD.deleted_at BEGIN DELETE FROM case_list WHERE case_id = OLD.id AND OLD.id IS NOT NEW.id;
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_list_on_meeting_delete AFTER DELETE ON meeting BEGIN
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = OLD.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = OLD.case_id; END;

CREATE TRIGGER case_list_on_meeting_insert AFTER INSERT ON meeting BEGIN
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = NEW.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = NEW.case_id; END;

CREATE TRIGGER case_list_on_meeting_update AFTER UPDATE ON meeting WHEN NEW.case_id IS NOT OLD.case_id OR NEW.date IS NOT OLD.date OR NEW.held IS NOT OLD.held OR NEW.deleted_at IS NOT OLD.deleted_at BEGIN
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = NEW.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = NEW.case_id;
    UPDATE case_list SET last_meeting_date = (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = OLD.case_id AND m.held = 1 AND m.deleted_at IS NULL) WHERE case_id = OLD.case_id; END;

CREATE TRIGGER case_list_on_person_update AFTER UPDATE ON person WHEN NEW.label_key IS NOT OLD.label_key OR NEW.display_label IS NOT OLD.display_label OR NEW.deleted_at IS NOT OLD.deleted_at BEGIN
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.person_id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.person_id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_list_on_referral_update AFTER UPDATE ON referral WHEN NEW.received_date IS NOT OLD.received_date BEGIN
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE (c.referral_id = NEW.id) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL));
    INSERT INTO case_list (case_id, label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date)
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL), c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE (c.referral_id = NEW.id) AND c.deleted_at IS NULL AND p.deleted_at IS NULL
        ON CONFLICT (case_id) DO UPDATE SET label_key = excluded.label_key, display_label = excluded.display_label, list_date = excluded.list_date, last_meeting_date = excluded.last_meeting_date, status = excluded.status, activity = excluded.activity, area = excluded.area, next_followup_date = excluded.next_followup_date; END;

CREATE TRIGGER case_search_on_delete AFTER DELETE ON case_list BEGIN INSERT INTO case_search (case_search, rowid, label_key) VALUES ('delete', OLD.search_id, OLD.label_key); END;

CREATE TRIGGER case_search_on_insert AFTER INSERT ON case_list BEGIN INSERT INTO case_search (rowid, label_key) VALUES (NEW.search_id, NEW.label_key); END;

CREATE TRIGGER case_search_on_update AFTER UPDATE OF label_key ON case_list WHEN NEW.label_key IS NOT OLD.label_key BEGIN INSERT INTO case_search (case_search, rowid, label_key) VALUES ('delete', OLD.search_id, OLD.label_key); INSERT INTO case_search (rowid, label_key) VALUES (NEW.search_id, NEW.label_key); END;

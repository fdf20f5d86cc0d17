"""The audit trail (issue 9 item 3): SQLite triggers log every write, and the log is append-only."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from mentor_tui.clock import FixedClock
from mentor_tui.codes import Team
from mentor_tui.models import Staff
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage import audit
from mentor_tui.storage.database import device_id, open_database
from mentor_tui.storage.migrations import migrations
from mentor_tui.storage.repositories import Repositories

DEMO_V2 = Path(__file__).resolve().parents[1] / "data" / "demo_schema_v2.sql"
"""The 25-case demo as it was at schema version 2 (before the audit trail): never regenerated."""


def _register(casework: CaseworkService, label: str = "Amal K") -> str:
    case = casework.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="2026-10-01",
        source="UDDANNELSESRAADGIVER_CFU",
        display_label=label,
        birth_year=2002,
        birth_month=4,
        area="VOLLSMOSE",
    )
    return case.id


def _log(path: Path, where: str = "1", params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            f"SELECT table_name, row_id, action, old_values, new_values, staff_id, device_id "
            f"FROM audit_log WHERE {where} ORDER BY rowid",
            params,
        ).fetchall()


def test_a_direct_sql_update_from_another_program_is_logged(
    db_path: Path, repos: Repositories, casework: CaseworkService
) -> None:
    staff = casework.ensure_local_staff("DM", Team.TEAM_BESKAEFTIGELSE)
    repos.start_session(staff.id)
    case_id = _register(casework)
    referral_id = repos.cases.get(case_id).referral_id
    # not the app: a plain sqlite3 connection, as a script or the sqlite3 shell would
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE referral SET received_date = '2026-09-30' WHERE id = ?", [referral_id])
    conn.close()
    (row,) = _log(db_path, "row_id = ? AND action = 'update'", (referral_id,))
    table, row_id, action, old, new, staff_id, device = row
    assert (table, row_id, action) == ("referral", referral_id, "update")
    assert json.loads(str(old)) == {"received_date": "2026-10-01"}
    assert json.loads(str(new)) == {"received_date": "2026-09-30"}
    assert staff_id == staff.id
    assert device == device_id(repos.db)


def test_inserts_updates_voids_and_restores_are_logged_with_the_app_clock(
    db_path: Path, repos: Repositories, casework: CaseworkService
) -> None:
    case_id = _register(casework)
    case = repos.cases.get(case_id)
    inserted = _log(db_path, "row_id = ?", (case_id,))
    assert [r[2] for r in inserted] == ["insert"]
    assert json.loads(str(inserted[0][4]))["status"] == "HENVIST"
    assert isinstance(repos.clock, FixedClock)
    repos.clock.at += dt.timedelta(minutes=5)
    repos.cases.void(case, reason="registreret ved en fejl", staff_id="s1")
    repos.clock.at += dt.timedelta(minutes=5)
    case.deleted_at = case.deleted_reason = case.deleted_by = None
    repos.cases.update(case)
    actions = [r[2] for r in _log(db_path, "row_id = ?", (case_id,))]
    assert actions == ["insert", "void", "restore"]
    void = _log(db_path, "row_id = ? AND action = 'void'", (case_id,))[0]
    assert json.loads(str(void[4]))["deleted_reason"] == "registreret ved en fejl"
    with sqlite3.connect(db_path) as conn:
        times = {r[0] for r in conn.execute("SELECT at FROM audit_log WHERE row_id = ?", [case_id])}
    # the app's clock, not the wall clock
    assert times == {f"2026-11-20T10:{m}:00.000+00:00" for m in ("00", "05", "10")}


def test_saving_unchanged_values_logs_nothing(
    db_path: Path, repos: Repositories, casework: CaseworkService
) -> None:
    case_id = _register(casework)
    repos.cases.update(repos.cases.get(case_id))
    assert [r[2] for r in _log(db_path, "row_id = ?", (case_id,))] == ["insert"]


def test_a_persons_label_and_birth_month_are_never_copied_into_the_log(
    db_path: Path, repos: Repositories, casework: CaseworkService
) -> None:
    case_id = _register(casework, "Åse Ørsted")
    person = repos.persons.get(repos.cases.get(case_id).person_id)
    person.display_label = "Åse Ø"
    person.birth_month = 5
    repos.persons.update(person)
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT * FROM audit_log").fetchall()
        logged = conn.execute("SELECT old_values, new_values FROM audit_log").fetchall()
    conn.close()
    assert "Åse" not in " ".join(str(r) for r in rows)
    # the birth year as a logged value (random hex ids may hold the digits 2002: not a leak)
    values = [v for pair in logged for j in pair if j for v in json.loads(j).values()]
    assert values  # the test can fail: the trail has values
    assert 2002 not in values
    assert "2002" not in values
    (update,) = _log(db_path, "row_id = ? AND action = 'update'", (person.id,))
    assert json.loads(str(update[4])) == {
        "display_label": audit.REDACTED,
        "label_key": audit.REDACTED,
        "birth_month": audit.REDACTED,
    }


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET staff_id = 'someone else'", "DELETE FROM audit_log"],
)
def test_the_log_cannot_be_changed_or_deleted(
    db_path: Path, casework: CaseworkService, statement: str
) -> None:
    _register(casework)
    before = _log(db_path)
    with sqlite3.connect(db_path) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    assert _log(db_path) == before


def test_every_table_and_every_column_is_audited(repos: Repositories) -> None:
    """A migration that adds a table or a column must call ``audit.install_triggers`` again."""
    db = repos.db
    triggers = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    tables = audit.audited_tables(db)
    assert {"person", "cases", "meeting", "closure", "staff", "export_run", "meta", "session"} <= set(tables)
    for table in tables:
        columns = [c.name for c in db.table(table).columns]
        for suffix in ("insert", "update", "delete"):
            sql = triggers.get(f"audit_log_{table}_{suffix}")
            assert sql is not None, f"{table} has no {suffix} audit trigger"
            for column in columns:
                if column not in audit.STAMP_COLUMNS and column not in ("id", "key"):
                    assert f"'{column}'" in sql, f"audit trigger {suffix} of {table} misses {column}"


def test_a_write_from_a_worker_thread_is_logged_with_the_same_staff(
    db_path: Path, repos: Repositories
) -> None:
    staff = repos.staff.add(Staff(initials="KV", team=Team.TEAM_BESKAEFTIGELSE, is_local_user=True))
    repos.start_session(staff.id)

    def write() -> None:
        other = Repositories(open_database(db_path), repos.clock)  # a connection of its own
        other.staff.add(Staff(initials="ØJ", team=Team.TEAM_UDD_KRIM))
        other.db.close()

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    rows = _log(db_path, "table_name = 'staff' AND action = 'insert'")
    assert [r[5] for r in rows] == [None, staff.id]  # the first insert came before the session


def test_a_schema_2_demo_upgrades_in_place_and_counts_the_same(tmp_path: Path) -> None:
    """Issue 9 item 9: a copy of the demo at the previous schema opens, upgrades and keeps its data."""
    path = tmp_path / "demo-v2.db"
    old = Database(path)
    for migration in migrations.pending(old)[:2]:
        migration.fn(old)
    migrations.ensure_migrations_table(old)
    for migration in migrations.pending(old)[:2]:
        old.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ["mentor_tui", migration.name, "2026-11-01T00:00:00"],
        )
    old.conn.commit()
    old.conn.executescript(DEMO_V2.read_text(encoding="utf-8"))
    old.execute("INSERT INTO meta (key, value) VALUES ('device_id', 'DEMO_FIXTURE_DEVICE')")
    old.conn.commit()
    before = {t: old.table(t).count for t in ("person", "cases", "meeting", "closure", "outcome")}
    old.close()

    db = open_database(path)
    try:
        repos = Repositories(db)
        assert {t: db.table(t).count for t in before} == before
        assert len(repos.cases.summaries()) == 25
        # every meeting-type start found its meeting, and only that one
        started = db.execute(
            "SELECT COUNT(*) FROM cases WHERE start_mode IN ('TREPARTSSAMTALE', 'MOEDE_MED_OG_OM_DEN_UNGE', "
            "'FLERPARTS_OPSTARTSMOEDE', 'AFKLARINGSSAMTALE', 'RAADGIVNINGSSAMTALE')"
        ).fetchone()[0]
        assert started > 0
        assert db.execute("SELECT COUNT(*) FROM meeting WHERE is_start = 1").fetchone()[0] == started
        assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0  # history starts now
        meeting = [m for m in repos.meetings.all(order_by="id") if not m.is_start][0]
        repos.meetings.void(meeting, reason="test", staff_id=None)
        assert [e.action for e in repos.audit_trail([meeting.id])] == ["void"]
    finally:
        db.close()


def test_the_trail_works_unchanged_on_an_encrypted_file(tmp_path: Path, clock: FixedClock) -> None:
    """The triggers use core SQL only, so an encrypted (SQLCipher) file logs every write too, and
    its log is as append-only as a plain file's."""
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra (sqlcipher3) is not installed")
    from mentor_tui.storage.encryption import open_with_passphrase

    path = tmp_path / "encrypted.db"
    db = open_with_passphrase(path, "en lang frase")
    try:
        casework = CaseworkService(Repositories(db, clock))
        casework.ensure_local_staff("TS", Team.TEAM_BESKAEFTIGELSE)
        case_id = _register(casework)
        db.execute("UPDATE cases SET area = 'RISING' WHERE id = ?", [case_id])  # "another program"
        rows = db.execute(
            "SELECT action, new_values, staff_id FROM audit_log WHERE row_id = ? ORDER BY rowid", [case_id]
        ).fetchall()
        staff = casework.repos.local_staff()
        assert staff is not None
        assert [r[0] for r in rows] == ["insert", "update"]
        assert json.loads(rows[1][1]) == {"area": "RISING"}
        assert {r[2] for r in rows} == {staff.id}
        with pytest.raises(Exception, match="append-only"):
            db.execute("DELETE FROM audit_log")
    finally:
        db.close()
    assert b"audit_log" not in path.read_bytes()  # the file, trail included, is encrypted

"""The app checks its file in the background (issue 12): the list shows at once, writes wait.

``PRAGMA quick_check`` reads the whole file: seconds at 50,000 cases. The app therefore opens with
``check="background"``; a write waits for the check, and a damaged file refuses it with the same
message as a damaged file refused at opening. Commands (export, import, backup) still check first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from mentor_tui.clock import FixedClock
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.case_list import CaseListQuery, CaseListReader
from mentor_tui.storage.database import DatabaseDamagedError, open_database
from mentor_tui.storage.migrations import migrations
from mentor_tui.storage.repositories import Repositories
from tests.robust_support import zero_page


def _register(casework: CaseworkService, label: str) -> None:
    casework.register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-11-02",
        source="JOBRAADGIVER",
        display_label=label,
        birth_year=1990,
        birth_month=1,
        area="VOLLSMOSE",
    )


def test_a_sound_file_opens_at_once_and_writes_after_the_check(db_path: Path, clock: FixedClock) -> None:
    open_database(db_path).close()
    db = open_database(db_path, check="background")
    try:
        casework = CaseworkService(Repositories(db, clock))
        _register(casework, "Amal K")  # waits for the check, which finds nothing
        db.wait_for_check()
        assert [r.display_label for r in CaseListReader(db).first_page(CaseListQuery(), 10)] == ["Amal K"]
    finally:
        db.close()


def test_a_damaged_file_found_in_the_background_refuses_every_write(db_path: Path, clock: FixedClock) -> None:
    db = open_database(db_path)
    casework = CaseworkService(Repositories(db, clock))
    for i in range(80):
        _register(casework, f"Testperson {i:03d}")
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'meeting'").fetchone()
    db.close()
    zero_page(db_path, root)  # the meeting table's pages are gone; the rest still reads
    before = db_path.read_bytes()
    db = open_database(db_path, check="background")  # opens: the check has not answered yet
    try:
        casework = CaseworkService(Repositories(db, clock))
        with pytest.raises(DatabaseDamagedError) as info:
            _register(casework, "Bo T")
        assert str(db_path) in info.value.text("da")
        assert "beskadiget" in info.value.text("da")
        assert "damaged" in info.value.text("en")
        with pytest.raises(DatabaseDamagedError):
            _register(casework, "Cem D")
    finally:
        db.close()
    assert db_path.read_bytes() == before  # nothing was written


def test_a_file_that_needs_an_upgrade_is_checked_before_it_is_upgraded(tmp_path: Path) -> None:
    """Upgrading writes to the file, so a file from before the case list is checked at once."""
    path = tmp_path / "old.db"
    old = Database(path)
    pending = migrations.pending(old)
    upto = 2  # the demo below was written at schema 2
    for migration in pending[:upto]:
        migration.fn(old)
    migrations.ensure_migrations_table(old)
    for migration in pending[:upto]:
        old.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ["mentor_tui", migration.name, "2026-11-01T00:00:00"],
        )
    old.conn.commit()
    fixture = Path(__file__).resolve().parents[1] / "data" / "demo_schema_v2.sql"
    old.conn.executescript(fixture.read_text(encoding="utf-8"))
    old.conn.commit()
    (root,) = old.execute("SELECT rootpage FROM sqlite_master WHERE name = 'meeting'").fetchone()
    old.close()
    zero_page(path, root)
    before = path.read_bytes()
    with pytest.raises(DatabaseDamagedError):
        open_database(path, check="background")
    assert path.read_bytes() == before

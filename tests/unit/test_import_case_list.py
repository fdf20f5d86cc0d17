"""The case list after an import (issue 10 item 6, issue 12): the import fills the derived
``case_list`` and its search index once, after its bulk write, instead of through the per-row
triggers (m007). What staff see must not tell the difference: the same list rows as typing the
same cases would give, every imported person found by search, and a failed import changes
nothing, the list included.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from mentor_tui.models import label_key
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.importing.importer import Importer
from mentor_tui.storage.case_list import CaseListQuery, CaseListReader
from mentor_tui.storage.repositories import Repositories
from tests.case_list_support import expected_rows, stored_rows

FIXTURES = Path(__file__).resolve().parents[2] / "db" / "fixtures"
HEADER = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
IMPORTED = ["IMP-A01", "IMP-B02", "IMP-C03", "IMP-D04", "IMP-E05"]
"""The persons of ``db/fixtures/import_example.csv``."""
APPENDED = [
    # rows appended to a case imported before: a meeting (last meeting date) and a closure (status)
    "IMP-B02;2011-02;MAND;RISING;A3_UNGERAADGIVNING;moede;19-10-2026;SAMTALE;LP;;",
    "IMP-B02;2011-02;MAND;RISING;A3_UNGERAADGIVNING;afslutning;02-11-2026;KONTAKT_OPHOERT;LP;;",
    # a new case of a person imported before, and a new person
    "IMP-E05;1990-12;ANDET_UOPLYST;EJERSLYKKE;A9_BESKAEFTIGELSESRAADGIVNING;henvisning;17-11-2026;"
    "EGEN_HENVENDELSE;MJ;;",
    "IMP-F06;1996-03;KVINDE;VOLLSMOSE;A8_MENTOR_JOBPARAT;henvisning;18-11-2026;JOBRAADGIVER;MJ;;",
]


def _listed(db: Database) -> list[tuple[object, ...]]:
    """Every list row with its stable number (the search index refers to it)."""
    return db.execute("SELECT * FROM case_list ORDER BY search_id").fetchall()


def _found(reader: CaseListReader, text: str) -> list[str]:
    return sorted(r.display_label for r in reader.first_page(CaseListQuery(text=text), 100))


def _paused(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM case_list_paused").fetchone()[0])


def _write_csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "appended.csv"
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8")
    return path


def test_imported_cases_are_listed_and_found_beside_typed_ones(
    seeded: CaseworkService, tmp_path: Path
) -> None:
    repos = seeded.repos
    db = repos.db
    typed = _listed(db)
    reader = CaseListReader(db)

    first = Importer(repos).import_file(FIXTURES / "import_example.csv")
    assert first.written
    assert stored_rows(db) == expected_rows(db)
    assert _listed(db)[: len(typed)] == typed  # the typed cases' rows were not touched

    source = (FIXTURES / "import_example.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    again = Importer(repos).import_file(_write_csv(tmp_path, [*source, *APPENDED]))
    assert again.written, [p.text("en") for p in again.problems]
    assert (again.counts.meetings, again.counts.closures, again.counts.cases) == (1, 1, 2)

    assert stored_rows(db) == expected_rows(db)
    b02 = [r for r in reader.first_page(CaseListQuery(text="imp-b02"), 100)]
    assert [(r.status, r.last_meeting_date) for r in b02] == [("AFSLUTTET", "2026-10-19")]
    for ref in [*IMPORTED, "IMP-F06"]:
        assert _found(reader, ref.lower()) == [ref] * len(
            db.execute("SELECT 1 FROM case_list WHERE label_key = ?", [label_key(ref)]).fetchall()
        )
    assert _found(reader, "imp-e0") == ["IMP-E05", "IMP-E05"]  # trigram search: both cases
    assert _found(reader, "amal") == ["Amal K"]  # and the typed ones still
    assert _paused(db) == 0

    # the triggers keep the list after the import, as before it
    case = reader.first_page(CaseListQuery(text="imp-f06"), 1)[0]
    person = repos.persons.get(repos.cases.get(case.id).person_id)
    person.display_label = "IMP-F07"
    repos.persons.update(person)
    assert _found(reader, "imp-f07") == ["IMP-F07"]
    assert _found(reader, "imp-f06") == []
    assert stored_rows(db) == expected_rows(db)


@pytest.mark.parametrize(
    "fails_on",
    [
        "meeting",  # in the middle of the bulk write, before the list is filled
        "case_list",  # while the list is filled, after every record went in
    ],
)
def test_a_failed_import_leaves_the_list_and_its_search_as_they_were(
    seeded: CaseworkService, tmp_path: Path, fails_on: str
) -> None:
    repos = seeded.repos
    db = repos.db
    Importer(repos).import_file(FIXTURES / "import_example.csv")
    listed = _listed(db)
    records = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cases", "meeting")}
    index = db.execute("SELECT * FROM case_search_data ORDER BY id").fetchall()
    db.execute(
        f"CREATE TRIGGER test_boom BEFORE INSERT ON {fails_on} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    bigger = (FIXTURES / "import_example.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    path = _write_csv(tmp_path, [*bigger, *APPENDED])

    with pytest.raises(sqlite3.IntegrityError):
        Importer(repos).import_file(path)

    assert _listed(db) == listed
    assert db.execute("SELECT * FROM case_search_data ORDER BY id").fetchall() == index
    assert {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in records} == records
    assert _paused(db) == 0
    reader = CaseListReader(db)
    assert _found(reader, "imp-f06") == []
    assert _found(reader, "imp-a01") == ["IMP-A01"]
    # and the triggers still keep the list: a mentor's next change shows at once
    db.execute("DROP TRIGGER test_boom")
    seeded.register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-11-19",
        source="JOBRAADGIVER",
        display_label="Gry N",
        birth_year=2001,
        birth_month=5,
        area="RISING",
    )
    assert _found(reader, "gry") == ["Gry N"]
    assert stored_rows(db) == expected_rows(db)


def test_the_pause_needs_the_write_transaction(repos: Repositories) -> None:
    """Outside a transaction the pause row would be committed on its own and freeze the list."""
    from mentor_tui.storage.case_list import filled_once

    with pytest.raises(RuntimeError), filled_once(repos.db.conn, "SELECT id FROM cases"):
        pass
    assert _paused(repos.db) == 0

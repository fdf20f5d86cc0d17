"""The case list in SQL (issue 12): paging, sorting, search with æ, ø, å, and the derived rows.

``case_list`` is derived from the records by triggers; these tests write through the casework
service and the repositories as the app does, and compare with what the records say.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from mentor_tui.codes import Area, CaseStatus
from mentor_tui.models import label_key
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.case_list import (
    CaseListQuery,
    CaseListReader,
    CaseRow,
    SortColumn,
    purge_search_index,
)
from mentor_tui.storage.database import open_database
from mentor_tui.storage.migrations import migrations
from tests.case_list_support import expected_rows, stored_rows

TODAY = dt.date(2026, 11, 20)
NEWEST_FIRST = ["Dana R", "Amal K", "Emil S", "Bo T", "Cem D", "Fatima H"]
SORTS: list[SortColumn | None] = [
    None,
    "label",
    "activity",
    "area",
    "status",
    "last_meeting",
    "next_followup",
]
STATUS_RANK = tuple(s.value for s in CaseStatus)
AREA_RANK = tuple(a.value for a in sorted(Area, key=lambda a: a.label("da").casefold()))


def _query(sort: SortColumn | None = None, descending: bool = False, **filters: object) -> CaseListQuery:
    rank = {"status": STATUS_RANK, "area": AREA_RANK, "activity": ()}.get(sort or "", ())
    return CaseListQuery(sort=sort, descending=descending, rank=rank, **filters)  # type: ignore[arg-type]


def _labels(rows: list[CaseRow]) -> list[str]:
    return [r.display_label for r in rows]


@pytest.fixture
def reader(seeded: CaseworkService) -> CaseListReader:
    return CaseListReader(seeded.repos.db)


def test_the_first_page_is_newest_referral_first(reader: CaseListReader) -> None:
    assert _labels(reader.first_page(CaseListQuery(), 100)) == NEWEST_FIRST
    assert _labels(reader.first_page(CaseListQuery(descending=True), 100)) == NEWEST_FIRST[::-1]
    assert _labels(reader.first_page(CaseListQuery(), 2)) == NEWEST_FIRST[:2]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORTS)
def test_pages_of_any_size_join_up_to_the_whole_list(
    reader: CaseListReader, sort: SortColumn | None, descending: bool
) -> None:
    query = _query(sort, descending)
    whole = reader.first_page(query, 100)
    counts = reader.counts(query, TODAY)
    assert counts.matching == counts.total == len(whole) == 6
    for size in (1, 2, 4):
        joined = [row for offset in range(0, 6, size) for row in reader.page(query, counts, offset, size)]
        assert joined == whole, size
    for i, row in enumerate(whole):
        assert reader.index_of(query, counts, row.id) == i


def test_sorting_by_a_column_of_few_values_follows_the_given_order(reader: CaseListReader) -> None:
    rows = reader.first_page(_query("status"), 100)
    assert [r.status for r in rows] == ["HENVIST", "AKTIV", "AKTIV", "AKTIV", "AKTIV", "AFSLUTTET"]
    assert _labels(rows)[1:5] == ["Amal K", "Bo T", "Cem D", "Fatima H"]  # each value newest first
    rows = reader.first_page(_query("status", descending=True), 100)
    assert [r.status for r in rows][0] == "AFSLUTTET"
    assert _labels(rows)[1:5] == ["Amal K", "Bo T", "Cem D", "Fatima H"]  # ties keep newest first
    areas = [r.area for r in reader.first_page(_query("area"), 100)]
    assert areas == sorted(areas, key=AREA_RANK.index)


def test_sorting_by_a_date_puts_cases_without_it_last_both_ways(reader: CaseListReader) -> None:
    up = _labels(reader.first_page(_query("next_followup"), 100))
    down = _labels(reader.first_page(_query("next_followup", descending=True), 100))
    assert up == ["Amal K", "Cem D", "Bo T", "Fatima H", "Dana R", "Emil S"]
    assert down == ["Fatima H", "Bo T", "Cem D", "Amal K", "Dana R", "Emil S"]
    assert _labels(reader.first_page(_query("last_meeting", descending=True), 100))[-1] == "Dana R"


def test_filters_combine_and_count_overdue_cases(reader: CaseListReader) -> None:
    due = _query(due_by=dt.date(2026, 11, 22))
    assert _labels(reader.first_page(due, 100)) == ["Amal K", "Bo T", "Cem D"]
    counts = reader.counts(due, TODAY)
    assert (counts.matching, counts.overdue, counts.total) == (3, 2, 6)
    active_c = _query(status="AKTIV", text="c")
    assert _labels(reader.first_page(active_c, 100)) == ["Cem D"]
    assert reader.counts(_query(area="RISING"), TODAY).matching == 1


def test_search_finds_every_substring_whatever_its_length(reader: CaseListReader) -> None:
    """One or two letters use the label index, three or more the trigram index: same answers."""
    for label in NEWEST_FIRST:
        key = label_key(label)
        for start in range(len(key)):
            for end in range(start + 1, len(key) + 1):
                part = key[start:end]
                if not part.strip():
                    continue
                expected = [x for x in NEWEST_FIRST if part.strip() in label_key(x)]
                found = _labels(reader.first_page(CaseListQuery(text=part), 100))
                assert found == expected, part


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("ø", ["Søren Ø", "åse ørsted", "ØJVIND LÆRKE"]),
        ("Ø", ["Søren Ø", "åse ørsted", "ØJVIND LÆRKE"]),
        ("sø", ["Søren Ø"]),
        ("SØREN", ["Søren Ø"]),
        ("ÅSE ØR", ["åse ørsted"]),
        ("åse  ørsted ", ["åse ørsted"]),
        ("A\u030ase", ["åse ørsted"]),  # decomposed å, as some keyboards send it
        ("lærke", ["ØJVIND LÆRKE"]),
        ("LÆR", ["ØJVIND LÆRKE"]),
        ("æ", ["ØJVIND LÆRKE"]),
        ("ae", []),  # æ is a letter of its own, not a+e
        ("o", []),  # nor is ø an o
    ],
)
def test_search_treats_æøå_as_letters_in_both_cases(
    casework: CaseworkService, typed: str, found: list[str]
) -> None:
    for i, label in enumerate(["Søren Ø", "åse ørsted", "ØJVIND LÆRKE"]):
        casework.register_referral(
            activity="A8_MENTOR_JOBPARAT",
            received_date=f"2026-11-{10 - i:02d}",
            source="JOBRAADGIVER",
            display_label=label,
            birth_year=1990,
            birth_month=1,
            area="VOLLSMOSE",
        )
    reader = CaseListReader(casework.repos.db)
    assert _labels(reader.first_page(CaseListQuery(text=typed), 100)) == found


def test_without_the_trigram_index_search_answers_the_same(seeded: CaseworkService) -> None:
    """A SQLite without FTS5 gets no ``case_search``; the list then searches the label index."""
    with_fts = CaseListReader(seeded.repos.db)
    expected = {
        text: _labels(with_fts.first_page(CaseListQuery(text=text), 100)) for text in ("mal", "a", "r d")
    }
    db = seeded.repos.db
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'case_search%'"
    ):
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE case_search")
    without = CaseListReader(db)
    assert {text: _labels(without.first_page(CaseListQuery(text=text), 100)) for text in expected} == expected


def test_the_list_follows_every_kind_of_change(seeded: CaseworkService) -> None:
    db = seeded.repos.db
    repos = seeded.repos
    assert stored_rows(db) == expected_rows(db)
    reader = CaseListReader(db)
    amal = next(r for r in reader.first_page(CaseListQuery(), 100) if r.display_label == "Amal K")
    seeded.add_meeting(amal.id, meeting_type="SAMTALE", date="2026-11-18", participants=["BEBOER"])
    planned = seeded.add_meeting(amal.id, meeting_type="SAMTALE", date="2026-11-27", held=False)
    seeded.set_next_followup(amal.id, "2026-11-30")
    row = reader.row(amal.id)
    assert row is not None
    assert (row.last_meeting_date, row.next_followup_date) == ("2026-11-18", "2026-11-30")
    seeded.close_case(
        amal.id, date="2026-11-19", reason="KONTAKT_OPHOERT", status_at_closure="UKENDT", joint_decision=True
    )
    person = repos.persons.get(repos.cases.get(amal.id).person_id)
    person.display_label = "Amalie Kø"
    repos.persons.update(person)
    case = repos.cases.get(amal.id)
    assert case.referral_id is not None
    referral = repos.referrals.get(case.referral_id)
    referral.received_date = dt.date(2026, 9, 30)
    repos.referrals.update(referral)
    meeting = repos.meetings.get(planned.id)
    repos.meetings.void(meeting, reason="entered twice", staff_id=None)
    assert stored_rows(db) == expected_rows(db)
    assert _labels(reader.first_page(CaseListQuery(text="kø"), 100)) == ["Amalie Kø"]
    assert _labels(reader.first_page(CaseListQuery(text="amal k"), 100)) == []
    row = reader.row(amal.id)
    assert row is not None
    assert row.status == "AFSLUTTET"


def test_voided_cases_leave_the_list_and_its_counts(seeded: CaseworkService) -> None:
    repos = seeded.repos
    reader = CaseListReader(repos.db)
    dana = next(r for r in reader.first_page(CaseListQuery(), 100) if r.display_label == "Dana R")
    repos.cases.void(repos.cases.get(dana.id), reason="registered by mistake", staff_id=None)
    assert "Dana R" not in _labels(reader.first_page(CaseListQuery(), 100))
    assert reader.counts(CaseListQuery(), TODAY).total == 5
    assert reader.row(dana.id) is None
    assert _labels(reader.first_page(CaseListQuery(text="dana"), 100)) == []
    assert stored_rows(repos.db) == expected_rows(repos.db)


def test_counting_stops_when_a_newer_query_supersedes_it(
    reader: CaseListReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mentor_tui.storage.case_list.CANCEL_CHECK_EVERY", 1)  # the list here is short
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        reader.counts(CaseListQuery(text="a"), TODAY, cancelled=lambda: True)
    assert reader.counts(CaseListQuery(text="a"), TODAY).matching == 3  # the connection still works


def test_a_worker_thread_reads_on_a_connection_of_its_own(seeded: CaseworkService) -> None:
    reader = CaseListReader(seeded.repos.db)
    seen: list[tuple[list[str], bool]] = []

    def read() -> None:
        rows = _labels(reader.first_page(CaseListQuery(), 100))
        seen.append((rows, seeded.repos.db.conn is main))

    main = seeded.repos.db.conn
    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert seen == [(NEWEST_FIRST, False)]


def test_a_change_stamp_tells_whether_anything_was_written(seeded: CaseworkService, db_path: Path) -> None:
    reader = CaseListReader(seeded.repos.db)
    before = reader.change_stamp()
    assert reader.change_stamp() == before
    case_id = reader.first_page(CaseListQuery(), 1)[0].id
    seeded.set_next_followup(case_id, "2026-12-01")
    after_own_write = reader.change_stamp()
    assert after_own_write != before
    other = open_database(db_path)  # another program, e.g. an import from the command line
    other.execute("UPDATE cases SET next_followup_date = '2026-12-02' WHERE id = ?", [case_id])
    other.conn.commit()
    other.close()
    assert reader.change_stamp() != after_own_write


def test_an_older_file_gets_its_list_when_upgraded(tmp_path: Path) -> None:
    """A file from before the case list (schema 2) opens, upgrades in place and lists every case."""
    path = tmp_path / "v3.db"
    old = Database(path)
    pending = migrations.pending(old)
    names = [m.name for m in pending]
    upto = 2  # the demo below was written at schema 2
    for migration in pending[:upto]:
        migration.fn(old)
    migrations.ensure_migrations_table(old)
    for name in names[:upto]:
        old.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ["mentor_tui", name, "2026-11-01T00:00:00"],
        )
    old.conn.commit()
    fixture = Path(__file__).resolve().parents[1] / "data" / "demo_schema_v2.sql"
    old.conn.executescript(fixture.read_text(encoding="utf-8"))
    old.execute("INSERT INTO meta (key, value) VALUES ('device_id', 'DEMO_FIXTURE_DEVICE')")
    old.conn.commit()
    old.close()
    db = open_database(path)
    try:
        assert db.execute("SELECT COUNT(*) FROM case_list").fetchone()[0] == 25
        assert stored_rows(db) == expected_rows(db)
        reader = CaseListReader(db)
        assert len(reader.first_page(CaseListQuery(text="demo 0"), 100)) == 25
    finally:
        db.close()


def _search_index_bytes(db: Database) -> bytes:
    return b"".join(bytes(r[0]) for r in db.execute("SELECT block FROM case_search_data").fetchall())


def test_a_purged_search_index_keeps_no_trigram_of_a_changed_label(seeded: CaseworkService) -> None:
    """Retention relies on this: after the purge, the old label's trigrams are gone from the index."""
    repos = seeded.repos
    if not CaseListReader(repos.db)._has_fts(repos.db.conn):
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    reader = CaseListReader(repos.db)
    dana = next(r for r in reader.first_page(CaseListQuery(), 100) if r.display_label == "Dana R")
    person = repos.persons.get(repos.cases.get(dana.id).person_id)
    person.display_label = "Zyqvw Xoj"
    repos.persons.update(person)
    repos.db.conn.commit()
    assert b"zyq" in _search_index_bytes(repos.db)
    person.display_label = "Dana R"
    repos.persons.update(person)
    assert b"zyq" in _search_index_bytes(repos.db)  # only marked deleted
    purge_search_index(repos.db)
    assert b"zyq" not in _search_index_bytes(repos.db)
    assert _labels(reader.first_page(CaseListQuery(text="dana"), 100)) == ["Dana R"]
    assert _labels(reader.first_page(CaseListQuery(text="zyq"), 100)) == []

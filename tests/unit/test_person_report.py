"""The right of access (issue 13 item 5): ``mentor-tui person-report`` prints every record of one
person, voided ones marked, with their history, and nothing about anyone else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentor_tui.__main__ import run as cli
from mentor_tui.clock import FixedClock
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.security import person_report
from mentor_tui.services.security.passphrase import PASSPHRASE_ENV
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

LABEL = "Åse Berg"
SIMILAR = "Åse Bergholt"
VOID_REASON = "Registreret på forkert dato"
REOPEN_NOTE = "Vil gerne have hjælp igen"


def register(s: CaseworkService) -> None:
    """The person asked about (two cases, every kind of record) and one with a similar label."""
    repos = s.repos
    a = s.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="2026-03-02",
        source="UDDANNELSESRAADGIVER_CFU",
        display_label=LABEL,
        birth_year=2001,
        birth_month=9,
        area="VOLLSMOSE",
        gender="KVINDE",
        reasons=["UDDANNELSE_MAAL"],
    )
    s.start_case(
        a.id,
        start_mode="TREPARTSSAMTALE",
        start_date="2026-03-09",
        goals_agreed=True,
        participants=["BEBOER", "UDDANNELSESRAADGIVER"],
    )
    wrong = s.add_meeting(a.id, meeting_type="SAMTALE", date="2026-04-01", participants=["BEBOER"])
    repos.meetings.void(wrong, reason=VOID_REASON, staff_id=None)
    s.add_meeting(a.id, meeting_type="SAMTALE", date="2026-04-02", participants=["BEBOER"])
    s.add_outcome(a.id, outcome_type="UDDANNELSE_STARTET", date="2026-08-17")
    s.close_case(
        a.id,
        date="2026-09-01",
        reason="MAAL_NAAET_BEHOV_OPFYLDT",
        status_at_closure="I_UDDANNELSE",
        joint_decision=True,
    )
    s.reopen_case(a.id, note=REOPEN_NOTE, date="2026-10-12")
    person_id = repos.cases.get(a.id).person_id
    s.register_referral(
        activity="A9_BESKAEFTIGELSESRAADGIVNING",
        received_date="2026-11-02",
        source="EGEN_HENVENDELSE",
        person_id=person_id,
    )
    other = s.register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-05-04",
        source="JOBRAADGIVER",
        display_label=SIMILAR,
        birth_year=1983,
        birth_month=2,
        area="RISING",
    )
    s.start_case(other.id, start_mode="TREPARTSSAMTALE", start_date="2026-05-11", participants=["BEBOER"])


@pytest.fixture
def path(tmp_path: Path, clock: FixedClock) -> Path:
    file = tmp_path / "mentor.db"
    db = open_database(file)
    register(CaseworkService(Repositories(db, clock)))
    db.close()
    return file


def _ids(path: Path, label: str) -> set[str]:
    """Every row id of the person with ``label`` (independent SQL, not the report's)."""
    db = open_database(path, readonly=True)
    try:
        (pid,) = db.execute("SELECT id FROM person WHERE display_label = ?", [label]).fetchone()
        ids = {pid}
        ids |= {r[0] for r in db.execute("SELECT id FROM referral WHERE person_id = ?", [pid])}
        cases = [r[0] for r in db.execute("SELECT id FROM cases WHERE person_id = ?", [pid])]
        ids |= set(cases)
        for table in ("consent", "meeting", "outcome", "closure", "reopening"):
            for case in cases:
                ids |= {r[0] for r in db.execute(f"SELECT id FROM {table} WHERE case_id = ?", [case])}
        return ids
    finally:
        db.close()


def test_the_text_report_holds_every_record_of_the_person_and_nothing_of_others(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["--db", str(path), "person-report", "åse  BERG"]) == 0
    out = capsys.readouterr().out
    assert LABEL in out
    assert "09-2001" in out
    assert "Kvinde" in out
    assert "FORLØB 1 AF 2: Fremskudt uddannelses- og beskæftigelsesindsats\n" in out
    assert "FORLØB 2 AF 2: Beskæftigelsesrådgivning" in out
    for date in (
        "02-03-2026",
        "09-03-2026",
        "01-04-2026",
        "02-04-2026",
        "17-08-2026",
        "01-09-2026",
        "12-10-2026",
    ):
        assert date in out, date
    assert "- ANNULLERET 20-11-2026 " in out  # the time in the laptop's own zone
    assert f"af —: {VOID_REASON} (gemt som annulleret post; tæller ikke med)" in out
    assert REOPEN_NOTE in out
    assert "Påbegyndt uddannelse" in out
    assert "HISTORIK" in out
    assert "Møde annulleret: Begrundelse: " + VOID_REASON in out
    assert "Bergholt" not in out
    assert "Rising" not in out


def test_the_json_report_holds_every_row_and_its_history_and_no_row_of_others(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["--db", str(path), "--lang", "en", "person-report", LABEL, "--format", "json"]) == 0
    text = capsys.readouterr().out
    report = json.loads(text)
    mine, theirs = _ids(path, LABEL), _ids(path, SIMILAR)
    assert len(mine) == 11  # person, 2 referrals, 2 cases, 3 meetings, outcome, closure, reopening
    for row_id in mine:
        assert row_id in text
    for row_id in theirs:
        assert row_id not in text
    assert SIMILAR not in text
    assert report["person"]["display_label"] == LABEL
    assert report["person"]["labels"]["gender"] == "Woman"
    assert {e["row_id"] for e in report["history"]} == mine
    meetings = report["cases"][0]["meetings"]
    assert [m["voided"] for m in meetings] == [False, True, False]  # the start meeting, the voided one
    assert meetings[1]["deleted_reason"] == VOID_REASON
    assert report["cases"][0]["reopenings"][0]["note"] == REOPEN_NOTE
    assert report["cases"][1]["referral"]["labels"]["source"] == "Self-referral"


def test_the_report_speaks_english(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["--db", str(path), "--lang", "en", "person-report", LABEL]) == 0
    out = capsys.readouterr().out
    assert "EVERYTHING MENTOR-TUI STORES ABOUT ONE PERSON" in out
    assert "CASE 1 OF 2" in out
    assert "VOIDED" in out
    assert "Meeting voided" in out
    assert "FORLØB" not in out


def test_several_persons_with_the_label_are_listed_and_one_is_chosen_by_id(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(path)
    repos = Repositories(db, clock)
    CaseworkService(repos).register_referral(
        activity="A9_BESKAEFTIGELSESRAADGIVNING",
        received_date="2026-11-03",
        source="EGEN_HENVENDELSE",
        display_label="ÅSE BERG",
        birth_year=1964,
        birth_month=12,
        area="KORSLOEKKEN",
    )
    with pytest.raises(person_report.AmbiguousLabelError) as several:
        person_report.find_person(repos, LABEL)
    (newer,) = [c.person_id for c in several.value.candidates if c.birth_year == 1964]
    db.close()

    assert cli(["--db", str(path), "person-report", LABEL]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing about either until one is chosen
    assert "2 personer passer. Vælg én med --id ID" in err
    assert "født 09-2001 · Vollsmose" in err
    assert "født 12-1964 · Korsløkken" in err
    assert newer in err

    assert cli(["--db", str(path), "person-report", LABEL, "--id", newer[:8]]) == 0
    out = capsys.readouterr().out
    assert "12-1964" in out
    assert "09-2001" not in out


def test_no_match_is_a_clear_message_that_names_nobody(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["--db", str(path), "person-report", "Åse"]) == 2  # a part of a label is not a label
    out, err = capsys.readouterr()
    assert out == ""
    assert "Ingen person har det kaldenavn" in err
    assert "Berg" not in err
    assert cli(["--db", str(path), "--lang", "en", "person-report", "--id", "ffffffff"]) == 2
    assert "No person has that id" in capsys.readouterr().err


def test_a_decomposed_label_finds_the_person(path: Path, clock: FixedClock) -> None:
    db = open_database(path, readonly=True)
    try:
        repos = Repositories(db, clock)
        found = person_report.find_person(repos, "A\u030ase berg")
        assert found == person_report.find_person(repos, LABEL)
    finally:
        db.close()


def test_the_report_works_on_an_encrypted_file(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra (sqlcipher3) is not installed")
    monkeypatch.setenv(PASSPHRASE_ENV, "en lang og hemmelig sætning")
    assert cli(["--db", str(path), "encrypt"]) == 0
    capsys.readouterr()
    assert cli(["--db", str(path), "person-report", LABEL]) == 0
    out = capsys.readouterr().out
    assert LABEL in out
    assert REOPEN_NOTE in out

"""Spreadsheet import (issue 4 item 8): what staff see when they bring their registrations in.

Every test runs on a real temporary SQLite file with the clock frozen at 2026-11-20.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from mentor_tui.codes import (
    Activity,
    Area,
    CaseStatus,
    ClosureReason,
    Code,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    ReferralSource,
    StartMode,
    StatusAtClosure,
)
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.importing.importer import Importer, ImportResult
from mentor_tui.services.importing.reader import ImportFileError, read_csv_bytes
from mentor_tui.services.importing.rows import parse_code
from mentor_tui.storage.repositories import Repositories

FIXTURES = Path(__file__).resolve().parents[2] / "db" / "fixtures"
HEADER = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
TABLES = ("persons", "staff", "cases", "referrals", "consents", "meetings", "outcomes", "closures")


def table_counts(repos: Repositories) -> dict[str, int]:
    return {t: getattr(repos, t).count() for t in TABLES}


def write_csv(tmp_path: Path, lines: list[str], *, name: str = "rows.csv", bom: bool = True) -> Path:
    path = tmp_path / name
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    path.write_bytes(text.encode("utf-8-sig" if bom else "utf-8"))
    return path


def run_import(repos: Repositories, path: Path) -> ImportResult:
    return Importer(repos).import_file(path)


def problems_by_line(result: ImportResult) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in result.problems:
        found.setdefault(p.line, []).append(p.code)
    return found


A7_REFERRAL = "P1;1980-01;MAND;RISING;A7_MENTOR_AKTIVITETSPARAT;henvisning;2026-05-01;JOBRAADGIVER;SH;;"
A7_START = "P1;1980-01;MAND;RISING;A7_MENTOR_AKTIVITETSPARAT;opstart;2026-05-04;TREPARTSSAMTALE;SH;;"


# -- happy path -----------------------------------------------------------------------------------


def test_example_csv_imports_every_registration(repos: Repositories) -> None:
    result = run_import(repos, FIXTURES / "import_example.csv")

    assert result.ok, [p.text("en") for p in result.problems]
    assert result.written
    c = result.counts
    assert (c.persons, c.cases, c.referrals, c.starts, c.outcomes, c.closures) == (5, 6, 6, 5, 3, 3)
    # two start meetings (3-partssamtale, møde med og om den unge) + three meeting rows + the two
    # start meetings of the A9 and A10 advice conversations
    assert c.meetings == 7
    assert table_counts(repos)["persons"] == 5

    a6 = repos.cases.summaries(label_like="IMP-A01")[0]
    detail = CaseworkService(repos).detail(a6.id)
    assert detail.person.display_label == "IMP-A01"
    assert detail.case.status is CaseStatus.AFSLUTTET
    assert detail.case.start_date == dt.date(2026, 9, 8)
    assert [m.meeting_type for m in detail.meetings] == [
        MeetingType.TREPARTSSAMTALE,
        MeetingType.OPFOELGNING_FLERPART,
    ]
    assert [o.outcome_type for o in detail.outcomes] == [OutcomeType.UDDANNELSE_STARTET]
    closure = detail.closures[0]
    assert closure.status_at_closure is StatusAtClosure.I_UDDANNELSE
    assert closure.joint_decision is True  # imported closures count as joint decisions


def test_one_person_across_two_activities_is_one_person(repos: Repositories) -> None:
    run_import(repos, FIXTURES / "import_example.csv")

    cases = repos.cases.summaries(label_like="IMP-C03")
    assert {s.activity for s in cases} == {
        Activity.A9_BESKAEFTIGELSESRAADGIVNING,
        Activity.A7_MENTOR_AKTIVITETSPARAT,
    }
    assert len({s.person_id for s in cases}) == 1


def test_a3_start_records_both_consents(repos: Repositories) -> None:
    run_import(repos, FIXTURES / "import_example.csv")

    a3 = repos.cases.summaries(label_like="IMP-B02")[0]
    consents = repos.consents.for_case(a3.id, order_by="given_by")
    assert {c.given_by for c in consents} == {ConsentGiver.UNG, ConsentGiver.FORAELDER}
    assert a3.status is CaseStatus.AKTIV


def test_staff_column_creates_staff_records_not_the_local_user(
    repos: Repositories, casework: CaseworkService
) -> None:
    casework.ensure_local_staff("ZZ")

    run_import(repos, FIXTURES / "import_example.csv")

    local = repos.local_staff()
    assert local is not None
    imported = {s.initials for s in [s for s in repos.staff.all() if not s.is_local_user]}
    assert imported == {"MJ", "LP", "SH", "TK"}
    mj = repos.staff.by_initials("MJ")[0]
    a6 = repos.cases.summaries(label_like="IMP-A01")[0]
    assert repos.cases.get(a6.id).staff_id == mj.id != local.id


def test_xlsx_example_gives_the_same_records_as_the_csv(repos: Repositories) -> None:
    first = run_import(repos, FIXTURES / "import_example.xlsx")
    assert first.ok, [p.text("en") for p in first.problems]
    after_xlsx = table_counts(repos)

    again = run_import(repos, FIXTURES / "import_example.csv")

    assert again.ok
    assert table_counts(repos) == after_xlsx  # same deterministic ids: nothing new
    assert again.counts.skipped_rows == 20


def test_xlsx_dates_as_text_and_birth_as_date_cells(repos: Repositories, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER.split(";"))
    # Excel turns "2001-03" into a date; both that and dd-mm-åååå text are read correctly
    ws.append(
        ["X1", dt.datetime(2001, 3, 1), "K", "rising", "a8", "Henvisning", "01-10-2026", "jobraadgiver"]
    )
    path = tmp_path / "x.xlsx"
    wb.save(path)

    result = run_import(repos, path)

    assert result.ok, [p.text("en") for p in result.problems]
    person = repos.persons.all()[0]
    assert (person.birth_year, person.birth_month, person.gender) == (2001, 3, "KVINDE")


# -- CSV dialects -----------------------------------------------------------------------------------


def test_danish_excel_csv_semicolon_and_bom(repos: Repositories) -> None:
    data = (FIXTURES / "import_example.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the fixture is what Danish Excel writes

    sheet = read_csv_bytes(data)

    assert sheet.header[0] == "person_ref"  # the BOM is not part of the first heading
    assert next(sheet.rows())[0] == 2


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t")],
)
def test_other_csv_encodings_and_delimiters(
    repos: Repositories, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = [
        HEADER,
        "Søs Ø;1990-05;kvinde;Højemarksvej-kvarteret;A8;henvisning;01-10-2026;Jobrådgiver (Jobcenter/BSF);;;",
    ]
    path = tmp_path / "d.csv"
    path.write_bytes("\n".join(r.replace(";", delimiter) for r in rows).encode(encoding))

    result = run_import(repos, path)

    assert result.ok, [p.text("en") for p in result.problems]
    person = repos.persons.all()[0]
    assert person.display_label == "Søs Ø"
    assert person.area == "HOEJEMARKSVEJ"


def test_codes_are_matched_case_insensitively_with_whitespace(repos: Repositories, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            " P2 ; 2011-02 ; mand ; rising ; a3_ungeraadgivning ; HENVISNING ; 2026-08-17 ; folkeskole ;;;",
            "P2;;;;A3;Opstart;2026-08-24;  Møde med og om den unge ;;Ung + Forælder;",
        ],
    )

    result = run_import(repos, path)

    assert result.ok, [p.text("en") for p in result.problems]
    assert repos.cases.summaries()[0].status is CaseStatus.AKTIV


def test_empty_rows_are_ignored_and_line_numbers_still_match(repos: Repositories, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, [A7_REFERRAL, ";;;;;;;;;;", "", A7_START.replace("2026-05-04", "2026-13-04"), "", ""]
    )

    result = run_import(repos, path)

    assert problems_by_line(result) == {5: ["date_parsing"]}


# -- bad rows ---------------------------------------------------------------------------------------

BAD_FILE_EXPECTED: dict[int, str] = {
    3: "start_mode_not_allowed",  # A6 must start with a 3-partssamtale
    5: "consent_missing",  # A3 start with the youth's consent only
    8: "status_required",  # A7 closure without status at closure
    9: "date_parsing",  # 31-02-2026
    10: "unknown_code",  # referral source "SKOLEN"
    11: "unknown_code",  # event "telefon"
    12: "missing",  # no person_ref
    13: "no_referral",  # opstart without a henvisning
    14: "date_future",  # referral in 2027
    16: "person_conflict",  # same person_ref, other birth month
    17: "not_case_activity",  # A12 is not a case activity
    19: "second_referral",  # two referrals for one case
    20: "status_not_closure",  # status on a henvisning row
    24: "closed",  # meeting after the closure
}


def test_bad_file_reports_every_bad_row_with_its_line_and_imports_nothing(repos: Repositories) -> None:
    result = run_import(repos, FIXTURES / "import_bad.csv")

    assert not result.ok
    assert not result.written
    assert {line: codes[0] for line, codes in problems_by_line(result).items()} == BAD_FILE_EXPECTED
    assert all(v == 0 for v in table_counts(repos).values())


def test_bad_rows_are_reported_in_the_current_language(repos: Repositories) -> None:
    result = run_import(repos, FIXTURES / "import_bad.csv")

    by_line = {p.line: p for p in result.problems}
    assert by_line[5].text("da") == (
        "Linje 5, kolonne consent: Ungerådgivning kræver samtykke fra den unge og en forælder; "
        "mangler: forælder"
    )
    assert by_line[5].text("en").startswith("Line 5, column consent: Youth advice needs consent")


@pytest.mark.parametrize(
    ("consent", "ok"),
    [("ung+foraelder", True), ("foraelder, ung", True), ("ung", False), ("foraelder", False), ("", False)],
)
def test_a3_start_needs_consent_from_youth_and_parent(
    repos: Repositories, tmp_path: Path, consent: str, ok: bool
) -> None:
    path = write_csv(
        tmp_path,
        [
            "Y1;2011-02;MAND;RISING;A3_UNGERAADGIVNING;henvisning;2026-08-17;FOLKESKOLE;LP;;",
            f'Y1;2011-02;MAND;RISING;A3_UNGERAADGIVNING;opstart;2026-08-24;MOEDE_MED_OG_OM_DEN_UNGE;LP;"{consent}";',
        ],
    )

    result = run_import(repos, path)

    assert result.ok is ok
    if not ok:
        assert problems_by_line(result) == {3: ["consent_missing"]}
        assert repos.cases.count() == 0


@pytest.mark.parametrize(("status", "ok"), [("", False), ("I_ORDINAERT_JOB", True), ("i ordinært job", True)])
def test_a7_closure_needs_status_at_closure(
    repos: Repositories, tmp_path: Path, status: str, ok: bool
) -> None:
    closure = f"P1;;;;A7_MENTOR_AKTIVITETSPARAT;afslutning;2026-10-01;MAAL_NAAET_BEHOV_OPFYLDT;SH;;{status}"
    path = write_csv(tmp_path, [A7_REFERRAL, A7_START, closure])

    result = run_import(repos, path)

    assert result.ok is ok
    if not ok:
        assert problems_by_line(result) == {4: ["status_required"]}


def test_closure_without_status_is_fine_where_the_activity_does_not_need_it(
    repos: Repositories, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        [
            "D1;2010-06;;RISING;A10_FRITIDSJOB;henvisning;2026-09-02;UUO;;;",
            "D1;;;;A10_FRITIDSJOB;afslutning;2026-09-20;KONTAKT_OPHOERT;;;",
        ],
    )

    result = run_import(repos, path)

    assert result.ok
    assert repos.cases.summaries()[0].status is CaseStatus.AFSLUTTET


def test_conflicting_person_data_in_the_file(repos: Repositories, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            "P9;1990-05;KVINDE;VOLLSMOSE;A8;henvisning;2026-10-01;JOBRAADGIVER;;;",
            "p9;1990-05;MAND;VOLLSMOSE;A9;henvisning;2026-10-01;JOBRAADGIVER;;;",
            "P9;1990-05;KVINDE;RISING;A9;opstart;2026-10-02;RAADGIVNINGSSAMTALE;;;",
        ],
    )

    result = run_import(repos, path)

    assert problems_by_line(result) == {3: ["person_conflict"], 4: ["person_conflict"]}
    assert "differs from line 2" in result.problems[0].text("en")


def test_person_data_conflicting_with_an_earlier_import(repos: Repositories, tmp_path: Path) -> None:
    run_import(repos, write_csv(tmp_path, [A7_REFERRAL]))
    later = "P1;1981-01;MAND;RISING;A9;henvisning;2026-06-01;EGEN_HENVENDELSE;;;"

    result = run_import(repos, write_csv(tmp_path, [later], name="later.csv"))

    assert problems_by_line(result) == {2: ["person_conflict"]}
    assert "earlier import" in result.problems[0].text("en")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (HEADER + ";note", "unknown_column"),
        (HEADER.replace("event;", ""), "missing_column"),
        (HEADER + ";code", "duplicate_column"),
    ],
)
def test_header_problems_stop_the_import(repos: Repositories, tmp_path: Path, header: str, code: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(header + "\n" + A7_REFERRAL + "\n", encoding="utf-8")

    result = run_import(repos, path)

    assert [(p.line, p.code) for p in result.problems] == [(1, code)]
    assert repos.cases.count() == 0


def test_danish_headings_and_hints_in_headings_are_accepted(repos: Repositories, tmp_path: Path) -> None:
    path = tmp_path / "dk.csv"
    path.write_text(
        "Person;Født (ÅÅÅÅ-MM);Køn;Område;Aktivitet;Hændelse;Dato;Kode;Medarbejder\n"
        "Q1;1990-05;K;RISING;A8;henvisning;01-10-2026;JOBRAADGIVER;AB\n",
        encoding="utf-8",
    )

    assert run_import(repos, path).ok


def test_unreadable_files_raise_a_bilingual_error(tmp_path: Path, repos: Repositories) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")

    with pytest.raises(ImportFileError) as info:
        run_import(repos, fake)
    assert "not a valid Excel file" in info.value.text("en")
    with pytest.raises(ImportFileError):
        run_import(repos, tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ImportFileError):
        run_import(repos, empty)


# -- idempotency and atomicity ------------------------------------------------------------------------


def test_reimporting_the_same_file_adds_nothing(repos: Repositories) -> None:
    run_import(repos, FIXTURES / "import_example.csv")
    before = table_counts(repos)

    again = run_import(repos, FIXTURES / "import_example.csv")

    assert again.ok
    assert table_counts(repos) == before
    assert again.counts.persons == again.counts.meetings == again.counts.closures == 0


def test_reimport_after_rows_were_appended_adds_only_the_new_rows(
    repos: Repositories, tmp_path: Path
) -> None:
    first = [A7_REFERRAL, A7_START]
    run_import(repos, write_csv(tmp_path, first))
    before = table_counts(repos)
    appended = [
        *first,
        "P1;;;;A7_MENTOR_AKTIVITETSPARAT;moede;2026-06-01;SAMTALE;SH;;",
        "P1;;;;A7_MENTOR_AKTIVITETSPARAT;moede;2026-06-01;SAMTALE;SH;;",  # a second one that day
        "P1;;;;A7_MENTOR_AKTIVITETSPARAT;afslutning;2026-10-01;ANDET;SH;;UKENDT",
        "N1;1999-01;KVINDE;RISING;A8;henvisning;2026-10-01;JOBRAADGIVER;SH;;",
    ]

    result = run_import(repos, write_csv(tmp_path, appended))

    assert result.ok, [p.text("en") for p in result.problems]
    after = table_counts(repos)
    assert after["meetings"] - before["meetings"] == 2
    assert after["closures"] - before["closures"] == 1
    assert after["persons"] - before["persons"] == 1
    assert result.counts.skipped_rows == 2
    assert run_import(repos, write_csv(tmp_path, appended)).counts.skipped_rows == 6


def test_a_changed_referral_is_reported_not_duplicated(repos: Repositories, tmp_path: Path) -> None:
    run_import(repos, write_csv(tmp_path, [A7_REFERRAL]))

    result = run_import(repos, write_csv(tmp_path, [A7_REFERRAL.replace("2026-05-01", "2026-05-02")]))

    assert problems_by_line(result) == {2: ["conflicts_with_earlier_import"]}
    assert repos.referrals.count() == 1


def test_a_failure_midway_leaves_nothing_behind(repos: Repositories) -> None:
    """The write fails after persons, referrals, cases and meetings went in: all of it is undone."""
    repos.db.execute(
        "CREATE TRIGGER test_boom BEFORE INSERT ON outcome BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )

    with pytest.raises(sqlite3.IntegrityError):
        run_import(repos, FIXTURES / "import_example.csv")
    assert all(v == 0 for v in table_counts(repos).values())


def test_dry_run_counts_but_writes_nothing(repos: Repositories) -> None:
    result = Importer(repos).import_file(FIXTURES / "import_example.csv", dry_run=True)

    assert result.ok
    assert not result.written
    assert result.counts.cases == 6
    assert all(v == 0 for v in table_counts(repos).values())


def test_start_meeting_row_is_not_counted_twice(repos: Repositories, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            "T1;2002-04;;VOLLSMOSE;A6;henvisning;2026-09-01;UUO;;;",
            "T1;;;;A6;opstart;2026-09-08;TREPARTSSAMTALE;;;",
            "T1;;;;A6;moede;2026-09-08;TREPARTSSAMTALE;;;",
        ],
    )

    result = run_import(repos, path)

    assert result.ok
    assert repos.meetings.count() == 1


# -- progress -----------------------------------------------------------------------------------------


def test_progress_reports_each_stage_in_order(repos: Repositories, tmp_path: Path) -> None:
    lines = []
    for i in range(400):
        ref = f"G{i:03d}"
        lines += [
            f"{ref};1990-05;;RISING;A8;henvisning;2026-10-01;JOBRAADGIVER;SH;;",
            f"{ref};;;;A8;opstart;2026-10-02;TREPARTSSAMTALE;SH;;",
            f"{ref};;;;A8;moede;2026-10-20;SAMTALE;SH;;",
        ]
    path = write_csv(tmp_path, lines)
    calls: list[tuple[str, int, int]] = []

    result = Importer(repos).import_file(path, progress=lambda s, d, t: calls.append((s, d, t)))

    assert result.ok
    assert result.counts.cases == 400
    assert [s for s, _, _ in calls] == sorted((s for s, _, _ in calls), key=["read", "check", "write"].index)
    reads = [(d, t) for s, d, t in calls if s == "read"]
    assert reads[-1] == (path.stat().st_size, path.stat().st_size)
    assert [d for d, _ in reads] == sorted(d for d, _ in reads)
    assert [(d, t) for s, d, t in calls if s == "check"][-1] == (400, 400)
    assert calls[-1] == ("write", 1, 1)


def test_age_and_area_warnings_do_not_block_the_import(repos: Repositories, tmp_path: Path) -> None:
    from mentor_tui.commands.import_command import report

    path = write_csv(tmp_path, ["W1;1990-05;;RISING;A3;henvisning;2026-10-01;FOLKESKOLE;;;"])

    result = run_import(repos, path)

    assert result.ok
    assert result.written
    assert [(w.line, w.code) for w in result.warnings] == [(2, "age_above")]
    out = io.StringIO()
    assert report(result, path, out, io.StringIO()) == 0
    assert (
        "Advarsler (blokerer ikke):\n  Linje 2, kolonne birth: Alder 36 er over målgruppen" in out.getvalue()
    )


def test_a_case_starts_once(repos: Repositories, tmp_path: Path) -> None:
    run_import(repos, write_csv(tmp_path, [A7_REFERRAL, A7_START]))

    changed = A7_START.replace("2026-05-04", "2026-05-05")
    result = run_import(repos, write_csv(tmp_path, [A7_REFERRAL, changed]))

    assert problems_by_line(result) == {3: ["already_started"]}
    assert "already started on 04-05-2026" in result.problems[0].text("en")


def test_values_beyond_the_last_heading_are_a_bad_row(repos: Repositories, tmp_path: Path) -> None:
    result = run_import(repos, write_csv(tmp_path, [A7_REFERRAL + ";stray note"]))

    assert problems_by_line(result) == {2: ["extra_cells"]}
    assert repos.cases.count() == 0


def test_rows_in_any_order_give_the_same_records(repos: Repositories, tmp_path: Path) -> None:
    lines = (FIXTURES / "import_example.csv").read_text(encoding="utf-8-sig").splitlines()
    shuffled = tmp_path / "reversed.csv"
    shuffled.write_text("\n".join([lines[0], *reversed(lines[1:])]), encoding="utf-8")

    assert run_import(repos, shuffled).ok
    ids_reversed = {t: {r.id for r in getattr(repos, t).all()} for t in ("cases", "meetings", "closures")}
    again = run_import(repos, FIXTURES / "import_example.csv")

    assert again.ok
    assert again.counts.skipped_rows == 20
    assert {t: {r.id for r in getattr(repos, t).all()} for t in ids_reversed} == ids_reversed


@pytest.mark.parametrize(
    "cls", [Area, Gender, ReferralSource, StartMode, MeetingType, OutcomeType, ClosureReason]
)
def test_every_code_and_label_is_recognised(cls: type[Code]) -> None:
    for member in cls:
        assert parse_code(cls, f"  {member.value.lower()} ") is member
        assert parse_code(cls, member.label.da.upper()) is member, member.label.da
        assert parse_code(cls, member.label.en) is member, member.label.en


def test_gender_and_staff_columns_may_be_left_out(repos: Repositories, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(
        "person_ref;birth;area;activity;event;date;code\nS1;1990-05;RISING;A8;henvisning;2026-10-01;UUO\n",
        encoding="utf-8",
    )

    result = run_import(repos, path)

    assert result.ok
    assert repos.persons.all()[0].gender is None


def test_a_value_under_an_empty_heading_is_a_bad_row(repos: Repositories, tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text(
        "person_ref;birth;;area;activity;event;date;code\nS1;1990-05;x;RISING;A8;henvisning;2026-10-01;UUO\n",
        encoding="utf-8",
    )

    assert problems_by_line(run_import(repos, path)) == {2: ["extra_cells"]}

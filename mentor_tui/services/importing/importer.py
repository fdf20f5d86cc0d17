"""Import spreadsheet registrations (CSV or XLSX) in one streaming pass (issue 4 item 8, issue 10
item 6).

One row is one registration: a referral (``henvisning``), the start (``opstart``), a meeting
(``moede``), an outcome (``resultat``) or a closure (``afslutning``). Rows with the same
``person_ref`` and activity form one case; the same ``person_ref`` across activities is the same
person. The column format and the decisions behind it are in ``docs/import.md``.

How it works, so that a 50 MB file is checked in bounded memory and the database is locked only
while writing:

1. **Read** (:meth:`_Run.read`): the rows are streamed from the file one at a time and parsed
   (:mod:`mentor_tui.services.importing.rows`); a problem is reported the moment it is found
   (``on_problem``), with progress by bytes read. Person data that must agree across a person's
   rows is checked on the fly. Each good row is kept in a compact form, grouped by case.
2. **Check** (:meth:`_Run.check`): each case's rows are applied in case order (referral,
   start, then meetings, outcomes and closures by date) to the case as the database holds it
   (reads only, no lock), with exactly the rules :class:`CaseworkService` applies: the same
   models, the same :mod:`~mentor_tui.services.casework.rules` functions and the same state
   checks (``tests/unit/test_import_equivalence.py`` replays random files through the service
   and compares). Checked records are staged in memory (:class:`ImportStore`).
3. **Write** (:meth:`_Run.write`): only when no row is bad and it is not a dry run, the staged
   records are copied into the database in one short ``BEGIN IMMEDIATE`` transaction. If
   anything fails nothing remains; if someone saved to the same cases meanwhile the import is
   refused and may simply be run again.

Re-importing is idempotent: every record gets a deterministic id (uuid5) derived from
``person_ref``, activity, event, date, code and the row's occurrence, so rows imported before
are recognised and skipped, and only appended rows are added.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mentor_tui.codes import (
    CASE_ACTIVITIES,
    START_MODE_MEETING,
    Activity,
    Area,
    CaseStatus,
    ClosureReason,
    Code,
    ConsentGiver,
    Gender,
    Lang,
    MeetingType,
    OutcomeType,
    ReferralSource,
    StaffRole,
    StartMode,
    StatusAtClosure,
    Team,
)
from mentor_tui.errors import DomainValidationError, Problem
from mentor_tui.i18n import Bilingual
from mentor_tui.models import (
    Case,
    Closure,
    Consent,
    Meeting,
    Outcome,
    Person,
    Record,
    Referral,
    Staff,
    label_key,
    new_id,
)
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import build
from mentor_tui.services.importing.reader import Cell, Sheet, open_sheet
from mentor_tui.services.importing.rows import (
    COLUMN_ALIASES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Event,
    normalise,
    parse_row,
)
from mentor_tui.storage.importing import ImportStore
from mentor_tui.storage.repositories import Repositories


def _problem(field: str, da: str, en: str, code: str = "invalid") -> Problem:
    """A problem of the import with its Danish and English message."""
    return Problem(field, Bilingual(da, en), code)


Stage = Literal["read", "check", "write"]
"""The three steps of an import, in order."""

ProgressCallback = Callable[[Stage, int, int], None]
"""Called as ``progress(stage, done, total)``: bytes (``read``; rows of a workbook, total 0),
cases (``check``) or records (``write``)."""

PROGRESS_MIN_BYTES = 64 * 1024
"""Front ends show progress for files larger than this."""

IMPORT_NAMESPACE = uuid.UUID("6f1c1a52-3d0e-5b8e-9a53-2f6d2b7e4c11")
"""Namespace of the deterministic (uuid5) ids of imported records. Never change it: re-imports
of old files would no longer be recognised."""

FIELD_COLUMNS: dict[str, str] = {
    "display_label": "person_ref",
    "birth_year": "birth",
    "birth_month": "birth",
    "gender": "gender",
    "area": "area",
    "activity": "activity",
    "received_date": "date",
    "start_date": "date",
    "date": "date",
    "source": "code",
    "start_mode": "code",
    "meeting_type": "code",
    "outcome_type": "code",
    "reason": "code",
    "status_at_closure": "status",
    "consent": "consent",
    "initials": "staff",
}
"""Which file column a casework problem's field belongs to."""

TEAM_OF_ACTIVITY: dict[Activity, Team] = {
    Activity.A6_FREMSKUDT_UDD_BESK: Team.TEAM_BESKAEFTIGELSE,
    Activity.A7_MENTOR_AKTIVITETSPARAT: Team.TEAM_BESKAEFTIGELSE,
    Activity.A8_MENTOR_JOBPARAT: Team.TEAM_BESKAEFTIGELSE,
    Activity.A9_BESKAEFTIGELSESRAADGIVNING: Team.TEAM_BESKAEFTIGELSE,
}
"""Team of a staff member first seen in the import, by activity (default Team Udd./Krim.)."""

ROLE_OF_ACTIVITY: dict[Activity, StaffRole] = {
    Activity.A2_FORAELDRERAADGIVNING: StaffRole.FORAELDRERAADGIVER,
    Activity.A3_UNGERAADGIVNING: StaffRole.UNGERAADGIVER,
    Activity.A6_FREMSKUDT_UDD_BESK: StaffRole.MENTOR,
    Activity.A7_MENTOR_AKTIVITETSPARAT: StaffRole.MENTOR,
    Activity.A8_MENTOR_JOBPARAT: StaffRole.MENTOR,
    Activity.A10_FRITIDSJOB: StaffRole.FRITIDSJOB,
}
"""Role of a staff member first seen in the import, by activity."""

_LINE = Bilingual("Linje {line}", "Line {line}")
_COLUMN = Bilingual("kolonne {column}", "column {column}")
_CHECK_BATCH = 500
_STAGE_BATCH = 2000


def import_id(*parts: object) -> str:
    """Return the deterministic id of an imported record made of ``parts``."""
    return str(uuid.uuid5(IMPORT_NAMESPACE, "|".join(str(p) for p in parts)))


@dataclass(frozen=True)
class RowProblem:
    """A problem with one line of the file (line 1 is the header)."""

    line: int
    column: str
    """The file column it concerns, or ``""`` for the row as a whole."""
    problem: Problem

    @property
    def code(self) -> str:
        """The stable rule code of the problem (for tests and logs)."""
        return self.problem.code

    def text(self, lang: Lang = "da") -> str:
        """Return ``Linje 7, kolonne code: message`` in ``lang``."""
        where = _LINE.format(line=self.line)
        if self.column:
            where = where + Bilingual(", ", ", ") + _COLUMN.format(column=self.column)
        return f"{where.text(lang)}: {self.problem.text(lang)}"


@dataclass
class ImportCounts:
    """How many records the import added (or would add, when nothing was written)."""

    persons: int = 0
    staff: int = 0
    cases: int = 0
    referrals: int = 0
    consents: int = 0
    meetings: int = 0
    outcomes: int = 0
    closures: int = 0
    starts: int = 0
    """Cases started by the import (new cases and earlier-imported ones)."""
    skipped_rows: int = 0
    """Rows already in the database from an earlier import (or recorded by their start)."""


@dataclass
class ImportResult:
    """What happened: the counts, the bad rows, the warnings and whether anything was written."""

    rows: int
    counts: ImportCounts
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    """The plan's age/area warnings on imported referrals; they never block the import."""
    written: bool = False
    encoding: str | None = None
    """The text encoding a CSV file was read in (``UTF-8``, ``Windows-1252``, ...); None for XLSX."""

    @property
    def ok(self) -> bool:
        """True when no row is bad."""
        return not self.problems


@dataclass(slots=True)
class _Row:
    """A parsed good row, compact: a 50 MB file holds hundreds of thousands of them."""

    line: int
    event: Event
    date: dt.date
    code: Code
    staff: str | None
    consents: tuple[ConsentGiver, ...]
    status: StatusAtClosure | None
    good: bool


class _PersonData:
    """What a person's rows say about them (one per person: slots, no per-person dicts)."""

    __slots__ = (
        "label",
        "first_line",
        "birth",
        "gender",
        "area",
        "birth_line",
        "gender_line",
        "area_line",
        "unreadable",
    )

    def __init__(self, label: str, first_line: int) -> None:
        self.label = label
        self.first_line = first_line
        self.birth: tuple[int, int] | None = None
        self.gender: Gender | None = None
        self.area: Area | None = None
        self.birth_line = self.gender_line = self.area_line = 0
        self.unreadable: frozenset[str] = _NOTHING  # shared: an empty frozenset is 216 bytes
        """Columns that had a value this person's rows could not read (already reported)."""


_NOTHING: frozenset[str] = frozenset()


class _CaseFailed(Exception):
    """A row of the case broke a rule; the rest of the case is checked row by row."""


class Importer:
    """Checks and imports a spreadsheet of registrations: all rows, or none."""

    def __init__(self, repos: Repositories, *, a3_max_age: int = rules.DEFAULT_A3_MAX_AGE) -> None:
        self.repos = repos
        self.a3_max_age = a3_max_age

    def import_file(
        self,
        path: Path,
        *,
        progress: ProgressCallback | None = None,
        on_problem: Callable[[RowProblem], None] | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Read ``path`` (CSV or XLSX) and import it; see :meth:`import_sheet`.

        Raises:
            ImportFileError: the file cannot be read as a spreadsheet at all.
        """
        with open_sheet(path) as sheet:
            return self.import_sheet(sheet, progress=progress, on_problem=on_problem, dry_run=dry_run)

    def import_sheet(
        self,
        sheet: Sheet,
        *,
        progress: ProgressCallback | None = None,
        on_problem: Callable[[RowProblem], None] | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Check every row, then write all of them in one transaction, or nothing.

        Args:
            sheet: the open spreadsheet.
            progress: called as ``(stage, done, total)`` (see :data:`ProgressCallback`).
            on_problem: called with each bad row as soon as it is found.
            dry_run: check and count only; write nothing.

        Returns:
            The result; ``written`` is True only when the rows were committed.

        Raises:
            ImportFileError: the file turns out unreadable part-way.
            ImportConflictError: someone saved to the same cases while the file was checked.
            DatabaseBusyError, DiskFullError, ...: the write failed; nothing was written.
        """
        run = _Run(self, sheet, progress, on_problem)
        run.read()
        if run.header_problems:
            return ImportResult(
                rows=run.n_rows, counts=ImportCounts(), problems=run.header_problems, encoding=sheet.encoding
            )
        run.store.open_staging()
        try:
            run.check()
            written = False
            if not run.problems and not dry_run:
                run.write()
                written = True
        finally:
            run.store.close_staging()
        return ImportResult(
            rows=run.n_rows,
            counts=run.counts,
            problems=sorted(run.problems, key=lambda p: p.line),
            warnings=sorted(run.warnings, key=lambda p: p.line),
            written=written,
            encoding=sheet.encoding,
        )


class _Run:
    """The state of one import: rows by case, persons, problems found, records staged."""

    def __init__(
        self,
        importer: Importer,
        sheet: Sheet,
        progress: ProgressCallback | None,
        on_problem: Callable[[RowProblem], None] | None,
    ) -> None:
        self.importer = importer
        self.repos = importer.repos
        self.store = ImportStore(importer.repos)
        self.today = self.repos.clock.today()
        self.sheet = sheet
        self.progress = progress
        self.on_problem = on_problem
        self.header_problems: list[RowProblem] = []
        self.problems: list[RowProblem] = []
        self.warnings: list[RowProblem] = []
        self.cases: dict[tuple[str, Activity], list[_Row]] = {}
        """The rows of each case, in file order, until the case is checked."""
        self.bad_cases: set[tuple[str, Activity]] = set()
        self.persons: dict[str, _PersonData] = {}
        self.births: dict[tuple[int, int], tuple[int, int]] = {}
        """Each birth month the file names, once (many persons share one)."""
        self.counts = ImportCounts()
        self.n_rows = 0
        self.staff_ids: dict[str, str] = {}
        self.local_staff_id: str | None = None
        self.new_persons: set[str] = set()
        self.same_persons: dict[str, Person | None] = {}
        """Persons of the file found in the app by label key and birth month, by person key."""
        self.anonymised: set[str] = set()
        """Persons of the file that retention has anonymised: their rows are not imported again."""
        self.updated_cases: list[tuple[Case, str]] = []
        self.staged: list[Record] = []

    # -- stage 1: stream the rows --------------------------------------------------------------

    def read(self) -> None:
        columns = self._map_header()
        if self.header_problems:
            return
        width = len(columns)
        size = self.sheet.size if self.sheet.encoding is not None else 0
        for line, cells in self.sheet.rows():
            self.n_rows += 1
            values: dict[str, Cell] = {col: cells[i] for i, col in enumerate(columns) if col}
            row = parse_row(line, values)
            if len(cells) > width or any(
                not col and not _blank(cells[i]) for i, col in enumerate(columns) if i < len(cells)
            ):
                row.problems.append(
                    _problem(
                        "",
                        "Rækken har værdier i en kolonne uden overskrift",
                        "The row has values in a column without a heading",
                        "extra_cells",
                    )
                )
            if row.person_key:
                self._person(
                    row.person_key, row.person_ref, line, row.birth, row.gender, row.area, row.problems
                )
            for p in row.problems:
                self._report(RowProblem(line, p.field, p))
            key = row.case_key
            if key is not None:
                good = not row.problems
                if not good:
                    self.bad_cases.add(key)
                if row.event is not None and row.date is not None and row.code is not None:
                    self.cases.setdefault(key, []).append(
                        _Row(
                            line,
                            row.event,
                            row.date,
                            row.code,
                            row.staff,
                            tuple(row.consents),
                            row.status,
                            good,
                        )
                    )
            if self.progress is not None and self.n_rows % 1000 == 0:
                self.progress("read", self.sheet.position(), size)
        missing_data: set[str] = set()
        for person_key, data in self.persons.items():
            for column in ("birth", "area"):
                if getattr(data, column) is None and column in data.unreadable:
                    missing_data.add(person_key)  # its row already says what is wrong
                elif getattr(data, column) is None:
                    self._report(
                        RowProblem(
                            data.first_line,
                            column,
                            _problem(
                                column,
                                f"{column} mangler for {data.label}; angiv den på mindst én række",
                                f"{column} is missing for {data.label}; give it on at least one row",
                                "missing",
                            ),
                        )
                    )
                    missing_data.add(person_key)
        self.bad_cases |= {k for k in self.cases if k[0] in missing_data}
        if self.progress is not None:
            self.progress("read", size, size)

    def _person(
        self,
        key: str,
        label: str,
        line: int,
        birth: tuple[int, int] | None,
        gender: Gender | None,
        area: Area | None,
        problems: list[Problem],
    ) -> None:
        """Birth, gender and area must agree across a person's rows (checked as rows arrive)."""
        data = self.persons.get(key)
        if data is None:
            data = self.persons[key] = _PersonData(label=label, first_line=line)
        if birth is not None:
            birth = self.births.setdefault(birth, birth)  # one tuple per birth month, not per person
        bad = {p.field for p in problems if p.field in ("birth", "area")}
        if bad:
            data.unreadable |= bad
        for column, value in (("birth", birth), ("gender", gender), ("area", area)):
            if value is None:
                continue
            first = getattr(data, column)
            if first is None:
                setattr(data, column, value)
                setattr(data, f"{column}_line", line)
            elif value != first:
                first_line = getattr(data, f"{column}_line")
                problems.append(
                    _problem(
                        column,
                        f"{column} {_show(value)} er ikke den samme som på linje {first_line} "
                        f"({_show(first)}) for samme person_ref",
                        f"{column} {_show(value)} differs from line {first_line} "
                        f"({_show(first)}) for the same person_ref",
                        "person_conflict",
                    )
                )

    def _map_header(self) -> list[str]:
        columns: list[str] = []
        seen: dict[str, int] = {}
        unknown: list[str] = []
        known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
        for i, heading in enumerate(self.sheet.header):
            # "birth (YYYY-MM)" as in the column list is accepted too
            key = normalise(heading.split("(", 1)[0])
            key = COLUMN_ALIASES.get(key, key)
            if not key:
                columns.append("")
                continue
            if key not in known:
                unknown.append(heading.strip())
                columns.append("")
                continue
            if key in seen:
                self._header_problem(
                    "duplicate_column",
                    f"Kolonnen {key} står to gange (kolonne {seen[key] + 1} og {i + 1})",
                    f"The column {key} appears twice (columns {seen[key] + 1} and {i + 1})",
                )
            seen[key] = i
            columns.append(key)
        if unknown:
            names = ", ".join(unknown)
            allowed = ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
            self._header_problem(
                "unknown_column",
                f"Ukendte kolonner: {names}. Tilladt: {allowed}",
                f"Unknown columns: {names}. Allowed: {allowed}",
            )
        missing = [c for c in REQUIRED_COLUMNS if c not in seen]
        if missing:
            self._header_problem(
                "missing_column",
                f"Mangler kolonner: {', '.join(missing)}",
                f"Missing columns: {', '.join(missing)}",
            )
        return columns

    def _header_problem(self, code: str, da: str, en: str) -> None:
        problem = RowProblem(1, "", _problem("", da, en, code))
        self.header_problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def _report(self, problem: RowProblem) -> None:
        self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    # -- stage 2: check each case against the database as it is (reads only) --------------------

    def check(self) -> None:
        keys = list(self.cases)
        total = len(keys)
        self.staff_ids = self.store.staff_by_initials()
        self.local_staff_id = self.store.local_staff_id()
        if self.progress is not None:
            self.progress("check", 0, total)
        for start in range(0, total, _CHECK_BATCH):
            batch = keys[start : start + _CHECK_BATCH]
            case_ids = {key: import_id("case", key[0], key[1].value) for key in batch}
            existing = self.store.cases(case_ids.values())
            referrals = self.store.referrals(c.referral_id for c in existing.values() if c.referral_id)
            person_ids = {import_id("person", key[0]) for key in batch}
            persons = self.store.persons(person_ids)
            self.anonymised |= self.store.anonymised_persons(person_ids)
            ids_by_case = {key: self._record_ids(case_ids[key], self.cases[key]) for key in batch}
            record_ids = {record_id for ids in ids_by_case.values() for record_id, _ in ids.values()}
            stored = {
                table: self.store.existing_ids(table, record_ids)
                for table in ("meeting", "outcome", "closure")
            }
            for key in batch:
                self._check_case(key, case_ids[key], existing, referrals, persons, stored, ids_by_case[key])
                del self.cases[key]  # checked: its rows' memory serves the records staged next
            if len(self.staged) >= _STAGE_BATCH or start + _CHECK_BATCH >= total:
                self._flush()
            if self.progress is not None:
                self.progress("check", min(start + _CHECK_BATCH, total), total)
        self._flush()

    def _flush(self) -> None:
        if self.staged and not self.problems:
            self.store.stage(self.staged)
        self.staged = []

    def _record_ids(self, case_id: str, rows: list[_Row]) -> dict[int, tuple[str, int]]:
        """The deterministic id and occurrence of each meeting, outcome and closure row, by line."""
        occurrences: dict[tuple[object, ...], int] = defaultdict(int)
        ids: dict[int, tuple[str, int]] = {}
        for row in rows:  # file order, so rows appended later get new occurrence numbers
            if row.event in (Event.MOEDE, Event.RESULTAT, Event.AFSLUTNING):
                k = (row.event, row.date, row.code)
                n = occurrences[k]
                ids[row.line] = (
                    import_id(row.event.value, case_id, row.date.isoformat(), row.code.value, n),
                    n,
                )
                occurrences[k] += 1
            else:
                occurrences[(row.event, row.date, row.code)] += 1
        return ids

    def _check_case(
        self,
        key: tuple[str, Activity],
        case_id: str,
        existing: dict[str, Case],
        referrals: dict[str, Referral],
        persons: dict[str, Person],
        stored: dict[str, set[str]],
        record_ids: dict[int, tuple[str, int]],
    ) -> None:
        rows = self.cases[key]
        if key in self.bad_cases:
            # a case with a bad row is not applied; its other rows are still checked on their own
            for row in rows:
                if row.good:
                    self._rule_check(row, key[1])
            return
        person_key, activity = key
        if import_id("person", person_key) in self.anonymised:
            self._fail(
                min(rows, key=lambda r: r.line),
                "",
                "Personen er anonymiseret efter opbevaringsperioden (mentor-tui retention); "
                "personens rækker importeres ikke igen",
                "The person was anonymised after the retention period (mentor-tui retention); "
                "their rows are not imported again",
                "anonymised_person",
            )
            return
        case = existing.get(case_id)
        state = _CaseState(
            key=key,
            case=case.model_copy() if case is not None else None,
            seen_updated_at=case.updated_at if case is not None else None,
            referral=referrals.get(case.referral_id or "") if case is not None else None,
            birth=self.persons[person_key].birth,
        )
        if case is not None:
            # appended rows of an earlier import meet the consistency rules with what is stored
            stored_person = self.repos.persons.get(case.person_id)
            state.birth = (stored_person.birth_year, stored_person.birth_month)
            state.held = [m.date for m in self.repos.meetings.for_case(case.id) if m.held]
            state.outcomes = [o.date for o in self.repos.outcomes.for_case(case.id)]
            state.closures = [c.date for c in self.repos.closures.for_case(case.id)]
        referral_rows = [r for r in rows if r.event is Event.HENVISNING]
        failed = False
        for extra in referral_rows[1:]:
            label = self.persons[person_key].label
            self._fail(
                extra,
                "",
                f"{activity.label.da} har allerede en henvisning for {label} på linje "
                f"{referral_rows[0].line}; én person har ét forløb pr. aktivitet i en import",
                f"{activity.label.en} already has a referral for {label} on line "
                f"{referral_rows[0].line}; a person has one case per activity in an import",
                "second_referral",
            )
            failed = True
        if not referral_rows and case is None:
            first = min(rows, key=lambda r: r.line)
            label = self.persons[person_key].label
            self._fail(
                first,
                "event",
                f"Ingen henvisning-række for {label} i {activity.label.da}; forløbet skal begynde med en "
                "henvisning",
                f"No henvisning row for {label} in {activity.label.en}; the case must begin with a referral",
                "no_referral",
            )
            failed = True
        staged: list[Record] = []
        for row in sorted(rows, key=_case_order):
            if failed:
                self._rule_check(row, activity)
                continue
            try:
                staged += self._apply(row, case_id, state, persons, stored, record_ids)
            except _CaseFailed:
                failed = True
        if failed:
            return
        self.staged += staged
        if state.case is not None and state.seen_updated_at is not None and state.changed:
            self.updated_cases.append((state.case, state.seen_updated_at))

    # the rules below are those of CaseworkService: register_referral, start_case, add_meeting,
    # add_outcome and close_case, in the same order and with the same messages

    def _apply(
        self,
        row: _Row,
        case_id: str,
        state: _CaseState,
        persons: dict[str, Person],
        stored: dict[str, set[str]],
        record_ids: dict[int, tuple[str, int]],
    ) -> list[Record]:
        activity = state.key[1]
        if row.event is Event.HENVISNING:
            return self._referral(row, case_id, state, persons)
        case = state.case
        assert case is not None
        if row.event is Event.OPSTART:
            return self._start(row, state, case)
        record_id, occurrence = record_ids[row.line]
        if row.event is Event.MOEDE:
            assert isinstance(row.code, MeetingType)
            start_meeting = START_MODE_MEETING.get(case.start_mode) if case.start_mode else None
            if record_id in stored["meeting"] or (
                occurrence == 0 and case.start_date == row.date and start_meeting is row.code
            ):
                self.counts.skipped_rows += 1  # the start already recorded this meeting
                return []
            problems = self._must_be_open(case)
            problems += [
                p
                for p in rules.meeting_problems(
                    day=row.date, held=True, next_followup=None, today=self.today, dates=state.dates()
                )
                if not (problems and p.code == "after_closure")  # "the case is closed" says it
            ]
            self._raise_if(row, problems)
            state.held.append(row.date)
            self.counts.meetings += 1
            return [
                self._build(
                    row,
                    Meeting,
                    id=record_id,
                    case_id=case.id,
                    meeting_type=row.code,
                    date=row.date,
                    held=True,
                )
            ]
        if row.event is Event.RESULTAT:
            assert isinstance(row.code, OutcomeType)
            if record_id in stored["outcome"]:
                self.counts.skipped_rows += 1
                return []
            problems = []
            if case.status is CaseStatus.HENVIST:
                problems.append(
                    _problem(
                        "status",
                        "Forløbet er ikke startet; start det før du registrerer resultater",
                        "The case has not started; start it before recording outcomes",
                        "not_started",
                    )
                )
            problems += rules.outcome_problems(row.date, today=self.today, dates=state.dates())
            self._raise_if(row, problems)
            state.outcomes.append(row.date)
            self.counts.outcomes += 1
            return [
                self._build(row, Outcome, id=record_id, case_id=case.id, outcome_type=row.code, date=row.date)
            ]
        assert isinstance(row.code, ClosureReason)
        if record_id in stored["closure"]:
            self.counts.skipped_rows += 1
            return []
        problems = self._must_be_open(case)
        problems += rules.closure_problems(
            activity,
            reason=row.code,
            status_at_closure=row.status,
            joint_decision=True,  # imported closures count as joint decisions (issue 4 item 8)
            closure_date=row.date,
            start_date=case.start_date,
            today=self.today,
            dates=state.dates(),
        )
        self._raise_if(row, problems)
        state.closures.append(row.date)
        closure = self._build(
            row,
            Closure,
            id=record_id,
            case_id=case.id,
            date=row.date,
            reason=row.code,
            status_at_closure=row.status,
            joint_decision=True,
        )
        case.status = CaseStatus.AFSLUTTET
        case.end_date = row.date
        case.next_followup_date = None
        state.changed = True
        self.counts.closures += 1
        return [closure]

    def _referral(
        self, row: _Row, case_id: str, state: _CaseState, persons: dict[str, Person]
    ) -> list[Record]:
        person_key, activity = state.key
        assert isinstance(row.code, ReferralSource)
        if state.case is not None:
            referral = state.referral
            if referral is not None and referral.received_date == row.date and referral.source is row.code:
                self.counts.skipped_rows += 1
                return []
            shown = (
                Bilingual("{date} fra {source}", "{date} from {source}").format(
                    date=_show(referral.received_date),
                    source=referral.source.label,
                )
                if referral
                else Bilingual("uden henvisning", "without referral")
            )
            self._raise_if(
                row,
                [
                    _problem(
                        "",
                        f"Forløbet er allerede importeret med henvisning {shown.da}; ret det i programmet",
                        f"The case was already imported with referral {shown.en}; correct it in the app",
                        "conflicts_with_earlier_import",
                    )
                ],
            )
        data = self.persons[person_key]
        assert data.birth is not None
        assert data.area is not None
        person_id = import_id("person", person_key)
        stored_person = persons.get(person_id)
        if stored_person is None and person_id not in self.new_persons:
            # one person, one record (issue 9 item 5): a label and birth month already in the app
            # are that person, so a second open case in the activity is refused as in the app
            stored_person = self._same_person(person_key, data)
            if stored_person is not None:
                person_id = stored_person.id
                self.warnings.append(RowProblem(row.line, "person_ref", _same_person(data.label)))
        records: list[Record] = []
        problems: list[Problem] = []
        if stored_person is not None:
            problems += self._stored_person_problems(stored_person, data)
            area = stored_person.area
        else:
            area = data.area
            if person_id not in self.new_persons:
                try:
                    person = build(
                        Person,
                        id=person_id,
                        display_label=data.label,
                        birth_year=data.birth[0],
                        birth_month=data.birth[1],
                        area=data.area,
                        gender=data.gender,
                    )
                    records.append(person)
                except DomainValidationError as exc:
                    problems += exc.problems
        referral_record: Referral | None = None
        try:
            referral_record = build(
                Referral,
                id=import_id("referral", case_id),
                person_id=person_id,
                activity=activity,
                received_date=row.date,
                source=row.code,
                reasons=[],
            )
        except DomainValidationError as exc:
            problems += exc.problems
        if stored_person is None:
            problems += rules.birth_problems(*data.birth, today=self.today, first_event=row.date)
        birth = (stored_person.birth_year, stored_person.birth_month) if stored_person else data.birth
        problems += [
            p
            for p in rules.referral_problems(
                row.date, today=self.today, dates=rules.CaseDates(birth_year=birth[0], birth_month=birth[1])
            )
            if not (stored_person is None and p.code == "before_birth")  # said at the birth month
        ]
        state.birth = birth
        if activity not in CASE_ACTIVITIES:
            problems.append(
                _problem(
                    "activity",
                    f"{activity.label.da} registreres ikke som forløb",
                    f"{activity.label.en} is not registered as a case",
                    "not_case_activity",
                )
            )
        if stored_person is not None and self.store.open_cases_elsewhere(person_id, activity.value, case_id):
            problems.append(
                _problem(
                    "activity",
                    f"{stored_person.display_label} har allerede et åbent forløb i {activity.label.da}",
                    f"{stored_person.display_label} already has an open case in {activity.label.en}",
                    "duplicate_open_case",
                )
            )
        self._raise_if(row, problems)
        assert referral_record is not None
        staff_id, new_staff = self._staff_id(row.staff, activity)
        if new_staff is not None:
            records.insert(0, new_staff)
            self.counts.staff += 1
        case = Case(
            id=case_id,
            person_id=person_id,
            referral_id=referral_record.id,
            activity=activity,
            area=area,
            staff_id=staff_id,
            status=CaseStatus.HENVIST,
        )
        if any(isinstance(r, Person) for r in records):
            self.new_persons.add(person_id)
            self.counts.persons += 1
        records += [referral_record, case]
        state.case = case
        state.referral = referral_record
        self.counts.referrals += 1
        self.counts.cases += 1
        for warning in rules.eligibility_warnings(
            activity,
            birth_year=data.birth[0],
            birth_month=data.birth[1],
            area=area,
            on=row.date,
            a3_max_age=self.importer.a3_max_age,
        ):
            self.warnings.append(RowProblem(row.line, FIELD_COLUMNS.get(warning.field, ""), warning))
        return records

    def _start(self, row: _Row, state: _CaseState, case: Case) -> list[Record]:
        assert isinstance(row.code, StartMode)
        if case.start_date == row.date and case.start_mode is row.code:
            self.counts.skipped_rows += 1
            return []
        if case.start_date is not None and case.start_mode is not None:
            self._raise_if(
                row,
                [
                    _problem(
                        "",
                        f"Forløbet er allerede startet {_show(case.start_date)} med "
                        f"{case.start_mode.label.da}; et forløb startes én gang (ret det i programmet)",
                        f"The case already started on {_show(case.start_date)} with "
                        f"{case.start_mode.label.en}; a case starts once (correct it in the app)",
                        "already_started",
                    )
                ],
            )
        problems: list[Problem] = []
        if case.status is not CaseStatus.HENVIST:
            problems.append(
                _problem(
                    "status",
                    f"Forløbet er {case.status.label.da.lower()} og kan ikke startes igen",
                    f"The case is {case.status.label.en.lower()} and cannot be started again",
                    "not_referred",
                )
            )
        problems += rules.start_problems(
            case.activity,
            row.code,
            row.consents,
            start_date=row.date,
            received_date=state.referral.received_date if state.referral else None,
            today=self.today,
            dates=state.dates(),
        )
        self._raise_if(row, problems)
        records: list[Record] = [
            self._build(row, Consent, case_id=case.id, given_by=giver, given_date=row.date)
            for giver in dict.fromkeys(row.consents)
        ]
        meeting_type = START_MODE_MEETING.get(row.code)
        if meeting_type is not None:
            records.append(
                self._build(
                    row,
                    Meeting,
                    case_id=case.id,
                    meeting_type=meeting_type,
                    date=row.date,
                    participants=[],
                    held=True,
                    next_followup_date=None,
                    is_start=True,
                )
            )
            state.held.append(row.date)
            self.counts.meetings += 1
        self.counts.consents += len(records) - (meeting_type is not None)
        case.status = CaseStatus.AKTIV
        case.start_mode = row.code
        case.start_date = row.date
        case.goals_agreed = False
        case.next_followup_date = None
        state.changed = True
        self.counts.starts += 1
        return records

    def _same_person(self, person_key: str, data: _PersonData) -> Person | None:
        """The live person in the app with this label (by label key) and birth month, if any."""
        if person_key not in self.same_persons:
            assert data.birth is not None
            found = self.repos.persons.same(label_key(data.label), *data.birth)
            self.same_persons[person_key] = found[0] if found else None
        return self.same_persons[person_key]

    def _stored_person_problems(self, person: Person, data: _PersonData) -> list[Problem]:
        stored: dict[str, object] = {
            "birth": (person.birth_year, person.birth_month),
            "area": person.area,
            "gender": person.gender,
        }
        return [
            _problem(
                column,
                f"{column} {_show(getattr(data, column))} er ikke den samme som ved en tidligere import "
                f"({_show(stored[column])})",
                f"{column} {_show(getattr(data, column))} differs from an earlier import "
                f"({_show(stored[column])})",
                "person_conflict",
            )
            for column in ("birth", "area", "gender")
            if getattr(data, column) is not None
            and stored[column] is not None
            and getattr(data, column) != stored[column]
        ]

    def _staff_id(self, initials: str | None, activity: Activity) -> tuple[str | None, Staff | None]:
        """The case worker: by initials (a new staff record if unknown), else the local user."""
        if not initials:
            return self.local_staff_id, None
        key = initials.upper()
        if key in self.staff_ids:
            return self.staff_ids[key], None
        staff = build(
            Staff,
            id=import_id("staff", key),
            initials=key,
            team=TEAM_OF_ACTIVITY.get(activity, Team.TEAM_UDD_KRIM),
            role=ROLE_OF_ACTIVITY.get(activity, StaffRole.BOLIGSOCIAL_MEDARBEJDER),
            is_local_user=False,
        )
        self.staff_ids[key] = staff.id
        return staff.id, staff

    def _must_be_open(self, case: Case) -> list[Problem]:
        if case.status is CaseStatus.AFSLUTTET:
            return [
                _problem(
                    "status",
                    "Forløbet er afsluttet; genåbn det først",
                    "The case is closed; reopen it first",
                    "closed",
                )
            ]
        return []

    def _build(self, row: _Row, model: type[Record], **data: Any) -> Record:
        """A record from values the row parser has already typed and checked (codes, dates).

        Built without a second validation: at hundreds of thousands of rows it is the
        difference between seconds and minutes. Persons and referrals, whose fields come
        partly from text, are validated with :func:`build` as the service does. The id and
        the lists are given here: pydantic's default factories are slow to call one by one.
        """
        data.setdefault("id", new_id())
        if model is Meeting:
            data.setdefault("participants", [])
        return model.model_construct(**data)

    def _raise_if(self, row: _Row, problems: Iterable[Problem]) -> None:
        found = list(problems)
        if found:
            for p in found:
                self._report(RowProblem(row.line, FIELD_COLUMNS.get(p.field, ""), p))
            raise _CaseFailed

    def _rule_check(self, row: _Row, activity: Activity) -> None:
        """Check a row that cannot be applied against the plan's rules alone (no case state)."""
        problems: list[Problem]
        if row.event is Event.OPSTART:
            assert isinstance(row.code, StartMode)
            problems = rules.start_problems(
                activity, row.code, row.consents, start_date=row.date, received_date=None, today=self.today
            )
        elif row.event is Event.AFSLUTNING:
            assert isinstance(row.code, ClosureReason)
            problems = rules.closure_problems(
                activity,
                reason=row.code,
                status_at_closure=row.status,
                joint_decision=True,
                closure_date=row.date,
                start_date=None,
                today=self.today,
            )
        else:
            problems = rules.not_in_future("date", row.date, self.today)
        for p in problems:
            self._report(RowProblem(row.line, FIELD_COLUMNS.get(p.field, ""), p))

    def _fail(self, row: _Row, column: str, da: str, en: str, code: str) -> None:
        self._report(RowProblem(row.line, column, _problem(column, da, en, code)))

    # -- stage 3: write (the only time the database is locked) ----------------------------------

    def write(self) -> None:
        # everything is checked and staged: free what the check kept per row and per person
        # before the write's page cache grows (a 50 MB file: about 200 MB)
        self.cases.clear()
        self.persons.clear()
        self.births.clear()
        self.new_persons.clear()
        self.same_persons.clear()
        if self.progress is not None:
            self.progress("write", 0, 1)
        self.store.write(self.updated_cases)
        if self.progress is not None:
            self.progress("write", 1, 1)


@dataclass
class _CaseState:
    key: tuple[str, Activity]
    case: Case | None
    seen_updated_at: str | None
    referral: Referral | None
    changed: bool = False
    birth: tuple[int, int] | None = None
    held: list[dt.date] = field(default_factory=list)
    """Held meetings, outcomes and closures of the case so far (the database's, then the file's)."""
    outcomes: list[dt.date] = field(default_factory=list)
    closures: list[dt.date] = field(default_factory=list)

    def dates(self) -> rules.CaseDates:
        """The case's dates for the consistency rules, as the casework service builds them."""
        assert self.birth is not None
        case = self.case
        start = case.start_date if case is not None else None
        events = [d for d in (start, *self.held, *self.outcomes, *self.closures) if d is not None]
        closed = case is not None and case.status is CaseStatus.AFSLUTTET
        return rules.CaseDates(
            birth_year=self.birth[0],
            birth_month=self.birth[1],
            received=self.referral.received_date if self.referral is not None else None,
            start=start,
            first_event=min(events, default=None),
            first_outcome=min(self.outcomes, default=None),
            first_closure=min(self.closures, default=None),
            last_held_meeting=max(self.held, default=None),
            last_outcome=max(self.outcomes, default=None),
            closed_on=max(self.closures, default=None) if closed else None,
        )


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _case_order(row: _Row) -> tuple[int, dt.date, int, int]:
    """Referral first, then the start, then the rest by date (meeting, outcome, closure on a day)."""
    phase = min(row.event.rank, 2)
    return phase, row.date, row.event.rank, row.line


def _same_person(label: str) -> Problem:
    return Problem(
        "person_ref",
        Bilingual(
            "{label} med samme fødselsmåned findes allerede i programmet; "
            "rækken er registreret på den person",
            "{label} with the same birth month already exists in the app; "
            "the row is registered on that person",
        ).format(label=label),
        "same_person",
    )


def _show(value: object) -> str:
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]:04d}-{value[1]:02d}"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Code):
        return value.value
    return "" if value is None else str(value)

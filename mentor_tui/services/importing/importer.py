"""Import spreadsheet registrations (CSV or XLSX) through the casework service (issue 4 item 8).

One row is one registration: a referral (``henvisning``), the start (``opstart``), a meeting
(``moede``), an outcome (``resultat``) or a closure (``afslutning``). Rows with the same
``person_ref`` and activity form one case; the same ``person_ref`` across activities is the same
person. The column format and the decisions behind it are in ``docs/import.md``.

How it works:

1. Every row is parsed on its own (:mod:`mentor_tui.services.importing.rows`): codes, dates, the
   consent and status columns, and person data that must agree across a person's rows.
2. Inside ONE transaction, each case's rows are replayed in case order (referral, start, then
   meetings, outcomes and closures by date) through :class:`CaseworkService`, so the import
   applies exactly the rules the app applies (A3 consent gate, allowed start modes, closure
   status and joint decision, no future dates, ...).
3. If any row is bad the transaction is rolled back and every bad row is reported with its
   line number; otherwise it is committed. Nothing is ever half-imported.

Re-importing is idempotent: every record gets a deterministic id (uuid5) derived from
``person_ref``, activity, event, date, code and the row's occurrence, so rows imported before
are recognised and skipped, and only appended rows are added.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mentor_tui.codes import (
    START_MODE_MEETING,
    Activity,
    Area,
    ClosureReason,
    Code,
    Lang,
    MeetingType,
    OutcomeType,
    ReferralSource,
    StaffRole,
    StartMode,
    Team,
)
from mentor_tui.errors import DomainValidationError, Problem
from mentor_tui.i18n import Bilingual
from mentor_tui.models import Case, Staff
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService, build
from mentor_tui.services.importing.reader import Cell, Sheet, read_sheet
from mentor_tui.services.importing.rows import (
    COLUMN_ALIASES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Event,
    ImportRow,
    normalise,
    parse_row,
)
from mentor_tui.storage.repositories import Repositories

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while rows are processed."""

PROGRESS_MIN_ROWS = 300
"""Front ends show a progress bar for files with more data rows than this."""

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
"""Which file column a casework service problem's field belongs to."""

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

_MESSAGES: dict[str, Bilingual] = {
    "line": Bilingual("Linje {line}", "Line {line}"),
    "column": Bilingual(", kolonne {column}", ", column {column}"),
}


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

    @property
    def message(self) -> Bilingual:
        """``Linje 7, kolonne code: message`` in both languages."""
        where = _MESSAGES["line"].format(line=self.line)
        if self.column:
            where += _MESSAGES["column"].format(column=self.column)
        return Bilingual.join(": ", [where, self.problem.message])

    def text(self, lang: Lang | None = None) -> str:
        """Return ``Linje 7, kolonne code: message`` in ``lang`` (default: the UI language)."""
        return self.message.text(lang)


@dataclass
class ImportCounts:
    """How many records the import added (or would add, when it was rolled back)."""

    persons: int = 0
    staff: int = 0
    cases: int = 0
    referrals: int = 0
    consents: int = 0
    meetings: int = 0
    outcomes: int = 0
    closures: int = 0
    starts: int = 0
    """Cases started by the import (each also a row of ``cases``)."""
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

    @property
    def ok(self) -> bool:
        """True when no row is bad."""
        return not self.problems


class _Rollback(Exception):
    """Raised inside the transaction to undo a trial run."""


_TABLES = ("persons", "staff", "cases", "referrals", "consents", "meetings", "outcomes", "closures")


class Importer:
    """Validates and imports a spreadsheet of registrations in one transaction."""

    def __init__(self, repos: Repositories, *, a3_max_age: int = rules.DEFAULT_A3_MAX_AGE) -> None:
        self.repos = repos
        self.casework = CaseworkService(repos, a3_max_age=a3_max_age)

    def import_file(
        self, path: Path, *, progress: ProgressCallback | None = None, dry_run: bool = False
    ) -> ImportResult:
        """Read ``path`` (CSV or XLSX) and import it; see :meth:`import_sheet`.

        Raises:
            ImportFileError: the file cannot be read as a spreadsheet at all.
        """
        return self.import_sheet(read_sheet(path), progress=progress, dry_run=dry_run)

    def import_sheet(
        self, sheet: Sheet, *, progress: ProgressCallback | None = None, dry_run: bool = False
    ) -> ImportResult:
        """Validate every row, then write all of them in one transaction, or nothing.

        Args:
            sheet: the header and rows read from the file.
            progress: called with ``(done, total)`` as rows are processed.
            dry_run: check and count only; roll back even when every row is good.

        Returns:
            The result; ``written`` is True only when the rows were committed.
        """
        run = _Run(self, sheet, progress)
        run.parse()
        if run.header_problems:
            return ImportResult(rows=len(sheet.rows), counts=ImportCounts(), problems=run.header_problems)
        try:
            with self.repos.atomic():
                before = {t: getattr(self.repos, t).count() for t in _TABLES}
                run.replay()
                counts = ImportCounts(
                    **{t: getattr(self.repos, t).count() - before[t] for t in _TABLES},
                    starts=run.starts,
                    skipped_rows=run.skipped,
                )
                if run.problems or dry_run:
                    raise _Rollback
        except _Rollback:
            written = False
        else:
            written = True
        return ImportResult(
            rows=len(sheet.rows),
            counts=counts,
            problems=sorted(run.problems, key=lambda p: p.line),
            warnings=sorted(run.warnings, key=lambda p: p.line),
            written=written,
        )


class _Run:
    """The state of one import: parsed rows, problems found, ids of staff seen."""

    def __init__(self, importer: Importer, sheet: Sheet, progress: ProgressCallback | None) -> None:
        self.importer = importer
        self.repos = importer.repos
        self.casework = importer.casework
        self.sheet = sheet
        self.progress = progress
        self.header_problems: list[RowProblem] = []
        self.problems: list[RowProblem] = []
        self.warnings: list[RowProblem] = []
        self.rows: list[ImportRow] = []
        self.staff_ids: dict[str, str] = {}
        self.person_data: dict[str, _PersonData] = {}
        self.starts = 0
        self.skipped = 0
        self.done = 0

    # -- stage 1: every row on its own -------------------------------------------------------

    def parse(self) -> None:
        columns = self._map_header()
        if self.header_problems:
            return
        width = len(columns)
        for line, cells in self.sheet.rows:
            values: dict[str, Cell] = {col: cells[i] for i, col in enumerate(columns) if col}
            row = parse_row(line, values)
            if len(cells) > width or any(
                not col and isinstance(cells[i], (str, dt.date)) and str(cells[i]).strip()
                for i, col in enumerate(columns)
            ):
                row.problems.append(
                    Problem(
                        "",
                        Bilingual(
                            "Rækken har værdier i en kolonne uden overskrift",
                            "The row has values in a column without a heading",
                        ),
                        "extra_cells",
                    )
                )
            self.rows.append(row)
        self._check_persons()
        for row in self.rows:
            self.problems += [RowProblem(row.line, p.field, p) for p in row.problems]

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
        self.header_problems.append(RowProblem(1, "", Problem("", Bilingual(da, en), code)))

    def _check_persons(self) -> None:
        """Birth, gender and area must agree across a person's rows and be given at least once."""
        by_person: dict[str, list[ImportRow]] = defaultdict(list)
        for row in self.rows:
            if row.person_key:
                by_person[row.person_key].append(row)
        for key, rows in by_person.items():
            data = _PersonData(label=rows[0].person_ref)
            for column in ("birth", "gender", "area"):
                first: ImportRow | None = None
                for row in rows:
                    value = getattr(row, column)
                    if value is None:
                        continue
                    if first is None:
                        first = row
                        setattr(data, column, value)
                    elif value != getattr(first, column):
                        row.problems.append(
                            Problem(
                                column,
                                Bilingual(
                                    f"{column} {_show(value)} er ikke den samme som på linje {first.line} "
                                    f"({_show(getattr(first, column))}) for samme person_ref",
                                    f"{column} {_show(value)} differs from line {first.line} "
                                    f"({_show(getattr(first, column))}) for the same person_ref",
                                ),
                                "person_conflict",
                            )
                        )
                if first is None and column != "gender":
                    rows[0].problems.append(
                        Problem(
                            column,
                            Bilingual(
                                f"{column} mangler for {rows[0].person_ref}; angiv den på mindst én række",
                                f"{column} is missing for {rows[0].person_ref}; give it on at least one row",
                            ),
                            "missing",
                        )
                    )
            self.person_data[key] = data

    # -- stage 2: replay each case through the casework service ------------------------------

    def replay(self) -> None:
        total = len(self.rows)
        self._tick(0, total)
        cases: dict[tuple[str, Activity], list[ImportRow]] = {}
        for row in self.rows:
            key = row.case_key
            if key is None:
                self._tick(1, total)
                continue
            cases.setdefault(key, []).append(row)
        for key, rows in cases.items():
            if any(r.problems for r in rows):
                # a case with a bad row is not replayed; its other rows are still checked on
                # their own against the plan's rules, so one pass reports as much as possible
                for row in rows:
                    if not row.problems:
                        self._rule_check(row)
                    self._tick(1, total)
                continue
            self._replay_case(key, rows, total)

    def _tick(self, n: int, total: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, total)

    def _replay_case(self, key: tuple[str, Activity], rows: list[ImportRow], total: int) -> None:
        person_key, activity = key
        case_id = import_id("case", person_key, activity.value)
        existing = self._get_case(case_id)
        referrals = [r for r in rows if r.event is Event.HENVISNING]
        broken = False
        for extra in referrals[1:]:
            self._fail(
                extra,
                "",
                f"{activity.label.da} har allerede en henvisning for {extra.person_ref} på linje "
                f"{referrals[0].line}; én person har ét forløb pr. aktivitet i en import",
                f"{activity.label.en} already has a referral for {extra.person_ref} on line "
                f"{referrals[0].line}; a person has one case per activity in an import",
                "second_referral",
            )
            broken = True
        if not referrals and existing is None:
            first = min(rows, key=lambda r: r.line)
            self._fail(
                first,
                "event",
                f"Ingen henvisning-række for {first.person_ref} i {activity.label.da}; forløbet skal "
                "begynde med en henvisning",
                f"No henvisning row for {first.person_ref} in {activity.label.en}; the case must begin "
                "with a referral",
                "no_referral",
            )
            broken = True
        occurrences: dict[tuple[object, ...], int] = defaultdict(int)
        occurrence: dict[int, int] = {}
        for row in rows:  # file order, so rows appended later get new occurrence numbers
            k = (row.event, row.date, row.code)
            occurrence[row.line] = occurrences[k]
            occurrences[k] += 1
        ordered = sorted(rows, key=_case_order)
        for row in ordered:
            if broken:
                if not row.problems:
                    self._rule_check(row)
            else:
                try:
                    self._apply(row, case_id, occurrence[row.line])
                except DomainValidationError as exc:
                    for p in exc.problems:
                        self._add(row, FIELD_COLUMNS.get(p.field, ""), p)
                    broken = True
            self._tick(1, total)

    def _apply(self, row: ImportRow, case_id: str, occurrence: int) -> None:
        assert row.activity is not None
        assert row.date is not None
        assert row.event is not None
        cw = self.casework
        if row.event is Event.HENVISNING:
            self._referral(row, case_id)
            return
        case = self.repos.cases.get(case_id)
        if row.event is Event.OPSTART:
            assert isinstance(row.code, StartMode)
            if case.start_date == row.date and case.start_mode is row.code:
                self.skipped += 1
                return
            if case.start_date is not None and case.start_mode is not None:
                raise DomainValidationError(
                    [
                        Problem(
                            "",
                            Bilingual(
                                "Forløbet er allerede startet {date} med {mode}; "
                                "et forløb startes én gang (ret det i programmet)",
                                "The case already started on {date} with {mode}; "
                                "a case starts once (correct it in the app)",
                            ).format(date=_show(case.start_date), mode=case.start_mode.label),
                            "already_started",
                        )
                    ]
                )
            cw.start_case(
                case_id,
                start_mode=row.code,
                start_date=row.date,
                goals_agreed=False,
                consents=row.consents,
            )
            self.starts += 1
            return
        record_id = import_id(row.event.value, case_id, row.date.isoformat(), _value(row.code), occurrence)
        if row.event is Event.MOEDE:
            assert isinstance(row.code, MeetingType)
            start_meeting = START_MODE_MEETING.get(case.start_mode) if case.start_mode else None
            if self._exists("meetings", record_id) or (
                occurrence == 0 and case.start_date == row.date and start_meeting is row.code
            ):
                # the start already recorded this meeting (a 3-partssamtale start is a meeting)
                self.skipped += 1
                return
            cw.add_meeting(case_id, meeting_type=row.code, date=row.date, held=True, meeting_id=record_id)
        elif row.event is Event.RESULTAT:
            assert isinstance(row.code, OutcomeType)
            if self._exists("outcomes", record_id):
                self.skipped += 1
                return
            cw.add_outcome(case_id, outcome_type=row.code, date=row.date, outcome_id=record_id)
        else:
            assert isinstance(row.code, ClosureReason)
            if self._exists("closures", record_id):
                self.skipped += 1
                return
            # imported closures count as joint decisions (issue 4 item 8)
            cw.close_case(
                case_id,
                date=row.date,
                reason=row.code,
                status_at_closure=row.status,
                joint_decision=True,
                closure_id=record_id,
            )

    def _referral(self, row: ImportRow, case_id: str) -> None:
        assert row.activity is not None
        assert row.date is not None
        assert isinstance(row.code, ReferralSource)
        existing = self._get_case(case_id)
        if existing is not None:
            referral = self.repos.referrals.get(existing.referral_id) if existing.referral_id else None
            if referral is not None and referral.received_date == row.date and referral.source is row.code:
                self.skipped += 1
                return
            shown = (
                Bilingual("{date} fra {source}", "{date} from {source}").format(
                    date=_show(referral.received_date), source=referral.source.label
                )
                if referral
                else Bilingual("uden henvisning", "without referral")
            )
            raise DomainValidationError(
                [
                    Problem(
                        "",
                        Bilingual(
                            "Forløbet er allerede importeret med henvisning {shown}; ret det i programmet",
                            "The case was already imported with referral {shown}; correct it in the app",
                        ).format(shown=shown),
                        "conflicts_with_earlier_import",
                    )
                ]
            )
        data = self.person_data[row.person_key]
        person_id = import_id("person", row.person_key)
        known = self._exists("persons", person_id)
        assert data.birth is not None
        assert data.area is not None
        if not known:
            # one person, one record (issue 9 item 5): a label and birth month already in the
            # app are that person, so a second open case in the activity is refused as in the app
            same = self.casework.same_persons(data.label, *data.birth)
            if same:
                person_id, known = same[0].person.id, True
                self.warnings.append(RowProblem(row.line, "person_ref", _same_person(data.label)))
        if known:
            self._check_stored_person(person_id, data)
        self.casework.register_referral(
            activity=row.activity,
            received_date=row.date,
            source=row.code,
            person_id=person_id if known else None,
            new_person_id=None if known else person_id,
            display_label=data.label,
            birth_year=data.birth[0],
            birth_month=data.birth[1],
            area=data.area,
            gender=data.gender,
            staff_id=self._staff_id(row.staff, row.activity),
            referral_id=import_id("referral", case_id),
            case_id=case_id,
        )
        for warning in self.casework.referral_warnings(
            row.activity,
            birth_year=data.birth[0],
            birth_month=data.birth[1],
            area=data.area,
            received_date=row.date,
        ):
            self.warnings.append(RowProblem(row.line, FIELD_COLUMNS.get(warning.field, ""), warning))

    def _check_stored_person(self, person_id: str, data: _PersonData) -> None:
        person = self.repos.persons.get(person_id)
        stored: dict[str, object] = {
            "birth": (person.birth_year, person.birth_month),
            "area": person.area,
            "gender": person.gender,
        }
        problems = [
            Problem(
                column,
                Bilingual(
                    f"{column} {_show(getattr(data, column))} er ikke den samme som ved en tidligere import "
                    f"({_show(stored[column])})",
                    f"{column} {_show(getattr(data, column))} differs from an earlier import "
                    f"({_show(stored[column])})",
                ),
                "person_conflict",
            )
            for column in ("birth", "area", "gender")
            if getattr(data, column) is not None
            and stored[column] is not None
            and getattr(data, column) != stored[column]
        ]
        if problems:
            raise DomainValidationError(problems)

    def _staff_id(self, initials: str | None, activity: Activity) -> str | None:
        if not initials:
            return None
        key = initials.upper()
        if key in self.staff_ids:
            return self.staff_ids[key]
        found = self.repos.staff.where("upper(initials) = ?", [key], order_by="is_local_user, created_at")
        if found:
            staff_id = found[0].id
        else:
            staff = build(
                Staff,
                id=import_id("staff", key),
                initials=key,
                team=TEAM_OF_ACTIVITY.get(activity, Team.TEAM_UDD_KRIM),
                role=ROLE_OF_ACTIVITY.get(activity, StaffRole.BOLIGSOCIAL_MEDARBEJDER),
                is_local_user=False,
            )
            self.repos.staff.add(staff)
            staff_id = staff.id
        self.staff_ids[key] = staff_id
        return staff_id

    def _rule_check(self, row: ImportRow) -> None:
        """Check a row that cannot be replayed against the plan's rules alone (no case state)."""
        assert row.activity is not None
        assert row.date is not None
        today = self.repos.clock.today()
        problems: list[Problem] = []
        if row.event is Event.OPSTART:
            assert isinstance(row.code, StartMode)
            problems = rules.start_problems(
                row.activity, row.code, row.consents, start_date=row.date, received_date=None, today=today
            )
        elif row.event is Event.AFSLUTNING:
            assert isinstance(row.code, ClosureReason)
            problems = rules.closure_problems(
                row.activity,
                reason=row.code,
                status_at_closure=row.status,
                joint_decision=True,
                closure_date=row.date,
                start_date=None,
                today=today,
            )
        else:
            problems = rules.not_in_future("date", row.date, today)
        for p in problems:
            self._add(row, FIELD_COLUMNS.get(p.field, ""), p)

    def _fail(self, row: ImportRow, column: str, da: str, en: str, code: str) -> None:
        self._add(row, column, Problem(column, Bilingual(da, en), code))

    def _add(self, row: ImportRow, column: str, problem: Problem) -> None:
        row.problems.append(problem)
        self.problems.append(RowProblem(row.line, column, problem))

    def _get_case(self, case_id: str) -> Case | None:
        found = self.repos.cases.where("id = ?", [case_id])
        return found[0] if found else None

    def _exists(self, table: str, record_id: str) -> bool:
        return bool(getattr(self.repos, table).table.count_where("id = ?", [record_id]))


@dataclass
class _PersonData:
    label: str
    birth: tuple[int, int] | None = None
    gender: Code | None = None
    area: Area | None = None


def _case_order(row: ImportRow) -> tuple[int, dt.date, int, int]:
    """Referral first, then the start, then the rest by date (meeting, outcome, closure on a day)."""
    assert row.event is not None
    assert row.date is not None
    phase = min(row.event.rank, 2)
    return phase, row.date, row.event.rank, row.line


def _same_person(label: str) -> Problem:
    return Problem(
        "person_ref",
        Bilingual(
            f"{label} med samme fødselsmåned findes allerede i programmet; "
            "rækken er registreret på den person",
            f"{label} with the same birth month already exists in the app; "
            "the row is registered on that person",
        ),
        "same_person",
    )


def _value(code: Code | None) -> str:
    return code.value if code is not None else ""


def _show(value: object) -> str:
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]:04d}-{value[1]:02d}"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Code):
        return value.value
    return "" if value is None else str(value)

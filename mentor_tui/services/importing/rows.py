"""Parse one spreadsheet row of the import format into typed values (no database).

The columns are described in ``docs/import.md``. Codes are the enum values of
:mod:`mentor_tui.codes` (DOMAIN.md 7.1), matched case-insensitively and ignoring surrounding
whitespace; the Danish or English label of a code is accepted too (``Møde med og om den unge``,
``Forælder``), and activities also by their short code (``A7``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from mentor_tui.codes import (
    CASE_ACTIVITIES,
    Activity,
    Area,
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
from mentor_tui.dates import parse_date, parse_year_month
from mentor_tui.errors import InputError, Problem
from mentor_tui.i18n import Bilingual
from mentor_tui.models import label_key
from mentor_tui.services.importing.reader import Cell


def _problem(field: str, da: str, en: str, code: str = "invalid") -> Problem:
    """A problem of the import with its Danish and English message."""
    return Problem(field, Bilingual(da, en), code)


C = TypeVar("C", bound=Code)


class Event(StrEnum):
    """The kind of registration a row holds, in the order a case goes through them."""

    HENVISNING = "henvisning"
    OPSTART = "opstart"
    MOEDE = "moede"
    RESULTAT = "resultat"
    AFSLUTNING = "afslutning"

    @property
    def rank(self) -> int:
        """Position in a case's life: referral 0, start 1, meeting 2, outcome 3, closure 4."""
        return _EVENT_RANK[self]


_EVENT_RANK: dict[Event, int] = {event: i for i, event in enumerate(Event)}

EVENT_CODES: dict[Event, type[Code]] = {
    Event.HENVISNING: ReferralSource,
    Event.OPSTART: StartMode,
    Event.MOEDE: MeetingType,
    Event.RESULTAT: OutcomeType,
    Event.AFSLUTNING: ClosureReason,
}
"""Which code list the ``code`` column uses for each event (DOMAIN.md 7.1)."""

EVENT_LABELS: dict[Event, tuple[str, str]] = {
    Event.HENVISNING: ("henvisningskilde", "referral source"),
    Event.OPSTART: ("opstartsform", "start mode"),
    Event.MOEDE: ("mødetype", "meeting type"),
    Event.RESULTAT: ("resultat", "outcome"),
    Event.AFSLUTNING: ("afslutningsårsag", "closure reason"),
}
"""What the ``code`` column means for each event, for messages."""

REQUIRED_COLUMNS: tuple[str, ...] = (
    "person_ref",
    "birth",
    "area",
    "activity",
    "event",
    "date",
    "code",
)
"""Columns the header must have (values of birth and area may be left empty on rows where
another row of the same person gives them)."""

OPTIONAL_COLUMNS: tuple[str, ...] = ("gender", "staff", "consent", "status")
"""Columns the header may have."""

TEXT_COLUMNS: tuple[str, ...] = (
    "person_ref",
    "gender",
    "area",
    "activity",
    "event",
    "code",
    "staff",
    "consent",
    "status",
)
"""Columns whose cells must be text: a number there means Excel changed what was typed."""

COLUMN_ALIASES: dict[str, str] = {
    "person": "person_ref",
    "ref": "person_ref",
    "reference": "person_ref",
    "foedt": "birth",
    "foedsel": "birth",
    "foedselsmaaned": "birth",
    "koen": "gender",
    "omraade": "area",
    "boligomraade": "area",
    "aktivitet": "activity",
    "haendelse": "event",
    "dato": "date",
    "kode": "code",
    "medarbejder": "staff",
    "initialer": "staff",
    "samtykke": "consent",
}
"""Danish (and a few other) headings accepted for the columns, after :func:`normalise`."""

_EVENT_ALIASES: dict[str, Event] = {
    "henvisning": Event.HENVISNING,
    "referral": Event.HENVISNING,
    "opstart": Event.OPSTART,
    "start": Event.OPSTART,
    "moede": Event.MOEDE,
    "meeting": Event.MOEDE,
    "resultat": Event.RESULTAT,
    "outcome": Event.RESULTAT,
    "afslutning": Event.AFSLUTNING,
    "closure": Event.AFSLUTNING,
}

_GENDER_ALIASES: dict[str, Gender] = {"k": Gender.KVINDE, "m": Gender.MAND, "f": Gender.KVINDE}

MAX_REF_LENGTH = 40
"""A person_ref becomes the person's staff-only label, which holds at most 40 characters."""

MAX_INITIALS_LENGTH = 8
"""Staff initials hold at most 8 characters."""

_DECIMAL_OCTOBER = re.compile(r"^\d{4}[.,]1$")


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Return ``text`` as a lookup key: trimmed, lower case, æøå spelt out, spaces as ``_``.

    Cached: a spreadsheet repeats the same few codes hundreds of thousands of times.
    """
    key = text.strip().casefold()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        key = key.replace(a, b)
    return re.sub(r"[\s\-]+", "_", key)


def _lookup(cls: type[C]) -> dict[str, C]:
    table: dict[str, C] = {}
    for member in cls:
        for text in (member.label.da, member.label.en):
            table.setdefault(normalise(text), member)
    for member in cls:
        table[normalise(member.value)] = member  # codes win over labels
    return table


_LOOKUPS: dict[type[Code], dict[str, Code]] = {}


def parse_code(cls: type[C], text: str) -> C | None:
    """Return the member of ``cls`` whose code or label is ``text`` (case-insensitive), or None."""
    if cls not in _LOOKUPS:
        _LOOKUPS[cls] = dict(_lookup(cls))
    found = _LOOKUPS[cls].get(normalise(text))
    return found if isinstance(found, cls) else None


@functools.lru_cache(maxsize=1024)
def parse_activity(text: str) -> Activity | None:
    """Return the activity named by its code, label or short code (``A7``)."""
    found = parse_code(Activity, text)
    if found is not None:
        return found
    short = text.strip().upper()
    return next((a for a in Activity if a.short == short), None)


def parse_consents(text: str) -> list[ConsentGiver] | None:
    """Parse ``ung+foraelder`` (also ``,``, ``;``, ``/``, ``&`` or ``og``); None if any part is unknown."""
    parts = [p for p in re.split(r"\s*(?:\+|,|;|/|&|\bog\b|\band\b)\s*", text.strip()) if p.strip()]
    givers: list[ConsentGiver] = []
    for part in parts:
        giver = parse_code(ConsentGiver, part)
        if giver is None:
            return None
        if giver not in givers:
            givers.append(giver)
    return givers


def parse_birth(value: Cell) -> tuple[int, int]:
    """Return ``(year, month)`` from a date cell, or from text by the one year-month parser.

    Raises:
        InputError: not a year and month (see :func:`mentor_tui.dates.parse_year_month`).
    """
    if isinstance(value, dt.date):
        return value.year, value.month
    return parse_year_month(value if isinstance(value, str) else "")


@dataclass
class ImportRow:
    """One parsed row. Fields that failed to parse are None and have a problem in ``problems``."""

    line: int
    person_ref: str
    person_key: str
    """``person_ref`` as a label key (NFC, case-folded): rows with the same key are the same person."""
    birth: tuple[int, int] | None
    gender: Gender | None
    area: Area | None
    activity: Activity | None
    event: Event | None
    date: dt.date | None
    code: Code | None
    staff: str | None
    consents: list[ConsentGiver] = field(default_factory=list)
    status: StatusAtClosure | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def case_key(self) -> tuple[str, Activity] | None:
        """``(person_key, activity)``: rows with the same key belong to one case."""
        if not self.person_key or self.activity is None:
            return None
        return self.person_key, self.activity


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _show_number(value)
    return value.strip()


def _show_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's date serial numbers (1900 system, with its leap-year quirk folded in)."""

_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")
_TWO_DIGIT_YEAR = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{2})$")


def excel_serial_date(value: float) -> dt.date | None:
    """Return the date an Excel serial number stands for (1982-2100), or None."""
    if not 30000 <= value < 73000:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def number_in_text_column(column: str, value: float) -> Problem:
    """A number where text was meant: Excel turned what was typed into a number (``2001.10`` →
    2001.1, ``007`` → 7), so the value can no longer be trusted."""
    shown = _show_number(value)
    return _problem(
        column,
        f"{column} er et tal i regnearket ({shown}), så Excel kan have ændret det der blev skrevet "
        f"(fx 2001.10 → 2001.1). Formatér kolonnen som tekst (Formatér celler → Tekst), skriv "
        "værdierne igen og importér igen.",
        f"{column} is a number in the spreadsheet ({shown}), so Excel may have changed what was "
        f"typed (for example 2001.10 → 2001.1). Format the column as text (Format Cells → Text), "
        "type the values again and import again.",
        "number_in_text_column",
    )


def _serial_problem(column: str, shown: str, when: dt.date) -> Problem:
    return _problem(
        column,
        f"«{shown}» ligner et Excel-datonummer (= {when.strftime('%d-%m-%Y')}): kolonnen er "
        "formateret som tekst eller tal. Formatér den som dato (dd-mm-åååå) i regnearket, eller "
        "skriv datoen som dd-mm-åååå.",
        f"“{shown}” looks like an Excel date serial number (= {when.strftime('%d-%m-%Y')}): the "
        "column is formatted as text or number. Format it as a date (dd-mm-yyyy) in the "
        "spreadsheet, or type the date as dd-mm-yyyy.",
        "excel_serial_date",
    )


def _two_digit_year_problem(column: str, shown: str) -> Problem:
    return _problem(
        column,
        f"«{shown}» har kun to cifre i året. Regneark forkorter ofte datoer, når de gemmer som "
        "CSV (dansk LibreOffice gør 01-09-2026 til 01-09-26), og året kan så ikke vides. Skriv "
        "året med fire cifre (formatér kolonnen som dd-mm-åååå), og gem igen.",
        f"“{shown}” has only two digits in the year. Spreadsheets often shorten dates when they "
        "save as CSV (Danish LibreOffice turns 01-09-2026 into 01-09-26), and the year cannot then "
        "be known. Write the year with four digits (format the column as dd-mm-yyyy) and save "
        "again.",
        "two_digit_year",
    )


def parse_date_cell(column: str, cell: Cell) -> tuple[dt.date | None, Problem | None]:
    """Read a date cell: a date, ``dd-mm-åååå`` or ISO text; explain Excel serial numbers and
    two-digit years instead of guessing them. Returns ``(date, None)`` or ``(None, problem)``."""
    if isinstance(cell, dt.date):
        return cell, None
    if isinstance(cell, int | float):
        when = excel_serial_date(float(cell))
        if when is not None:
            return None, _serial_problem(column, _show_number(cell), when)
        return None, number_in_text_column(column, cell)
    return _parse_date_text(column, _text(cell))


@functools.lru_cache(maxsize=8192)
def _parse_date_text(column: str, text: str) -> tuple[dt.date | None, Problem | None]:
    """Cached: a file repeats the same dates, and one shared ``date`` object per day saves memory."""
    if _SERIAL.match(text):
        when = excel_serial_date(float(text.replace(",", ".")))
        if when is not None:
            return None, _serial_problem(column, text, when)
    if _TWO_DIGIT_YEAR.match(text):
        return None, _two_digit_year_problem(column, text)
    try:
        return parse_date(text), None
    except InputError as exc:
        return None, _problem(column, exc.message.da, exc.message.en, "date_parsing")


def _bad(column: str, da: str, en: str, code: str = "invalid") -> Problem:
    return _problem(column, da, en, code)


def parse_row(line: int, values: dict[str, Cell]) -> ImportRow:
    """Parse one row given as ``{column: cell}`` (columns already mapped to their names).

    Every problem found is kept on the row; nothing raises.
    """
    problems: list[Problem] = []
    for column in TEXT_COLUMNS:
        value = values.get(column)
        if isinstance(value, int | float):
            problems.append(number_in_text_column(column, value))
            values = {**values, column: None}  # reported once; not parsed again below
    ref = " ".join(_text(values.get("person_ref")).split())
    if not ref:
        problems.append(_bad("person_ref", "person_ref skal udfyldes", "person_ref is required", "missing"))
    elif len(ref) > MAX_REF_LENGTH:
        problems.append(
            _bad(
                "person_ref",
                f"person_ref må højst være {MAX_REF_LENGTH} tegn",
                f"person_ref must be at most {MAX_REF_LENGTH} characters",
                "too_long",
            )
        )

    birth: tuple[int, int] | None = None
    birth_cell = values.get("birth")
    if isinstance(birth_cell, int | float):
        problems.append(number_in_text_column("birth", birth_cell))
    elif isinstance(birth_cell, str) and _DECIMAL_OCTOBER.match(birth_cell.strip()):
        shown = birth_cell.strip()
        problems.append(
            _bad(
                "birth",
                f"Fødsel «{shown}» er tvetydig: det kan være januar eller oktober (2001.10 bliver "
                "til 2001.1, når regnearket ser det som et tal). Skriv ÅÅÅÅ-MM (fx 2001-10), og "
                "formatér kolonnen som tekst.",
                f"Birth “{shown}” is ambiguous: it may be January or October (2001.10 becomes "
                "2001.1 when the spreadsheet sees a number). Write YYYY-MM (for example 2001-10) "
                "and format the column as text.",
                "ambiguous_month",
            )
        )
    elif _text(birth_cell):
        try:
            birth = parse_birth(birth_cell)
        except InputError as exc:
            problems.append(Problem("birth", exc.message, "bad_year_month"))

    gender: Gender | None = None
    gender_text = _text(values.get("gender"))
    if gender_text:
        gender = parse_code(Gender, gender_text) or _GENDER_ALIASES.get(normalise(gender_text))
        if gender is None:
            problems.append(_unknown("gender", "køn", "gender", gender_text, Gender))

    area: Area | None = None
    area_text = _text(values.get("area"))
    if area_text:
        area = parse_code(Area, area_text)
        if area is None:
            problems.append(_unknown("area", "boligområde", "area", area_text, Area))

    activity: Activity | None = None
    activity_text = _text(values.get("activity"))
    if not activity_text:
        problems.append(_bad("activity", "Aktivitet skal udfyldes", "Activity is required", "missing"))
    else:
        activity = parse_activity(activity_text)
        if activity is None:
            problems.append(
                _bad(
                    "activity",
                    f"Ukendt aktivitet «{activity_text}»",
                    f"Unknown activity “{activity_text}”",
                    "unknown_code",
                )
            )
        elif activity not in CASE_ACTIVITIES:
            problems.append(
                _bad(
                    "activity",
                    f"{activity.label.da} registreres ikke som forløb",
                    f"{activity.label.en} is not registered as a case",
                    "not_case_activity",
                )
            )

    event: Event | None = None
    event_text = _text(values.get("event"))
    if not event_text:
        problems.append(_bad("event", "Hændelse skal udfyldes", "Event is required", "missing"))
    else:
        event = _EVENT_ALIASES.get(normalise(event_text))
        if event is None:
            problems.append(
                _bad(
                    "event",
                    f"Ukendt hændelse «{event_text}»; brug henvisning, opstart, moede, resultat "
                    "eller afslutning",
                    f"Unknown event “{event_text}”; use henvisning, opstart, moede, resultat or afslutning",
                    "unknown_code",
                )
            )

    date: dt.date | None = None
    date_cell = values.get("date")
    if not _text(date_cell):
        problems.append(_bad("date", "Dato skal udfyldes", "Date is required", "missing"))
    else:
        date, date_problem = parse_date_cell("date", date_cell)
        if date_problem is not None:
            problems.append(date_problem)

    code: Code | None = None
    code_text = _text(values.get("code"))
    if event is not None:
        cls = EVENT_CODES[event]
        what_da, what_en = EVENT_LABELS[event]
        if not code_text:
            problems.append(
                _bad(
                    "code",
                    f"Kode ({what_da}) skal udfyldes",
                    f"Code ({what_en}) is required",
                    "missing",
                )
            )
        else:
            code = parse_code(cls, code_text)
            if code is None:
                problems.append(_unknown("code", what_da, what_en, code_text, cls))

    staff_text = sys.intern(_text(values.get("staff"))) or None  # one string per initials
    if staff_text is not None and len(staff_text) > MAX_INITIALS_LENGTH:
        problems.append(
            _bad(
                "staff",
                f"Medarbejderens initialer må højst være {MAX_INITIALS_LENGTH} tegn",
                f"Staff initials must be at most {MAX_INITIALS_LENGTH} characters",
                "too_long",
            )
        )

    consents: list[ConsentGiver] = []
    consent_text = _text(values.get("consent"))
    if consent_text:
        if event is not None and event is not Event.OPSTART:
            problems.append(
                _bad(
                    "consent",
                    "Samtykke angives kun på opstart-rækker",
                    "Consent is given on opstart rows only",
                    "consent_not_start",
                )
            )
        parsed = parse_consents(consent_text)
        if parsed is None:
            problems.append(
                _bad(
                    "consent",
                    f"Ukendt samtykke «{consent_text}»; brug ung, foraelder, ung+foraelder eller beboer",
                    f"Unknown consent “{consent_text}”; use ung, foraelder, ung+foraelder or beboer",
                    "unknown_code",
                )
            )
        else:
            consents = parsed

    status: StatusAtClosure | None = None
    status_text = _text(values.get("status"))
    if status_text:
        if event is not None and event is not Event.AFSLUTNING:
            problems.append(
                _bad(
                    "status",
                    "Status angives kun på afslutning-rækker",
                    "Status is given on afslutning rows only",
                    "status_not_closure",
                )
            )
        status = parse_code(StatusAtClosure, status_text)
        if status is None:
            problems.append(
                _unknown("status", "status ved afslutning", "status at closure", status_text, StatusAtClosure)
            )

    return ImportRow(
        line=line,
        person_ref=ref,
        person_key=label_key(ref),
        birth=birth,
        gender=gender,
        area=area,
        activity=activity,
        event=event,
        date=date,
        code=code,
        staff=staff_text,
        consents=consents,
        status=status,
        problems=problems,
    )


def _unknown(column: str, what_da: str, what_en: str, text: str, cls: type[Code]) -> Problem:
    sample = ", ".join(m.value for m in list(cls)[:4])
    return _problem(
        column,
        f"Ukendt {what_da} «{text}» (koder som {sample} …)",
        f"Unknown {what_en} “{text}” (codes such as {sample} …)",
        "unknown_code",
    )

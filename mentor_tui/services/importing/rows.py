"""Parse one spreadsheet row of the import format into typed values (no database).

The columns are described in ``docs/import.md``. Codes are the enum values of
:mod:`mentor_tui.codes` (DOMAIN.md 7.1), matched case-insensitively and ignoring surrounding
whitespace; the Danish or English label of a code is accepted too (``Møde med og om den unge``,
``Forælder``), and activities also by their short code (``A7``).
"""

from __future__ import annotations

import datetime as dt
import re
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
from mentor_tui.dates import parse_date
from mentor_tui.errors import InputError, Problem
from mentor_tui.i18n import Bilingual
from mentor_tui.models import label_key
from mentor_tui.services.importing.reader import Cell

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
        return list(Event).index(self)


EVENT_CODES: dict[Event, type[Code]] = {
    Event.HENVISNING: ReferralSource,
    Event.OPSTART: StartMode,
    Event.MOEDE: MeetingType,
    Event.RESULTAT: OutcomeType,
    Event.AFSLUTNING: ClosureReason,
}
"""Which code list the ``code`` column uses for each event (DOMAIN.md 7.1)."""

EVENT_LABELS: dict[Event, Bilingual] = {
    Event.HENVISNING: Bilingual("henvisningskilde", "referral source"),
    Event.OPSTART: Bilingual("opstartsform", "start mode"),
    Event.MOEDE: Bilingual("mødetype", "meeting type"),
    Event.RESULTAT: Bilingual("resultat", "outcome"),
    Event.AFSLUTNING: Bilingual("afslutningsårsag", "closure reason"),
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

_BIRTH_YM = re.compile(r"^(\d{4})[-./ ](\d{1,2})$")
_BIRTH_MY = re.compile(r"^(\d{1,2})[-./ ](\d{4})$")


def normalise(text: str) -> str:
    """Return ``text`` as a lookup key: trimmed, lower case, æøå spelt out, spaces as ``_``."""
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


def parse_birth(value: Cell) -> tuple[int, int] | None:
    """Return ``(year, month)`` from ``YYYY-MM`` (also ``MM-YYYY`` or a full date); None if invalid."""
    if isinstance(value, dt.date):
        return value.year, value.month
    text = (value or "").strip()
    for pattern, y, m in ((_BIRTH_YM, 1, 2), (_BIRTH_MY, 2, 1)):
        match = pattern.match(text)
        if match:
            year, month = int(match[y]), int(match[m])
            return (year, month) if 1 <= month <= 12 and 1900 <= year <= 2100 else None
    try:
        d = parse_date(text)
    except ValueError:
        return None
    return d.year, d.month


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
    return value.strip()


def parse_row(line: int, values: dict[str, Cell]) -> ImportRow:
    """Parse one row given as ``{column: cell}`` (columns already mapped to their names).

    Every problem found is kept on the row; nothing raises.
    """
    problems: list[Problem] = []
    ref = " ".join(_text(values.get("person_ref")).split())
    if not ref:
        problems.append(
            Problem("person_ref", Bilingual("person_ref skal udfyldes", "person_ref is required"), "missing")
        )
    elif len(ref) > MAX_REF_LENGTH:
        problems.append(
            Problem(
                "person_ref",
                Bilingual(
                    f"person_ref må højst være {MAX_REF_LENGTH} tegn",
                    f"person_ref must be at most {MAX_REF_LENGTH} characters",
                ),
                "too_long",
            )
        )

    birth: tuple[int, int] | None = None
    birth_cell = values.get("birth")
    if _text(birth_cell):
        birth = parse_birth(birth_cell)
        if birth is None:
            problems.append(
                Problem(
                    "birth",
                    Bilingual(
                        f"Fødsel «{_text(birth_cell)}» er ikke år-måned (ÅÅÅÅ-MM)",
                        f"Birth “{_text(birth_cell)}” is not year-month (YYYY-MM)",
                    ),
                )
            )

    gender: Gender | None = None
    gender_text = _text(values.get("gender"))
    if gender_text:
        gender = parse_code(Gender, gender_text) or _GENDER_ALIASES.get(normalise(gender_text))
        if gender is None:
            problems.append(_unknown("gender", Bilingual("køn", "gender"), gender_text, Gender))

    area: Area | None = None
    area_text = _text(values.get("area"))
    if area_text:
        area = parse_code(Area, area_text)
        if area is None:
            problems.append(_unknown("area", Bilingual("boligområde", "area"), area_text, Area))

    activity: Activity | None = None
    activity_text = _text(values.get("activity"))
    if not activity_text:
        problems.append(
            Problem("activity", Bilingual("Aktivitet skal udfyldes", "Activity is required"), "missing")
        )
    else:
        activity = parse_activity(activity_text)
        if activity is None:
            problems.append(
                Problem(
                    "activity",
                    Bilingual(f"Ukendt aktivitet «{activity_text}»", f"Unknown activity “{activity_text}”"),
                    "unknown_code",
                )
            )
        elif activity not in CASE_ACTIVITIES:
            problems.append(
                Problem(
                    "activity",
                    Bilingual(
                        f"{activity.label.da} registreres ikke som forløb",
                        f"{activity.label.en} is not registered as a case",
                    ),
                    "not_case_activity",
                )
            )

    event: Event | None = None
    event_text = _text(values.get("event"))
    if not event_text:
        problems.append(Problem("event", Bilingual("Hændelse skal udfyldes", "Event is required"), "missing"))
    else:
        event = _EVENT_ALIASES.get(normalise(event_text))
        if event is None:
            problems.append(
                Problem(
                    "event",
                    Bilingual(
                        f"Ukendt hændelse «{event_text}»; brug henvisning, opstart, moede, resultat "
                        "eller afslutning",
                        f"Unknown event “{event_text}”; use henvisning, opstart, moede, resultat "
                        "or afslutning",
                    ),
                    "unknown_code",
                )
            )

    date: dt.date | None = None
    date_cell = values.get("date")
    if isinstance(date_cell, dt.date):
        date = date_cell
    elif not _text(date_cell):
        problems.append(Problem("date", Bilingual("Dato skal udfyldes", "Date is required"), "missing"))
    else:
        try:
            date = parse_date(_text(date_cell))
        except InputError as exc:
            problems.append(Problem("date", Bilingual(exc.message.da, exc.message.en), "date_parsing"))

    code: Code | None = None
    code_text = _text(values.get("code"))
    if event is not None:
        cls = EVENT_CODES[event]
        what = EVENT_LABELS[event]
        if not code_text:
            problems.append(
                Problem(
                    "code",
                    Bilingual("Kode ({what}) skal udfyldes", "Code ({what}) is required").format(what=what),
                    "missing",
                )
            )
        else:
            code = parse_code(cls, code_text)
            if code is None:
                problems.append(_unknown("code", what, code_text, cls))

    staff_text = _text(values.get("staff")) or None
    if staff_text is not None and len(staff_text) > MAX_INITIALS_LENGTH:
        problems.append(
            Problem(
                "staff",
                Bilingual(
                    f"Medarbejderens initialer må højst være {MAX_INITIALS_LENGTH} tegn",
                    f"Staff initials must be at most {MAX_INITIALS_LENGTH} characters",
                ),
                "too_long",
            )
        )

    consents: list[ConsentGiver] = []
    consent_text = _text(values.get("consent"))
    if consent_text:
        if event is not None and event is not Event.OPSTART:
            problems.append(
                Problem(
                    "consent",
                    Bilingual(
                        "Samtykke angives kun på opstart-rækker", "Consent is given on opstart rows only"
                    ),
                    "consent_not_start",
                )
            )
        parsed = parse_consents(consent_text)
        if parsed is None:
            problems.append(
                Problem(
                    "consent",
                    Bilingual(
                        f"Ukendt samtykke «{consent_text}»; brug ung, foraelder, ung+foraelder eller beboer",
                        f"Unknown consent “{consent_text}”; use ung, foraelder, ung+foraelder or beboer",
                    ),
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
                Problem(
                    "status",
                    Bilingual(
                        "Status angives kun på afslutning-rækker", "Status is given on afslutning rows only"
                    ),
                    "status_not_closure",
                )
            )
        status = parse_code(StatusAtClosure, status_text)
        if status is None:
            problems.append(
                _unknown(
                    "status",
                    Bilingual("status ved afslutning", "status at closure"),
                    status_text,
                    StatusAtClosure,
                )
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


def _unknown(column: str, what: Bilingual, text: str, cls: type[Code]) -> Problem:
    sample = ", ".join(m.value for m in list(cls)[:4])
    return Problem(
        column,
        Bilingual(
            "Ukendt {what} «{text}» (koder som {sample} …)",
            "Unknown {what} “{text}” (codes such as {sample} …)",
        ).format(what=what, text=text, sample=sample),
        "unknown_code",
    )

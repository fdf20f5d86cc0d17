"""Pydantic domain models: one per table, no Textual and no SQL.

Every record has a random UUID (records from several laptops will be merged later), the time it
was created and last updated (UTC, ISO 8601) and the id of the device that wrote it. The
repositories fill those in; callers leave them at their defaults.

People are pseudonymous: a staff-only label, birth year and month, optional gender and area. There
are deliberately no name, address or CPR fields.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from mentor_tui.codes import (
    Activity,
    Area,
    CaseStatus,
    Channel,
    ClosureReason,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    Parathed,
    ParticipantRole,
    ReferralReason,
    ReferralSource,
    StaffRole,
    StartMode,
    StatusAtClosure,
    Team,
    Ydelsestype,
)
from mentor_tui.dates import coerce_date, format_year_month
from mentor_tui.errors import InputError
from mentor_tui.i18n import Bilingual
from mentor_tui.labels import label_key as label_key

_id_factory: ContextVar[Callable[[], str] | None] = ContextVar("_id_factory", default=None)


def new_id() -> str:
    """Return a new random UUID (version 4) as text."""
    factory = _id_factory.get()
    return factory() if factory is not None else str(uuid.uuid4())


@contextmanager
def deterministic_ids(rng: random.Random) -> Iterator[None]:
    """Within the block, draw new record ids from ``rng`` (reproducible demo data and tests).

    The ids are still well-formed version-4 UUIDs; only their source of randomness changes.
    """
    token = _id_factory.set(lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)))
    try:
        yield
    finally:
        _id_factory.reset(token)


Date = Annotated[dt.date, BeforeValidator(coerce_date)]
"""A date that also accepts ``dd-mm-åååå`` text."""

LABEL_MAX_LENGTH = 40
"""The longest label a person may have (characters)."""


def check_label(value: str) -> str:
    """Refuse a label with a TAB, a line break or another control character, or over the limit.

    A TAB means a row of spreadsheet cells was pasted, a line break several lines: neither is ever
    stored, and nothing is cut silently (issue 9 item 6). Leading and trailing spaces are dropped.

    Raises:
        InputError: what is wrong, in Danish and English.
    """
    if "\t" in value:
        raise InputError(
            Bilingual(
                "indeholder tabulatortegn, som når en række celler fra et regneark indsættes; "
                "skriv kun kaldenavnet",
                "contains TAB characters, as when a row of spreadsheet cells is pasted; type only the label",
            ),
            code="label_tab",
        )
    if "\n" in value or "\r" in value:
        raise InputError(
            Bilingual(
                "skal være én linje; skriv det uden linjeskift",
                "must be one line; type it without line breaks",
            ),
            code="label_newline",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise InputError(
            Bilingual(
                "indeholder usynlige styretegn; skriv det igen",
                "contains invisible control characters; type it again",
            ),
            code="label_control",
        )
    if len(value) > LABEL_MAX_LENGTH:
        raise InputError(
            Bilingual(
                f"er {len(value)} tegn; højst {LABEL_MAX_LENGTH} er tilladt. Forkort det, fx til initialer",
                f"is {len(value)} characters; at most {LABEL_MAX_LENGTH} are allowed. "
                "Shorten it, e.g. to initials",
            ),
            code="label_too_long",
        )
    return value


Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_label)]
"""A short staff-only label (initials or a nickname), never exported: one line, at most 40 characters."""

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A short free-text note, never exported."""


def _json_list(value: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value) if value else []
    return value


class Record(BaseModel):
    """Columns every table has."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True, cache_strings="keys")

    id: str = Field(default_factory=new_id)
    created_at: str = ""
    updated_at: str = ""
    device_id: str = ""


class Voidable(Record):
    """A record a user registers, and may void: it then stays as a tombstone (issue 9).

    The tables of these models are ``storage.migrations.RECORD_TABLES``.
    """

    deleted_at: str | None = None
    """When the record was voided (UTC ISO 8601); ``None`` while it counts. A tombstone stays."""
    deleted_reason: str | None = None
    """Why it was voided (required when voiding)."""
    deleted_by: str | None = None
    """The staff id of who voided it."""


class Staff(Voidable):
    """A staff member; the local user of this laptop has ``is_local_user``."""

    initials: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8)]
    team: Team
    role: StaffRole = StaffRole.BOLIGSOCIAL_MEDARBEJDER
    is_local_user: bool = False


class Person(Voidable):
    """A pseudonymous resident (DOMAIN.md 7.2 ``person``)."""

    display_label: Label
    birth_year: int = Field(ge=1900, le=2100)
    birth_month: int = Field(ge=1, le=12)
    gender: Gender | None = None
    area: Area
    ydelsestype: Ydelsestype | None = None
    parathed: Parathed | None = None
    label_key: str = ""
    """:func:`label_key` of ``display_label``; kept in step by the model, stored for indexed search."""

    @model_validator(mode="after")
    def _set_label_key(self) -> Person:
        key = label_key(self.display_label)
        if self.label_key != key:
            # object.__setattr__ skips validate_assignment (which would call this validator again)
            object.__setattr__(self, "label_key", key)
        return self

    @property
    def birth_ym(self) -> str:
        """Birth year and month as ``YYYY-MM``."""
        return format_year_month(self.birth_year, self.birth_month)


class Referral(Voidable):
    """A henvisning: who referred whom to which activity, when and why."""

    person_id: str
    activity: Activity
    received_date: Date
    source: ReferralSource
    reasons: list[ReferralReason] = Field(default_factory=list)

    _parse_reasons = field_validator("reasons", mode="before")(_json_list)


class Case(Voidable):
    """A forløb. Status goes HENVIST → AKTIV → AFSLUTTET (and back to AKTIV on reopening)."""

    person_id: str
    referral_id: str | None = None
    activity: Activity
    area: Area
    """The person's area when the case was registered (a snapshot for counting)."""
    staff_id: str | None = None
    status: CaseStatus = CaseStatus.HENVIST
    start_date: Date | None = None
    start_mode: StartMode | None = None
    goals_agreed: bool = False
    end_date: Date | None = None
    next_followup_date: Date | None = None


class Consent(Voidable):
    """Samtykke to the case [002:761]."""

    case_id: str
    given_by: ConsentGiver
    given_date: Date
    withdrawn_date: Date | None = None


class Meeting(Voidable):
    """A meeting or contact on a case; ``held`` is False while it is only planned."""

    case_id: str
    meeting_type: MeetingType
    date: Date
    participants: list[ParticipantRole] = Field(default_factory=list)
    held: bool = True
    channel: Channel | None = None
    next_followup_date: Date | None = None
    is_start: bool = False
    """The meeting a start such as a 3-partssamtale recorded; corrected through the start."""

    _parse_participants = field_validator("participants", mode="before")(_json_list)


class Outcome(Voidable):
    """A result such as a started education or job, dated when it happened."""

    case_id: str
    outcome_type: OutcomeType
    date: Date


class Closure(Voidable):
    """The closing of a case. A reopened case keeps its earlier closures."""

    case_id: str
    date: Date
    reason: ClosureReason
    status_at_closure: StatusAtClosure | None = None
    joint_decision: bool = False


class Reopening(Voidable):
    """A closed case opened again, with the reason in a note."""

    case_id: str
    date: Date
    note: Note
    closure_id: str | None = None


class ExportRun(Record):
    """One export written to a file (period, threshold, file hash)."""

    generated_at: str
    period_kind: str
    period_code: str
    period_start: Date
    period_end: Date
    format: str
    threshold: int
    internal: bool = False
    file_name: str
    file_sha256: str
    complete: bool = True
    """False for a period that had not ended when the file was written (``--allow-incomplete``)."""


class CaseSummary(BaseModel):
    """One row of the case list (read model, not a table)."""

    id: str
    person_id: str
    display_label: str
    birth_year: int
    birth_month: int
    activity: Activity
    area: Area
    status: CaseStatus
    start_date: Date | None = None
    last_meeting_date: Date | None = None
    next_followup_date: Date | None = None
    received_date: Date | None = None

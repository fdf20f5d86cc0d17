"""A case's history from the audit trail: who changed what, and when (issue 9 item 3).

The rows come from ``audit_log`` (written by SQLite triggers, :mod:`mentor_tui.storage.audit`);
this module only reads them and says them in words, in both languages. The audit trail is never
exported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from mentor_tui.codes import (
    Activity,
    Area,
    CaseStatus,
    Channel,
    ClosureReason,
    Code,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    Parathed,
    ParticipantRole,
    ReferralReason,
    ReferralSource,
    StartMode,
    StatusAtClosure,
    Ydelsestype,
)
from mentor_tui.dates import format_date
from mentor_tui.errors import FIELD_LABELS
from mentor_tui.i18n import Bilingual
from mentor_tui.storage.audit import REDACTED, AuditEntry
from mentor_tui.storage.repositories import Repositories

RECORD_NAMES: dict[str, Bilingual] = {
    "person": Bilingual("Person", "Person"),
    "referral": Bilingual("Henvisning", "Referral"),
    "cases": Bilingual("Forløb", "Case"),
    "consent": Bilingual("Samtykke", "Consent"),
    "meeting": Bilingual("Møde", "Meeting"),
    "outcome": Bilingual("Resultat", "Outcome"),
    "closure": Bilingual("Afslutning", "Closure"),
    "reopening": Bilingual("Genåbning", "Reopening"),
}
"""What a row of each table is called."""

ACTION_NAMES: dict[str, Bilingual] = {
    "insert": Bilingual("registreret", "registered"),
    "update": Bilingual("rettet", "corrected"),
    "void": Bilingual("annulleret", "voided"),
    "restore": Bilingual("gendannet", "restored"),
    "delete": Bilingual("slettet", "deleted"),
}
"""What each audit action is called."""

CODE_COLUMNS: dict[str, type[Code]] = {
    "activity": Activity,
    "area": Area,
    "status": CaseStatus,
    "channel": Channel,
    "reason": ClosureReason,
    "given_by": ConsentGiver,
    "gender": Gender,
    "meeting_type": MeetingType,
    "outcome_type": OutcomeType,
    "parathed": Parathed,
    "participants": ParticipantRole,
    "reasons": ReferralReason,
    "source": ReferralSource,
    "start_mode": StartMode,
    "status_at_closure": StatusAtClosure,
    "ydelsestype": Ydelsestype,
}
"""Columns holding codes (or JSON lists of codes), shown by their labels."""

FLAG_COLUMNS = frozenset({"held", "goals_agreed", "joint_decision", "is_start"})
_HIDDEN = frozenset(
    {"case_id", "person_id", "referral_id", "closure_id", "label_key", "deleted_at", "deleted_by", "is_start"}
)
"""Columns not worth a word in the history (links between rows, and what the action already says)."""

_EXTRA_LABELS: dict[str, tuple[str, str]] = {
    "staff_id": ("Sagsbehandler", "Caseworker"),
    "end_date": ("Slutdato", "End date"),
    "goals_agreed": ("Mål aftalt", "Goals agreed"),
    "held": ("Afholdt", "Held"),
    "channel": ("Kanal", "Channel"),
    "status": ("Status", "Status"),
    "deleted_reason": ("Begrundelse", "Reason"),
    "ydelsestype": ("Ydelse", "Benefit"),
    "parathed": ("Parathed", "Readiness"),
    "withdrawn_date": ("Trukket tilbage", "Withdrawn"),
    "given_date": ("Givet", "Given"),
}


@dataclass(frozen=True)
class HistoryLine:
    """One change of the case, said in words."""

    at: dt.datetime
    """When (local time)."""
    who: str
    """The staff member's initials, or ``—`` when nobody was named (a change outside the app)."""
    what: Bilingual
    """E.g. "Møde rettet"."""
    changes: Bilingual
    """E.g. "Dato: 12-11-2026 → 13-11-2026", or empty."""
    action: str
    table_name: str


def case_history(repos: Repositories, case_id: str) -> list[HistoryLine]:
    """Return every change of the case's records, its person's and its referral's, newest first."""
    case = repos.cases.get(case_id)
    ids = [case.id, case.person_id]
    if case.referral_id:
        ids.append(case.referral_id)
    for repository in (repos.consents, repos.meetings, repos.outcomes, repos.closures, repos.reopenings):
        ids += [r.id for r in repository.for_case(case.id, order_by="created_at", voided=True)]
    initials = {s.id: s.initials for s in repos.staff.all()}
    lines = [_line(entry, initials) for entry in repos.audit_trail(ids)]
    return list(reversed(lines))


def _line(entry: AuditEntry, initials: dict[str, str]) -> HistoryLine:
    name = RECORD_NAMES.get(entry.table_name, Bilingual(entry.table_name, entry.table_name))
    action = ACTION_NAMES.get(entry.action, Bilingual(entry.action, entry.action))
    what = Bilingual(f"{name.da} {action.da}", f"{name.en} {action.en}")
    if entry.action == "insert":
        changes = Bilingual("", "")
    elif entry.action in ("void", "restore"):
        reason = entry.new_values.get("deleted_reason") if entry.action == "void" else None
        changes = Bilingual(f"Begrundelse: {reason}", f"Reason: {reason}") if reason else Bilingual("", "")
    else:
        parts = [
            _change(column, entry.old_values.get(column), entry.new_values.get(column), initials)
            for column in entry.new_values
            if column not in _HIDDEN
        ]
        changes = Bilingual.join("; ", parts)
    at = dt.datetime.fromisoformat(entry.at).astimezone()
    return HistoryLine(
        at=at,
        who=(entry.staff_initials or initials.get(entry.staff_id or "", "")) or "—",
        what=what,
        changes=changes,
        action=entry.action,
        table_name=entry.table_name,
    )


def _change(column: str, old: Any, new: Any, initials: dict[str, str]) -> Bilingual:
    name = FIELD_LABELS.get(column) or Bilingual(*(_EXTRA_LABELS.get(column) or (column, column)))
    da, en = name.da, name.en
    if new == REDACTED or old == REDACTED:
        return Bilingual(f"{da} ændret", f"{en} changed")
    before, after = _value(column, old, initials), _value(column, new, initials)
    return Bilingual(f"{da}: {before.da} → {after.da}", f"{en}: {before.en} → {after.en}")


def _value(column: str, value: Any, initials: dict[str, str]) -> Bilingual:
    if value is None or value == "" or value == "[]":
        return Bilingual("—", "—")
    if column == "staff_id":
        text = initials.get(str(value), "?")
        return Bilingual(text, text)
    if column in FLAG_COLUMNS:
        return Bilingual("ja", "yes") if value else Bilingual("nej", "no")
    code = CODE_COLUMNS.get(column)
    if code is not None:
        values = json.loads(value) if isinstance(value, str) and value.startswith("[") else [value]
        labels = [_code_label(code, v) for v in values]
        return Bilingual.join(", ", labels)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            shown = format_date(dt.date.fromisoformat(value))
            return Bilingual(shown, shown)
        except ValueError:
            pass
    return Bilingual(str(value), str(value))


def _code_label(code: type[Code], value: Any) -> Bilingual:
    try:
        member = code(value)
    except ValueError:
        return Bilingual(str(value), str(value))
    return member.label

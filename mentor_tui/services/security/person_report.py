"""The right of access (issue 13 item 5): everything stored about one person, in words or as JSON.

A resident may ask what is stored about them (the access right; DOMAIN.md 5.1 names the
Høje-Taastrup aktindsigt tool that marks personal data in case documents [004:108]). The report
holds the person row, every referral and case with its consents, meetings, outcomes, closures and
reopenings, voided records included and marked, and their audit trail (who registered, corrected
or voided what, and when). It holds nothing about anyone else: only rows of this person are read,
and the trail of those rows (staff initials name the staff, not residents).

Finding the person: by label, compared as :func:`mentor_tui.models.label_key` (NFC, case-folded,
spaces collapsed), exactly; several persons with that label are listed so the user can choose one
by id (:class:`AmbiguousLabelError`). A person anonymised by retention is not found.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mentor_tui.codes import (
    Activity,
    Area,
    Code,
)
from mentor_tui.dates import format_date
from mentor_tui.errors import FIELD_LABELS, MentorError
from mentor_tui.i18n import Bilingual, Lang
from mentor_tui.models import label_key
from mentor_tui.services.casework.history import ACTION_NAMES, CODE_COLUMNS, FLAG_COLUMNS, RECORD_NAMES
from mentor_tui.storage import person_records
from mentor_tui.storage.audit import REDACTED, AuditEntry, entries_for_rows
from mentor_tui.storage.person_records import Candidate, PersonRows, Row
from mentor_tui.storage.repositories import Repositories

# -- finding the person --------------------------------------------------------------------------


class PersonNotFoundError(MentorError):
    """No person has the label (or id) asked for."""


class AmbiguousLabelError(MentorError):
    """Several persons have the label: the user chooses one by id."""

    def __init__(self, message: Bilingual, candidates: Sequence[Candidate]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


NO_LABEL = Bilingual(
    "Ingen person har det kaldenavn (store/små bogstaver og mellemrum tæller ikke). Søg i appen "
    "efter en del af det, eller brug --id. Personer anonymiseret efter opbevaringsperioden kan "
    "ikke findes.",
    "No person has that label (upper/lower case and spaces do not matter). Search for part of it "
    "in the app, or use --id. Persons anonymised after the retention period cannot be found.",
)
NO_ID = Bilingual(
    "Ingen person har det id (eller et id, der begynder sådan).",
    "No person has that id (or an id that starts so).",
)
SEVERAL = Bilingual(
    "{n} personer passer. Vælg én med --id ID:",
    "{n} persons match. Choose one with --id ID:",
)
NOT_THIS_LABEL = Bilingual(
    "Personen med det id har et andet kaldenavn end det angivne.",
    "The person with that id has another label than the one given.",
)
NEED_SOMETHING = Bilingual(
    "Angiv personens kaldenavn (eller --id ID).",
    "Give the person's label (or --id ID).",
)


def find_person(repos: Repositories, label: str | None = None, person_id: str | None = None) -> str:
    """Return the id of the one person meant by ``label`` and/or ``person_id`` (an id or its start).

    Raises:
        PersonNotFoundError: nobody matches.
        AmbiguousLabelError: several persons match; ``candidates`` lists them.
        MentorError: neither was given.
    """
    label = (label or "").strip()
    wanted = (person_id or "").strip().lower()
    if not label and not wanted:
        raise MentorError(NEED_SOMETHING)
    by_label = person_records.with_label_key(repos.db, label_key(label)) if label else None
    if wanted:
        matches = person_records.with_id(repos.db, wanted)
        if by_label is not None:
            keys = {c.person_id for c in by_label}
            if matches and not any(c.person_id in keys for c in matches):
                raise PersonNotFoundError(NOT_THIS_LABEL)
            matches = [c for c in matches if c.person_id in keys]
        if not matches:
            raise PersonNotFoundError(NO_ID)
    else:
        matches = by_label or []
        if not matches:
            raise PersonNotFoundError(NO_LABEL)
    if len(matches) > 1:
        raise AmbiguousLabelError(SEVERAL.format(n=len(matches)), matches)
    return matches[0].person_id


def describe_candidate(candidate: Candidate) -> Bilingual:
    """One line that tells a candidate apart: label, birth month, area, cases, id, voided."""
    activities = Bilingual.join(", ", [_code(Activity, a) for a in candidate.activities]) or Bilingual(
        "ingen forløb", "no cases"
    )
    voided = Bilingual(" (annulleret)", " (voided)") if candidate.deleted_at else Bilingual("", "")
    return Bilingual(
        "{label} · født {born} · {area} · forløb: {cases}{voided} · id {id}",
        "{label} · born {born} · {area} · cases: {cases}{voided} · id {id}",
    ).format(
        label=candidate.display_label,
        born=f"{candidate.birth_month:02d}-{candidate.birth_year:04d}",
        area=_code(Area, candidate.area),
        cases=activities,
        voided=voided,
        id=candidate.person_id,
    )


# -- what is stored ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonReport:
    """Everything stored about one person."""

    rows: PersonRows
    history: list[AuditEntry]
    """The audit trail of every row in :attr:`rows`, oldest first."""
    staff: dict[str, str]
    """Staff initials by id."""
    generated_at: dt.datetime
    database: str


def build_report(repos: Repositories, person_id: str) -> PersonReport:
    """Read everything stored about the person with ``person_id`` (reads only).

    Raises:
        PersonNotFoundError: there is no such person (or they were anonymised).
    """
    rows = person_records.person_rows(repos.db, person_id)
    if rows is None:
        raise PersonNotFoundError(NO_ID)
    path = getattr(repos.db, "path", None)
    return PersonReport(
        rows=rows,
        history=entries_for_rows(repos.db, rows.row_ids()),
        staff=person_records.staff_initials(repos.db),
        generated_at=repos.clock.now(),
        database=str(path) if path is not None else "",
    )


# -- words ---------------------------------------------------------------------------------------

STAFF_COLUMNS = frozenset({"staff_id", "deleted_by"})
STAMP_COLUMNS = frozenset({"created_at", "updated_at", "deleted_at"})

COLUMN_LABELS: dict[str, Bilingual] = {
    **FIELD_LABELS,
    "status": Bilingual("Status", "Status"),
    "staff_id": Bilingual("Sagsbehandler", "Caseworker"),
    "end_date": Bilingual("Slutdato", "End date"),
    "goals_agreed": Bilingual("Mål aftalt", "Goals agreed"),
    "held": Bilingual("Afholdt", "Held"),
    "channel": Bilingual("Kanal", "Channel"),
    "is_start": Bilingual("Opstartsmøde", "Start meeting"),
    "given_date": Bilingual("Givet", "Given"),
    "withdrawn_date": Bilingual("Trukket tilbage", "Withdrawn"),
    "ydelsestype": Bilingual("Ydelse", "Benefit"),
    "parathed": Bilingual("Parathed", "Readiness"),
    "deleted_reason": Bilingual("Begrundelse", "Reason"),
    "deleted_by": Bilingual("Annulleret af", "Voided by"),
    "deleted_at": Bilingual("Annulleret", "Voided"),
    "created_at": Bilingual("Registreret", "Registered"),
    "updated_at": Bilingual("Sidst ændret", "Last changed"),
    "device_id": Bilingual("Enhed", "Device"),
    "label_key": Bilingual("Søgenøgle", "Search key"),
    "id": Bilingual("Id", "Id"),
    "case_id": Bilingual("Forløb", "Case"),
    "person_id": Bilingual("Person", "Person"),
    "referral_id": Bilingual("Henvisning", "Referral"),
    "closure_id": Bilingual("Afslutning", "Closure"),
}
"""What each stored column is called."""


SECTION_NAMES: dict[str, Bilingual] = {
    "consent": Bilingual("Samtykker", "Consents"),
    "meeting": Bilingual("Møder", "Meetings"),
    "outcome": Bilingual("Resultater", "Outcomes"),
    "closure": Bilingual("Afslutninger", "Closures"),
    "reopening": Bilingual("Genåbninger", "Reopenings"),
}


# links between rows and what the table already says: no line of their own in the text
_NOT_SHOWN = frozenset(
    {
        "id",
        "person_id",
        "case_id",
        "referral_id",
        "closure_id",
        "label_key",
        "device_id",
        "deleted_by",
        *STAMP_COLUMNS,
    }
)
_NOT_IN_HISTORY = frozenset(
    {"person_id", "case_id", "referral_id", "closure_id", "label_key", "deleted_at", "deleted_by"}
)

T = {
    "title": Bilingual(
        "INDSIGT: ALT, DER ER GEMT OM ÉN PERSON I MENTOR-TUI",
        "RIGHT OF ACCESS: EVERYTHING MENTOR-TUI STORES ABOUT ONE PERSON",
    ),
    "database": Bilingual("Database", "Database"),
    "printed": Bilingual("Udskrevet", "Printed"),
    "person": Bilingual("PERSON", "PERSON"),
    "born": Bilingual("Født (år og måned)", "Born (year and month)"),
    "case": Bilingual("FORLØB {n} AF {of}: {activity}", "CASE {n} OF {of}: {activity}"),
    "no-cases": Bilingual("Ingen forløb.", "No cases."),
    "other-referrals": Bilingual("HENVISNINGER UDEN FORLØB", "REFERRALS WITHOUT A CASE"),
    "referral": Bilingual("Henvisning", "Referral"),
    "none": Bilingual("ingen", "none"),
    "voided": Bilingual(
        "ANNULLERET {at} af {who}{reason} (gemt som annulleret post; tæller ikke med)",
        "VOIDED {at} by {who}{reason} (kept as a voided record; not counted)",
    ),
    "stamps": Bilingual(
        "registreret {created}, sidst ændret {updated}", "registered {created}, last changed {updated}"
    ),
    "history": Bilingual("HISTORIK (revisionsspor, ældste først)", "HISTORY (audit trail, oldest first)"),
    "no-history": Bilingual("Ingen historik.", "No history."),
    "redacted": Bilingual(
        "ændret (værdien gemmes ikke i historikken)", "changed (the value is not kept in the history)"
    ),
    "footer": Bilingual(
        "Id'er, enheds-id og tidsstempler står i JSON-udgaven (--format json). Anonymiserede "
        "optællinger (eksporter) indeholder intet, der identificerer personen.",
        "Ids, device ids and time stamps are in the JSON version (--format json). Anonymised counts "
        "(exports) contain nothing that identifies the person.",
    ),
    "yes": Bilingual("ja", "yes"),
    "no": Bilingual("nej", "no"),
}


def _code(code: type[Code], value: Any) -> Bilingual:
    try:
        return code(value).label
    except ValueError:
        return Bilingual(str(value), str(value))


def _when(value: str) -> str:
    """A stored UTC time stamp as local ``dd-mm-åååå tt:mm``."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d-%m-%Y %H:%M")


def value_text(column: str, value: Any, staff: dict[str, str]) -> Bilingual:
    """A stored value in words: codes by label, dates as ``dd-mm-åååå``, flags as ja/nej."""
    if value is None or value == "" or value == "[]":
        return Bilingual("—", "—")
    if value == REDACTED:
        return T["redacted"]
    if column in STAFF_COLUMNS:
        text = staff.get(str(value), "?")
        return Bilingual(text, text)
    if column in FLAG_COLUMNS:
        return T["yes"] if value else T["no"]
    if column in STAMP_COLUMNS:
        text = _when(str(value))
        return Bilingual(text, text)
    code = CODE_COLUMNS.get(column)
    if code is not None:
        values = json.loads(value) if isinstance(value, str) and value.startswith("[") else [value]
        return Bilingual.join(", ", [_code(code, v) for v in values])
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            shown = format_date(dt.date.fromisoformat(value))
            return Bilingual(shown, shown)
        except ValueError:
            pass
    return Bilingual(str(value), str(value))


def _label(column: str) -> Bilingual:
    return COLUMN_LABELS.get(column, Bilingual(column, column))


def _fields(row: Row, staff: dict[str, str], lang: Lang, *, skip: frozenset[str] = frozenset()) -> list[str]:
    return [
        f"{_label(col).text(lang)}: {value_text(col, value, staff).text(lang)}"
        for col, value in row.items()
        if col not in _NOT_SHOWN and col not in skip and col != "deleted_reason"
    ]


def _voided(row: Row, staff: dict[str, str], lang: Lang) -> str | None:
    if not row.get("deleted_at"):
        return None
    reason = row.get("deleted_reason")
    return (
        T["voided"]
        .format(
            at=_when(str(row["deleted_at"])),
            who=staff.get(str(row.get("deleted_by")), "—"),
            reason=f": {reason}" if reason else "",
        )
        .text(lang)
    )


def _stamps(row: Row, lang: Lang) -> str:
    return (
        T["stamps"]
        .format(created=_when(str(row["created_at"])), updated=_when(str(row["updated_at"])))
        .text(lang)
    )


def _block(
    row: Row, staff: dict[str, str], lang: Lang, indent: str, *, skip: frozenset[str] = frozenset()
) -> list[str]:
    lines = []
    voided = _voided(row, staff, lang)
    if voided:
        lines.append(f"{indent}{voided}")
    lines += [f"{indent}{line}" for line in _fields(row, staff, lang, skip=skip)]
    lines.append(f"{indent}({_stamps(row, lang)})")
    return lines


def history_line(entry: AuditEntry, staff: dict[str, str], lang: Lang) -> str:
    """One change in words: ``05-10-2026 09:12 · AB · Møde rettet: Dato: 12-11-2026 → 13-11-2026``."""
    name = RECORD_NAMES.get(entry.table_name, Bilingual(entry.table_name, entry.table_name))
    action = ACTION_NAMES.get(entry.action, Bilingual(entry.action, entry.action))
    who = entry.staff_initials or staff.get(entry.staff_id or "", "") or "—"
    text = f"{_when(entry.at)} · {who} · {name.text(lang)} {action.text(lang)}"
    if entry.action == "void":
        reason = entry.new_values.get("deleted_reason")
        if reason:
            shown = value_text("deleted_reason", reason, staff).text(lang)
            text += f": {_label('deleted_reason').text(lang)}: {shown}"
    elif entry.action in ("update", "restore"):
        parts = []
        for column in entry.new_values:
            if column in _NOT_IN_HISTORY:
                continue
            old = entry.old_values.get(column)
            new = entry.new_values.get(column)
            if REDACTED in (old, new):
                parts.append(f"{_label(column).text(lang)} {T['redacted'].text(lang)}")
            else:
                parts.append(
                    f"{_label(column).text(lang)}: {value_text(column, old, staff).text(lang)} → "
                    f"{value_text(column, new, staff).text(lang)}"
                )
        if parts:
            text += ": " + "; ".join(parts)
    return text


def render_text(report: PersonReport, lang: Lang) -> str:
    """Return the report as text in ``lang`` (one record per block, the history at the end)."""
    staff = report.staff
    person = report.rows.person
    out = [T["title"].text(lang)]
    if report.database:
        out.append(f"{T['database'].text(lang)}: {report.database}")
    out.append(f"{T['printed'].text(lang)}: {_when(report.generated_at.isoformat())}")
    out += ["", T["person"].text(lang)]
    born = f"{person['birth_month']:02d}-{person['birth_year']:04d}"
    out.append(f"  {_label('display_label').text(lang)}: {person['display_label']}")
    out.append(f"  {T['born'].text(lang)}: {born}")
    out += _block(
        person,
        staff,
        lang,
        "  ",
        skip=frozenset({"display_label", "birth_year", "birth_month", "retention_run_id", "kept_age_bands"}),
    )
    referrals = {r["id"]: r for r in report.rows.referrals}
    cases = report.rows.cases
    if not cases:
        out += ["", T["no-cases"].text(lang)]
    for n, case_rows in enumerate(cases, 1):
        case = case_rows.case
        title = T["case"].format(n=n, of=len(cases), activity=_code(Activity, case["activity"])).text(lang)
        out += ["", title]
        out += _block(case, staff, lang, "  ")
        referral = referrals.pop(case.get("referral_id") or "", None)
        if referral is not None:
            out.append(f"  {T['referral'].text(lang)}")
            out += _block(referral, staff, lang, "    ", skip=frozenset({"activity"}))
        for table, rows in case_rows.children.items():
            out.append(f"  {SECTION_NAMES[table].text(lang)} ({len(rows)})")
            for row in rows:
                first, *rest = _block(row, staff, lang, "      ")
                out.append("    - " + first.strip())
                out += rest
    if referrals:
        out += ["", T["other-referrals"].text(lang)]
        for referral in referrals.values():
            first, *rest = _block(referral, staff, lang, "      ")
            out.append("    - " + first.strip())
            out += rest
    out += ["", T["history"].text(lang)]
    if not report.history:
        out.append(f"  {T['no-history'].text(lang)}")
    out += [f"  {history_line(entry, staff, lang)}" for entry in report.history]
    out += ["", T["footer"].text(lang)]
    return "\n".join(out) + "\n"


# -- JSON ----------------------------------------------------------------------------------------


def _with_labels(row: Row, staff: dict[str, str], lang: Lang) -> dict[str, Any]:
    labels = {
        col: value_text(col, value, staff).text(lang)
        for col, value in row.items()
        if value is not None and (col in CODE_COLUMNS or col in STAFF_COLUMNS)
    }
    out = dict(row)
    if labels:
        out["labels"] = labels
    out["voided"] = bool(row.get("deleted_at"))
    return out


def render_json(report: PersonReport, lang: Lang) -> str:
    """Return the report as JSON: every stored column as stored, plus ``labels`` in ``lang`` for
    codes and staff ids, ``voided`` on every record, and the history with its text."""
    staff = report.staff
    referrals = {r["id"]: r for r in report.rows.referrals}
    cases = []
    for case_rows in report.rows.cases:
        case = _with_labels(case_rows.case, staff, lang)
        referral = referrals.pop(case_rows.case.get("referral_id") or "", None)
        case["referral"] = _with_labels(referral, staff, lang) if referral is not None else None
        for table, rows in case_rows.children.items():
            case[f"{table}s"] = [_with_labels(r, staff, lang) for r in rows]
        cases.append(case)
    document = {
        "report": "person-report",
        "language": lang,
        "generated_at": report.generated_at.isoformat(),
        "database": report.database,
        "person": _with_labels(report.rows.person, staff, lang),
        "cases": cases,
        "referrals_without_case": [_with_labels(r, staff, lang) for r in referrals.values()],
        "history": [
            {
                "at": e.at,
                "table": e.table_name,
                "row_id": e.row_id,
                "action": e.action,
                "staff": e.staff_initials or staff.get(e.staff_id or ""),
                "device_id": e.device_id,
                "old_values": e.old_values,
                "new_values": e.new_values,
                "text": history_line(e, staff, lang),
            }
            for e in report.history
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

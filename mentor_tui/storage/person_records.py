"""Every stored row about one person, as stored (issue 13 item 5, the right of access).

Rows come back as plain dictionaries of every column, so a report shows all that is stored, not
only what a model knows. Voided rows (tombstones) are included. A person anonymised by retention
is not found: nothing stored links to them any more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mentor_tui.storage._sqlite_utils import Database
from mentor_tui.storage.retention import CASE_TABLES

Row = dict[str, Any]
"""One stored row: column name → value."""


def _rows(db: Database, sql: str, params: Sequence[Any]) -> list[Row]:
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


@dataclass(frozen=True)
class Candidate:
    """A person a label or id may mean, with what tells two apart."""

    person_id: str
    display_label: str
    birth_year: int
    birth_month: int
    area: str
    deleted_at: str | None
    activities: tuple[str, ...]
    """The activity codes of their cases, oldest first (voided cases too)."""


_CANDIDATES = """
    SELECT p.id, p.display_label, p.birth_year, p.birth_month, p.area, p.deleted_at,
           (SELECT group_concat(activity, ' ') FROM
               (SELECT c.activity FROM cases c WHERE c.person_id = p.id ORDER BY c.created_at, c.rowid))
    FROM person p
    WHERE p.retention_run_id IS NULL AND {where}
    ORDER BY p.created_at, p.rowid"""


def _candidates(db: Database, where: str, params: Sequence[Any]) -> list[Candidate]:
    return [
        Candidate(pid, label, by, bm, area, deleted, tuple((acts or "").split()))
        for pid, label, by, bm, area, deleted, acts in db.execute(
            _CANDIDATES.format(where=where), list(params)
        ).fetchall()
    ]


def with_label_key(db: Database, key: str) -> list[Candidate]:
    """Return the persons whose label key is exactly ``key`` (voided ones too)."""
    return _candidates(db, "p.label_key = ?", [key])


def with_id(db: Database, id_or_prefix: str) -> list[Candidate]:
    """Return the persons whose id is ``id_or_prefix`` or starts with it (voided ones too)."""
    escaped = id_or_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _candidates(db, "(p.id = ? OR p.id LIKE ? ESCAPE '\\')", [id_or_prefix, f"{escaped}%"])


@dataclass
class CaseRows:
    """A case and every row that belongs to it."""

    case: Row
    children: dict[str, list[Row]] = field(default_factory=dict)
    """Rows of each table of :data:`~mentor_tui.storage.retention.CASE_TABLES`, by date."""


@dataclass
class PersonRows:
    """The person's row, their referrals and their cases with everything in them."""

    person: Row
    referrals: list[Row]
    cases: list[CaseRows]

    def row_ids(self) -> list[str]:
        """Every id above (for the audit trail)."""
        ids = [self.person["id"], *(r["id"] for r in self.referrals)]
        for case in self.cases:
            ids.append(case.case["id"])
            ids += [row["id"] for rows in case.children.values() for row in rows]
        return ids


def person_rows(db: Database, person_id: str) -> PersonRows | None:
    """Return every row about the person (``None`` if there is none, or they were anonymised)."""
    found = _rows(db, "SELECT * FROM person WHERE id = ? AND retention_run_id IS NULL", [person_id])
    if not found:
        return None
    order = "ORDER BY created_at, rowid"
    referrals = _rows(db, f"SELECT * FROM referral WHERE person_id = ? {order}", [person_id])
    cases = [CaseRows(c) for c in _rows(db, f"SELECT * FROM cases WHERE person_id = ? {order}", [person_id])]
    for case in cases:
        for table in CASE_TABLES:
            order = "given_date" if table == "consent" else "date"
            case.children[table] = _rows(
                db,
                f"SELECT * FROM {table} WHERE case_id = ? ORDER BY {order}, created_at, rowid",
                [case.case["id"]],
            )
    return PersonRows(found[0], referrals, cases)


def staff_initials(db: Database) -> dict[str, str]:
    """Return every staff member's initials by id (who did what in the report)."""
    return {
        str(sid): str(initials) for sid, initials in db.execute("SELECT id, initials FROM staff").fetchall()
    }

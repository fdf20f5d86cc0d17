"""Repositories: rows <-> pydantic models. The only place besides migrations that writes SQL.

Every write stamps ``created_at``/``updated_at`` (UTC ISO 8601) and the device id. Use
:meth:`Repositories.atomic` around multi-row writes so they land together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from sqlite_utils import Database

from mentor_tui.clock import Clock
from mentor_tui.codes import Activity, Area, CaseStatus
from mentor_tui.errors import NotFoundError
from mentor_tui.models import (
    Case,
    CaseSummary,
    Closure,
    Consent,
    ExportRun,
    Meeting,
    Outcome,
    Person,
    Record,
    Referral,
    Reopening,
    Staff,
)
from mentor_tui.storage.database import device_id

M = TypeVar("M", bound=Record)


class Repository(Generic[M]):
    """Generic CRUD for one table and its model."""

    def __init__(self, owner: Repositories, table: str, model: type[M]) -> None:
        self.owner = owner
        self.db = owner.db
        self.table_name = table
        self.model = model

    @property
    def table(self) -> Any:
        """The sqlite-utils table."""
        return self.db.table(self.table_name)

    def _stamp(self, record: M, *, new: bool) -> dict[str, Any]:
        now = self.owner.clock.now().isoformat(timespec="milliseconds")
        if new or not record.created_at:
            record.created_at = now
        record.updated_at = now
        record.device_id = self.owner.device_id
        return record.model_dump(mode="json")

    def add(self, record: M) -> M:
        """Insert ``record`` (a new id) and return it with its stamps."""
        self.table.insert(self._stamp(record, new=True))
        return record

    def add_if_absent(self, record: M) -> bool:
        """Insert ``record`` unless a row with its id exists; return whether it was inserted."""
        if self.table.count_where("id = ?", [record.id]):
            return False
        self.add(record)
        return True

    def update(self, record: M) -> M:
        """Write every field of an existing ``record``."""
        data = self._stamp(record, new=False)
        self.table.update(record.id, {k: v for k, v in data.items() if k != "id"})
        return record

    def get(self, record_id: str) -> M:
        """Return the record with ``record_id``.

        Raises:
            NotFoundError: there is none.
        """
        rows = list(self.table.rows_where("id = ?", [record_id], limit=1))
        if not rows:
            raise NotFoundError(
                f"Findes ikke: {self.table_name} {record_id}",
                f"Not found: {self.table_name} {record_id}",
            )
        return self.model.model_validate(rows[0])

    def where(
        self, where: str | None = None, params: Sequence[Any] = (), order_by: str | None = None
    ) -> list[M]:
        """Return the records matching a parameterised ``where`` clause."""
        return [
            self.model.model_validate(r)
            for r in self.table.rows_where(where, list(params), order_by=order_by)
        ]

    def for_case(self, case_id: str, order_by: str = "date") -> list[M]:
        """Return the records of one case (tables with ``case_id`` and ``date``)."""
        return self.where("case_id = ?", [case_id], order_by=order_by)

    def count(self) -> int:
        """Return the number of rows."""
        return int(self.table.count)


class CaseRepository(Repository[Case]):
    """Cases, plus the read queries the screens need."""

    def summaries(
        self,
        *,
        status: CaseStatus | None = None,
        activity: Activity | None = None,
        area: Area | None = None,
        label_like: str = "",
        followup_due_by: dt.date | None = None,
        person_id: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Return case-list rows, filtered; newest referral first."""
        clauses: list[str] = []
        params: list[Any] = []
        if status is not None:
            clauses.append("c.status = ?")
            params.append(status.value)
        if activity is not None:
            clauses.append("c.activity = ?")
            params.append(activity.value)
        if area is not None:
            clauses.append("c.area = ?")
            params.append(area.value)
        if label_like:
            clauses.append("p.display_label LIKE ? ESCAPE '\\'")
            escaped = label_like.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        if followup_due_by is not None:
            clauses.append("c.status != 'AFSLUTTET' AND c.next_followup_date <= ?")
            params.append(followup_due_by.isoformat())
        if person_id is not None:
            clauses.append("c.person_id = ?")
            params.append(person_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"""
            SELECT c.id, c.person_id, p.display_label, p.birth_year, p.birth_month,
                   c.activity, c.area, c.status, c.start_date, c.next_followup_date,
                   r.received_date,
                   (SELECT MAX(m.date) FROM meeting m WHERE m.case_id = c.id AND m.held = 1)
                       AS last_meeting_date
            FROM cases c
            JOIN person p ON p.id = c.person_id
            LEFT JOIN referral r ON r.id = c.referral_id
            {where}
            ORDER BY COALESCE(r.received_date, c.start_date) DESC, p.display_label
            {"LIMIT ?" if limit else ""}
        """
        if limit:
            params.append(limit)
        return [CaseSummary.model_validate(row) for row in self.db.query(sql, params)]


class Repositories:
    """All repositories over one database, with the clock and the device id they stamp rows with."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or Clock()
        self.device_id = device_id(db)
        self.staff = Repository(self, "staff", Staff)
        self.persons = Repository(self, "person", Person)
        self.referrals = Repository(self, "referral", Referral)
        self.cases = CaseRepository(self, "cases", Case)
        self.consents = Repository(self, "consent", Consent)
        self.meetings = Repository(self, "meeting", Meeting)
        self.outcomes = Repository(self, "outcome", Outcome)
        self.closures = Repository(self, "closure", Closure)
        self.reopenings = Repository(self, "reopening", Reopening)
        self.export_runs = Repository(self, "export_run", ExportRun)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run the block in one transaction: all of its writes land, or none do."""
        with self.db.atomic():
            yield

    def local_staff(self) -> Staff | None:
        """Return the staff record of this laptop's user, if set up."""
        found = self.staff.where("is_local_user = 1", order_by="created_at")
        return found[0] if found else None

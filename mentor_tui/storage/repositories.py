"""Repositories: rows <-> pydantic models. With the other modules of ``mentor_tui.storage``, the only
place that holds SQL: everything else asks a repository by a named method (``for_case``,
``summaries``, ``search``, ``local``, ...). ``tests/unit/test_sql_in_storage.py`` checks it.

Every write stamps ``created_at``/``updated_at`` (UTC ISO 8601) and the device id. Use
:meth:`Repositories.atomic` around multi-row writes so they land together or not at all.

Records are never deleted: :meth:`Repository.void` turns one into a tombstone (``deleted_at``,
reason, who). The list queries leave tombstones out; ``get`` and ``for_case(voided=True)`` still
return them, for the case history. Every write is also logged by the audit triggers
(:mod:`mentor_tui.storage.audit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from mentor_tui.clock import Clock
from mentor_tui.codes import Activity, Area, CaseStatus
from mentor_tui.errors import NotFoundError
from mentor_tui.i18n import Bilingual
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
    Voidable,
    label_key,
)
from mentor_tui.storage import audit
from mentor_tui.storage._sqlite_utils import Database
from mentor_tui.storage.database import device_id

M = TypeVar("M", bound=Record)

_CHUNK = 500
"""Ids per ``IN (...)`` query, well under SQLite's limit on parameters."""


def _like(fragment: str) -> str:
    """Return a ``LIKE`` pattern (``ESCAPE '\\'``) matching text that contains ``fragment``."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Write:
    """One row written inside :meth:`Repositories.journal`: what it was before, and after."""

    repository: Repository[Any]
    before: Record | None
    """The row before the write; ``None`` for an insert."""
    after: Record


class Repository(Generic[M]):
    """Generic CRUD for one table and its model."""

    date_column = "date"
    """The column that orders a case's records in time (:meth:`for_case`)."""

    def __init__(self, owner: Repositories, table: str, model: type[M]) -> None:
        self.owner = owner
        self.table_name = table
        self.model = model
        # built once: sqlite-utils reads the schema each time a table object is made
        self._table = owner.db.table(table)

    def _order(self, order_by: str | None) -> str | None:
        """Return an ``ORDER BY`` list, from ``"date, created_at"``: the model's columns, or ``rowid``.

        Raises:
            ValueError: a name is not a column of this table (no SQL gets in this way).
        """
        if order_by is None:
            return None
        names = [name.strip() for name in order_by.split(",")]
        unknown = [name for name in names if name not in self.model.model_fields and name != "rowid"]
        if unknown:
            raise ValueError(f"{self.table_name} has no column {unknown[0]!r} to order by")
        return ", ".join(names)

    def _where(
        self,
        where: str | None = None,
        params: Sequence[Any] = (),
        order_by: str | None = None,
        *,
        limit: int | None = None,
    ) -> list[M]:
        """Return the records matching a parameterised ``where`` clause (storage only).

        One ``SELECT``: sqlite-utils' ``rows_where`` would first ask the schema whether the table
        exists, on every call.
        """
        sql = f'SELECT * FROM "{self.table_name}"'
        if where is not None:
            sql += f" WHERE {where}"
        if (order := self._order(order_by)) is not None:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cursor = self.owner.db.execute(sql, list(params))
        columns = [c[0] for c in cursor.description]
        return [self.model.model_validate(dict(zip(columns, row, strict=True))) for row in cursor]

    def _count(self, where: str | None = None, params: Sequence[Any] = ()) -> int:
        """Return how many rows match ``where`` (storage only)."""
        sql = f'SELECT count(*) FROM "{self.table_name}"' + (f" WHERE {where}" if where else "")
        return int(self.owner.db.execute(sql, list(params)).fetchone()[0])

    def _stamp(self, record: M, *, new: bool) -> dict[str, Any]:
        now = self.owner.clock.now().isoformat(timespec="milliseconds")
        if new or not record.created_at:
            record.created_at = now
        record.updated_at = now
        record.device_id = self.owner.device_id
        return record.model_dump(mode="json")

    def add(self, record: M) -> M:
        """Insert ``record`` (a new id) and return it with its stamps."""
        self._table.insert(self._stamp(record, new=True))
        self.owner._journalled(self, None, record)
        return record

    def add_if_absent(self, record: M) -> bool:
        """Insert ``record`` unless a row with its id exists; return whether it was inserted."""
        if self.exists(record.id):
            return False
        self.add(record)
        return True

    def update(self, record: M) -> M:
        """Write every field of an existing ``record``."""
        before = self.get(record.id) if self.owner.journalling else None
        data = self._stamp(record, new=False)
        self._table.update(record.id, {k: v for k, v in data.items() if k != "id"})
        if before is not None:
            self.owner._journalled(self, before, record)
        return record

    def void(self, record: M, *, reason: str, staff_id: str | None) -> M:
        """Make ``record`` a tombstone: stamped ``deleted_at``, with the reason and who voided it.

        The row stays in the file (merging laptops later cannot bring it back), leaves every
        list and count, and is shown marked in the case history.
        """
        assert isinstance(record, Voidable)
        record.deleted_at = self.owner.clock.now().isoformat(timespec="milliseconds")
        record.deleted_reason = reason
        record.deleted_by = staff_id
        return self.update(record)

    def get(self, record_id: str) -> M:
        """Return the record with ``record_id``.

        Raises:
            NotFoundError: there is none.
        """
        found = self.find(record_id)
        if found is None:
            raise NotFoundError(
                Bilingual(
                    f"Findes ikke: {self.table_name} {record_id}", f"Not found: {self.table_name} {record_id}"
                ),
            )
        return found

    def find(self, record_id: str) -> M | None:
        """Return the record with ``record_id`` (a tombstone too), or None when there is none."""
        rows = self._where("id = ?", [record_id], limit=1)
        return rows[0] if rows else None

    def exists(self, record_id: str) -> bool:
        """Return whether a row with ``record_id`` exists (a tombstone too)."""
        return bool(self._count("id = ?", [record_id]))

    def all(self, order_by: str | None = None) -> list[M]:
        """Return every row, tombstones included, in the order written (or by the named columns)."""
        return self._where(order_by=order_by or "rowid")

    def with_ids(self, record_ids: Iterable[str]) -> list[M]:
        """Return the live records among ``record_ids`` (voided ones left out), in the order written."""
        return self._live_in("id", record_ids)

    def of_cases(self, case_ids: Iterable[str]) -> list[M]:
        """Return the live records of the cases ``case_ids`` (tables with ``case_id``), as written."""
        return self._live_in("case_id", case_ids)

    def _live_in(self, column: str, values: Iterable[str]) -> list[M]:
        """Return the live rows whose ``column`` is one of ``values``, a few hundred per query."""
        wanted = list(dict.fromkeys(values))
        found: list[M] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            found += self._where(f"{column} IN ({marks}) AND deleted_at IS NULL", chunk, order_by="rowid")
        return found

    def live(self, order_by: str | None = None) -> list[M]:
        """Return every row that is not voided, in the order written (or by the named columns)."""
        return self._where("deleted_at IS NULL", order_by=order_by or "rowid")

    def for_case(self, case_id: str, order_by: str | None = None, *, voided: bool = False) -> list[M]:
        """Return the records of one case, by :attr:`date_column` and then as written.

        Tombstones are left out unless ``voided`` (the case history shows them, marked).
        ``order_by`` names other columns to order by (``"date, created_at"``).
        """
        where = "case_id = ?" if voided else "case_id = ? AND deleted_at IS NULL"
        return self._where(where, [case_id], order_by=order_by or f"{self.date_column}, created_at, id")

    def count(self) -> int:
        """Return the number of rows, tombstones included."""
        return self._count()

    def count_live(self) -> int:
        """Return the number of rows that are not voided."""
        return self._count("deleted_at IS NULL")


class ConsentRepository(Repository[Consent]):
    """Consents: a case's are ordered by the day they were given."""

    date_column = "given_date"


class StaffRepository(Repository[Staff]):
    """Caseworkers: this laptop's user and those named in imports."""

    def local(self) -> Staff | None:
        """Return the staff record of this laptop's user, if set up."""
        found = self._where("is_local_user = 1 AND deleted_at IS NULL", order_by="created_at")
        return found[0] if found else None

    def by_initials(self, initials: str) -> list[Staff]:
        """Return the staff with these initials (any case), others before this laptop's user."""
        return self._where(
            "upper(initials) = ?", [initials.strip().upper()], order_by="is_local_user, created_at"
        )


class PersonRepository(Repository[Person]):
    """Persons, found by their label key (:func:`mentor_tui.models.label_key`)."""

    def search(
        self,
        key_fragment: str,
        birth_year: int | None = None,
        birth_month: int | None = None,
        limit: int = 20,
    ) -> list[Person]:
        """Return live persons whose label key contains ``key_fragment`` (and the birth year/month).

        Args:
            key_fragment: part of a label, already passed through ``label_key`` (NFC, case-folded).
            birth_year: only persons born this year, when given.
            birth_month: only persons born this month, when given.
            limit: at most this many, by label.
        """
        clauses = ["deleted_at IS NULL", "label_key LIKE ? ESCAPE '\\'"]
        params: list[Any] = [_like(key_fragment)]
        if birth_year is not None:
            clauses.append("birth_year = ?")
            params.append(birth_year)
        if birth_month is not None:
            clauses.append("birth_month = ?")
            params.append(birth_month)
        return self._where(" AND ".join(clauses), params, order_by="label_key, id", limit=limit)

    def same(
        self, key: str, birth_year: int, birth_month: int, *, exclude_id: str | None = None
    ) -> list[Person]:
        """Return live persons with exactly this label key and birth year-month (possible duplicates)."""
        return self._where(
            "deleted_at IS NULL AND label_key = ? AND birth_year = ? AND birth_month = ? AND id IS NOT ?",
            [key, birth_year, birth_month, exclude_id],
            order_by="created_at, id",
        )


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
        staff_id: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Return case-list rows, filtered; newest referral first. Voided cases are left out, and so
        are the cases of persons anonymised by retention (they are counted, never listed).

        ``label_like`` matches part of the label compared by ``label_key`` (NFC, case-folded:
        "åse" finds "Åse"); ``staff_id`` keeps the cases of one caseworker ("mine").
        """
        clauses: list[str] = ["c.deleted_at IS NULL", "p.retention_run_id IS NULL"]
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
            clauses.append("p.label_key LIKE ? ESCAPE '\\'")
            params.append(_like(label_key(label_like)))
        if followup_due_by is not None:
            clauses.append("c.status != 'AFSLUTTET' AND c.next_followup_date <= ?")
            params.append(followup_due_by.isoformat())
        if person_id is not None:
            clauses.append("c.person_id = ?")
            params.append(person_id)
        if staff_id is not None:
            clauses.append("c.staff_id = ?")
            params.append(staff_id)
        where = "WHERE " + " AND ".join(clauses)
        sql = f"""
            SELECT c.id, c.person_id, p.display_label, p.birth_year, p.birth_month,
                   c.activity, c.area, c.status, c.start_date, c.next_followup_date,
                   r.received_date,
                   (SELECT MAX(m.date) FROM meeting m
                    WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL)
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
        return [CaseSummary.model_validate(row) for row in self.owner.db.query(sql, params)]

    def open_in_activity(
        self, person_id: str, activity: Activity, *, exclude_id: str | None = None
    ) -> list[Case]:
        """Return the person's open (not closed, not voided) cases in ``activity``, but ``exclude_id``."""
        return self._where(
            "person_id = ? AND activity = ? AND status != 'AFSLUTTET' AND deleted_at IS NULL AND id IS NOT ?",
            [person_id, activity.value, exclude_id],
            order_by="created_at",
        )

    def live_for_person(self, person_id: str) -> list[Case]:
        """Return the person's cases that are not voided."""
        return self._where("person_id = ? AND deleted_at IS NULL", [person_id], order_by="created_at")

    def of_staff(self, staff_id: str) -> list[Case]:
        """Return the live cases of one caseworker ("my cases")."""
        return self._where("staff_id = ? AND deleted_at IS NULL", [staff_id], order_by="created_at")


class Repositories:
    """All repositories over one database, with the clock and the device id they stamp rows with."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or Clock()
        self.device_id = device_id(db)
        self.staff = StaffRepository(self, "staff", Staff)
        self.persons = PersonRepository(self, "person", Person)
        self.referrals = Repository(self, "referral", Referral)
        self.cases = CaseRepository(self, "cases", Case)
        self.consents = ConsentRepository(self, "consent", Consent)
        self.meetings = Repository(self, "meeting", Meeting)
        self.outcomes = Repository(self, "outcome", Outcome)
        self.closures = Repository(self, "closure", Closure)
        self.reopenings = Repository(self, "reopening", Reopening)
        self.export_runs = Repository(self, "export_run", ExportRun)

        self._journal: list[Write] | None = None

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run the block in one transaction: all of its writes land, or none do."""
        with self.db.atomic():
            yield

    # -- the writes of one change, for undo --------------------------------------------------------

    @property
    def journalling(self) -> bool:
        """Whether writes are being collected by :meth:`journal`."""
        return self._journal is not None

    @contextmanager
    def journal(self) -> Iterator[list[Write]]:
        """Collect every row written in the block (with its state before) into the yielded list."""
        outer = self._journal
        self._journal = [] if outer is None else outer
        try:
            yield self._journal
        finally:
            self._journal = outer

    def _journalled(self, repository: Repository[Any], before: Record | None, after: Record) -> None:
        if self._journal is not None:
            self._journal.append(Write(repository, before, after.model_copy()))

    # -- who is using the app ----------------------------------------------------------------------

    def local_staff(self) -> Staff | None:
        """Return the staff record of this laptop's user, if set up (see :meth:`StaffRepository.local`)."""
        return self.staff.local()

    def start_session(self, staff_id: str | None) -> None:
        """Name the staff member using the app; the audit trail logs them with every change."""
        with self.atomic():
            audit.set_session(self.db, staff_id, self.clock.now().isoformat(timespec="milliseconds"))

    def session_staff_id(self) -> str | None:
        """Return the staff id of the current session (``None`` before one was started)."""
        return audit.session_staff_id(self.db)

    def audit_trail(self, row_ids: Sequence[str]) -> list[audit.AuditEntry]:
        """Return the audit trail of the given rows (any table), oldest first."""
        return audit.entries_for_rows(self.db, row_ids)

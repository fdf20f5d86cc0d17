"""The SQL of the spreadsheet import: look up what an earlier import left, stage checked
records, and write them in one short transaction (issue 10 item 6).

The importer checks a whole file without holding any lock (reads only) and stages the checked
records in an in-memory database attached to its connection. :meth:`ImportStore.write` then
takes the write lock (``BEGIN IMMEDIATE``), checks that nothing it relied on changed meanwhile,
and copies everything with ``INSERT ... SELECT``; the audit triggers log every row as for any
other write. The case list's derived rows are filled once for the cases written, after the copy
and in the same transaction (:func:`~mentor_tui.storage.case_list.filled_once`), not by its
triggers row by row. The lock is held only for that copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any, TypeVar

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.models import Case, Person, Record, Referral
from mentor_tui.storage import case_list
from mentor_tui.storage.repositories import Repositories

R = TypeVar("R", bound=Record)

_BATCH = 500


class ImportConflictError(MentorError):
    """The database changed between checking and writing the import; nothing was written."""


TABLE_OF: dict[str, str] = {
    "Staff": "staff",
    "Person": "person",
    "Referral": "referral",
    "Case": "cases",
    "Consent": "consent",
    "Meeting": "meeting",
    "Outcome": "outcome",
    "Closure": "closure",
}
"""The table each record type is written to."""


class ImportStore:
    """Named queries of the importer over one set of repositories."""

    def __init__(self, repos: Repositories) -> None:
        self.repos = repos
        self.db = repos.db

    # -- reading (no lock) --------------------------------------------------------------------

    def existing_ids(self, table: str, ids: Iterable[str]) -> set[str]:
        """Return which of ``ids`` are rows of ``table`` (voided ones included)."""
        found: set[str] = set()
        batch: list[str] = []
        for record_id in ids:
            batch.append(record_id)
            if len(batch) == _BATCH:
                found |= self._ids_in(table, batch)
                batch = []
        if batch:
            found |= self._ids_in(table, batch)
        return found

    def _ids_in(self, table: str, ids: Sequence[str]) -> set[str]:
        marks = ", ".join("?" for _ in ids)
        rows = self.db.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", list(ids)).fetchall()
        return {str(r[0]) for r in rows}

    def cases(self, ids: Iterable[str]) -> dict[str, Case]:
        """Return the cases among ``ids`` that exist, by id."""
        return {r.id: r for r in self._records("cases", Case, ids)}

    def referrals(self, ids: Iterable[str]) -> dict[str, Referral]:
        """Return the referrals among ``ids`` that exist, by id."""
        return {r.id: r for r in self._records("referral", Referral, ids)}

    def persons(self, ids: Iterable[str]) -> dict[str, Person]:
        """Return the persons among ``ids`` that exist and are not anonymised, by id."""
        return {r.id: r for r in self._records("person", Person, ids, "retention_run_id IS NULL")}

    def anonymised_persons(self, ids: Iterable[str]) -> set[str]:
        """Return the ids among ``ids`` of persons anonymised by retention (issue 13)."""
        found: set[str] = set()
        wanted = list(ids)
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" for _ in batch)
            found |= {
                str(r[0])
                for r in self.db.execute(
                    f"SELECT id FROM person WHERE id IN ({marks}) AND retention_run_id IS NOT NULL", batch
                ).fetchall()
            }
        return found

    def _records(self, table: str, model: type[R], ids: Iterable[str], where: str = "1") -> list[R]:
        out: list[R] = []
        wanted = list(ids)
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" for _ in batch)
            out += [
                model.model_validate(row)
                for row in self.db.query(f"SELECT * FROM {table} WHERE id IN ({marks}) AND {where}", batch)
            ]
        return out

    def open_cases_elsewhere(self, person_id: str, activity: str, case_id: str) -> bool:
        """Whether the person has another open, live case in ``activity`` (not ``case_id``)."""
        row = self.db.execute(
            "SELECT 1 FROM cases WHERE person_id = ? AND activity = ? AND id != ? "
            "AND status != 'AFSLUTTET' AND deleted_at IS NULL LIMIT 1",
            [person_id, activity, case_id],
        ).fetchone()
        return row is not None

    def staff_by_initials(self) -> dict[str, str]:
        """Return ``{INITIALS: staff id}`` of live staff (the local user wins, then the oldest)."""
        rows = self.db.execute(
            "SELECT upper(initials), id FROM staff WHERE deleted_at IS NULL "
            "ORDER BY is_local_user DESC, created_at DESC"
        ).fetchall()
        return {str(initials): str(staff_id) for initials, staff_id in rows}

    def local_staff_id(self) -> str | None:
        """Return the id of this laptop's user, if set up."""
        staff = self.repos.local_staff()
        return staff.id if staff is not None else None

    # -- staging and writing -------------------------------------------------------------------

    def open_staging(self) -> None:
        """Attach a staging area with the record tables (without stamp columns).

        Checked records are staged there while the file is read, without any lock on the
        database; :meth:`write` then copies them in one short transaction. It is SQLite's
        private temporary database (``ATTACH ''``): its pages spill to an already-unlinked
        temporary file beyond a small cache, so memory stays bounded however large the import,
        and nothing is left behind even if the process is killed.
        """
        conn = self.db.conn
        conn.execute(f"ATTACH DATABASE '' AS {_STAGE}")
        self._columns: dict[str, list[str]] = {}
        for table in TABLE_OF.values():
            columns = [
                str(r[1])
                for r in conn.execute(f"PRAGMA main.table_info({table})").fetchall()
                if r[1] not in _STAMPS
            ]
            self._columns[table] = columns
            conn.execute(f"CREATE TABLE {_STAGE}.{table} ({', '.join(columns)})")
        conn.execute(f"CREATE TABLE {_STAGE}.updated_case (id TEXT PRIMARY KEY)")

    def close_staging(self) -> None:
        """Detach the staging area (SQLite deletes it)."""
        conn = self.db.conn
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        with contextlib.suppress(Exception):
            conn.execute(f"DETACH DATABASE {_STAGE}")

    def stage(self, records: Sequence[Record]) -> None:
        """Add checked records to the staging area (no lock on the database is taken)."""
        by_table: dict[str, list[list[Any]]] = {}
        for record in records:
            table = TABLE_OF[type(record).__name__]
            data = record.__dict__  # the field values; converted below as sqlite-utils would
            by_table.setdefault(table, []).append([_sql_value(data.get(c)) for c in self._columns[table]])
        conn = self.db.conn
        conn.execute("BEGIN")  # deferred: only the in-memory staging area is written
        try:
            for table, rows in by_table.items():
                columns = self._columns[table]
                conn.executemany(
                    f"INSERT INTO {_STAGE}.{table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})",
                    rows,
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def staged_count(self, table: str) -> int:
        """Return how many rows of ``table`` are staged."""
        return int(self.db.conn.execute(f"SELECT count(*) FROM {_STAGE}.{table}").fetchone()[0])

    def write(self, updated_cases: Sequence[tuple[Case, str]]) -> None:
        """Copy the staged records into the database and update ``updated_cases``, in one write
        transaction (``BEGIN IMMEDIATE``): all of it lands, or none.

        Args:
            updated_cases: existing cases with their new state, each with the ``updated_at``
                it had when the import read it.

        Raises:
            ImportConflictError: a staged row exists now, or a case to update changed since it
                was read (someone saved meanwhile). Nothing was written.
            DatabaseBusyError, DiskFullError, ...: from the transaction; nothing was written.
        """
        stamp = self.repos.clock.now().isoformat(timespec="milliseconds")
        device = self.repos.device_id
        conn = self.db.conn
        (cache,) = conn.execute("PRAGMA main.cache_size").fetchone()
        conn.execute(f"PRAGMA main.cache_size = -{_WRITE_CACHE_KIB}")  # a big write: fewer page spills
        try:
            self._write(updated_cases, stamp, device)
        finally:
            conn.execute(f"PRAGMA main.cache_size = {cache}")

    def _write(self, updated_cases: Sequence[tuple[Case, str]], stamp: str, device: str) -> None:
        conn = self.db.conn
        with self.repos.atomic():
            for table in TABLE_OF.values():
                clash = conn.execute(
                    f"SELECT 1 FROM {_STAGE}.{table} AS s JOIN main.{table} AS m ON m.id = s.id LIMIT 1"
                ).fetchone()
                if clash is not None:
                    raise _changed()
            for case, seen_updated_at in updated_cases:
                row = conn.execute("SELECT updated_at FROM main.cases WHERE id = ?", [case.id]).fetchone()
                if row is None or row[0] != seen_updated_at:
                    raise _changed()
            # the case list is filled once at the end, not by its triggers row by row
            with case_list.filled_once(conn, _TOUCHED_CASES):
                for table in _WRITE_ORDER:
                    names = ", ".join(self._columns[table])
                    conn.execute(
                        f"INSERT INTO main.{table} ({names}, created_at, updated_at, device_id) "
                        f"SELECT {names}, ?, ?, ? FROM {_STAGE}.{table} ORDER BY id",  # in key order
                        [stamp, stamp, device],
                    )
                columns = [c for c in self._columns["cases"] if c != "id"]
                for case, _ in updated_cases:
                    data = case.model_dump(mode="json")
                    conn.execute(
                        f"UPDATE main.cases SET {', '.join(f'{c} = ?' for c in columns)}, updated_at = ?, "
                        "device_id = ? WHERE id = ?",
                        [*[_sql_value(data.get(c)) for c in columns], stamp, device, case.id],
                    )
                conn.executemany(
                    f"INSERT OR IGNORE INTO {_STAGE}.updated_case (id) VALUES (?)",
                    [(case.id,) for case, _ in updated_cases],
                )


_STAGE = "import_staging"
_TOUCHED_CASES = (
    f"SELECT id FROM {_STAGE}.cases UNION SELECT case_id FROM {_STAGE}.meeting "
    f"UNION SELECT id FROM {_STAGE}.updated_case"
)
"""The cases an import wrote: new ones, those it updated, and those it added meetings to."""
_WRITE_CACHE_KIB = 32 * 1024
_STAMPS = frozenset({"created_at", "updated_at", "device_id"})
_WRITE_ORDER = ("staff", "person", "referral", "cases", "consent", "meeting", "outcome", "closure")


def _sql_value(value: Any) -> Any:
    """A model field's value as the repositories store it (JSON lists, 0/1, ISO dates, codes)."""
    if value is None or type(value) is str or type(value) is int:
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


def _changed() -> ImportConflictError:
    return ImportConflictError(
        Bilingual(
            "Databasen blev ændret, mens filen blev tjekket (en anden gemte samtidig). Intet er "
            "importeret; importér filen igen.",
            "The database changed while the file was being checked (someone saved at the same "
            "time). Nothing was imported; import the file again.",
        )
    )

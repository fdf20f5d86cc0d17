"""The case list's queries: filter, sort and page in SQL over the derived ``case_list`` table.

``case_list`` (migration ``m006_case_list``) holds one row per case that is not voided, with a
covering index per sort, so a page of the list costs a short index walk whatever the size of
the file, and label search uses the ``case_search`` trigram index (three characters or more) or
the indexed ``label_key`` (one or two). Rows come back as :class:`CaseRow` tuples of the stored
text, not models: only the rows on screen are ever turned into something to show.

Sorting by a column with a few values (status, activity, area) shows the values in the order the
caller gives (the UI's, e.g. areas by their label in the user's language), each value's cases in
the default order; sorting by a date puts cases without that date last. Either way the order is
a list of *segments*, each one index range, and a page may span several.

Every thread reads on its own connection (the database is
a :class:`~mentor_tui.storage.connections.ThreadConnections`), so the search worker never waits
for, nor disturbs, a write or an export on another connection (WAL readers see the last
committed state).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from mentor_tui.labels import label_key

if TYPE_CHECKING:
    from mentor_tui.storage._sqlite_utils import Database
    from mentor_tui.storage.connections import HasConnection

SortColumn = Literal["label", "activity", "area", "status", "last_meeting", "next_followup"]
"""A column the list can be sorted by (``None`` in a query: newest referral first)."""

GROUP_SORTS: dict[str, str] = {"activity": "activity", "area": "area", "status": "status"}
"""Sorts by a column with a few values, and the ``case_list`` column of each."""

DATE_SORTS: dict[str, str] = {"last_meeting": "last_meeting_date", "next_followup": "next_followup_date"}
"""Sorts by a date; cases without the date come last, newest referral first."""

DEFAULT_ORDER: tuple[str, ...] = (
    "list_date DESC",
    "label_key",
    "status",
    "activity",
    "area",
    "next_followup_date",
    "last_meeting_date",
    "search_id",
)
"""The default order (newest referral first, then label), every column named so it is total."""

CLOSED = "AFSLUTTET"
"""The status code of a closed case (closed cases are never overdue)."""

CANCEL_CHECK_EVERY = 2000
"""A cancellable count asks whether it is still wanted every this many SQLite steps (a few µs)."""

MIN_TRIGRAM = 3
"""Searches at least this long (after normalising) use the trigram index."""

_OVERDUE = f"status != '{CLOSED}' AND next_followup_date < ?"

_ROW_COLUMNS = (
    "search_id, case_id, display_label, activity, area, status, last_meeting_date, next_followup_date"
)


class CaseRow(NamedTuple):
    """One line of the case list, as stored (codes and ISO dates as text)."""

    search_id: int
    """The row's stable number in ``case_list``."""
    id: str
    """The case id."""
    display_label: str
    activity: str
    area: str
    status: str
    last_meeting_date: str | None
    next_followup_date: str | None


@dataclass(frozen=True)
class CaseListQuery:
    """What the list shows: filters and sort.

    Args:
        status: Only this status code.
        activity: Only this activity code.
        area: Only this area code.
        due_by: Only open cases whose next follow-up is on or before this day.
        text: Only labels containing this text (compared by :func:`~mentor_tui.models.label_key`,
            so case, accents as typed and extra spaces do not matter; æ, ø, å are letters of
            their own).
        sort: The sort column, ``None`` for newest referral first.
        descending: The other way round.
        rank: For a sort by status, activity or area: their codes in the order to show them.
        staff_id: Only the cases of this caseworker (the "mine" quick filter, issue 9 item 7).
    """

    status: str | None = None
    activity: str | None = None
    area: str | None = None
    due_by: dt.date | None = None
    text: str = ""
    sort: SortColumn | None = None
    descending: bool = False
    rank: tuple[str, ...] = ()
    staff_id: str | None = None

    @property
    def search_key(self) -> str:
        """The normalised search text."""
        return label_key(self.text)


@dataclass(frozen=True)
class Segment:
    """One index range of the sorted list: an extra condition and its order."""

    where: str
    params: tuple[Any, ...]
    order: str
    key: Any
    """What identifies the segment in the grouped count (a code, ``0``/``1`` for has-a-date)."""


@dataclass(frozen=True)
class CaseListCounts:
    """How many rows the list has, and where each segment starts."""

    matching: int
    """Cases matching the query."""
    overdue: int
    """Of those, open cases whose next follow-up lies before today."""
    total: int
    """Cases in the list without any filter (not voided)."""
    segments: tuple[int, ...] = field(default=())
    """Rows in each segment of the query's order."""


def _reverse(order: Sequence[str]) -> list[str]:
    flipped = []
    for term in order:
        column, _, direction = term.partition(" ")
        flipped.append(column if direction == "DESC" else f"{column} DESC")
    return flipped


def _order_by(first: str | None, descending: bool) -> str:
    order = list(DEFAULT_ORDER)
    if first is not None:
        order = [first, *(t for t in order if t.split()[0] != first)]
    return ", ".join(_reverse(order) if descending else order)


def segments(query: CaseListQuery) -> list[Segment]:
    """Return the segments of ``query``'s order, first to last."""
    default = _order_by(None, False)
    if query.sort is None:
        return [Segment("", (), _order_by(None, query.descending), 0)]
    if query.sort == "label":
        return [Segment("", (), _order_by("label_key", query.descending), 0)]
    if query.sort in DATE_SORTS:
        column = DATE_SORTS[query.sort]
        return [
            Segment(f" AND {column} IS NOT NULL", (), _order_by(column, query.descending), 0),
            Segment(f" AND {column} IS NULL", (), default, 1),
        ]
    column = GROUP_SORTS[query.sort]
    values = list(reversed(query.rank)) if query.descending else list(query.rank)
    parts = [Segment(f" AND {column} = ?", (value,), default, value) for value in values]
    if values:
        marks = ", ".join("?" for _ in values)
        parts.append(Segment(f" AND {column} NOT IN ({marks})", tuple(values), default, None))
    else:
        parts.append(Segment("", (), default, None))
    return parts


def _segment_key_sql(query: CaseListQuery) -> str:
    if query.sort in DATE_SORTS:
        return f"({DATE_SORTS[query.sort]} IS NULL)"
    if query.sort in GROUP_SORTS:
        return GROUP_SORTS[query.sort]
    return "0"


class CaseListReader:
    """Reads the case list, on the calling thread's connection of ``db``."""

    def __init__(self, db: HasConnection) -> None:
        self._db = db
        self._fts: bool | None = None

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = self._db.conn
        return conn

    def change_stamp(self) -> tuple[int, int]:
        """Return a value that changes whenever anything was written to the file since.

        ``total_changes`` counts this connection's own writes, ``PRAGMA data_version`` those
        committed by any other connection (another thread or process).
        """
        conn = self._conn()
        return conn.total_changes, int(conn.execute("PRAGMA data_version").fetchone()[0])

    # -- queries ---------------------------------------------------------------------------------

    def _has_fts(self, conn: sqlite3.Connection) -> bool:
        if self._fts is None:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_search'").fetchone()
            self._fts = found is not None
        return self._fts

    def _filters(self, conn: sqlite3.Connection, query: CaseListQuery) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("status", query.status), ("activity", query.activity), ("area", query.area)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if query.due_by is not None:
            clauses.append(f"status != '{CLOSED}' AND next_followup_date <= ?")
            params.append(query.due_by.isoformat())
        if query.staff_id is not None:  # case_list has no caseworker column: ask the cases
            clauses.append("case_id IN (SELECT id FROM cases WHERE staff_id = ?)")
            params.append(query.staff_id)
        key = query.search_key
        if key:
            if len(key) >= MIN_TRIGRAM and self._has_fts(conn):
                clauses.append("search_id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
                params.append('"' + key.replace('"', '""') + '"')
            else:
                clauses.append("instr(label_key, ?) > 0")
                params.append(key)
        return " AND ".join(clauses) or "1", params

    def first_page(self, query: CaseListQuery, limit: int) -> list[CaseRow]:
        """Return the first ``limit`` rows of ``query`` (no counting needed)."""
        conn = self._conn()
        where, params = self._filters(conn, query)
        rows: list[CaseRow] = []
        for segment in segments(query):
            rows += self._select(conn, where, params, segment, limit - len(rows), 0)
            if len(rows) >= limit:
                break
        return rows

    def first_page_within(self, query: CaseListQuery, limit: int, seconds: float) -> list[CaseRow] | None:
        """Return the first ``limit`` rows of ``query``, or ``None`` if that takes over ``seconds``.

        For the UI thread: a search or filter shows its rows in the frame of the key that asked
        for them when the index answers at once (about 0.2-3 ms at 50,000 cases); a query that
        would hold the screen longer is stopped, and the caller reads it in a worker instead.
        """
        deadline = time.perf_counter() + seconds

        def late() -> bool:
            return time.perf_counter() > deadline

        conn = self._conn()
        try:
            with _cancellable(conn, late):
                return self.first_page(query, limit)
        except sqlite3.OperationalError:
            if late():
                return None  # interrupted
            raise

    def counts(
        self, query: CaseListQuery, today: dt.date, cancelled: Callable[[], bool] | None = None
    ) -> CaseListCounts:
        """Count the rows of ``query``, its segments and its overdue cases.

        Args:
            query: What to count.
            today: Follow-ups before this day are overdue.
            cancelled: Checked while counting; when it returns True the count stops.

        Raises:
            sqlite3.OperationalError: ``cancelled`` said so (``interrupted``).
        """
        conn = self._conn()
        with _cancellable(conn, cancelled):
            return self._counts(conn, query, today)

    def _counts(self, conn: sqlite3.Connection, query: CaseListQuery, today: dt.date) -> CaseListCounts:
        where, params = self._filters(conn, query)
        parts = segments(query)
        if len(parts) == 1:  # a plain count walks the smallest index (GROUP BY 0 scans the table)
            (matching,) = conn.execute(f"SELECT COUNT(*) FROM case_list WHERE {where}", params).fetchone()
            sizes = [int(matching)]
        else:
            grouped = dict(
                conn.execute(
                    f"SELECT {_segment_key_sql(query)}, COUNT(*) FROM case_list WHERE {where} GROUP BY 1",
                    params,
                ).fetchall()
            )
            named = {s.key for s in parts}
            sizes = []
            for segment in parts:
                if segment.key is None:  # the rest: every value the rank does not name
                    sizes.append(sum(n for k, n in grouped.items() if k not in named))
                else:
                    sizes.append(grouped.get(segment.key, 0))
        overdue_sql = f"SELECT COUNT(*) FROM case_list WHERE {where} AND {_OVERDUE}"
        (overdue,) = conn.execute(
            overdue_sql,
            [*params, today.isoformat()],
        ).fetchone()
        (total,) = conn.execute("SELECT COUNT(*) FROM case_list").fetchone()
        return CaseListCounts(sum(sizes), overdue, total, tuple(sizes))

    def page(self, query: CaseListQuery, counts: CaseListCounts, offset: int, limit: int) -> list[CaseRow]:
        """Return rows ``offset`` to ``offset + limit`` of ``query`` (``counts`` from :meth:`counts`)."""
        conn = self._conn()
        where, params = self._filters(conn, query)
        rows: list[CaseRow] = []
        start = 0
        for segment, size in zip(segments(query), counts.segments, strict=True):
            end = start + size
            if end > offset and len(rows) < limit:
                skip = max(0, offset - start)
                rows += self._select(conn, where, params, segment, limit - len(rows), skip)
            start = end
            if start >= offset + limit:
                break
        return rows

    def index_of(
        self,
        query: CaseListQuery,
        counts: CaseListCounts,
        case_id: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> int | None:
        """Return the position of case ``case_id`` in ``query``'s list, or ``None`` if not listed.

        Raises:
            sqlite3.OperationalError: ``cancelled`` said so (``interrupted``).
        """
        conn = self._conn()
        where, params = self._filters(conn, query)
        start = 0
        with _cancellable(conn, cancelled):
            for segment, size in zip(segments(query), counts.segments, strict=True):
                found = conn.execute(
                    f"SELECT n FROM (SELECT case_id, ROW_NUMBER() OVER (ORDER BY {segment.order}) - 1 AS n "
                    f"FROM case_list WHERE {where}{segment.where}) WHERE case_id = ?",
                    [*params, *segment.params, case_id],
                ).fetchone()
                if found is not None:
                    return start + int(found[0])
                start += size
        return None

    def row(self, case_id: str) -> CaseRow | None:
        """Return the list row of one case, or ``None`` if it is not listed (voided, or no such case)."""
        found = (
            self._conn()
            .execute(f"SELECT {_ROW_COLUMNS} FROM case_list WHERE case_id = ?", [case_id])
            .fetchone()
        )
        return CaseRow(*found) if found else None

    @staticmethod
    def _select(
        conn: sqlite3.Connection, where: str, params: list[Any], segment: Segment, limit: int, offset: int
    ) -> list[CaseRow]:
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM case_list WHERE {where}{segment.where} "
            f"ORDER BY {segment.order} LIMIT ? OFFSET ?"
        )
        return [CaseRow(*r) for r in conn.execute(sql, [*params, *segment.params, limit, offset])]


@contextmanager
def _cancellable(conn: sqlite3.Connection, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Within the block, stop ``conn``'s statements soon after ``cancelled()`` turns True."""
    if cancelled is None:
        yield
        return
    conn.set_progress_handler(cancelled, CANCEL_CHECK_EVERY)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def purge_search_index(db: Database) -> None:
    """Rewrite the label search index so it keeps no trace of labels no longer listed.

    ``case_search`` is an FTS5 index without content: a changed or removed label is only marked
    deleted, and its trigrams stay in the index's pages until FTS5 merges them. ``optimize``
    merges everything into one segment without them. Retention (issue 13: an anonymised
    person's label must be nowhere in the file) calls this in its transaction, before its
    ``VACUUM``; it takes a fraction of a second at 50,000 cases. No-op without the index.
    """
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_search'").fetchone() is not None:
        db.execute("INSERT INTO case_search (case_search) VALUES ('optimize')")


# -- keeping the derived rows (the rule of the m006 triggers, and bulk writes) -------------------

LIST_COLUMNS = (
    "label_key, display_label, list_date, last_meeting_date, status, activity, area, next_followup_date"
)
"""The columns of a ``case_list`` row derived from the records (besides ``case_id``)."""

_LAST_MEETING = (
    "(SELECT MAX(m.date) FROM meeting m WHERE m.case_id = {case} AND m.held = 1 AND m.deleted_at IS NULL)"
)


def refresh_sql(where: str) -> str:
    """SQL that brings the ``case_list`` rows of the cases matching ``where`` (on ``c``) up to date.

    A case is listed unless it or its person is voided, or the person has no label (a person
    retention anonymised, issue 13: their cases leave the list and its search index). Two
    statements, separated by ``";\\n"``: the triggers of migration m006 run it per row, a bulk
    write once (:func:`filled_once`).
    """
    updates = ", ".join(f"{col} = excluded.{col}" for col in LIST_COLUMNS.split(", "))
    return f"""
    DELETE FROM case_list WHERE case_id IN (
        SELECT c.id FROM cases c JOIN person p ON p.id = c.person_id
        WHERE ({where}) AND (c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL OR p.label_key IS NULL));
    INSERT INTO case_list (case_id, {LIST_COLUMNS})
        SELECT c.id, p.label_key, p.display_label, COALESCE(r.received_date, c.start_date),
               {_LAST_MEETING.format(case="c.id")}, c.status, c.activity, c.area, c.next_followup_date
        FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
        WHERE ({where}) AND c.deleted_at IS NULL AND p.deleted_at IS NULL AND p.label_key IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET {updates};"""


def last_meeting_sql(case: str) -> str:
    """SQL that sets the last held meeting's date of the case ``case`` (an SQL expression)."""
    return f"""
    UPDATE case_list SET last_meeting_date = {_LAST_MEETING.format(case=case)} WHERE case_id = {case};"""


PAUSED_TABLE = "case_list_paused"
"""While this table has its row, the per-row ``case_list_on_*`` triggers do nothing (m007)."""


@contextmanager
def filled_once(conn: sqlite3.Connection, touched_cases: str) -> Iterator[None]:
    """Within a write transaction: pause the case list's per-row triggers for the block, then
    bring the rows of the cases it touched up to date in one pass (a bulk write: the import).

    Row by row, the triggers cost about a third of a 50 MB import's CPU (issue 10 item 6); once
    at the end, the same rule (:func:`refresh_sql`) gives the same rows, and the search index
    follows them by its own triggers. The pause is a row of :data:`PAUSED_TABLE` written in the
    caller's transaction: if the block raises, the caller rolls back and nothing changed; if the
    process dies, the row dies with the transaction, so it never outlives the write.

    Args:
        conn: A connection inside a write transaction (``BEGIN IMMEDIATE``).
        touched_cases: An SQL query selecting the ids of every case the block inserted or
            changed, or whose meetings it changed; it is run after the block.

    Raises:
        RuntimeError: ``conn`` is not inside a transaction.
    """
    if not conn.in_transaction:
        raise RuntimeError("filled_once needs a write transaction")
    conn.execute(f"INSERT INTO {PAUSED_TABLE} (paused) VALUES (1)")
    yield
    for statement in refresh_sql(f"c.id IN ({touched_cases})").split(";\n"):
        conn.execute(statement)
    conn.execute(f"DELETE FROM {PAUSED_TABLE}")

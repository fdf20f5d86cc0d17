"""Undo (ctrl+z): the changes of this session, each revertible as one transaction.

Every change the casework service makes is recorded as the rows it wrote, each with its state
before. Undoing the last change writes those states back; a row the change inserted becomes a
tombstone (voided, never deleted, so merging laptops cannot bring it back). The undo is itself
an ordinary write, so the audit triggers log it like any other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.models import Record, Voidable
from mentor_tui.storage.repositories import Repositories, Write

UNDONE_REASON = Bilingual("Fortrudt med ctrl+z", "Undone with ctrl+z")
"""The void reason of a record whose registration was undone."""


@dataclass(frozen=True)
class Change:
    """One change of the session: what the user did, and the rows it wrote."""

    label: Bilingual
    """What was done, e.g. "Møde 20-11-2026: Amal K"."""
    writes: tuple[Write, ...]
    case_id: str | None = None
    """The case the change belongs to, if any."""


class UndoStack:
    """The session's changes, newest last."""

    def __init__(self, repos: Repositories) -> None:
        self.repos = repos
        self.changes: list[Change] = []
        """What can still be undone, oldest first."""

    @contextmanager
    def record(self, label: Bilingual, case_id: str | None = None) -> Iterator[None]:
        """Run the block in one transaction and remember its writes as one change."""
        with self.repos.journal() as writes, self.repos.atomic():
            yield
        if writes and not self.repos.journalling:
            self.changes.append(Change(label, tuple(writes), case_id))

    @property
    def last(self) -> Change | None:
        """The change ctrl+z would undo."""
        return self.changes[-1] if self.changes else None

    def undo(self, *, staff_id: str | None) -> Change | None:
        """Undo the last change in one transaction and return it (``None``: nothing to undo).

        Raises:
            MentorError: a row was changed again since (by another window or laptop sync), or
                reverting would break a rule (such as two open cases in one activity); nothing
                is written and the change stays undoable.
        """
        change = self.last
        if change is None:
            return None
        first: dict[tuple[str, str], Write] = {}
        last: dict[tuple[str, str], Write] = {}
        for write in change.writes:
            key = (write.repository.table_name, write.after.id)
            first.setdefault(key, write)
            last[key] = write
        try:
            with self.repos.atomic():
                for key in reversed(list(first)):
                    self._revert(first[key].before, last[key], staff_id)
        except sqlite3.IntegrityError as exc:
            raise MentorError(
                Bilingual(
                    "Kan ikke fortrydes: personen har nu et andet åbent forløb i samme aktivitet",
                    "Cannot be undone: the person now has another open case in the same activity",
                )
            ) from exc
        self.changes.pop()
        return change

    def _revert(self, before: Record | None, write: Write, staff_id: str | None) -> None:
        repository = write.repository
        current = repository.get(write.after.id)
        if current.updated_at != write.after.updated_at:
            raise MentorError(
                Bilingual(
                    "Kan ikke fortrydes: posten er ændret igen siden",
                    "Cannot be undone: the record was changed again since",
                )
            )
        if before is None:
            assert isinstance(current, Voidable)
            repository.void(current, reason=UNDONE_REASON.text(), staff_id=staff_id)
        else:
            repository.update(before.model_copy())

"""Disclosure control for the anonymised counts: small-cell and complementary suppression.

Pure functions over one metric's cells (DOMAIN.md 5.3 item 5, 7.4; issue 4 item 3). The cells
have four dimensions, each a tuple of values with ``ALL`` (the total) first, and form a union of
crosses (a :class:`Layout`). A *line* is the set of cells where one dimension varies and the
other three are fixed (any of them may be ``ALL``); the cell with ``ALL`` in the varying
dimension is the line's total, the others are its parts.

Rules, applied until nothing changes (a fixpoint):

1. *Primary*: a cell with a value from 1 to ``threshold - 1`` is suppressed. Zeros stay visible.
2. *Complementary*: no line may hold exactly one suppressed cell. With the total published, a
   lone suppressed part equals the total minus the published parts; with the total suppressed
   and every part published, the total is their sum. Such a line gets one more suppressed cell.
3. *All ones*: a suppressed cell is never zero, so in a line with a published total whose
   suppressed parts add up to exactly their number, each of them must be 1. Such a line gets
   one more suppressed cell too.

The extra cell is the line's smallest non-zero published part (ties: the most detailed cell,
then the first in table order), because that hides the least; a line with no such part has its
total suppressed instead. Zeros are never chosen.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from itertools import product

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual

ALL = "ALL"
"""The code of a dimension's total (the same value as ``export_metrics.ALL``)."""

MIN_THRESHOLD = 3
"""The lowest suppression threshold allowed (issue 4: "never below 3")."""

Key = tuple[str, ...]
"""A cell's coordinates, one value per dimension."""

MAX_LINE_VISITS = 25
"""How often :func:`pinned_cells` may revisit one line before it stops refining it."""

Line = tuple[int, Key]
"""A line: the varying dimension and the line's total cell."""


def check_threshold(threshold: int) -> int:
    """Return ``threshold`` if it is allowed.

    Raises:
        MentorError: it is below :data:`MIN_THRESHOLD`.
    """
    if threshold < MIN_THRESHOLD:
        raise MentorError(
            Bilingual(
                f"Grænsen for små tal er {threshold}, men må ikke være under {MIN_THRESHOLD}: "
                "så små tal kan pege på enkeltpersoner",
                f"The small-count threshold is {threshold} but may not be below {MIN_THRESHOLD}: "
                "counts that small can point to individuals",
            ),
        )
    return threshold


class Layout:
    """The cells of one metric: a union of crosses ("tables") over the same dimensions.

    Each table gives, per dimension, either the dimension's full value list (``ALL`` first) or
    just ``(ALL,)``. A line (one dimension varying, the others fixed) exists where a table holds
    its total and lets that dimension vary; the same line in two tables is the same cells.
    """

    def __init__(self, tables: Sequence[Sequence[Sequence[str]]]) -> None:
        self.tables: tuple[tuple[tuple[str, ...], ...], ...] = tuple(
            tuple(tuple(dim) for dim in table) for table in tables
        )
        ndim = len(self.tables[0])
        self.full: tuple[tuple[str, ...], ...] = tuple(
            max((t[d] for t in self.tables), key=len) for d in range(ndim)
        )
        self._sets = [tuple(frozenset(dim) for dim in t) for t in self.tables]

    @classmethod
    def cross(cls, dimensions: Sequence[Sequence[str]]) -> Layout:
        """Return the layout of one full cross of ``dimensions``."""
        return cls([dimensions])

    def cells(self) -> list[Key]:
        """Return every cell, table by table, each once."""
        return list(dict.fromkeys(k for t in self.tables for k in product(*t)))

    def line_cells(self, line: Line) -> list[Key]:
        """Return the cells of ``line``: its total first, then its parts in dimension order."""
        dim, total = line
        return [total[:dim] + (value,) + total[dim + 1 :] for value in self.full[dim]]

    def lines_through(self, key: Key) -> Iterator[Line]:
        """Yield every line that contains the cell ``key`` (as a part or as the total)."""
        seen: set[int] = set()
        for table, sets in zip(self.tables, self._sets, strict=True):
            if all(v in values for v, values in zip(key, sets, strict=True)):
                for dim, values in enumerate(table):
                    if len(values) > 1 and dim not in seen:
                        seen.add(dim)
                        yield dim, key[:dim] + (ALL,) + key[dim + 1 :]

    def all_lines(self) -> Iterator[Line]:
        """Yield every line, each once."""
        seen: set[Line] = set()
        for table in self.tables:
            for dim, values in enumerate(table):
                if len(values) <= 1:
                    continue
                fixed = [vals if d != dim else (ALL,) for d, vals in enumerate(table)]
                for total in product(*fixed):
                    line = (dim, total)
                    if line not in seen:
                        seen.add(line)
                        yield line


def line_needs_more(
    cells: Sequence[Key], values: Mapping[Key, int], suppressed: set[Key] | frozenset[Key]
) -> bool:
    """Return whether a line (total first) lets a suppressed cell be worked out (rules 2 and 3)."""
    hidden = [k for k in cells if k in suppressed]
    if len(hidden) == 1:
        return True
    if len(hidden) >= 2 and cells[0] not in suppressed:
        return sum(values[k] for k in hidden) == len(hidden)
    return False


def pinned_cells(layout: Layout, values: Mapping[Key, int], hidden: set[Key] | frozenset[Key]) -> set[Key]:
    """Return the hidden cells an attacker can pin to a single value (interval reasoning).

    The attacker knows every published cell, that a hidden cell is at least 1 (zeros are
    published) and that each line's parts add up to its total. Bounds are tightened line by line
    until nothing changes; a cell whose lower and upper bound meet is pinned. This is stronger
    than looking at one line at a time: in a sparse table the lower bounds of one line's hidden
    parts can pin a cell in a crossing line.

    Interval propagation can creep (bounds in a cycle of lines shrinking by 1 per round, for
    as many rounds as the counts are large), so each line is revisited at most
    :data:`MAX_LINE_VISITS` times. The bounds stay sound; a pin that needs more rounds than that
    is not found.
    """
    lo: dict[Key, float] = {}
    hi: dict[Key, float] = {}

    def bounds(k: Key) -> tuple[float, float]:
        if k in hidden:
            return lo.setdefault(k, 1), hi.setdefault(k, math.inf)
        v = values[k]
        return v, v

    queue: deque[Line] = deque()
    queued: set[Line] = set()
    visits: dict[Line, int] = {}

    def push(line: Line) -> None:
        if line not in queued and visits.get(line, 0) < MAX_LINE_VISITS:
            queued.add(line)
            queue.append(line)

    for key in hidden:
        for line in layout.lines_through(key):
            push(line)
    while queue:
        line = queue.popleft()
        queued.discard(line)
        visits[line] = visits.get(line, 0) + 1
        cells = layout.line_cells(line)
        b = [bounds(k) for k in cells]
        parts_lo = sum(x for x, _ in b[1:])
        finite_hi = sum(y for _, y in b[1:] if y != math.inf)
        unbounded = sum(1 for _, y in b[1:] if y == math.inf)
        total_lo, total_hi = b[0]
        for i, k in enumerate(cells):
            if k not in hidden:
                continue
            if i == 0:
                new_lo, new_hi = parts_lo, (finite_hi if not unbounded else math.inf)
            else:
                own_lo, own_hi = b[i]
                own_unbounded = own_hi == math.inf
                others_hi = (
                    math.inf if unbounded - own_unbounded else finite_hi - (0 if own_unbounded else own_hi)
                )
                new_lo = total_lo - others_hi
                new_hi = total_hi - (parts_lo - own_lo)
            if new_lo > lo[k] or new_hi < hi[k]:
                lo[k] = max(lo[k], new_lo)
                hi[k] = min(hi[k], new_hi)
                for other in layout.lines_through(k):
                    push(other)
    return {k for k in hidden if lo.get(k, 1) == hi.get(k, math.inf)}


def suppress(layout: Layout, values: Mapping[Key, int], threshold: int) -> frozenset[Key]:
    """Return the cells to suppress in one metric's table.

    Applies the line rules to a fixpoint, then checks the result with :func:`pinned_cells`;
    while the attacker can still pin a cell, the smallest non-zero published cell on one of
    that cell's lines is suppressed as well and the line rules run again.

    Args:
        layout: the metric's cells and lines.
        values: every cell of ``layout`` (zeros included).
        threshold: cells from 1 to ``threshold - 1`` are suppressed (at least 3).

    Raises:
        MentorError: ``threshold`` is below 3.
    """
    check_threshold(threshold)
    order = {key: i for i, key in enumerate(values)}
    suppressed = {key for key, v in values.items() if 0 < v < threshold}
    queue: deque[Line] = deque()
    queued: set[Line] = set()

    def rank(k: Key) -> tuple[int, int, int]:
        return values[k], k.count(ALL), order[k]

    def hide(key: Key) -> None:
        suppressed.add(key)
        for line in layout.lines_through(key):
            if line not in queued:
                queued.add(line)
                queue.append(line)

    for key in sorted(suppressed, key=order.__getitem__):
        hide(key)
    while True:
        while queue:
            line = queue.popleft()
            queued.discard(line)
            cells = layout.line_cells(line)
            if not line_needs_more(cells, values, suppressed):
                continue
            candidates = [k for k in cells[1:] if k not in suppressed and values[k] > 0]
            if candidates:
                hide(min(candidates, key=rank))
            elif cells[0] not in suppressed and values[cells[0]] > 0:
                hide(cells[0])
            # else: cannot happen when parts add up to their total; nothing left to hide
        pinned = pinned_cells(layout, values, suppressed)
        if not pinned:
            return frozenset(suppressed)
        for key in sorted(pinned, key=order.__getitem__):
            near = {k for line in layout.lines_through(key) for k in layout.line_cells(line)}
            candidates = [k for k in near if k not in suppressed and values[k] > 0]
            if candidates:
                hide(min(candidates, key=rank))
        if not queue:  # nothing left to hide near the pinned cells
            return frozenset(suppressed)

"""The protection problem as data: cells, their values, and the linear relations between them.

Nothing here knows about files, tables or Textual. A file's tables are a set of :class:`Cell`
s; how the published numbers constrain each other is a list of :class:`Relation` s. See the
package docstring for the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

Coords = tuple[tuple[str, str], ...]
"""A cell's coordinates: sorted ``(dimension, code)`` pairs; a dimension left out is its total."""


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """The days a cell counts: ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"span ends before it starts: {self.start}..{self.end}")

    @classmethod
    def parse(cls, text: str) -> Span:
        """Read ``2026-11-16..2026-11-22`` (what :meth:`code` writes)."""
        start, end = text.split("..")
        return cls(dt.date.fromisoformat(start), dt.date.fromisoformat(end))

    @property
    def code(self) -> str:
        """``2026-11-16..2026-11-22``."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share a day."""
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Span) -> bool:
        """Whether every day of ``other`` is in this span."""
        return self.start <= other.start and other.end <= self.end


class Kind(StrEnum):
    """What a cell counts, besides its metric, span and coordinates."""

    COUNT = "count"
    """The metric over the span (what files publish)."""
    NEW = "new"
    """Latent: persons or cases counted for the first time in their project year within the span
    (the difference of two consecutive year-to-date figures of a distinct-count metric)."""


@dataclass(frozen=True, order=True, slots=True)
class CellId:
    """A cell's stable identity: metric, span, coordinates (and kind).

    The same number shown in two tables of a file (the activity table and the margin of the
    activity × area table) is *one* cell: hiding it in one place and showing it in the other
    would show it. So the id holds no table name; a table is a presentation of cells.
    """

    metric: str
    span: Span
    coords: Coords = ()
    kind: Kind = Kind.COUNT
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # ids are dictionary keys everywhere in the audit: hash once, not on every lookup
        object.__setattr__(self, "_hash", hash((self.metric, self.span, self.coords, self.kind)))

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def of(cls, metric: str, span: Span, kind: Kind = Kind.COUNT, **coords: str) -> CellId:
        """``CellId.of("REFERRALS", span, activity="A6_…", area="VOLLSMOSE")``."""
        return cls(metric, span, tuple(sorted(coords.items())), kind)

    @property
    def group(self) -> tuple[str, Coords, Kind]:
        """Metric, coordinates and kind: the same quantity over different spans."""
        return self.metric, self.coords, self.kind

    @property
    def key(self) -> str:
        """A stable text form, ``REFERRALS|2026-11-16..2026-11-22|activity=A6;area=V`` (for storage)."""
        coords = ";".join(f"{d}={c}" for d, c in self.coords)
        kind = "" if self.kind is Kind.COUNT else f"|{self.kind.value}"
        return f"{self.metric}|{self.span.code}|{coords}{kind}"

    @classmethod
    def parse(cls, key: str) -> CellId:
        """Read what :attr:`key` writes."""
        parts = key.split("|")
        metric, span, coords = parts[0], parts[1], parts[2]
        kind = Kind(parts[3]) if len(parts) > 3 else Kind.COUNT
        pairs = tuple(tuple(p.split("=", 1)) for p in coords.split(";") if p)
        return cls(metric, Span.parse(span), tuple(sorted((a, b) for a, b in pairs)), kind)

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell and its true value (a count, at least 0; ``None`` when not known: a latent cell or
    an earlier file's hidden cell that nobody counted again).

    ``latent`` cells are never published: quantities an attacker could work out from published
    ones (a part of a week that falls in a quarter, the persons new in a week). The audit makes
    sure none of them is revealed to be 1..k-1.
    """

    id: CellId
    value: int | None
    latent: bool = False
    weight: float = 1.0
    """How much hiding this cell costs the reader, relative to its value (see :func:`cost`)."""

    def __post_init__(self) -> None:
        if self.value is not None and self.value < 0:
            raise ValueError(f"negative count in {self.id}")


class Bound(StrEnum):
    """One side of a :class:`Relation`."""

    SUM = "sum"
    """The total is (at least / at most) the sum of the parts."""
    MAX = "max"
    """The total is at least each part."""
    NONE = "none"
    """No bound on this side."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A linear relation between a total and its parts, all cells of the problem.

    ``lower`` and ``upper`` say which side holds: an additive line is ``SUM``/``SUM``
    (total = Σ parts), a distinct-count line ``MAX``/``SUM`` (max(parts) ≤ total ≤ Σ parts).
    """

    total: CellId
    parts: tuple[CellId, ...]
    lower: Bound = Bound.SUM
    upper: Bound = Bound.SUM

    @classmethod
    def additive(cls, total: CellId, parts: Iterable[CellId]) -> Relation:
        """total = Σ parts (event counts; cases across activity/area within one span)."""
        return cls(total, tuple(parts), Bound.SUM, Bound.SUM)

    @classmethod
    def distinct(cls, total: CellId, parts: Iterable[CellId]) -> Relation:
        """max(parts) ≤ total ≤ Σ parts (distinct persons: one person may be in several parts)."""
        return cls(total, tuple(parts), Bound.MAX, Bound.SUM)

    @property
    def cells(self) -> tuple[CellId, ...]:
        """The total, then the parts."""
        return (self.total, *self.parts)

    def holds(self, values: Mapping[CellId, int | None]) -> bool:
        """Whether the relation holds for ``values`` (``True`` when a value is unknown)."""
        t = values[self.total]
        maybe = [values[p] for p in self.parts]
        parts = [p for p in maybe if p is not None]
        if t is None or len(parts) < len(maybe):
            return True
        ok = True
        if self.lower is Bound.SUM:
            ok &= t >= sum(parts)
        elif self.lower is Bound.MAX:
            ok &= all(t >= p for p in parts)
        if self.upper is Bound.SUM:
            ok &= t <= sum(parts)
        return ok


@dataclass
class Problem:
    """Cells with their true values and the relations between them.

    Build it with :meth:`add` and :meth:`relate`; the same id added twice must carry the same
    value (a cell shown in two tables is one cell).
    """

    cells: dict[CellId, Cell] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    _seen: set[Relation] = field(default_factory=set, repr=False)

    def add(self, cell: Cell) -> Cell:
        """Add ``cell`` (again: no-op if equal; a non-latent cell wins over a latent one)."""
        old = self.cells.get(cell.id)
        if old is not None:
            if old.value != cell.value:
                raise ValueError(f"{cell.id} added with two values")
            if old.latent and not cell.latent:
                self.cells[cell.id] = cell
            return self.cells[cell.id]
        self.cells[cell.id] = cell
        return cell

    def relate(self, relation: Relation) -> None:
        """Add ``relation``; its cells must be in the problem already."""
        for c in relation.cells:
            if c not in self.cells:
                raise KeyError(f"{c} is not a cell of the problem")
        if relation.parts and relation not in self._seen:
            self._seen.add(relation)
            self.relations.append(relation)

    def merge(self, other: Problem) -> None:
        """Add every cell and relation of ``other``."""
        for cell in other.cells.values():
            self.add(cell)
        for r in other.relations:
            self.relate(r)

    @property
    def values(self) -> dict[CellId, int | None]:
        """Every cell's true value (``None`` where unknown)."""
        return {i: c.value for i, c in self.cells.items()}

    def publishable(self) -> Iterator[CellId]:
        """The cells a file may show (every non-latent cell)."""
        return (i for i, c in self.cells.items() if not c.latent)

    def check(self) -> list[Relation]:
        """Return the relations the true values break (none, for a well-built problem)."""
        values = self.values
        return [r for r in self.relations if not r.holds(values)]


def add_tables(
    problem: Problem,
    metric: str,
    span: Span,
    codes: Mapping[str, Iterable[str]],
    tables: Iterable[Iterable[str]],
    counts: Mapping[Coords, int],
    *,
    distinct: Iterable[str] = (),
    weight: Mapping[Coords, float] | None = None,
) -> list[CellId]:
    """Add one metric's tables over ``span`` to ``problem``, with every line between them.

    Args:
        problem: the problem to add to.
        metric: the metric code.
        span: the days counted.
        codes: every code of each dimension (the parts of its lines).
        tables: each table as the dimensions it crosses, e.g. ``[("activity",),
            ("activity", "area")]``; every table's margins (down to the grand total) are cells
            too, so a one-way table is the margin of a two-way one over the same dimension.
        counts: the value of each cell by its coordinates (missing = 0).
        distinct: dimensions across which the metric counts distinct units that can fall in
            several parts (E1-E5 across activity, area and age band): their lines are
            :meth:`Relation.distinct`, the others :meth:`Relation.additive`.
        weight: optional :attr:`Cell.weight` by coordinates.

    Returns:
        The ids of the cells added, tables in order, margins before their parts.
    """
    from itertools import combinations, product

    non_additive = frozenset(distinct)
    added: dict[CellId, None] = {}
    for table in tables:
        dims = tuple(sorted(table))
        for r in range(len(dims) + 1):
            for sub in combinations(dims, r):
                for combo in product(*(tuple(codes[d]) for d in sub)):
                    coords: Coords = tuple(zip(sub, combo, strict=True))
                    cid = CellId(metric, span, coords)
                    w = (weight or {}).get(coords, 1.0)
                    problem.add(Cell(cid, int(counts.get(coords, 0)), weight=w))
                    added[cid] = None
        for r in range(len(dims)):
            for sub in combinations(dims, r):
                for combo in product(*(tuple(codes[d]) for d in sub)):
                    coords = tuple(zip(sub, combo, strict=True))
                    total = CellId(metric, span, coords)
                    for d in dims:
                        if d in sub:
                            continue
                        parts = [CellId(metric, span, tuple(sorted((*coords, (d, c))))) for c in codes[d]]
                        if d in non_additive:
                            problem.relate(Relation.distinct(total, parts))
                        else:
                            problem.relate(Relation.additive(total, parts))
    return list(added)

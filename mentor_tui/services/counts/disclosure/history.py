"""Across files: earlier publications and the relations between periods.

The rule (issue 7 item 3): a new file is protected and audited together with every cell that
earlier anonymised files from this database published for the same or overlapping periods, and
with the relations between periods, so that no combination of files pins a hidden cell or reveals
a count 1..k-1.

Relations across time, for one metric at one set of coordinates (a *group*):

- **event counts** (referrals, cases started, meetings, closures, outcomes) add up over days. The
  spans of every cell in the group cut the calendar into *segments*; each cell is the sum of its
  segments. A segment that is itself a published span is that cell; any other is a latent cell
  (the days of a week that fall in a quarter, the rest of a year to date before this week). So a
  year and its four quarters, a quarter and its weeks, and consecutive year-to-date figures are
  all exact equalities, and the audit sees every difference an attacker could take.
- **distinct counts** (E1-E5: persons; CASES_ACTIVE: cases active on some day) do not add up over
  time: one person counts once in a quarter however many weeks they appear in. What holds:
  a span's count is at least that of any span inside it; and two year-to-date figures of one
  project year differ by exactly the persons (cases) counted for the first time that year
  between them, a latent :attr:`~.problem.Kind.NEW` cell that must not be revealed to be 1..k-1.
  A span's count is also at least the number of those first-timers inside it.

Which earlier cells take part: those of the new file's groups whose span overlaps a span of the
group already in scope (repeated until nothing is added, so a quarter brings in the year, and
the year the other quarters). An earlier *hidden* cell in scope brings its own file's lines for
that metric and span (what bounded it when it was published).

Corrections: an earlier file showed a value, and the count has changed since (a late
registration, a void). The attacker still has the old number. It is kept as what was shown; a
relation between periods that the shown numbers and today's counts contradict is dropped
(the attacker cannot use it exactly either); and a cell whose new value differs from the shown
one by 1..k-1 is hidden in the new file (see :func:`~.suppression.primary`), so the difference of
the two files does not expose the size of the correction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping

from mentor_tui.services.counts.disclosure.problem import (
    Bound,
    Cell,
    CellId,
    Coords,
    Kind,
    Problem,
    Relation,
    Span,
)

Counter = Callable[[str, Span], Mapping[Coords, int]]
"""Counts one metric over a span today: value per coordinates (missing = 0)."""

PROJECT_YEAR_START_MONTH = 10
"""Project years run 1 October to 30 September (DOMAIN.md 7.3 rule 9)."""


def project_year_start(day: dt.date) -> dt.date:
    """The 1 October on or before ``day``."""
    year = day.year if day.month >= PROJECT_YEAR_START_MONTH else day.year - 1
    return dt.date(year, PROJECT_YEAR_START_MONTH, 1)


def _segments(spans: Iterable[Span]) -> list[Span]:
    """Cut the days covered by ``spans`` at every start and after every end."""
    cuts: set[dt.date] = set()
    for s in spans:
        cuts.add(s.start)
        cuts.add(s.end + dt.timedelta(days=1))
    points = sorted(cuts)
    covered = list(spans)
    out: list[Span] = []
    for a, b in zip(points, points[1:], strict=False):
        seg = Span(a, b - dt.timedelta(days=1))
        if any(s.contains(seg) for s in covered):
            out.append(seg)
    return out


def link_periods(
    problem: Problem,
    *,
    distinct: Collection[str],
    count: Counter | None = None,
) -> None:
    """Add the relations between spans of every group with more than one span (module docstring).

    Args:
        problem: cells of one or more files; latent cells and relations are added to it.
        distinct: the metrics that count distinct persons or cases over time.
        count: counts latent cells' values today (optional: without it latent cells have no
            known value and the audit checks every one of them).
    """
    groups: dict[tuple[str, Coords], list[CellId]] = defaultdict(list)
    for cid, cell in problem.cells.items():
        if cid.kind is Kind.COUNT and not cell.latent:
            groups[(cid.metric, cid.coords)].append(cid)
    cache: dict[tuple[str, Span], Mapping[Coords, int]] = {}

    def counted(metric: str, span: Span, coords: Coords) -> int | None:
        if count is None:
            return None
        if (metric, span) not in cache:
            cache[(metric, span)] = count(metric, span)
        return int(cache[(metric, span)].get(coords, 0))

    for (metric, coords), ids in groups.items():
        spans = sorted({c.span for c in ids})
        if len(spans) < 2:
            continue
        if metric in distinct:
            _link_distinct(problem, metric, coords, spans, counted)
        else:
            _link_additive(problem, metric, coords, spans, counted)


def _latent(
    problem: Problem,
    cid: CellId,
    counted: Callable[[str, Span, Coords], int | None],
) -> CellId:
    if cid not in problem.cells:
        value = counted(cid.metric, cid.span, cid.coords) if cid.kind is Kind.COUNT else None
        problem.add(Cell(cid, value, latent=True))
    return cid


def _link_additive(
    problem: Problem,
    metric: str,
    coords: Coords,
    spans: list[Span],
    counted: Callable[[str, Span, Coords], int | None],
) -> None:
    segments = _segments(spans)
    if len(segments) == len(spans) and all(s in spans for s in segments):
        return  # no span covers another: nothing relates them
    for span in spans:
        inside = [s for s in segments if span.contains(s)]
        if len(inside) < 2:
            continue
        total = CellId(metric, span, coords)
        parts = [_latent(problem, CellId(metric, s, coords), counted) for s in inside]
        problem.relate(Relation.additive(total, parts))


def _link_distinct(
    problem: Problem,
    metric: str,
    coords: Coords,
    spans: list[Span],
    counted: Callable[[str, Span, Coords], int | None],
) -> None:
    ids = [CellId(metric, s, coords) for s in spans]
    # a span counts at least as many as any span inside it
    for inner in ids:
        for outer in ids:
            if outer != inner and outer.span.contains(inner.span):
                problem.relate(Relation(outer, (inner,), Bound.MAX, Bound.NONE))
    # year-to-date figures of one project year: consecutive ones differ by the first-timers
    anchored: dict[dt.date, list[CellId]] = defaultdict(list)
    for cid in ids:
        year = project_year_start(cid.span.start)
        if cid.span.start == year and cid.span.end < dt.date(year.year + 1, 9, 30) + dt.timedelta(days=1):
            anchored[year].append(cid)
    for chain in anchored.values():
        chain.sort(key=lambda c: c.span.end)
        for before, after in zip(chain, chain[1:], strict=False):
            new = CellId(
                metric, Span(before.span.end + dt.timedelta(days=1), after.span.end), coords, Kind.NEW
            )
            value = _difference(problem, after, before)
            if new not in problem.cells:
                problem.add(Cell(new, value, latent=True))
            problem.relate(Relation.additive(after, [before, new]))
            # every first-timer of those days is counted in a span that holds them all
            for cid in ids:
                if cid.span.contains(new.span) and cid != after:
                    problem.relate(Relation(cid, (new,), Bound.SUM, Bound.NONE))


def _difference(problem: Problem, after: CellId, before: CellId) -> int | None:
    a, b = problem.cells[after].value, problem.cells[before].value
    return None if a is None or b is None else a - b


def combine(
    problem: Problem,
    earlier: Mapping[CellId, int | None],
    *,
    distinct: Collection[str],
    distinct_lines: Collection[str] = (),
    count: Counter | None = None,
) -> tuple[Problem, dict[CellId, int | None]]:
    """Return the new file's problem joined with the earlier cells in scope, and what was published.

    Args:
        problem: the new file's cells (values as counted today) and relations.
        earlier: every cell earlier anonymised files published: the value shown, or ``None``
            where hidden. (Cells that no earlier file carried are simply absent.)
        distinct: the metrics that count distinct persons or cases over time (E1-E5, CASES_ACTIVE).
        distinct_lines: the metrics whose lines within one span are distinct too (E1-E5).
        count: counts a metric over a span today, for earlier hidden cells and latent cells.

    Returns:
        ``(combined, published)``: the problem with earlier cells, their lines and the relations
        across time; and the earlier cells in scope, for :func:`protect` and :func:`audit`.
    """
    by_group: dict[tuple[str, Coords, Kind], list[CellId]] = defaultdict(list)
    for cid in earlier:
        by_group[cid.group].append(cid)
    combined = Problem()
    combined.merge(problem)
    scope: set[CellId] = set()
    for group in dict.fromkeys(
        c.group for c in problem.cells
    ):  # in order: the same file twice, the same answer
        pool = by_group.get(group)
        if not pool:
            continue
        spans = [c.span for c in problem.cells if c.group == group]
        changed = True
        while changed:
            changed = False
            for cid in pool:
                if cid not in scope and any(cid.span.overlaps(s) for s in spans):
                    scope.add(cid)
                    spans.append(cid.span)
                    changed = True
    counts: dict[tuple[str, Span], Mapping[Coords, int]] = {}

    def today(cid: CellId) -> int | None:
        if count is None:
            return None
        if (cid.metric, cid.span) not in counts:
            counts[(cid.metric, cid.span)] = count(cid.metric, cid.span)
        return int(counts[(cid.metric, cid.span)].get(cid.coords, 0))

    # an earlier hidden cell brings the lines through it from its own file (what bounded it
    # when it was published): the cells of those lines join the problem as they were shown
    blocks: set[tuple[str, Span]] = set()
    for cid in scope:
        if earlier[cid] is None:
            blocks.add((cid.metric, cid.span))
    by_block: dict[tuple[str, Span], list[CellId]] = defaultdict(list)
    for cid in earlier:
        if (cid.metric, cid.span) in blocks:
            by_block[(cid.metric, cid.span)].append(cid)
    # the codes of each dimension, from the new file's full tables (an earlier file's summary
    # carries one breakdown code alone: that is no line)
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cid in problem.cells:
        for d, c in cid.coords:
            codes[(cid.metric, d)].add(c)
    star: list[Relation] = []
    for (metric, _span), ids in by_block.items():
        every = {d: cs for (m, d), cs in codes.items() if m == metric}
        hidden_here = {c for c in ids if c in scope and earlier[c] is None}
        for r in lines(ids, every, distinct=metric in distinct_lines):
            if any(c in hidden_here for c in r.cells):
                star.append(r)
                scope.update(r.cells)
    for cid in sorted(scope):
        if cid in combined.cells:
            continue
        shown = earlier[cid]
        combined.add(Cell(cid, shown if shown is not None else today(cid)))
    for r in star:
        combined.relate(r)
    # latent cells are not counted: the audit needs no value for them (counting every slice of
    # time costs seconds on a large database)
    link_periods(combined, distinct=distinct)
    _drop_contradicted(combined)
    return combined, {c: earlier[c] for c in scope}


def lines(
    ids: Iterable[CellId], codes: Mapping[str, Collection[str]], *, distinct: bool = False
) -> list[Relation]:
    """Rebuild the lines (additive, or ``distinct``) of one metric and span from the cells a file carried.

    A line is a cell and the cells with one more coordinate, over every code of that dimension
    (``codes``); it is built only if the file carried all of them.
    """
    present = set(ids)
    out: list[Relation] = []
    for cid in sorted(present):
        have = {d for d, _ in cid.coords}
        for d in sorted(codes):
            if d in have or not codes[d]:
                continue
            parts = [
                CellId(cid.metric, cid.span, tuple(sorted((*cid.coords, (d, c)))), cid.kind)
                for c in sorted(codes[d])
            ]
            if all(p in present for p in parts):
                out.append(Relation.distinct(cid, parts) if distinct else Relation.additive(cid, parts))
    return out


def _drop_contradicted(problem: Problem) -> None:
    values = {c: cell.value for c, cell in problem.cells.items()}
    keep: list[Relation] = []
    for r in problem.relations:
        if not r.holds(values):
            continue
        keep.append(r)
    problem.relations[:] = keep


def file_problem(
    values: Mapping[CellId, int],
    relations: Iterable[Relation],
    earlier: Mapping[CellId, int | None] | None = None,
    *,
    distinct: Collection[str] = (),
    distinct_lines: Collection[str] = (),
    count: Counter | None = None,
    weights: Mapping[CellId, float] | None = None,
) -> tuple[Problem, dict[CellId, int | None]]:
    """Return one file's problem joined with earlier files (:func:`combine`) and what they published.

    Args:
        values: every cell the file carries, with its value today.
        relations: the lines between them (each table's totals and parts).
        earlier: what earlier anonymised files from this database published (``None``: hidden).
        distinct: metrics that count distinct persons or cases over time (E1-E5, CASES_ACTIVE).
        distinct_lines: metrics whose lines are distinct within one span (E1-E5).
        count: counts a metric over a span today (for earlier hidden cells and latent cells).
        weights: :attr:`Cell.weight` of some cells (headline figures dearer; ``math.inf``: a
            structural zero that is never hidden).
    """
    problem = Problem()
    for cid, v in values.items():
        problem.add(Cell(cid, v, weight=(weights or {}).get(cid, 1.0)))
    for r in relations:
        problem.relate(r)
    return combine(problem, earlier or {}, distinct=distinct, distinct_lines=distinct_lines, count=count)

"""The one door to disclosure control for the export and the dashboard.

Both hand over every cell they publish with its value and the relations between the cells
(:class:`~mentor_tui.services.counts.tables.Relation`), and get back the cells to hide. The door
turns them into ``disclosure``'s problem (:mod:`mentor_tui.services.counts.disclosure`: cells with
stable ids and spans, additive or distinct relations), asks :func:`~.disclosure.protect` for the
cells to hide, and runs the audit (:func:`~.disclosure.require_safe`) before anything is shown or
written: a file that fails is not written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from mentor_tui.services.counts import disclosure
from mentor_tui.services.counts.disclosure import Bound, Cell, CellId, Problem, Span
from mentor_tui.services.counts.metrics import ALL, DIMS
from mentor_tui.services.counts.tables import CellKey, Relation


def cell_id(key: CellKey) -> CellId:
    """Return ``disclosure``'s id of a cell (its ``key`` text equals :attr:`CellKey.id`)."""
    coords = tuple(sorted((d, c) for d, c in zip(DIMS, key.coords, strict=True) if c != ALL))
    return CellId(key.metric, Span(key.start, key.end), coords)


def translate(relations: Sequence[Relation]) -> list[disclosure.Relation]:
    """Return ``disclosure``'s relations for the tables' relations."""
    found: list[disclosure.Relation] = []
    for r in relations:
        total, parts = cell_id(r.total), [cell_id(p) for p in r.parts]
        if r.kind == "additive":
            found.append(disclosure.Relation.additive(total, parts))
        elif r.kind == "distinct":
            found.append(disclosure.Relation.distinct(total, parts))
        else:  # "at_least": the total is at least the sum of the parts shown
            found.append(disclosure.Relation(total, tuple(parts), Bound.SUM, Bound.NONE))
    return found


def problem(values: Mapping[CellKey, int], relations: Sequence[Relation]) -> Problem:
    """Return the disclosure problem of one set of cells and their relations (for tests, audits)."""
    built = Problem()
    for key, value in values.items():
        built.add(Cell(cell_id(key), value))
    for relation in translate(relations):
        built.relate(relation)
    return built


DISTINCT_OVER_TIME: tuple[str, ...] = ("E1", "E2", "E3", "E4", "E5", "CASES_ACTIVE")
"""Metrics that do not add up over days: persons (E1-E5) and cases active on some day."""

DISTINCT_LINES: tuple[str, ...] = ("E1", "E2", "E3", "E4", "E5")
"""Metrics whose table lines are distinct counts within one span (a person in two activities)."""

Counter = Callable[[str, dt.date, dt.date], Mapping[CellKey, int]]
"""Counts one metric over ``start``..``end`` today: value per cell (missing = 0)."""


def hide(
    values: Mapping[CellKey, int],
    relations: Sequence[Relation],
    threshold: int,
    *,
    earlier: Mapping[str, int | None] | None = None,
    count: Counter | None = None,
    weights: Mapping[CellKey, float] | None = None,
) -> frozenset[CellKey]:
    """Return the cells to hide so that nothing published, now or before, reveals a count 1..k-1.

    Calls ``disclosure.protect_file``: primary and secondary suppression over all the cells at
    once, together with what earlier files published and the relations between periods, then
    the audit again; nothing is returned unless it passes.

    Args:
        values: every cell to publish with its exact value.
        relations: how the cells relate (totals and their parts).
        threshold: ``k``; counts 1..k-1 are hidden (at least 3).
        earlier: cells earlier anonymised files from this database published, by cell id: the
            value they showed, or ``None`` where they hid it.
        count: counts a metric over a span today (for earlier hidden and latent cells).
        weights: how dear hiding a cell is (the summary's figures: hidden only when nothing else
            protects).

    Raises:
        MentorError: ``threshold`` is below 3.
        DisclosureError: earlier files alone already let a count be worked out; nothing may be
            published.
    """
    disclosure.check_threshold(threshold)
    by_id = {cell_id(k): k for k in values}
    ids = {v: k for k, v in by_id.items()}
    rels = translate(relations)

    def counter(metric: str, span: Span) -> Mapping[disclosure.Coords, int]:
        assert count is not None
        return {cell_id(k).coords: v for k, v in count(metric, span.start, span.end).items()}

    hidden = disclosure.protect_file(
        {ids[k]: v for k, v in values.items()},
        rels,
        threshold,
        earlier={CellId.parse(c): v for c, v in (earlier or {}).items()},
        distinct=DISTINCT_OVER_TIME,
        distinct_lines=DISTINCT_LINES,
        count=counter if count is not None else None,
        weights={ids[k]: w for k, w in (weights or {}).items() if k in ids},
    )
    return frozenset(by_id[c] for c in hidden if c in by_id)

"""The one door to disclosure control for the export and the dashboard.

Both hand over every cell they publish with its value and the relations between the cells
(:class:`~mentor_tui.services.counts.tables.Relation`), and get back the cells to hide. The door
turns them into ``disclosure``'s problem (:mod:`mentor_tui.services.counts.disclosure`: cells with
stable ids and spans, additive or distinct relations), asks :func:`~.disclosure.protect` for the
cells to hide, and runs the audit (:func:`~.disclosure.require_safe`) before anything is shown or
written: a file that fails is not written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mentor_tui.services.counts import disclosure
from mentor_tui.services.counts.disclosure import Bound, Cell, CellId, Problem, Span
from mentor_tui.services.counts.metrics import ALL, DIMS
from mentor_tui.services.counts.tables import CellKey, Relation


def cell_id(key: CellKey) -> CellId:
    """Return ``disclosure``'s id of a cell (its ``key`` text equals :attr:`CellKey.id`)."""
    coords = tuple(sorted((d, c) for d, c in zip(DIMS, key.coords, strict=True) if c != ALL))
    return CellId(key.metric, Span(key.start, key.end), coords)


def problem(values: Mapping[CellKey, int], relations: Sequence[Relation]) -> Problem:
    """Return the disclosure problem of published cells and their relations."""
    built = Problem()
    for key, value in values.items():
        built.add(Cell(cell_id(key), value))
    for r in relations:
        total, parts = cell_id(r.total), [cell_id(p) for p in r.parts]
        if r.kind == "additive":
            built.relate(disclosure.Relation.additive(total, parts))
        elif r.kind == "distinct":
            built.relate(disclosure.Relation.distinct(total, parts))
        else:  # "at_least": the total is at least the sum of the parts shown
            built.relate(disclosure.Relation(total, tuple(parts), Bound.SUM, Bound.NONE))
    return built


def hide(
    values: Mapping[CellKey, int],
    relations: Sequence[Relation],
    threshold: int,
    *,
    published: Mapping[str, int | None] | None = None,
) -> frozenset[CellKey]:
    """Return the cells to hide so that nothing published reveals a count 1..threshold-1.

    Args:
        values: every cell to publish with its exact value.
        relations: how the cells relate (totals and their parts).
        threshold: ``k``; counts 1..k-1 are hidden (at least 3).
        published: cells earlier files from this database published, by cell id: the value they
            showed, or ``None`` where they hid it (a cell shown again must stay consistent).

    Raises:
        MentorError: ``threshold`` is below 3.
        DisclosureError: the audit fails (nothing may be published).
    """
    disclosure.check_threshold(threshold)
    built = problem(values, relations)
    by_id = {cell_id(k): k for k in values}
    earlier = {cid: published[cid.key] for cid in by_id if published and cid.key in published}
    try:
        hidden = disclosure.protect(built, threshold, published=earlier)
    except disclosure.Unprotectable as exc:
        raise disclosure.DisclosureError(exc.failures) from None
    disclosure.require_safe(built, hidden, threshold, published=earlier)
    return frozenset(by_id[c] for c in hidden if c in by_id)

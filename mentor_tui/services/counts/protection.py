"""The one door to disclosure control for the export and the dashboard.

Both hand over every cell they publish with its value, and the relations between the cells
(:class:`~mentor_tui.services.counts.tables.Relation`), and get back the cells to hide. Until the
linked-table protection of ``disclosure`` (issue 7 items 2-3) lands, the line rules of
:func:`mentor_tui.services.counts.disclosure.suppress` run over those relations (every relation
is one line: its total and its parts); cells in no relation get primary suppression.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from mentor_tui.services.counts import disclosure
from mentor_tui.services.counts.tables import CellKey, Relation

_Tuple = tuple[str, ...]


def _as_tuple(key: CellKey) -> _Tuple:
    # the legacy rules rank cells by how many coordinates are totals (``ALL``): a tuple of the
    # coordinates, prefixed by what makes the key unique, counts them the same way
    return (key.metric, key.start.isoformat(), key.end.isoformat(), *key.coords)


class _RelationLayout:
    """The legacy rules' view of the relations: each relation is a line, total first."""

    def __init__(self, relations: Sequence[Relation]) -> None:
        self.lines = [tuple(_as_tuple(k) for k in (r.total, *r.parts)) for r in relations]
        self.through: dict[_Tuple, list[int]] = defaultdict(list)
        for i, line in enumerate(self.lines):
            for key in line:
                self.through[key].append(i)

    def lines_through(self, key: _Tuple) -> Iterator[int]:
        yield from self.through.get(key, ())

    def line_cells(self, line: int) -> list[_Tuple]:
        return list(self.lines[line])


def hide(values: Mapping[CellKey, int], relations: Sequence[Relation], threshold: int) -> frozenset[CellKey]:
    """Return the cells to hide so that no published combination reveals a count 1..threshold-1.

    Args:
        values: every published cell with its exact value.
        relations: how the cells relate (totals and their parts).
        threshold: ``k``; counts 1..k-1 are hidden (at least 3).

    Raises:
        MentorError: ``threshold`` is below 3.
    """
    disclosure.check_threshold(threshold)
    by_tuple = {_as_tuple(k): k for k in values}
    tuple_values = {_as_tuple(k): v for k, v in values.items()}
    layout = _RelationLayout(relations)
    hidden = disclosure.suppress(layout, tuple_values, threshold)  # type: ignore[arg-type]
    return frozenset(by_tuple[t] for t in hidden)

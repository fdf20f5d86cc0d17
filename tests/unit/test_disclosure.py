"""Small-cell and complementary suppression on plain tables (issue 4 item 3).

``recover`` is an attacker: it knows every published cell, that a suppressed cell is at least 1
(zeros are published) and that each line's parts add up to its total, and tightens bounds on
the suppressed cells line by line until nothing changes. Suppression works when it pins none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentor_tui.errors import MentorError
from mentor_tui.services.counts.disclosure import ALL, Key, Layout, check_threshold, suppress


def table_from(layout: Layout, records: Sequence[tuple[str, ...]]) -> dict[Key, int]:
    """Count ``records`` (one code per dimension) into every cell, ALL margins included."""
    values: dict[Key, int] = dict.fromkeys(layout.cells(), 0)
    for record in records:
        for key in product(*((v, ALL) for v in record)):
            if key in values:
                values[key] += 1
    return values


def recover(layout: Layout, values: Mapping[Key, int], hidden: frozenset[Key]) -> dict[Key, int]:
    """Return the suppressed cells the attacker can pin to one value, with that value."""
    lo: dict[Key, float] = {k: (1 if k in hidden else values[k]) for k in values}
    hi: dict[Key, float] = {k: (math.inf if k in hidden else values[k]) for k in values}
    lines = [layout.line_cells(line) for line in layout.all_lines()]
    changed = True
    while changed:
        changed = False
        for cells in lines:
            total, parts = cells[0], cells[1:]
            for u in cells:
                if u not in hidden:
                    continue
                if u == total:
                    new_lo = sum(lo[p] for p in parts)
                    new_hi = sum(hi[p] for p in parts)
                else:
                    others = [p for p in parts if p != u]
                    new_lo = lo[total] - sum(hi[p] for p in others)
                    new_hi = hi[total] - sum(lo[p] for p in others)
                if new_lo > lo[u]:
                    lo[u], changed = new_lo, True
                if new_hi < hi[u]:
                    hi[u], changed = new_hi, True
    return {k: int(lo[k]) for k in hidden if lo[k] == hi[k]}


DIMS_2D = Layout.cross(((ALL, "A1", "A2", "A3"), (ALL, "V", "K", "R")))


def test_small_cells_are_suppressed_and_zeros_stay_visible() -> None:
    records = [("A1", "V")] * 2 + [("A1", "K")] * 9 + [("A2", "V")] * 7 + [("A2", "K")] * 8
    values = table_from(DIMS_2D, records)
    hidden = suppress(DIMS_2D, values, 5)
    assert ("A1", "V") in hidden
    assert ("A3", "R") not in hidden  # a zero
    assert values[("A3", "R")] == 0
    assert recover(DIMS_2D, values, hidden) == {}


def test_without_complementary_suppression_the_attacker_succeeds() -> None:
    records = [("A1", "V")] * 2 + [("A1", "K")] * 9 + [("A2", "V")] * 7 + [("A2", "K")] * 8
    values = table_from(DIMS_2D, records)
    primary_only = frozenset(k for k, v in values.items() if 0 < v < 5)
    assert recover(DIMS_2D, values, primary_only) == {("A1", "V"): 2}


def test_complement_is_the_smallest_non_zero_part() -> None:
    dims = Layout.cross(((ALL, "a", "b", "c", "d"),))
    values: dict[Key, int] = {(ALL,): 30, ("a",): 2, ("b",): 0, ("c",): 8, ("d",): 20}
    assert suppress(dims, values, 5) == {("a",), ("c",)}


def test_a_line_of_ones_gets_one_more_cell() -> None:
    # two suppressed cells that add up to 2 must both be 1: hide a third
    dims = Layout.cross(((ALL, "a", "b", "c"),))
    values: dict[Key, int] = {(ALL,): 12, ("a",): 1, ("b",): 1, ("c",): 10}
    hidden = suppress(dims, values, 5)
    assert hidden == {("a",), ("b",), ("c",)}
    assert recover(dims, values, hidden) == {}


def test_suppressed_total_is_protected_by_a_part() -> None:
    # total 4 is small, its parts are not all small: hide a part too
    dims = Layout.cross(((ALL, "a", "b"),))
    values: dict[Key, int] = {(ALL,): 4, ("a",): 4, ("b",): 0}
    assert suppress(dims, values, 5) == {(ALL,), ("a",)}


@pytest.mark.parametrize("threshold", [0, 1, 2])
def test_threshold_below_three_is_refused(threshold: int) -> None:
    with pytest.raises(MentorError) as info:
        check_threshold(threshold)
    assert "under 3" in info.value.text("da")
    assert "below 3" in info.value.text("en")
    with pytest.raises(MentorError):
        suppress(DIMS_2D, table_from(DIMS_2D, []), threshold)


ACT, AREA, AGE, CODE = (ALL, "A1", "A2", "A3"), (ALL, "V", "K"), (ALL, "y", "o"), (ALL, "s", "t", "u")
ONE = (ALL,)
LAYOUTS = {
    "cross": Layout.cross((ACT, AREA, AGE, CODE)),
    # the shape of an export metric: a 3-way profile plus the breakdown against each dimension
    "export": Layout(
        [(ACT, AREA, AGE, ONE), (ACT, ONE, ONE, CODE), (ONE, AREA, ONE, CODE), (ONE, ONE, AGE, CODE)]
    ),
}


@settings(max_examples=60, deadline=None)
@given(
    records=st.lists(
        st.tuples(
            st.sampled_from(ACT[1:]),
            st.sampled_from(AREA[1:]),
            st.sampled_from(AGE[1:]),
            st.sampled_from(CODE[1:]),
        ),
        max_size=80,
    ),
    threshold=st.integers(min_value=3, max_value=6),
    shape=st.sampled_from(sorted(LAYOUTS)),
)
def test_no_suppressed_cell_can_be_worked_out(
    records: list[tuple[str, str, str, str]], threshold: int, shape: str
) -> None:
    layout = LAYOUTS[shape]
    values = table_from(layout, records)
    hidden = suppress(layout, values, threshold)
    assert all(k in hidden for k, v in values.items() if 0 < v < threshold)
    assert all(values[k] > 0 for k in hidden)
    for line in layout.all_lines():
        assert sum(k in hidden for k in layout.line_cells(line)) != 1
    assert recover(layout, values, hidden) == {}

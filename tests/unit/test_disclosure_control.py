"""Disclosure control over linked tables: primary and secondary suppression and the audit (issue 7).

Every test builds a problem the way the export does (one metric's tables and the lines between
them), protects it, and checks what a reader of the file would get: the small counts hidden, the
zeros shown, and neither the audit nor an independent attacker able to work out a hidden count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentor_tui.errors import MentorError
from mentor_tui.services.counts.disclosure import (
    Cell,
    CellId,
    DisclosureError,
    Problem,
    Relation,
    Rule,
    Span,
    add_tables,
    audit,
    check_threshold,
    intervals,
    protect,
    require_safe,
)
from tests.unit.disclosure_attacker import Record, attack, cube_counts

WEEK = Span(dt.date(2026, 11, 16), dt.date(2026, 11, 22))
DIMS: dict[str, tuple[str, ...]] = {
    "activity": ("A6", "A7", "A8"),
    "area": ("V", "K", "R"),
    "age": ("18_29", "30_64"),
    "breakdown": ("S1", "S2", "S3"),
}
TABLES: tuple[tuple[str, ...], ...] = (("activity", "area"), ("activity", "breakdown"), ("age",))


def problem_from(records: Sequence[Record], tables: Sequence[Sequence[str]] = TABLES) -> Problem:
    problem = Problem()
    add_tables(problem, "REFERRALS", WEEK, DIMS, tables, cube_counts(records, tables))
    return problem


def coords_of(problem: Problem, ids: set[CellId] | frozenset[CellId]) -> set[tuple[tuple[str, str], ...]]:
    return {c.coords for c in ids if c in problem.cells}


def records_strategy(max_size: int) -> st.SearchStrategy[list[Record]]:
    record = st.fixed_dictionaries({d: st.sampled_from(codes) for d, codes in DIMS.items()})
    return st.lists(record, min_size=0, max_size=max_size)


def test_small_counts_are_hidden_and_the_total_stays_shown() -> None:
    records = [{"activity": "A6", "area": "V", "age": "18_29", "breakdown": "S1"}] * 7 + [
        {"activity": "A7", "area": "K", "age": "30_64", "breakdown": "S2"}
    ] * 2
    problem = problem_from(records)
    hidden = protect(problem, 5)
    values = problem.values
    assert {c for c in problem.cells if 1 <= (values[c] or 0) <= 4} <= hidden
    assert not audit(problem, hidden, 5)
    # the reader still gets the total of 9, and most zeros
    assert CellId.of("REFERRALS", WEEK) not in hidden
    zeros = [c for c in problem.cells if values[c] == 0]
    assert sum(1 for c in zeros if c in hidden) < len(zeros) / 2


def test_a_small_total_split_in_small_parts_keeps_its_total_shown() -> None:
    # 5 referrals: 4 from S1, 1 from S2. Hiding both is enough: a hidden cell may be 0 (zeros can
    # be complements), so each lies anywhere in 0..5 and the headline 5 stays shown.
    records = [{"activity": "A6", "area": "V", "age": "18_29", "breakdown": "S1"}] * 4 + [
        {"activity": "A6", "area": "V", "age": "18_29", "breakdown": "S2"}
    ]
    problem = problem_from(records, (("breakdown",),))
    hidden = protect(problem, 5)
    s1, s2 = (CellId.of("REFERRALS", WEEK, breakdown=b) for b in ("S1", "S2"))
    assert hidden == {s1, s2}
    assert (intervals(problem, hidden)[s2].low, intervals(problem, hidden)[s2].high) == (0, 5)
    assert not audit(problem, hidden, 5)


def test_hiding_only_small_counts_fails_the_audit_with_the_interval() -> None:
    records = [{"activity": "A6", "area": "V", "age": "18_29", "breakdown": "S1"}] * 6 + [
        {"activity": "A7", "area": "V", "age": "18_29", "breakdown": "S1"}
    ] * 2
    problem = problem_from(records, (("activity",),))
    a7 = CellId.of("REFERRALS", WEEK, activity="A7")
    failures = audit(problem, {a7}, 5)
    assert [(f.cell, f.interval.low, f.interval.high, f.rule) for f in failures] == [(a7, 2, 2, Rule.NARROW)]
    with pytest.raises(DisclosureError) as raised:
        require_safe(problem, {a7}, 5)
    assert "2" not in raised.value.text("en").replace("could", "")  # no value in the message
    assert raised.value.failures == failures


def test_secondary_prefers_a_small_inner_cell_to_a_total() -> None:
    # A6: 20 in V, 2 in K (primary); A7: 30 in V, 6 in K. Hiding A6×K alone is pinned by its row
    # and column; the cheapest fix hides the 4-cycle A6×K, A6×V, A7×K, A7×V, never a total.
    records: list[Record] = []
    for activity, area, n in (("A6", "V", 20), ("A6", "K", 2), ("A7", "V", 30), ("A7", "K", 6)):
        records += [{"activity": activity, "area": area, "age": "18_29", "breakdown": "S1"}] * n
    problem = problem_from(records, (("activity", "area"),))
    hidden = protect(problem, 5)
    assert all(len(c.coords) == 2 for c in hidden), sorted(map(str, hidden))
    assert len(hidden) == 4
    assert not audit(problem, hidden, 5)


def test_distinct_persons_are_not_additive() -> None:
    # one person with outcomes in two activities: E1 is 6 in all, 5 in A6 and 2 in A7
    e1 = Problem()
    total = e1.add(Cell(CellId.of("E1", WEEK), 6)).id
    a6 = e1.add(Cell(CellId.of("E1", WEEK, activity="A6"), 5)).id
    a7 = e1.add(Cell(CellId.of("E1", WEEK, activity="A7"), 2)).id
    e1.relate(Relation.additive(total, [a6, a7]))
    assert e1.check(), "treating E1 as additive contradicts the true counts"
    e1 = Problem()
    for cid, v in ((total, 6), (a6, 5), (a7, 2)):
        e1.add(Cell(cid, v))
    e1.relate(Relation.distinct(total, [a6, a7]))
    assert not e1.check()
    # additive reasoning would pin A7 = 6 - 5 = 1 (wrong); distinct reasoning says 1..6
    assert intervals(e1, {a7})[a7].low == 1
    assert intervals(e1, {a7})[a7].high == 6
    hidden = protect(e1, 5)
    assert a7 in hidden
    assert not audit(e1, hidden, 5)


def test_threshold_below_three_is_refused() -> None:
    with pytest.raises(MentorError):
        check_threshold(2)
    assert check_threshold(3) == 3


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=records_strategy(30), k=st.sampled_from([3, 5]))
def test_protected_tables_pass_the_audit_and_the_independent_attacker(records: list[Record], k: int) -> None:
    problem = problem_from(records)
    hidden = protect(problem, k)
    values = problem.values
    assert {c for c in problem.cells if 1 <= (values[c] or 0) <= k - 1} <= hidden
    assert not audit(problem, hidden, k)
    shown = {c.coords: values[c] or 0 for c in problem.cells if c not in hidden}
    for coords, (low, high) in attack(DIMS, shown, coords_of(problem, hidden)).items():
        assert high - low >= k, (coords, low, high)

"""Across files: a year with its quarters, and weekly year-to-date figures, pin nothing (issue 7 item 3).

Each test publishes a series of files from one synthetic caseload the way the export does (the
period's tables plus the year-to-date total), each protected together with what the earlier
ones published, then lets the independent attacker (``disclosure_attacker.attack_files``: one
unknown per time segment and microdata cell) combine all of them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from mentor_tui.services.counts.disclosure import (
    Cell,
    CellId,
    Coords,
    Kind,
    Problem,
    Rule,
    Span,
    add_tables,
    audit,
    combine,
    protect,
    protect_file,
    protect_with_witnesses,
)
from tests.unit.disclosure_attacker import Record, attack_files, cube_counts

PY_START = dt.date(2025, 10, 1)
DIMS: dict[str, tuple[str, ...]] = {
    "activity": ("A6", "A7", "A8"),
    "area": ("V", "K"),
    "age": ("18_29", "30_64"),
    "breakdown": ("S1", "S2"),
}
TABLES: tuple[tuple[str, ...], ...] = (("activity", "area"), ("activity", "breakdown"), ("age",))
K = 5


def day(n: int) -> dt.date:
    return PY_START + dt.timedelta(days=n)


def caseload(seed: int, n: int, days: int) -> list[tuple[int, Record]]:
    rnd = random.Random(seed)
    return [(rnd.randrange(days), {d: rnd.choice(c) for d, c in DIMS.items()}) for _ in range(n)]


def counter(records: Sequence[tuple[int, Record]]):  # type: ignore[no-untyped-def]
    def count(metric: str, span: Span) -> dict[Coords, int]:
        inside = [r for d, r in records if span.start <= day(d) <= span.end]
        return cube_counts(inside, TABLES)

    return count


def publish(
    records: Sequence[tuple[int, Record]],
    spans: Sequence[tuple[int, int]],
    *,
    ytd: bool,
) -> tuple[dict[tuple[tuple[int, int], Coords], int], set[tuple[tuple[int, int], Coords]]]:
    """Publish one file per span in order; return everything shown and hidden, by (span, coords)."""
    count = counter(records)
    earlier: dict[CellId, int | None] = {}
    shown: dict[tuple[tuple[int, int], Coords], int] = {}
    hidden_all: set[tuple[tuple[int, int], Coords]] = set()
    for first, last in spans:
        span = Span(day(first), day(last))
        problem = Problem()
        add_tables(problem, "REFERRALS", span, DIMS, TABLES, count("REFERRALS", span))
        if ytd and first > 0:
            to_date = Span(PY_START, span.end)
            problem.add(Cell(CellId("REFERRALS", to_date), count("REFERRALS", to_date).get((), 0)))
        values = {c: v for c, v in problem.values.items() if v is not None}
        hidden = protect_file(values, problem.relations, K, earlier=earlier, count=count)
        for cid, v in values.items():
            key = ((cid.span.start - PY_START).days, (cid.span.end - PY_START).days), cid.coords
            if cid in hidden:
                earlier[cid] = None
                hidden_all.add(key)
            else:
                earlier[cid] = v
                shown[key] = v
    return shown, hidden_all


def segments_of(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    cuts = sorted({a for a, _ in spans} | {b + 1 for _, b in spans})
    return [(a, b - 1) for a, b in zip(cuts, cuts[1:], strict=False)]


def assert_nothing_pinned(
    shown: dict[tuple[tuple[int, int], Coords], int], hidden: set[tuple[tuple[int, int], Coords]]
) -> None:
    spans = sorted({s for s, _ in shown} | {s for s, _ in hidden})
    for (span, coords), (low, high) in attack_files(DIMS, segments_of(spans), shown, hidden).items():
        assert high - low >= K, (span, coords, low, high)


def test_a_project_year_and_its_four_quarters_pin_nothing() -> None:
    quarters = [(0, 91), (92, 181), (182, 272), (273, 364)]
    records = caseload(7, 60, 365)
    shown, hidden = publish(records, [*quarters, (0, 364)], ytd=False)
    assert hidden, "the caseload is small enough that something must be hidden"
    assert_nothing_pinned(shown, hidden)


def test_weekly_year_to_date_figures_pin_nothing() -> None:
    weeks = [(7 * i, 7 * i + 6) for i in range(6)]
    records = caseload(11, 45, 42)
    shown, hidden = publish(records, weeks, ytd=True)
    assert_nothing_pinned(shown, hidden)


def test_without_the_earlier_files_the_year_would_give_a_quarter_away() -> None:
    # the same year file protected on its own leaves a quarter's hidden cell to be worked out
    quarters = [(0, 91), (92, 181), (182, 272), (273, 364)]
    records = caseload(7, 60, 365)
    count = counter(records)
    shown: dict[tuple[tuple[int, int], Coords], int] = {}
    hidden_all: set[tuple[tuple[int, int], Coords]] = set()
    earlier: dict[CellId, int | None] = {}
    for first, last in [*quarters, (0, 364)]:
        span = Span(day(first), day(last))
        problem = Problem()
        add_tables(problem, "REFERRALS", span, DIMS, TABLES, count("REFERRALS", span))
        values = {c: v for c, v in problem.values.items() if v is not None}
        hidden = protect(problem, K)  # each file alone, history ignored
        for cid, v in values.items():
            key = ((cid.span.start - PY_START).days, (cid.span.end - PY_START).days), cid.coords
            (hidden_all.add(key) if cid in hidden else shown.__setitem__(key, v))
            earlier[cid] = None if cid in hidden else v
    spans = sorted({s for s, _ in shown} | {s for s, _ in hidden_all})
    found = attack_files(DIMS, segments_of(spans), shown, hidden_all)
    assert any(high - low < K for low, high in found.values())


def test_year_to_date_differences_of_distinct_counts_are_protected() -> None:
    # E1 (distinct persons) to date: 12 after week 1, 14 after week 2. The 2 persons new in week 2
    # are a count 1..k-1 that the two figures give away, unless one of them is hidden.
    w1, w2 = Span(day(0), day(6)), Span(day(7), day(13))
    ytd1, ytd2 = Span(day(0), day(6)), Span(day(0), day(13))
    problem = Problem()
    problem.add(Cell(CellId("E1", w2), 9))
    problem.add(Cell(CellId("E1", ytd2), 14))
    earlier: dict[CellId, int | None] = {CellId("E1", ytd1): 12, CellId("E1", w1): 12}
    combined, published = combine(problem, earlier, distinct={"E1"})
    new = CellId("E1", Span(day(7), day(13)), (), Kind.NEW)
    assert new in combined.cells
    failures = audit(combined, set(), K, published=published)
    assert [(f.cell, f.interval.low, f.interval.high, f.rule) for f in failures] == [(new, 2, 2, Rule.SMALL)]
    hidden = protect(combined, K, published=published)
    assert CellId("E1", ytd2) in hidden
    assert not audit(combined, hidden, K, published=published)


def test_a_small_correction_of_a_published_number_is_not_shown() -> None:
    # an earlier file showed 10 referrals for the week; two late registrations make it 12. Showing
    # 12 now would tell that 2 were added: the cell is hidden (and so is what would give it away).
    week = Span(day(0), day(6))
    records = [(1, {"activity": "A6", "area": "V", "age": "18_29", "breakdown": "S1"})] * 12
    problem = Problem()
    add_tables(
        problem, "REFERRALS", week, DIMS, (("activity",),), cube_counts([r for _, r in records], TABLES)
    )
    values = {c: v for c, v in problem.values.items() if v is not None}
    total = CellId("REFERRALS", week)
    earlier: dict[CellId, int | None] = {total: 10, CellId.of("REFERRALS", week, activity="A6"): 10}
    hidden = protect_file(values, problem.relations, K, earlier=earlier)
    assert total in hidden
    assert CellId.of("REFERRALS", week, activity="A6") in hidden


def test_earlier_numbers_that_contradict_todays_counts_do_not_break_the_export() -> None:
    # an earlier year-to-date figure (30) and week (10) no longer fit today's counts (a void):
    # no attacker model holds them all; the export still gets a safe answer
    w1, w2 = Span(day(0), day(6)), Span(day(7), day(13))
    problem = Problem()
    problem.add(Cell(CellId("REFERRALS", w2), 12))
    problem.add(Cell(CellId("REFERRALS", Span(day(0), day(13))), 19))
    values = {c: v for c, v in problem.values.items() if v is not None}
    earlier: dict[CellId, int | None] = {
        CellId("REFERRALS", w1): 10,
        CellId("REFERRALS", Span(day(0), day(6))): 10,
    }
    hidden = protect_file(values, [], K, earlier=earlier)
    assert hidden <= set(values)


def test_a_cell_that_earlier_files_already_give_away_is_shown_not_hidden() -> None:
    # the four quarters showed 10 + 20 + 30 + 40 referrals: everyone knows the year's 100. A
    # protection that starts by hiding the year's total (as a complement would) cannot make it
    # safe by hiding more; it shows it again instead of refusing the file
    quarters = [Span(day(a), day(b)) for a, b in [(0, 91), (92, 181), (182, 272), (273, 364)]]
    year = Span(day(0), day(364))
    problem = Problem()
    add_tables(
        problem,
        "REFERRALS",
        year,
        {"activity": ("A6", "A7")},
        (("activity",),),
        {
            (): 100,
            (("activity", "A6"),): 98,
            (("activity", "A7"),): 2,
        },
    )
    earlier: dict[CellId, int | None] = {
        CellId("REFERRALS", q): v for q, v in zip(quarters, (10, 20, 30, 40), strict=True)
    }
    combined, published = combine(problem, earlier, distinct=())
    total = CellId("REFERRALS", year)
    hidden, _ = protect_with_witnesses(combined, K, published=published, start={total})
    assert total not in hidden
    assert CellId.of("REFERRALS", year, activity="A7") in hidden
    assert not audit(combined, hidden, K, published=published)

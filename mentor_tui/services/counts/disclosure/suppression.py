"""Primary and secondary (complementary) suppression driven by the audit.

1. *Primary*: every publishable cell with a value 1..k-1 is hidden, and so is every cell an
   earlier file hid; a cell an earlier file showed with a value that has since changed by 1..k-1
   is hidden too (showing both numbers would reveal the size of the correction).
2. *Secondary*: the audit (:mod:`.auditing`) finds every hidden or latent cell the attacker can
   narrow down too far. For each, the LP that proves the narrow bound says which shown cells hold
   it there: a shown cell with a non-zero reduced cost in that LP is a constraint that binds.
   Of those, the one that costs the reader least (:func:`cost`) is hidden, and the audit runs
   again, until nothing fails. This is the LP-based cell-suppression heuristic of τ-ARGUS's
   "optimal"/"modular" family reduced to one cell at a time: the LP points at exactly the cells
   that matter, and the audit after each round is exact, so the result is safe whatever the
   greedy choice.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from mentor_tui.services.counts.disclosure.auditing import Auditor, Failure, Status, statuses
from mentor_tui.services.counts.disclosure.problem import Bound, Cell, CellId, Problem

MAX_ROUNDS = 10_000


class Unprotectable(Exception):
    """No set of hidden cells makes the problem safe (earlier files already pin a cell)."""

    def __init__(self, failures: list[Failure]) -> None:
        super().__init__(f"{len(failures)} cell(s) cannot be protected")
        self.failures = failures


def cost(cell: Cell, totals: set[CellId]) -> tuple[float, int, int, int]:
    """How much hiding ``cell`` costs the reader (sort key; least first).

    Small inner cells first, then inner zeros; a table's margin only when no inner cell helps; a
    grand total (no coordinates) last of all. ``cell.weight`` comes first, so a caller can make
    headline figures dearer still (``math.inf``: never hide).
    """
    value = cell.value or 0
    if not cell.id.coords:
        tier = 4
    elif cell.id in totals:
        tier = 2 if value else 3
    else:
        tier = 0 if value else 1
    return (cell.weight, tier, value, -len(cell.id.coords))


def primary(problem: Problem, k: int, published: Mapping[CellId, int | None]) -> set[CellId]:
    """Return the cells hidden before any secondary suppression (see the module docstring)."""
    hidden: set[CellId] = set()
    for cid, cell in problem.cells.items():
        if cell.latent:
            continue
        if cell.value is None:
            if cid in published and published[cid] is None:
                hidden.add(cid)
            continue
        if 1 <= cell.value <= k - 1:
            hidden.add(cid)
        elif cid in published:
            before = published[cid]
            if before is None or 1 <= abs(before - cell.value) <= k - 1:
                hidden.add(cid)
    return hidden


def protect(
    problem: Problem, k: int, *, published: Mapping[CellId, int | None] | None = None
) -> frozenset[CellId]:
    """Return the cells to hide so that :func:`~.auditing.audit` finds nothing (see
    :func:`protect_with_witnesses`)."""
    return protect_with_witnesses(problem, k, published=published)[0]


def protect_with_witnesses(
    problem: Problem,
    k: int,
    *,
    published: Mapping[CellId, int | None] | None = None,
    start: Collection[CellId] = (),
) -> tuple[frozenset[CellId], list[dict[CellId, int]]]:
    """Return the cells to hide so that :func:`~.auditing.audit` finds nothing, and the feasible
    points that proved it (witnesses for the audit that runs before a file is written).

    Args:
        problem: this file's cells and relations (plus earlier files' cells for cross-file work).
        k: the threshold (at least 3; see :func:`check_threshold`).
        published: earlier files' cells: the value they showed, or ``None`` where hidden. Those
            cannot be taken back; secondary suppression only hides cells not in it.
        start: cells to hide from the start (a protection found for part of the problem,
            such as the new file alone); the audit still decides what else must go.

    Raises:
        Unprotectable: earlier files alone already narrow a cell down too far.
    """
    published = published or {}
    hidden = primary(problem, k, published) | {c for c in start if _hideable(problem.cells[c], published)}
    totals = {r.total for r in problem.relations}
    _close_lines(problem, hidden, published, totals, k)
    auditor = Auditor(problem, k, published, exact_failures=False)
    revealed: set[CellId] = set()

    def hideable(c: CellId, status: Mapping[CellId, Status]) -> bool:
        return status[c] is Status.SHOWN and c not in revealed and _hideable(problem.cells[c], published)

    for _ in range(MAX_ROUNDS):
        status = statuses(problem, hidden, published)
        failures, where = auditor.failures(status)
        if not failures:
            return frozenset(hidden), auditor.points
        chosen: set[CellId] = set()
        reveal: set[CellId] = set()
        stuck: list[Failure] = []

        for f in failures:
            comp = where[f.cell]
            candidates: set[CellId] = set()
            held = False  # some shown cell that cannot be hidden holds the bound
            for solved, duals, maximize in auditor.duals.get(f.cell, []):
                for c in auditor.binding(solved, duals, maximize):
                    if hideable(c, status):
                        candidates.add(c)
                    elif status[c] is Status.SHOWN:
                        held = True
            if not candidates and held and _revealable(problem.cells[f.cell], f.cell in hidden, published, k):
                # earlier files hold this cell where it is (a year's cell whose four quarters
                # were all shown): hiding it protects nothing, so it is shown after all
                reveal.add(f.cell)
                continue
            if not candidates:
                # degenerate duals: fall back to any hideable cell next to the component
                near = {
                    c for r in problem.relations if any(x in comp.index for x in r.cells) for c in r.cells
                }
                candidates = {c for c in near if hideable(c, status)}
            if not candidates:
                stuck.append(f)
                continue
            best = min(candidates, key=lambda c: (cost(problem.cells[c], totals), c))
            chosen.add(best)
        if stuck and not chosen and not reveal:
            raise Unprotectable(stuck)
        hidden |= chosen
        if reveal:
            # showing a cell narrows what the attacker knows: what the auditor learnt no longer holds
            hidden -= reveal
            revealed |= reveal
            auditor = Auditor(problem, k, published, exact_failures=False)
    raise Unprotectable([])


def _revealable(cell: Cell, hidden_here: bool, published: Mapping[CellId, int | None], k: int) -> bool:
    """Whether ``cell``, hidden by this file, may be shown after all: it is not small, and no
    earlier file hid it."""
    value = cell.value
    return (
        hidden_here
        and not cell.latent
        and cell.id not in published
        and value is not None
        and not 1 <= value <= k - 1
    )


def _close_lines(
    problem: Problem,
    hidden: set[CellId],
    published: Mapping[CellId, int | None],
    totals: set[CellId],
    k: int,
) -> None:
    """Settle the lines whose hidden cells fail whatever else is hidden, before the audit's LPs.

    Two rules, each a necessary condition (a line that breaks one fails the audit however the
    rest of the problem looks), applied until no line breaks them:

    - an additive line of published cells with exactly one hidden cell (it would be the total
      minus the rest);
    - an additive line whose total is shown and whose unknown parts (hidden, or derived and
      never published) add up to less than k: each hidden part lies between 0 and that rest,
      so its range is narrower than k. This is the common cross-file case: a quarter's cell
      shown, the same cell of its weeks shown but one, which an earlier file hid.

    For each, the cheapest hideable cell of the line is hidden too. The audit afterwards decides;
    this only saves rounds of linear programs.
    """
    additive = [r for r in problem.relations if r.lower is Bound.SUM and r.upper is Bound.SUM]
    through: dict[CellId, list[int]] = {}
    for i, r in enumerate(additive):
        for c in r.cells:
            through.setdefault(c, []).append(i)
    cells = problem.cells
    queue = sorted({i for c in hidden for i in through.get(c, [])}, reverse=True)
    while queue:
        i = queue.pop()
        r = additive[i]
        unknown = [c for c in r.cells if c in hidden or cells[c].latent]
        lone = len(unknown) == 1 and unknown[0] in hidden and not any(cells[c].latent for c in r.cells)
        narrow = False
        if not lone and r.total not in unknown and any(c in hidden for c in r.parts):
            rest = (cells[r.total].value or 0) - sum(
                cells[c].value or 0 for c in r.parts if c not in hidden and not cells[c].latent
            )
            narrow = rest < k
        if not (lone or narrow):
            continue
        options = [
            c
            for c in r.cells
            if c not in hidden
            and _hideable(cells[c], published)
            # a narrow line widens only by hiding its total or a part above 0
            and (lone or c == r.total or (cells[c].value or 0) > 0)
        ]
        if not options:
            continue
        best = min(options, key=lambda c: (cost(cells[c], totals), c))
        hidden.add(best)
        queue.extend(through.get(best, []))
        queue.append(i)


def _hideable(cell: Cell, published: Mapping[CellId, int | None]) -> bool:
    return not cell.latent and cell.value is not None and cell.weight != math.inf and cell.id not in published

"""The audit: what an attacker can work out about each hidden cell, computed with HiGHS.

For every hidden cell the attacker's *feasible interval* is the least and the greatest value the
cell can take given everything published: the shown cells (constants), every relation of the
problem, nonnegativity and integrality. (Zeros can be hidden as complements, so a hidden cell
may be 0: the lower bound of every hidden cell is 0.) :func:`audit` returns the cells whose interval is too
narrow; :func:`intervals` returns the intervals themselves (for tests and benchmarks).

How it is solved. The cells that are not shown (hidden and latent) are the variables; a relation
with no variable holds by construction and is dropped, and the rest split into connected
components, each one small linear program (LP) kept in one :class:`highspy.Highs` object so that
each "minimise/maximise this cell" re-solve starts from the last basis (a few simplex pivots).
Most cells never need their own LP: every integral solution found (the true values are one) is a
feasible point, so the smallest and largest value a cell takes in any of them is an *inner*
interval; a cell whose inner interval is already wide enough passes without a solve.

Integrality: the LP relaxation gives an outer interval ``[ceil(LP min), floor(LP max)]``. If that
already fails, the cell fails. If it passes but the optimum that proves it is fractional, the
bound is solved again as an integer program (HiGHS's MIP solver) so that the attacker who
reasons in whole numbers gets no narrower interval than we accept.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import highspy
import numpy as np

from mentor_tui.services.counts.disclosure.problem import Bound, CellId, Problem, Relation

INF = math.inf
_TOL = 1e-6
MIP_SECONDS = 5.0
"""Time limit of one integer program; past it the bound is the relaxation's, one unit tighter."""
SPREAD_ROUNDS = 12
RELAXED_MARGIN = 1.0
"""A cell passes on fractional feasible points only if they span at least ``k + 1``: the extra
unit covers the attacker rounding to whole numbers (the linked tables' constraint matrix is not
totally unimodular, so vertices can be fractional)."""
_CAP = 1e6
"""How often to push every open cell of a component up and down together before solving one by one."""
_SETTLED = frozenset(
    {
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    }
)


class MipTimeout(Exception):
    """The integer program for one bound did not finish in :data:`MIP_SECONDS`; ``values`` is
    the best integral point it found (``None``: none)."""

    def __init__(self, cell: CellId, values: list[float] | None) -> None:
        super().__init__(f"integer program for {cell} timed out")
        self.values = values


class Inconsistent(Exception):
    """The published numbers contradict the relations (an earlier file showed a value that has
    been corrected since): no attacker model holds them all at once."""

    def __init__(self, cell: CellId) -> None:
        super().__init__(f"published numbers contradict each other around {cell}")
        self.cell = cell


class Rule(StrEnum):
    """Which requirement a cell failed."""

    NARROW = "narrow"
    """A hidden cell's interval is less than k wide (``high - low < k``)."""
    SMALL = "small"
    """A latent quantity (never published) is revealed to lie within 1..k-1."""


@dataclass(frozen=True, slots=True)
class Interval:
    """The values a cell can take: ``low`` to ``high`` (``inf`` when unbounded)."""

    low: float
    high: float

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    def __str__(self) -> str:
        high = "∞" if self.high == INF else f"{self.high:g}"
        return f"[{self.low:g}, {high}]"


@dataclass(frozen=True, slots=True)
class Failure:
    """A hidden (or latent) cell the attacker can narrow down too far, with its interval."""

    cell: CellId
    interval: Interval
    rule: Rule


class Status(StrEnum):
    """How the attacker sees a cell."""

    SHOWN = "shown"
    HIDDEN = "hidden"
    LATENT = "latent"


def statuses(
    problem: Problem, hidden: Collection[CellId], published: Mapping[CellId, int | None]
) -> dict[CellId, Status]:
    """Return how each cell looks to the attacker.

    Hidden: in ``hidden``, or hidden by an earlier file (``published[c] is None``). A cell an
    earlier file showed with a value that has since been corrected is shown now only if this
    file shows it; otherwise the old number says nothing exact about the current one.
    """
    out: dict[CellId, Status] = {}
    for cid, cell in problem.cells.items():
        if cell.latent:
            out[cid] = Status.LATENT
        elif cid in hidden or (cid in published and published[cid] is None):
            out[cid] = Status.HIDDEN
        else:
            out[cid] = Status.SHOWN
    return out


def _check(interval: Interval, rule: Rule, k: int) -> bool:
    if rule is Rule.NARROW:
        return interval.width >= k
    # latent: fails only if every value it can take lies in 1..k-1
    return not (interval.low >= 1 and interval.high <= k - 1)


@dataclass
class _Component:
    """One connected set of variables and the relations between them; a HiGHS model when needed."""

    cols: list[CellId]
    """The variables: hidden and latent cells."""
    index: dict[CellId, int]
    nvars: int
    lower: np.ndarray
    upper: np.ndarray
    rows: list[tuple[float, float, dict[int, float]]]
    shown_in: dict[CellId, list[tuple[int, float]]]
    """Each shown cell's coefficients in the rows (it is a constant there)."""
    objective: int | None = None
    _highs: highspy.Highs | None = None

    @property
    def targets(self) -> list[CellId]:
        """The hidden and latent cells."""
        return self.cols[: self.nvars]

    _matrix: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The rows as coordinate arrays: (row of each entry, column, coefficient, row lower, row upper)."""
        if self._matrix is None:
            rows: list[int] = []
            cols: list[int] = []
            vals: list[float] = []
            for i, (_, _, coefs) in enumerate(self.rows):
                for j, a in coefs.items():
                    rows.append(i)
                    cols.append(j)
                    vals.append(a)
            self._matrix = (
                np.array(rows, dtype=np.int64),
                np.array(cols, dtype=np.int64),
                np.array(vals, dtype=np.float64),
                np.array([r[0] for r in self.rows], dtype=np.float64),
                np.array([r[1] for r in self.rows], dtype=np.float64),
            )
        return self._matrix

    def satisfies(self, x: np.ndarray) -> bool:
        """Whether ``x`` (one value per column) keeps every bound and row."""
        if np.any(np.isnan(x)) or np.any(x < self.lower - _TOL) or np.any(x > self.upper + _TOL):
            return False
        row, col, val, lo, hi = self.matrix()
        activity = np.bincount(row, weights=val * x[col], minlength=len(self.rows))
        return bool(np.all(activity >= lo - _TOL) and np.all(activity <= hi + _TOL))

    def integral(self, x: np.ndarray) -> np.ndarray | None:
        """``x`` if integral; else ``x`` rounded if that still satisfies every row; else ``None``."""
        rounded = np.round(x)
        if not np.any(np.abs(x - rounded) > _TOL):
            return rounded
        return rounded if self.satisfies(rounded) else None

    @property
    def highs(self) -> highspy.Highs:
        """The model, built on first use."""
        if self._highs is None:
            h = _new_highs()
            h.addVars(len(self.cols), self.lower, self.upper)
            if self.rows:
                starts: list[int] = []
                idx: list[int] = []
                val: list[float] = []
                for _, _, coefs in self.rows:
                    starts.append(len(idx))
                    for i, v in coefs.items():
                        if v != 0.0:
                            idx.append(i)
                            val.append(v)
                h.addRows(
                    len(self.rows),
                    np.array([r[0] for r in self.rows]),
                    np.array([r[1] for r in self.rows]),
                    len(idx),
                    np.array(starts, dtype=np.int32),
                    np.array(idx, dtype=np.int32),
                    np.array(val, dtype=np.float64),
                )
            self._highs = h
        return self._highs


@dataclass
class Auditor:
    """Solves feasible intervals over one problem; reusable while more cells get hidden.

    Keeps the inner intervals of every cell (from integral feasible points) between calls:
    hiding one more cell only relaxes the problem, so every point stays feasible.
    """

    problem: Problem
    k: int
    published: Mapping[CellId, int | None] = field(default_factory=dict)
    inner: dict[CellId, tuple[int, int]] = field(default_factory=dict)
    duals: dict[CellId, list[tuple[_Component, list[float], bool]]] = field(default_factory=dict)
    """The row duals of the LPs that bounded each failing cell (for secondary suppression)."""
    passed: set[CellId] = field(default_factory=set)
    """Cells known to pass (see :meth:`failures`)."""
    relaxed: dict[CellId, tuple[float, float]] = field(default_factory=dict)
    """Inner intervals from fractional feasible points (see :data:`RELAXED_MARGIN`)."""
    points: list[dict[CellId, int]] = field(default_factory=list)
    """Integral feasible points that widened some inner interval: witnesses a later audit can
    check and reuse instead of solving again."""
    solves: int = 0
    exact_failures: bool = True
    """Whether a failing cell's interval is the exact one (else a wider one that fails too,
    which saves a solve per failure while secondary suppression runs)."""

    def __post_init__(self) -> None:
        # the true values are a feasible point (the unknown ones included, whatever they are),
        # so every known true value is a value its cell can take
        for cid, v in self.problem.values.items():
            if v is not None:
                self.inner[cid] = (v, v)

    # -- building --------------------------------------------------------------------------

    def components(self, status: Mapping[CellId, Status]) -> list[_Component]:
        """Split the variables into connected components, each a ready HiGHS model."""
        parent: dict[CellId, CellId] = {}

        def find(x: CellId) -> CellId:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for cid, s in status.items():
            if s is not Status.SHOWN:
                parent[cid] = cid
        rels: list[tuple[Relation, list[CellId]]] = []
        for r in self.problem.relations:
            variables = [c for c in r.cells if status[c] is not Status.SHOWN]
            if not variables:
                continue
            rels.append((r, variables))
            root = find(variables[0])
            for v in variables[1:]:
                other = find(v)
                if other != root:
                    parent[other] = root
        by_root: dict[CellId, list[CellId]] = {}
        for v in parent:
            by_root.setdefault(find(v), []).append(v)
        rel_by_root: dict[CellId, list[Relation]] = {}
        for r, variables in rels:
            rel_by_root.setdefault(find(variables[0]), []).append(r)
        return [
            self._model(sorted(members), rel_by_root.get(root, []), status)
            for root, members in by_root.items()
        ]

    def _model(
        self, variables: list[CellId], relations: list[Relation], status: Mapping[CellId, Status]
    ) -> _Component:
        """One LP over ``variables``: shown cells are constants moved into the rows' bounds."""
        cols = list(variables)
        index = {c: i for i, c in enumerate(cols)}
        lower = np.empty(len(cols))
        upper = np.full(len(cols), highspy.kHighsInf)
        lower[:] = 0.0  # zeros may be hidden too, so a hidden cell may be 0
        inf = highspy.kHighsInf
        rows: list[tuple[float, float, dict[int, float]]] = []
        shown_in: dict[CellId, list[tuple[int, float]]] = {}

        def add(lo: float, hi: float, terms: list[tuple[CellId, float]]) -> None:
            coefs: dict[int, float] = {}
            constant = 0.0
            fixed: list[tuple[CellId, float]] = []
            for c, a in terms:
                j = index.get(c)
                if j is None:
                    value = self.problem.cells[c].value
                    if value is None:
                        raise ValueError(f"shown cell {c} has no value")
                    constant += a * value
                    fixed.append((c, a))
                else:
                    coefs[j] = coefs.get(j, 0.0) + a
            if not any(coefs.values()):
                return
            row = len(rows)
            rows.append((lo - constant, hi - constant, coefs))
            for c, a in fixed:
                shown_in.setdefault(c, []).append((row, a))

        for r in relations:
            sum_lo = 0.0 if r.lower is Bound.SUM else -inf
            sum_hi = 0.0 if r.upper is Bound.SUM else inf
            if sum_lo != -inf or sum_hi != inf:
                add(sum_lo, sum_hi, [(r.total, 1.0), *((p, -1.0) for p in r.parts)])
            if r.lower is Bound.MAX:
                for p in r.parts:
                    add(0.0, inf, [(r.total, 1.0), (p, -1.0)])
        return _Component(cols, index, len(cols), lower, upper, rows, shown_in)

    # -- solving ---------------------------------------------------------------------------

    def _solve(
        self, comp: _Component, target: CellId, maximize: bool, integer: bool = False
    ) -> tuple[float, list[float] | None, list[float] | None]:
        """Return (optimum, column values, row duals) of min/max ``target`` (inf if unbounded)."""
        h = comp.highs
        j = comp.index[target]
        if comp.objective is not None and comp.objective != j:
            h.changeColCost(comp.objective, 0.0)
        h.changeColCost(j, 1.0)
        comp.objective = j
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
        n = len(comp.cols)
        if integer:
            h.changeColsIntegrality(
                n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
            )
            h.setOptionValue("time_limit", MIP_SECONDS)
            h.setOptionValue("presolve", "on")  # no basis to warm-start from in branch and bound
            h.setOptionValue("mip_abs_gap", 0.5)  # the objective is one whole-number cell
        self.solves += 1
        h.run()
        status = h.getModelStatus()
        if status not in _SETTLED:
            # a warm start from the last basis can end undecided (seen on unbounded rays):
            # solve again from scratch
            h.clearSolver()
            h.run()
            status = h.getModelStatus()
        if integer:
            h.changeColsIntegrality(
                n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kContinuous)
            )
            h.setOptionValue("time_limit", highspy.kHighsInf)
            h.setOptionValue("presolve", "off")
            if status == highspy.HighsModelStatus.kTimeLimit:
                found = None
                if h.getInfo().primal_solution_status == 2:  # kSolutionStatusFeasible: an incumbent
                    found = list(h.getSolution().col_value)
                raise MipTimeout(target, found)
        if status == highspy.HighsModelStatus.kUnbounded or (
            status == highspy.HighsModelStatus.kUnboundedOrInfeasible
        ):
            return (INF if maximize else -INF), None, None
        if status != highspy.HighsModelStatus.kOptimal:
            if status == highspy.HighsModelStatus.kInfeasible:
                raise Inconsistent(target)
            raise RuntimeError(f"disclosure audit: HiGHS returned {h.modelStatusToString(status)}")
        sol = h.getSolution()
        values = list(sol.col_value)
        duals = None if integer else list(sol.row_dual)
        return values[j], values, duals

    def binding(self, comp: _Component, row_duals: list[float], maximize: bool) -> list[CellId]:
        """The shown cells that, hidden, would let the optimum move the way that widens the range.

        A shown cell's sensitivity is minus the sum of its coefficients times the row duals (its
        reduced cost as a fixed column). Hiding it helps a maximum if the cell can move in the
        sensitivity's direction (up always; down only from a value above 0), and a minimum if it
        can move against it.
        """
        out = []
        for c, uses in comp.shown_in.items():
            sensitivity = -sum(a * row_duals[r] for r, a in uses)
            if abs(sensitivity) <= 1e-9:
                continue
            up = sensitivity > 0 if maximize else sensitivity < 0
            if up or (self.problem.cells[c].value or 0) > 0:
                out.append(c)
        return out

    def _remember(self, comp: _Component, values: list[float] | None) -> None:
        """Widen the inner intervals with ``values`` if it is an integral point (kept as a witness)."""
        if values is None:
            return
        x = np.asarray(values)
        rounded = comp.integral(x)
        if rounded is None:
            self._remember_relaxed(comp, x)
            return
        self.take(dict(zip(comp.cols[: comp.nvars], rounded[: comp.nvars].astype(int).tolist(), strict=True)))

    def take(self, point: Mapping[CellId, int]) -> None:
        """Widen the inner intervals with a feasible integral ``point`` (cell -> value)."""
        inner = self.inner
        used = False
        for c, v in point.items():
            old = inner.get(c)
            if old is None:
                inner[c] = (v, v)
            elif v < old[0]:
                inner[c] = (v, old[1])
            elif v > old[1]:
                inner[c] = (old[0], v)
            else:
                continue
            used = True
        if used:
            self.points.append(dict(point))

    def take_checked(self, components: list[_Component], points: Iterable[Mapping[CellId, int]]) -> None:
        """Widen the inner intervals with each of ``points`` that is feasible (see :func:`audit`).

        A point gives values to some hidden and latent cells; every other cell keeps its true
        value. It is checked, component by component, against every bound and row first: a
        point that does not hold is ignored, so a wrong witness can cost a solve, never safety.
        """
        where = {c: comp for comp in components for c in comp.targets}
        for point in points:
            by_comp: dict[int, tuple[_Component, dict[CellId, int]]] = {}
            ok = True
            for c, v in point.items():
                comp = where.get(c)
                if comp is None:  # shown (or unknown to this problem): must be its true value
                    cell = self.problem.cells.get(c)
                    if cell is None or cell.value != v:
                        ok = False
                        break
                    continue
                by_comp.setdefault(id(comp), (comp, {}))[1][c] = v
            if not ok:
                continue
            for comp, values in by_comp.values():
                x = np.array(
                    [values[c] if c in values else _or_nan(self.problem.cells[c].value) for c in comp.cols],
                    dtype=np.float64,
                )
                if comp.satisfies(x):
                    self.take(values)

    def _remember_relaxed(self, comp: _Component, x: np.ndarray) -> None:
        relaxed = self.relaxed
        for c, v in zip(comp.cols[: comp.nvars], x[: comp.nvars].tolist(), strict=True):
            old = relaxed.get(c)
            relaxed[c] = (v, v) if old is None else (min(old[0], v), max(old[1], v))

    def _certified(self, c: CellId, rule: Rule) -> bool:
        if c in self.inner:
            lo, hi = self.inner[c]
            if _check(Interval(lo, hi), rule, self.k):
                return True
        if c in self.relaxed:
            # points of the relaxation: the rounding margin stands in for integrality
            low, high = self.relaxed[c]
            if rule is Rule.NARROW:
                return high - low >= self.k + RELAXED_MARGIN
            return low <= _TOL or high >= self.k + RELAXED_MARGIN
        return False

    def relaxed_bound(self, comp: _Component, c: CellId, maximize: bool) -> tuple[float, bool]:
        """The bound of ``c`` in one direction on the linear relaxation, rounded inwards, and
        whether it is the integer bound too (the optimal vertex is integral)."""
        opt, values, duals = self._solve(comp, c, maximize)
        self._remember(comp, values)
        if duals is not None:
            self.duals.setdefault(c, []).append((comp, duals, maximize))
        if abs(opt) == INF:
            return opt, True
        rounded = float(math.floor(opt + _TOL) if maximize else math.ceil(opt - _TOL))
        # exact if a whole-number point reaches it (the optimal vertex, or that vertex rounded:
        # _remember keeps either in the inner interval)
        lo, hi = self.inner.get(c, (INF, -INF))
        return rounded, (hi >= rounded if maximize else lo <= rounded)

    def integer_bound(self, comp: _Component, c: CellId, maximize: bool, rounded: float) -> float:
        """The attacker's integer bound of ``c`` in one direction, given its relaxed bound
        ``rounded`` (:meth:`relaxed_bound`).

        First a cheap try: the relaxation again with ``c`` fixed at ``rounded``; if that vertex
        (or its rounding) is a whole-number point, ``rounded`` is the integer bound. Otherwise an
        integer program. If HiGHS runs out of time (:data:`MIP_SECONDS`), the best whole-number
        point it found (or, failing that, the most extreme one found so far) stands for the
        bound: a value the cell can take, so the range used is never wider than the attacker's.
        """
        if abs(rounded) != INF and self._reaches(comp, c, rounded, maximize):
            return rounded
        try:
            iopt, ivalues, _ = self._solve(comp, c, maximize, integer=True)
        except MipTimeout as timeout:
            self._remember(comp, timeout.values)
            lo, hi = self.inner.get(c, (0, 0))
            return float(hi if maximize else lo)
        self._remember(comp, ivalues)
        return iopt if abs(iopt) == INF else float(round(iopt))

    def _reaches(self, comp: _Component, c: CellId, value: float, maximize: bool) -> bool:
        """Whether a whole-number point with ``c`` at ``value`` turns up when ``c`` is fixed there."""
        h = comp.highs
        j = comp.index[c]
        if comp.objective is not None:
            h.changeColCost(comp.objective, 0.0)
            comp.objective = None
        h.changeColBounds(j, value, value)
        self.solves += 1
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            self._remember(comp, list(h.getSolution().col_value))
        h.changeColBounds(j, comp.lower[j], comp.upper[j])
        lo, hi = self.inner.get(c, (INF, -INF))
        return hi >= value if maximize else lo <= value

    def bound(self, comp: _Component, c: CellId, maximize: bool) -> float:
        """The attacker's integer bound of ``c`` in one direction."""
        rounded, exact = self.relaxed_bound(comp, c, maximize)
        return rounded if exact else self.integer_bound(comp, c, maximize, rounded)

    def interval(self, comp: _Component, c: CellId) -> Interval:
        """The exact integer interval of ``c``."""
        high = self.bound(comp, c, True)
        return Interval(self.bound(comp, c, False), high)

    def spread(self, comp: _Component, cells: list[CellId], round_: int) -> None:
        """Collect feasible points far apart: push ``cells`` up together, then down, then in
        random mixed directions (one LP each). Upper bounds are capped for these solves so
        that an unbounded direction still yields a point."""
        h = comp.highs
        if comp.objective is not None:
            h.changeColCost(comp.objective, 0.0)
            comp.objective = None
        n = len(comp.cols)
        everything = np.arange(n, dtype=np.int32)
        h.changeColsBounds(n, everything, comp.lower, np.minimum(comp.upper, _CAP))
        idx = np.array([comp.index[c] for c in cells], dtype=np.int32)
        if round_ == 0:
            weights = np.ones(len(idx))
        elif round_ == 1:
            weights = -np.ones(len(idx))
        else:
            weights = np.random.default_rng(round_ * 7919 + n).choice([-1.0, 1.0], size=len(idx))
        h.changeColsCost(len(idx), idx, weights)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.solves += 1
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self._remember(comp, list(h.getSolution().col_value))
        elif status == highspy.HighsModelStatus.kInfeasible:
            raise Inconsistent(cells[0])
        h.changeColsCost(len(idx), idx, np.zeros(len(idx)))
        h.changeColsBounds(n, everything, comp.lower, comp.upper)

    def rule_of(self, c: CellId, status: Mapping[CellId, Status]) -> Rule:
        """The requirement ``c`` must meet."""
        return Rule.NARROW if status[c] is Status.HIDDEN else Rule.SMALL

    def failures(
        self, status: Mapping[CellId, Status], components: list[_Component] | None = None
    ) -> tuple[list[Failure], dict[CellId, _Component]]:
        """Return the failing cells, and the component each was solved in.

        A cell that passed once is not looked at again by this auditor: hiding more cells only
        widens intervals, so it still passes.
        """
        failures: list[Failure] = []
        where: dict[CellId, _Component] = {}
        for comp in self.components(status) if components is None else components:
            open_ = [c for c in comp.targets if c not in self.passed and not self._done(c, status)]
            for round_ in range(SPREAD_ROUNDS):
                if len(open_) < 2:
                    break
                self.spread(comp, open_, round_)
                still = [c for c in open_ if not self._done(c, status)]
                stalled = round_ >= 2 and len(still) > 0.9 * len(open_)
                open_ = still
                if stalled:
                    break
            for c in open_:
                rule = self.rule_of(c, status)
                if self._done(c, status):
                    continue
                self.duals.pop(c, None)
                interval = self._interval(comp, c, status)
                if interval is None:
                    continue
                if _check(interval, rule, self.k):
                    self.passed.add(c)
                else:
                    failures.append(Failure(c, interval, rule))
                    where[c] = comp
        return failures, where

    def _interval(self, comp: _Component, c: CellId, status: Mapping[CellId, Status]) -> Interval | None:
        """The range that decides ``c`` (``None``: it passed on the points found on the way).

        The linear relaxation first, both ways: a range that already fails there fails (the
        whole-number range lies inside it; a hidden cell whose greatest value is below k fails
        whatever its least, since no cell is below 0). Integer programs only for a range that
        passes on the relaxation with a fractional optimum.
        """
        rule = self.rule_of(c, status)
        high, high_exact = self.relaxed_bound(comp, c, True)
        if self._done(c, status):
            return None
        if high == INF:
            return Interval(self.inner.get(c, (0, 0))[0], INF)
        if rule is Rule.NARROW and high < self.k and not self.exact_failures:
            return Interval(0.0, high)  # wider than the attacker's range and failing already
        low, low_exact = self.relaxed_bound(comp, c, False)
        if self._done(c, status):
            return None
        outer = Interval(low, high)
        if not _check(outer, rule, self.k) or (high_exact and low_exact):
            return outer
        if not high_exact:
            high = self.integer_bound(comp, c, True, high)
            if self._done(c, status):
                return None
        if not low_exact:
            low = self.integer_bound(comp, c, False, low)
            if self._done(c, status):
                return None
        return Interval(low, high)

    def _done(self, c: CellId, status: Mapping[CellId, Status]) -> bool:
        if self._certified(c, self.rule_of(c, status)):
            self.passed.add(c)
            return True
        return False


def _or_nan(value: int | None) -> float:
    return math.nan if value is None else float(value)


def _new_highs() -> highspy.Highs:
    # the core class: the ``highspy.Highs`` wrapper prints a banner to stdout when it is built,
    # which would land on the terminal under the app; the core class prints nothing once
    # output_flag is off, and is what the wrapper derives from
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    h: highspy.Highs = core() if core is not None else highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")  # every re-solve warm-starts from the last basis
    h.setOptionValue("threads", 1)  # small models: threads cost more than they give (2 cores, shared)
    return h


def _add_row(h: highspy.Highs, lower: float, upper: float, coefs: Mapping[int, float]) -> None:
    items = [(i, v) for i, v in coefs.items() if v != 0.0]
    idx = np.array([i for i, _ in items], dtype=np.int32)
    val = np.array([v for _, v in items], dtype=np.float64)
    h.addRow(lower, upper, len(items), idx, val)


def audit(
    problem: Problem,
    hidden: Iterable[CellId],
    k: int,
    *,
    published: Mapping[CellId, int | None] | None = None,
    witnesses: Iterable[Mapping[CellId, int]] = (),
) -> list[Failure]:
    """Return every hidden or latent cell an attacker can narrow down too far (empty: safe).

    Args:
        problem: the cells (this file's and, for cross-file work, earlier files') and relations.
        hidden: the cells this file hides.
        k: the threshold: a hidden cell's interval must be at least ``k`` wide; a latent one
            must not lie within 1..k-1.
        published: earlier files' cells: the value they showed, or ``None`` where hidden.
        witnesses: feasible points found before (by :func:`protect`), to save solves: each is
            checked against every relation and bound first and ignored if it does not hold.

    A hidden cell's interval ``[low, high]`` is what the attacker can know about it given every
    shown cell and relation, nonnegativity and integrality.
    """
    auditor = Auditor(problem, k, published or {})
    status = statuses(problem, frozenset(hidden), published or {})
    components = auditor.components(status)
    if witnesses:
        auditor.take_checked(components, witnesses)
    failures, _ = auditor.failures(status, components)
    return failures


def intervals(
    problem: Problem,
    hidden: Iterable[CellId],
    *,
    published: Mapping[CellId, int | None] | None = None,
) -> dict[CellId, Interval]:
    """Return the exact feasible interval of every hidden and latent cell (slow: two solves each)."""
    auditor = Auditor(problem, 1, published or {})
    status = statuses(problem, frozenset(hidden), published or {})
    out: dict[CellId, Interval] = {}
    for comp in auditor.components(status):
        for c in comp.targets:
            out[c] = auditor.interval(comp, c)
    return out

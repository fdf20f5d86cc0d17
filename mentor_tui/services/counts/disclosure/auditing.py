"""The audit: what an attacker can work out about each hidden cell, computed with HiGHS.

For every hidden cell the attacker's *feasible interval* is the least and the greatest value the
cell can take given everything published: the shown cells (constants), every relation of the
problem, nonnegativity, a hidden cell being at least 1 (zeros are always shown, so a hidden cell
is known not to be 0), and integrality. :func:`audit` returns the cells whose interval is too
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
_SETTLED = frozenset(
    {
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    }
)


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
    """One connected set of variables and the relations between them, as a HiGHS model."""

    cols: list[CellId]
    index: dict[CellId, int]
    highs: highspy.Highs
    targets: list[CellId]
    objective: int | None = None


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
    solves: int = 0

    def __post_init__(self) -> None:
        for cid, cell in self.problem.cells.items():
            self.inner[cid] = (cell.value, cell.value)

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
        cols = list(variables)
        seen = set(cols)
        for r in relations:
            for c in r.cells:
                if c not in seen:
                    seen.add(c)
                    cols.append(c)
        index = {c: i for i, c in enumerate(cols)}
        lower = np.empty(len(cols))
        upper = np.empty(len(cols))
        for i, c in enumerate(cols):
            value = self.problem.cells[c].value
            s = status[c]
            if s is Status.SHOWN:
                lower[i] = upper[i] = value
            elif s is Status.HIDDEN:
                lower[i], upper[i] = (1.0 if value >= 1 else 0.0), highspy.kHighsInf
            else:
                lower[i], upper[i] = 0.0, highspy.kHighsInf
        h = _new_highs()
        h.setOptionValue("presolve", "off")
        h.addVars(len(cols), lower, upper)
        inf = highspy.kHighsInf
        for r in relations:
            t = index[r.total]
            parts = [index[p] for p in r.parts]
            sum_lo = 0.0 if r.lower is Bound.SUM else -inf
            sum_hi = 0.0 if r.upper is Bound.SUM else inf
            if sum_lo != -inf or sum_hi != inf:
                coefs: dict[int, float] = {t: 1.0}
                for p in parts:
                    coefs[p] = coefs.get(p, 0.0) - 1.0
                _add_row(h, sum_lo, sum_hi, coefs)
            if r.lower is Bound.MAX:
                for p in parts:
                    _add_row(h, 0.0, inf, {t: 1.0, p: -1.0})
        targets = [c for c in variables if status[c] is not Status.SHOWN]
        return _Component(cols, index, h, targets)

    # -- solving ---------------------------------------------------------------------------

    def _solve(
        self, comp: _Component, target: CellId, maximize: bool, integer: bool = False
    ) -> tuple[float, list[float] | None, list[float] | None]:
        """Return (optimum, column values, column duals) of min/max ``target`` (inf if unbounded)."""
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
        if status == highspy.HighsModelStatus.kUnbounded or (
            status == highspy.HighsModelStatus.kUnboundedOrInfeasible
        ):
            return (INF if maximize else -INF), None, None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"disclosure audit: HiGHS returned {h.modelStatusToString(status)}")
        sol = h.getSolution()
        values = list(sol.col_value)
        duals = None if integer else list(sol.col_dual)
        return values[j], values, duals

    def _remember(self, comp: _Component, values: list[float] | None) -> None:
        """Widen the inner intervals with ``values`` if it is an integral point."""
        if values is None:
            return
        rounded = [round(v) for v in values]
        if any(abs(v - r) > _TOL for v, r in zip(values, rounded, strict=True)):
            return
        for c, v in zip(comp.cols, rounded, strict=True):
            lo, hi = self.inner[c]
            if v < lo or v > hi:
                self.inner[c] = (min(lo, v), max(hi, v))

    def _certified(self, c: CellId, rule: Rule) -> bool:
        lo, hi = self.inner[c]
        return _check(Interval(lo, hi), rule, self.k)

    def bound(self, comp: _Component, c: CellId, maximize: bool) -> float:
        """The attacker's integer bound of ``c`` in one direction."""
        opt, values, _ = self._solve(comp, c, maximize)
        self._remember(comp, values)
        if abs(opt) == INF:
            return opt
        if values is not None and abs(opt - round(opt)) <= _TOL:
            integral = all(abs(v - round(v)) <= _TOL for v in values)
            if integral:
                return float(round(opt))
        # fractional vertex: the integer optimum may be tighter than the rounded LP bound
        iopt, ivalues, _ = self._solve(comp, c, maximize, integer=True)
        self._remember(comp, ivalues)
        return iopt if abs(iopt) == INF else float(round(iopt))

    def interval(self, comp: _Component, c: CellId) -> Interval:
        """The exact integer interval of ``c``."""
        return Interval(self.bound(comp, c, False), self.bound(comp, c, True))

    def spread(self, comp: _Component, cells: list[CellId]) -> None:
        """Collect feasible points far apart: push all ``cells`` up, then down, together."""
        h = comp.highs
        if comp.objective is not None:
            h.changeColCost(comp.objective, 0.0)
            comp.objective = None
        idx = [comp.index[c] for c in cells]
        for maximize in (True, False):
            h.changeColsCost(len(idx), np.array(idx, dtype=np.int32), np.ones(len(idx)))
            h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
            self.solves += 1
            h.run()
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                self._remember(comp, list(h.getSolution().col_value))
            h.changeColsCost(len(idx), np.array(idx, dtype=np.int32), np.zeros(len(idx)))

    def rule_of(self, c: CellId, status: Mapping[CellId, Status]) -> Rule:
        """The requirement ``c`` must meet."""
        return Rule.NARROW if status[c] is Status.HIDDEN else Rule.SMALL

    def failures(
        self, status: Mapping[CellId, Status], only: Collection[CellId] | None = None
    ) -> tuple[list[Failure], dict[CellId, _Component]]:
        """Return the failing cells (in components that hold a cell of ``only``, if given)."""
        failures: list[Failure] = []
        where: dict[CellId, _Component] = {}
        for comp in self.components(status):
            if only is not None and not any(c in only for c in comp.cols):
                continue
            open_ = [c for c in comp.targets if not self._certified(c, self.rule_of(c, status))]
            if len(open_) > 1:
                self.spread(comp, open_)
            for c in open_:
                rule = self.rule_of(c, status)
                if self._certified(c, rule):
                    continue
                interval = self.interval(comp, c)
                if not _check(interval, rule, self.k):
                    failures.append(Failure(c, interval, rule))
                    where[c] = comp
        return failures, where


def _new_highs() -> highspy.Highs:
    # the core class: the ``highspy.Highs`` wrapper prints a banner to stdout when it is built,
    # which would land on the terminal under the app; the core class prints nothing once
    # output_flag is off, and is what the wrapper derives from
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    h: highspy.Highs = core() if core is not None else highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
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
) -> list[Failure]:
    """Return every hidden or latent cell an attacker can narrow down too far (empty: safe).

    Args:
        problem: the cells (this file's and, for cross-file work, earlier files') and relations.
        hidden: the cells this file hides.
        k: the threshold: a hidden cell's interval must be at least ``k`` wide; a latent one
            must not lie within 1..k-1.
        published: earlier files' cells: the value they showed, or ``None`` where hidden.

    A hidden cell's interval ``[low, high]`` is what the attacker can know about it given every
    shown cell and relation, nonnegativity, integrality, and that hidden cells are at least 1.
    """
    auditor = Auditor(problem, k, published or {})
    status = statuses(problem, frozenset(hidden), published or {})
    failures, _ = auditor.failures(status)
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

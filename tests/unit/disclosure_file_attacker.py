"""An attacker that reads the written JSON files together, written independently of the audit.

It knows only what a reader of the files knows, plus how the counts behave over time, and shares
no code with :mod:`mentor_tui.services.counts.disclosure`: it reads every cell of every file (one
unknown per hidden cell, the same id in two files being the same number), rebuilds each table's
lines from the cells' coordinates, links periods itself and asks scipy's ``linprog`` for the
least and greatest value of every unknown.

What it assumes about time (the domain, not the audit's model):

- event counts (referrals, cases started and closed, meetings, outcomes) add up over days: for
  each metric and coordinates, the days of every published span are cut into segments, one
  nonnegative unknown each, and every published cell is the sum of its segments;
- persons (E1-E5) and active cases do not add up over days: a span counts at least as many as
  a span inside it, and at most the sum of published spans that cover it end to end.

What it reports (:func:`findings`): hidden cells whose range is less than ``k`` wide; segments
that are never published (the days of a week inside a quarter, the rest of a year to date)
pinned inside 1..k-1; and two shown figures of persons or active cases over nested spans that
start on the same day (year to date) whose difference, the persons first counted between them,
is 1..k-1.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

NOT_ADDITIVE_OVER_TIME = frozenset({"E1", "E2", "E3", "E4", "E5", "CASES_ACTIVE"})
COORDS = ("activity", "area", "age_band", "breakdown")


@dataclass(frozen=True)
class Seen:
    """One cell as the files show it."""

    id: str
    metric: str
    start: str
    end: str
    coords: tuple[str, ...]
    value: int | None


def read(paths: Iterable[Path]) -> tuple[dict[str, Seen], list[tuple[str, str, list[str]]]]:
    """Return every cell of the files by id, and every line: ``(kind, total id, part ids)``.

    ``kind`` is ``additive``, ``distinct`` (max(parts) <= total <= sum(parts)) or ``at_least``
    (total >= the part; a summary figure against a cell of the same metric and days that
    fixes more coordinates).
    """
    cells: dict[str, Seen] = {}
    lines: list[tuple[str, str, list[str]]] = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["metadata"]["internal"] is False
        by_span: dict[tuple[str, str, str], list[Seen]] = defaultdict(list)
        summary: list[Seen] = []
        for table in data["tables"]:
            here = []
            for c in table["cells"]:
                seen = Seen(
                    c["id"],
                    c["metric"],
                    c["start"],
                    c["end"],
                    tuple(c[d] for d in COORDS),
                    None if c["suppressed"] else int(c["value"]),
                )
                assert (c["value"] is None) == c["suppressed"]
                old = cells.setdefault(seen.id, seen)
                assert old.value == seen.value, f"{seen.id} published twice with two values"
                here.append(seen)
                by_span[(seen.metric, seen.start, seen.end)].append(seen)
            if table.get("metric") is None:
                summary.extend(here)
                continue
            dims = [COORDS.index(d) for d in table["dimensions"]]
            for total in here:
                for d in dims:
                    if total.coords[d] != "ALL":
                        continue
                    parts = [
                        p.id
                        for p in here
                        if p.coords[d] != "ALL"
                        and all(p.coords[e] == total.coords[e] for e in dims if e != d)
                    ]
                    if parts:
                        lines.append((table["relation"], total.id, parts))
        for s in summary:
            fixed = {i for i, v in enumerate(s.coords) if v != "ALL"}
            for c in by_span[(s.metric, s.start, s.end)]:
                if c.id != s.id and all(c.coords[i] == s.coords[i] for i in fixed):
                    lines.append(("at_least", s.id, [c.id]))
    return cells, lines


class _Model:
    """Rows over the unknowns of one metric: ``lo <= a . x <= hi``."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, name: str) -> int:
        return self.index.setdefault(name, len(self.index))

    def add(self, terms: Mapping[str, float], shown: Mapping[str, int | None], lo: float, hi: float) -> None:
        coefs: dict[int, float] = {}
        constant = 0.0
        for name, a in terms.items():
            value = shown.get(name)
            if value is None:
                j = self.var(name)
                coefs[j] = coefs.get(j, 0.0) + a
            else:
                constant += a * value
        if any(coefs.values()):
            self.rows.append((coefs, lo - constant, hi - constant))
        else:
            assert lo - 1e-9 <= constant <= hi + 1e-9, f"the files contradict each other: {terms}"

    def ranges(
        self,
        wanted: Sequence[str],
        decided: Callable[[float, float], bool],
        known: Mapping[str, int] | None = None,
    ) -> dict[str, tuple[float, float]]:
        """``name -> (least, greatest)`` on the linear relaxation, rounded inwards.

        Every solution found is a feasible point: a name whose values over the points found so
        far (and its ``known`` true value, also feasible) already satisfy ``decided(low, high)``
        is not solved for; its range is then the part of it seen.
        """
        n = len(self.index)
        data, ri, ci, lo, hi = [], [], [], [], []
        for i, (coefs, a, b) in enumerate(self.rows):
            for j, v in coefs.items():
                ri.append(i)
                ci.append(j)
                data.append(v)
            lo.append(a)
            hi.append(b)
        matrix = csr_matrix((data, (ri, ci)), shape=(len(self.rows), n))
        lo_a, hi_a = np.array(lo, dtype=float), np.array(hi, dtype=float)
        eq = lo_a == hi_a
        a_eq, b_eq = (matrix[eq], hi_a[eq]) if eq.any() else (None, None)
        upper = ~eq & np.isfinite(hi_a)
        lower = ~eq & np.isfinite(lo_a)
        a_ub = vstack([matrix[upper], -matrix[lower]]) if (upper.any() or lower.any()) else None
        b_ub = np.concatenate([hi_a[upper], -lo_a[lower]]) if a_ub is not None else None
        seen_lo = np.full(n, np.inf)
        seen_hi = np.full(n, -np.inf)
        for name, v in (known or {}).items():
            if name in self.index:
                seen_lo[self.index[name]] = seen_hi[self.index[name]] = v

        def rounded(j: int) -> tuple[float, float]:
            low, high = seen_lo[j], seen_hi[j]
            return (
                math.ceil(low - 1e-6) if math.isfinite(low) else low,
                math.floor(high + 1e-6) if math.isfinite(high) else high,
            )

        out: dict[str, tuple[float, float]] = {}
        for name in wanted:
            j = self.index[name]
            for sign in (-1.0, 1.0):  # the greatest value, then the least
                if np.isfinite(seen_lo[j]) and decided(*rounded(j)):  # a point has been seen
                    break
                c = np.zeros(n)
                c[j] = sign
                res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
                if res.status == 3:  # unbounded (only upwards: nothing is below 0)
                    seen_hi[j] = np.inf
                    continue
                assert res.status == 0, res.message
                np.minimum(seen_lo, res.x, out=seen_lo)
                np.maximum(seen_hi, res.x, out=seen_hi)
            out[name] = rounded(j)
        return out


def _segments(spans: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    days = [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in spans]
    cuts = sorted({a for a, _ in days} | {b + dt.timedelta(days=1) for _, b in days})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        last = b - dt.timedelta(days=1)
        if any(s <= a and last <= e for s, e in days):
            out.append((a.isoformat(), last.isoformat()))
    return out


def _cover(span: tuple[str, str], inside: Sequence[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Published spans strictly inside ``span`` that cover it end to end (longest first), if any."""
    chain: list[tuple[str, str]] = []
    at = dt.date.fromisoformat(span[0])
    end = dt.date.fromisoformat(span[1])
    while at <= end:
        starting = [s for s in inside if dt.date.fromisoformat(s[0]) == at and s != span]
        if not starting:
            return None
        best = max(starting, key=lambda s: s[1])
        chain.append(best)
        at = dt.date.fromisoformat(best[1]) + dt.timedelta(days=1)
    return chain if len(chain) > 1 else None


def findings(paths: Iterable[Path], k: int, truth: Mapping[str, int] | None = None) -> list[str]:
    """Return what the files, read together, give away (empty: nothing).

    ``truth`` (optional) gives the true value of hidden cells: a feasible point, used only to
    skip solves (the true counts satisfy everything the attacker knows).
    """
    cells, lines = read(paths)
    shown = {i: c.value for i, c in cells.items()}
    models: dict[str, _Model] = defaultdict(_Model)
    for kind, total, parts in lines:
        m = models[cells[total].metric]
        if kind == "additive":
            m.add({total: 1.0, **{p: -1.0 for p in parts}}, shown, 0.0, 0.0)
        else:
            for p in parts:  # the total is at least each part
                m.add({total: 1.0, p: -1.0}, shown, 0.0, np.inf)
            if kind == "distinct":
                m.add({total: 1.0, **{p: -1.0 for p in parts}}, shown, -np.inf, 0.0)
    groups: dict[tuple[str, tuple[str, ...]], dict[tuple[str, str], str]] = defaultdict(dict)
    for c in cells.values():
        groups[(c.metric, c.coords)][(c.start, c.end)] = c.id
    derived: list[tuple[str, str]] = []  # (metric, segment unknown) never published
    out: list[str] = []
    for (metric, coords), by_span in groups.items():
        if len(by_span) < 2:
            continue
        m = models[metric]
        if metric not in NOT_ADDITIVE_OVER_TIME:
            segs = _segments(by_span)
            for seg in segs:
                if seg not in by_span:
                    name = f"{metric}|{seg[0]}..{seg[1]}|{coords}|segment"
                    m.var(name)
                    derived.append((metric, name))
            for (a, b), cid in by_span.items():
                terms = {cid: 1.0}
                for seg in segs:
                    if a <= seg[0] and seg[1] <= b:
                        name = by_span.get(seg, f"{metric}|{seg[0]}..{seg[1]}|{coords}|segment")
                        if name != cid:
                            terms[name] = terms.get(name, 0.0) - 1.0
                if len(terms) > 1:
                    m.add(terms, shown, 0.0, 0.0)
            continue
        spans = sorted(by_span)
        for outer in spans:
            inside = [s for s in spans if s != outer and outer[0] <= s[0] and s[1] <= outer[1]]
            for inner in inside:
                m.add({by_span[outer]: 1.0, by_span[inner]: -1.0}, shown, 0.0, np.inf)
            chain = _cover(outer, inside)
            if chain:
                terms = {by_span[outer]: 1.0}
                for s in chain:
                    terms[by_span[s]] = terms.get(by_span[s], 0.0) - 1.0
                m.add(terms, shown, -np.inf, 0.0)
            for inner in inside:
                big, small = shown[by_span[outer]], shown[by_span[inner]]
                if (
                    inner[0] == outer[0]
                    and big is not None
                    and small is not None
                    and 1 <= big - small <= k - 1
                ):
                    out.append(f"{metric} {coords}: {big - small} first counted between {inner} and {outer}")
    for metric, m in sorted(models.items()):
        hidden = sorted(n for n in m.index if n in cells)
        for name, (low, high) in m.ranges(hidden, lambda lo, hi: hi - lo >= k, truth).items():
            if high - low < k:
                out.append(f"{name}: hidden, but lies in [{low}, {high}]")
        latent = [n for mm, n in derived if mm == metric]
        for name, (low, high) in m.ranges(latent, lambda lo, hi: lo < 1 or hi > k - 1).items():
            if low >= 1 and high <= k - 1:
                out.append(f"{name}: never published, but lies in [{low}, {high}]")
    return out

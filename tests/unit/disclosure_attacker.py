"""An attacker written independently of the audit: scipy's ``milp`` over the unknown microdata cube.

The audit works on the published cells and the relations between them (:mod:`mentor_tui.services.
counts.disclosure`). This attacker shares none of that code: it takes the *records* a table was
counted from, makes one unknown nonnegative integer per cell of the full cross of every dimension
(the cube), writes each shown cell as the sum of the cube cells it covers, and asks scipy (not
highspy) for the least and greatest value of every hidden cell.
That is at least as strong as reasoning over the tables' lines, because any table the lines allow
must also come from some cube.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import product

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

Record = Mapping[str, str]


def attack(
    dims: Mapping[str, Sequence[str]],
    shown: Mapping[tuple[tuple[str, str], ...], int],
    hidden: Collection[tuple[tuple[str, str], ...]],
) -> dict[tuple[tuple[str, str], ...], tuple[float, float]]:
    """Return ``coords -> (least, greatest)`` for every hidden cell (``inf`` when unbounded).

    Args:
        dims: every dimension and its codes (the cube is their full cross).
        shown: the published cells by coordinates (a dimension left out is its total).
        hidden: the coordinates of the hidden cells.
    """
    names = sorted(dims)
    cube = list(product(*(dims[d] for d in names)))
    n = len(cube)

    def row(coords: tuple[tuple[str, str], ...]) -> np.ndarray:
        fixed = dict(coords)
        return np.array(
            [
                1.0 if all(fixed.get(d, v) == v for d, v in zip(names, cell, strict=True)) else 0.0
                for cell in cube
            ]
        )

    a_rows = [row(c) for c in shown]
    lo = [float(v) for v in shown.values()]
    hi = [float(v) for v in shown.values()]
    for c in hidden:
        a_rows.append(row(c))
        lo.append(0.0)
        hi.append(np.inf)
    constraints = LinearConstraint(np.array(a_rows), lo, hi) if a_rows else None
    out: dict[tuple[tuple[str, str], ...], tuple[float, float]] = {}
    for c in hidden:
        objective = row(c)
        bounds: list[float] = []
        for sign in (1.0, -1.0):
            res = milp(
                sign * objective,
                constraints=constraints,
                integrality=np.ones(n),
                bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
            )
            if res.status == 3 or res.x is None:  # unbounded
                bounds.append(-sign * np.inf)
            else:
                bounds.append(float(round(sign * res.fun)))
        out[c] = (bounds[0], bounds[1])
    return out


def cube_counts(
    records: Sequence[Record], tables: Sequence[Sequence[str]]
) -> dict[tuple[tuple[str, str], ...], int]:
    """Count ``records`` into every cell of ``tables`` and their margins (only non-zero cells)."""
    from itertools import combinations

    counts: dict[tuple[tuple[str, str], ...], int] = {}
    for rec in records:
        cells: set[tuple[tuple[str, str], ...]] = set()
        for table in tables:
            dims = sorted(table)
            for r in range(len(dims) + 1):
                for sub in combinations(dims, r):
                    cells.add(tuple((d, rec[d]) for d in sub))
        for c in cells:
            counts[c] = counts.get(c, 0) + 1
    return counts


def attack_files(
    dims: Mapping[str, Sequence[str]],
    segments: Sequence[tuple[int, int]],
    shown: Mapping[tuple[tuple[int, int], tuple[tuple[str, str], ...]], int],
    hidden: Collection[tuple[tuple[int, int], tuple[tuple[str, str], ...]]],
) -> dict[tuple[tuple[int, int], tuple[tuple[str, str], ...]], tuple[float, float]]:
    """Like :func:`attack`, over several files: one unknown per time segment and cube cell.

    Args:
        dims: every dimension and its codes.
        segments: the finest time slices, as ``(first day, last day)`` numbers; every span of a
            published cell must be a union of them.
        shown: published cells by ``(span, coords)``.
        hidden: hidden cells by ``(span, coords)``.
    """
    names = sorted(dims)
    cube = [(seg, cell) for seg in segments for cell in product(*(dims[d] for d in names))]
    n = len(cube)

    def row(span: tuple[int, int], coords: tuple[tuple[str, str], ...]) -> np.ndarray:
        fixed = dict(coords)
        return np.array(
            [
                1.0
                if span[0] <= seg[0]
                and seg[1] <= span[1]
                and all(fixed.get(d, v) == v for d, v in zip(names, cell, strict=True))
                else 0.0
                for seg, cell in cube
            ]
        )

    a_rows = [row(s, c) for s, c in shown]
    lo = [float(v) for v in shown.values()]
    hi = [float(v) for v in shown.values()]
    for s, c in hidden:
        a_rows.append(row(s, c))
        lo.append(0.0)
        hi.append(np.inf)
    constraints = LinearConstraint(np.array(a_rows), lo, hi)
    out: dict[tuple[tuple[int, int], tuple[tuple[str, str], ...]], tuple[float, float]] = {}
    for s, c in hidden:
        objective = row(s, c)
        bounds: list[float] = []
        for sign in (1.0, -1.0):
            res = milp(
                sign * objective,
                constraints=constraints,
                integrality=np.ones(n),
                bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
            )
            if res.status == 3 or res.x is None:
                bounds.append(-sign * np.inf)
            else:
                bounds.append(float(round(sign * res.fun)))
        out[(s, c)] = (bounds[0], bounds[1])
    return out

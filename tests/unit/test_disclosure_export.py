"""Disclosure control end to end on the demo: the files the export writes (issue 7 items 2, 5 and 8).

One 300-case demo database (built once for the module) is exported as the lead would: the last
complete week, quarter and project year. Each file must show every summary figure of k or more,
pass the audit, and give an independent attacker nothing: the attacker here reads the tables of
the file as written (their cells and which are hidden), rebuilds the lines from the tables alone
and asks scipy's ``linprog`` for each hidden cell's range, sharing no code with the audit.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from mentor_tui.clock import FixedClock
from mentor_tui.services.counts import disclosure, export, protection, tables
from mentor_tui.services.counts.export import ExportResult
from mentor_tui.services.counts.metrics import ALL
from mentor_tui.services.counts.periods import parse_period
from mentor_tui.services.counts.tables import CellKey
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW

K = 5
PERIODS = ("2026-W46", "PY2-Q4", "PY2")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repositories]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    repos = Repositories(open_database(path), FixedClock(FROZEN_NOW))
    populate_demo(repos, today=FROZEN_NOW.date())
    yield repos
    repos.db.close()


@pytest.fixture(scope="module")
def files(demo: Repositories) -> dict[str, tuple[ExportResult, ExportResult]]:
    return {
        code: (
            export.compute_export(demo, parse_period(code), threshold=K, internal=True),
            export.compute_export(demo, parse_period(code), threshold=K),
        )
        for code in PERIODS
    }


@pytest.mark.parametrize("code", PERIODS)
def test_every_summary_figure_of_k_or_more_is_published(
    files: dict[str, tuple[ExportResult, ExportResult]], code: str
) -> None:
    exact, shown = files[code]
    truth = {c.key: c.value for c in exact.summary.cells}
    hidden_big = [c.key for c in shown.summary.cells if c.suppressed and (truth[c.key] or 0) >= K]
    assert hidden_big == []
    assert any(c.suppressed for c in shown.unique_cells()), "the demo has small counts to hide"


@pytest.mark.parametrize("code", PERIODS)
def test_the_written_file_passes_the_audit(
    files: dict[str, tuple[ExportResult, ExportResult]], code: str
) -> None:
    exact, shown = files[code]
    truth = {c.key: c.value or 0 for c in exact.unique_cells()}
    spec_keys = [(t.spec, tuple(c.key for c in t.cells)) for t in shown.tables]
    built = protection.problem(truth, tables.relations(spec_keys))
    hidden = {protection.cell_id(c.key) for c in shown.unique_cells() if c.suppressed}
    assert disclosure.audit(built, hidden, K) == []


def _lines(shown: ExportResult) -> Iterator[tuple[CellKey, list[CellKey], bool]]:
    """Every table line as written: a total, its parts, and whether they count distinct persons."""
    for table in shown.tables[1:]:
        spec = table.spec
        assert spec.metric is not None
        keys = {c.key for c in table.cells}
        for key in keys:
            for dim in spec.dims:
                if key.at(dim) != ALL:
                    continue
                parts = [
                    k
                    for k in keys
                    if k.at(dim) != ALL and all(k.at(d) == key.at(d) for d in spec.dims if d != dim)
                ]
                if parts:
                    yield key, parts, spec.metric.distinct_persons


@pytest.mark.parametrize("code", ["2026-W46"])
def test_an_independent_attacker_finds_nothing_in_the_file(
    files: dict[str, tuple[ExportResult, ExportResult]], code: str
) -> None:
    exact, shown = files[code]
    truth = {c.key: c.value or 0 for c in exact.unique_cells()}
    cells = shown.unique_cells()
    unknown = [c.key for c in cells if c.suppressed]
    index = {k: i for i, k in enumerate(unknown)}
    known = {c.key: c.value for c in cells if not c.suppressed}
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for total, parts, distinct in _lines(shown):
        if total not in index and not any(p in index for p in parts):
            continue

        def row(coef: dict[CellKey, float]) -> tuple[dict[int, float], float]:
            r: dict[int, float] = {}
            rhs = 0.0
            for k, a in coef.items():
                if k in index:
                    r[index[k]] = r.get(index[k], 0.0) + a
                else:
                    rhs -= a * float(known[k] or 0)
            return r, rhs

        total_minus_parts = {total: 1.0, **{p: -1.0 for p in parts}}
        if distinct:  # max(parts) <= total <= sum(parts)
            r, rhs = row(total_minus_parts)
            ub_rows.append(r)
            ub_rhs.append(rhs)
            for p in parts:
                r, rhs = row({p: 1.0, total: -1.0})
                ub_rows.append(r)
                ub_rhs.append(rhs)
        else:
            r, rhs = row(total_minus_parts)
            eq_rows.append(r)
            eq_rhs.append(rhs)

    def matrix(rows: list[dict[int, float]]) -> lil_matrix | None:
        if not rows:
            return None
        m = lil_matrix((len(rows), len(unknown)))
        for i, r in enumerate(rows):
            for j, a in r.items():
                m[i, j] = a
        return m

    a_eq, a_ub = matrix(eq_rows), matrix(ub_rows)
    narrow = []
    for key, j in index.items():
        bounds = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(unknown))
            c[j] = sign
            res = linprog(
                c,
                A_ub=a_ub,
                b_ub=ub_rhs or None,
                A_eq=a_eq,
                b_eq=eq_rhs or None,
                bounds=(0, None),
                method="highs",
            )
            bounds.append(np.inf if res.status == 3 else sign * res.fun)
        low, high = bounds
        if high - low < K:
            narrow.append((key.id, low, high, truth[key]))
    assert narrow == []

"""Across files, end to end: the files the export writes from the demo, read together (issue 7 item 3).

The lead publishes a project year's four quarters and then the year, or week after week with
the year to date in each file's summary. Each file is computed and written by the real export
(``compute_export``, ``save_export``: every published cell recorded, each new file protected and
audited with the earlier ones). Then an independent attacker (``disclosure_file_attacker``:
scipy, reading the JSON files as written, linking periods itself) combines all of them: no hidden
cell may be narrowed to less than k, no unpublished slice of time pinned inside 1..k-1, and no
difference of two year-to-date figures of persons may be 1..k-1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from mentor_tui.clock import FixedClock
from mentor_tui.services.counts import export
from mentor_tui.services.counts.periods import parse_period
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW
from tests.unit.disclosure_file_attacker import findings

K = 5


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Repositories]:
    repos = Repositories(open_database(tmp_path / "demo.db"), FixedClock(FROZEN_NOW))
    populate_demo(repos, today=FROZEN_NOW.date())
    yield repos
    repos.db.close()


def publish(repos: Repositories, codes: Sequence[str], folder: Path) -> tuple[list[Path], dict[str, int]]:
    """Export ``codes`` in turn as JSON; return the files and the true value of every hidden cell."""
    paths: list[Path] = []
    truth: dict[str, int] = {}
    for code in codes:
        period = parse_period(code)
        shown = export.compute_export(repos, period, threshold=K)
        exact = export.compute_export(repos, period, threshold=K, internal=True)
        values = {c.key.id: c.value for c in exact.unique_cells()}
        truth.update({c.key.id: values[c.key.id] or 0 for c in shown.unique_cells() if c.suppressed})
        path = folder / export.default_file_name(period, "json", internal=False)
        export.save_export(repos, shown, "json", path)
        paths.append(path)
    return paths, truth


def test_a_project_year_after_its_four_quarters_pins_nothing(demo: Repositories, tmp_path: Path) -> None:
    paths, truth = publish(demo, ["PY2-Q1", "PY2-Q2", "PY2-Q3", "PY2-Q4", "PY2"], tmp_path)
    assert truth, "the demo has small counts to hide"
    assert findings(paths, K, truth) == []


def test_consecutive_weekly_year_to_date_figures_pin_nothing(demo: Repositories, tmp_path: Path) -> None:
    weeks = [f"2026-W{n}" for n in range(41, 47)]
    paths, truth = publish(demo, weeks, tmp_path)
    assert truth
    assert findings(paths, K, truth) == []


def test_the_attacker_sees_what_files_protected_alone_give_away(demo: Repositories, tmp_path: Path) -> None:
    # the same year and quarters, each protected as if no other file existed (each in a fresh
    # copy of the history): the attacker must find something, or the tests above prove nothing
    paths: list[Path] = []
    for code in ["PY2-Q1", "PY2-Q2", "PY2-Q3", "PY2-Q4", "PY2"]:
        period = parse_period(code)
        shown = export.compute_export(demo, period, threshold=K)
        path = tmp_path / export.default_file_name(period, "json", internal=False)
        export.save_export(demo, shown, "json", path)
        demo.db.execute("DELETE FROM export_cell")  # forget what was published
        paths.append(path)
    assert findings(paths, K) != []

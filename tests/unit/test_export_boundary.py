"""The project-year boundary (issue 7 item 5), on the regression input ``py_boundary.csv``.

``tests/data/cases/export/py_boundary.csv`` (a copy of ``../shared/cases/export/``, an import
file): BND-01, born May 2000, referred to A8 on 21-09-2026, started 28-09-2026, got an ordinary
job on 30-09-2026 (PY2, in 2026-W40 = 28 Sep-4 Oct), met 02-10-2026 and closed 05-10-2026 (PY3).
Before, W40 showed E1 = 1 for the week and 0 year to date, and the job was in no weekly
year-to-date figure at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mentor_tui.services.counts.export import ExportResult, compute_export
from mentor_tui.services.counts.periods import iso_week, parse_period, project_year
from mentor_tui.services.importing.importer import Importer
from mentor_tui.storage.repositories import Repositories

BOUNDARY = Path(__file__).parents[1] / "data" / "cases" / "export" / "py_boundary.csv"


@pytest.fixture
def boundary(repos: Repositories) -> Repositories:
    result = Importer(repos).import_file(BOUNDARY)
    assert not result.problems
    return repos


def export(repos: Repositories, code: str) -> ExportResult:
    return compute_export(repos, parse_period(code), internal=True, allow_incomplete=True)


def ytd_columns(result: ExportResult) -> dict[str, int | None]:
    """E1 of each year-to-date column of the summary, by the column's first and last day."""
    spans = [(c.period.start, c.period.end) for c in result.columns if c.kind == "ytd"]
    e1 = {(x.key.start, x.key.end): x.value for x in result.summary.cells if x.key.metric == "E1"}
    return {f"{start}..{end}": e1[(start, end)] for start, end in spans}


def test_the_straddling_week_shows_the_outcome_in_the_year_that_ended(boundary: Repositories) -> None:
    w40 = export(boundary, "2026-W40")
    assert w40.cell("E1").value == 1
    assert ytd_columns(w40) == {"2025-10-01..2026-09-30": 1, "2026-10-01..2026-10-04": 0}
    assert w40.cell("E1", column="ytd").value == 1  # the first year-to-date column: PY2, whole
    assert w40.cell("CASES_STARTED").value == 1
    assert w40.cell("MEETINGS").value == 2  # the 3-partssamtale on 28-09 and the meeting on 02-10


def test_the_last_weekly_figure_of_a_project_year_equals_the_yearly_file(boundary: Repositories) -> None:
    py2 = export(boundary, "PY2")
    assert py2.cell("E1").value == 1
    assert ytd_columns(export(boundary, "2026-W40"))["2025-10-01..2026-09-30"] == py2.cell("E1").value
    assert export(boundary, "PY3").cell("E1").value == 0
    assert export(boundary, "PY3").cell("CASES_CLOSED").value == 1


def test_the_outcome_is_in_some_weekly_year_to_date_figure(boundary: Repositories) -> None:
    found = []
    week = iso_week(2026, 36)
    while week.end < dt.date(2026, 11, 20):
        result = compute_export(boundary, week, internal=True)
        if any(v for v in ytd_columns(result).values()):
            found.append(week.code)
        week = iso_week(*((week.end + dt.timedelta(days=1)).isocalendar()[:2]))
    assert found == ["2026-W40"]  # PY2's figure up to W39 ends 27-09; PY3's never holds it
    assert project_year(2).end == dt.date(2026, 9, 30)

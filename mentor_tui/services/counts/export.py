"""Anonymised counts for the lead: compute, protect, write and record an export (issue 4).

The reusable API for the CLI and the screens:

- :func:`compute_export` counts every metric for a period and applies disclosure control;
- :func:`write_export` renders an :class:`ExportResult` as CSV, XLSX or JSON and writes it
  atomically (a temporary file renamed into place, so nothing is ever half-written);
- :func:`save_export` writes and records the run in ``export_run`` (period, threshold, SHA-256);
- :func:`dashboard_counts` returns the main counts of one period for a dashboard.

Nothing here imports Textual. See ``docs/export.md`` for the cells, formats and rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mentor_tui import __version__
from mentor_tui.codes import MeetingType
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.models import ExportRun
from mentor_tui.services.counts import disclosure
from mentor_tui.services.counts import metrics as export_metrics
from mentor_tui.services.counts.metrics import ALL, INDICATORS, METRIC_BY_CODE, METRICS, Counts, Key
from mentor_tui.services.counts.periods import Period
from mentor_tui.storage.repositories import Repositories

ExportFormat = Literal["csv", "xlsx", "json"]
"""The file formats an export can be written in."""

FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "json")
"""Every export format, the default first."""

DEFAULT_THRESHOLD = 5
"""Cells from 1 to 4 are suppressed unless the settings say otherwise."""


@dataclass(frozen=True)
class Cell:
    """One published count. ``value`` is ``None`` when the cell is suppressed."""

    metric: str
    activity: str
    area: str
    age_band: str
    breakdown: str
    value: int | None
    suppressed: bool

    @property
    def key(self) -> Key:
        """The cell's coordinates ``(activity, area, age_band, breakdown)``."""
        return (self.activity, self.area, self.age_band, self.breakdown)

    def as_dict(self) -> dict[str, Any]:
        """Return the cell as the JSON file writes it."""
        return {
            "metric": self.metric,
            "activity": self.activity,
            "area": self.area,
            "age_band": self.age_band,
            "breakdown": self.breakdown,
            "value": self.value,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class ExportResult:
    """An export ready to write: metadata and cells, suppression already applied."""

    period: Period
    threshold: int
    internal: bool
    """Exact counts, no suppression; the files say so in their header and name."""
    generated_at: dt.datetime
    app_version: str
    cells: tuple[Cell, ...]
    ytd: Period | None = None
    """The project year up to the period's end, for weeks and quarters (E1-E5 only)."""
    ytd_cells: tuple[Cell, ...] = ()
    _index: dict[tuple[bool, str, Key], Cell] = field(default_factory=dict, repr=False, compare=False)

    def cell(
        self,
        metric: str,
        activity: str = ALL,
        area: str = ALL,
        age_band: str = ALL,
        breakdown: str = ALL,
        *,
        ytd: bool = False,
    ) -> Cell:
        """Return one cell (``ytd=True``: from the year-to-date cells).

        Raises:
            KeyError: there is no such cell.
        """
        if not self._index:
            for is_ytd, cells in ((False, self.cells), (True, self.ytd_cells)):
                for c in cells:
                    self._index[(is_ytd, c.metric, c.key)] = c
        return self._index[(ytd, metric, (activity, area, age_band, breakdown))]


def _cells(
    counts: dict[str, Counts], codes: tuple[str, ...], *, threshold: int, internal: bool
) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    for code in codes:
        metric = METRIC_BY_CODE[code]
        table = export_metrics.full_table(metric, counts.get(code, {}))
        hidden = frozenset() if internal else disclosure.suppress(metric.layout, table, threshold)
        for key, value in table.items():
            is_hidden = key in hidden
            activity, area, age_band, breakdown = key
            cells.append(
                Cell(code, activity, area, age_band, breakdown, None if is_hidden else value, is_hidden)
            )
    return tuple(cells)


def compute_export(
    repos: Repositories,
    period: Period,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    internal: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Count every metric for ``period`` and apply disclosure control (unless ``internal``).

    Weekly and quarterly exports also get year-to-date cells for E1-E5.

    Args:
        repos: the repositories to count in.
        period: the period.
        threshold: cells from 1 to ``threshold - 1`` are suppressed.
        internal: exact counts without suppression.
        progress: called with ``(steps done, steps in all)`` after each step, for a progress
            bar (from the thread the export runs in).

    Raises:
        MentorError: ``threshold`` is below 3.
    """
    disclosure.check_threshold(threshold)
    ytd = period.project_year_to_date() if period.kind in ("week", "quarter") else None
    event_metrics = [m for m in METRICS if m.code in export_metrics.EVENT_METRICS]
    total = len(event_metrics) + 3 + (1 if ytd is not None else 0)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    counts = export_metrics.count_indicators(repos.db, period)
    step()
    for metric in event_metrics:
        counts[metric.code] = export_metrics.count_events(repos.db, metric, period)
        step()
    counts["CASES_ACTIVE"] = export_metrics.count_active(repos.db, period)
    step()
    ytd_cells: tuple[Cell, ...] = ()
    if ytd is not None:
        ytd_counts = export_metrics.count_indicators(repos.db, ytd)
        ytd_cells = _cells(ytd_counts, INDICATORS, threshold=threshold, internal=internal)
        step()
    cells = _cells(counts, tuple(m.code for m in METRICS), threshold=threshold, internal=internal)
    step()
    return ExportResult(
        period=period,
        threshold=threshold,
        internal=internal,
        generated_at=repos.clock.now().replace(microsecond=0),
        app_version=__version__,
        cells=cells,
        ytd=ytd,
        ytd_cells=ytd_cells,
    )


# -- files ------------------------------------------------------------------------------------


def default_file_name(period: Period, fmt: ExportFormat, *, internal: bool) -> str:
    """Return e.g. ``mentor-tui-2026-W47.csv`` or ``mentor-tui-2026-W47-INTERNAL.csv``."""
    return f"mentor-tui-{period.file_code}{'-INTERNAL' if internal else ''}.{fmt}"


def output_path(
    out: str | Path | None, period: Period, fmt: ExportFormat, *, internal: bool, cwd: Path | None = None
) -> Path:
    """Return where to write: ``out`` as a file, a directory to put the default name in, or the cwd.

    An internal export's file name always says ``INTERNAL``: it is added before the suffix when
    a given name lacks it.
    """
    base = cwd or Path.cwd()
    name = default_file_name(period, fmt, internal=internal)
    if out is None or str(out) == "":
        return base / name
    path = Path(out).expanduser()
    if not path.is_absolute():
        path = base / path
    if path.is_dir() or str(out).endswith(("/", os.sep)):
        return path / name
    if internal and "INTERNAL" not in path.name.upper():
        path = path.with_name(f"{path.stem}-INTERNAL{path.suffix}")
    return path


def render_export(result: ExportResult, fmt: ExportFormat) -> bytes:
    """Return the file contents of ``result`` in ``fmt``."""
    from mentor_tui.services.counts import formats as export_formats

    return export_formats.render(result, fmt)


def write_export(result: ExportResult, fmt: ExportFormat, path: Path) -> Path:
    """Write ``result`` to ``path`` atomically and return the path.

    Raises:
        MentorError: the file cannot be written (nothing is left behind).
    """
    _write_atomic(path, render_export(result, fmt), private=result.internal)
    return path


def _write_atomic(path: Path, data: bytes, *, private: bool) -> None:
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        # mkstemp makes the file 0600: right for internal files; anonymised ones get the usual mode
        os.chmod(tmp_name, 0o600 if private else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise MentorError(
            Bilingual(
                f"Kan ikke skrive {path}: {exc.strerror or exc}",
                f"Cannot write {path}: {exc.strerror or exc}",
            ),
        ) from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_export(repos: Repositories, result: ExportResult, fmt: ExportFormat, path: Path) -> ExportRun:
    """Write ``result`` to ``path`` and record the run (period, threshold, SHA-256) in ``export_run``.

    If the run cannot be recorded the file is removed again, so a file on disk always has its
    record.

    Raises:
        MentorError: the file cannot be written.
    """
    data = render_export(result, fmt)
    _write_atomic(path, data, private=result.internal)
    run = ExportRun(
        generated_at=result.generated_at.isoformat(),
        period_kind=result.period.kind,
        period_code=result.period.code,
        period_start=result.period.start,
        period_end=result.period.end,
        format=fmt,
        threshold=result.threshold,
        internal=result.internal,
        file_name=path.name,
        file_sha256=hashlib.sha256(data).hexdigest(),
    )
    if getattr(repos.db, "readonly", False):
        return run  # a read-only database file: the export is written, its log row cannot be
    try:
        with repos.atomic():
            repos.export_runs.add(run)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return run


# -- dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardCounts:
    """The main counts of one period; ``None`` where hidden by disclosure control."""

    period: Period
    referrals: int | None
    """New referrals received."""
    tripartite_meetings: int | None
    """3-partssamtaler held (including those that started a case)."""
    active: int | None
    """Cases active on at least one day of the period."""
    closed: int | None
    """Closures in the period."""
    indicators: dict[str, int | None]
    """E1-E5, distinct persons."""


def dashboard_counts(repos: Repositories, period: Period, *, threshold: int | None = None) -> DashboardCounts:
    """Return the main counts of ``period`` (totals over every activity, area and age).

    Args:
        repos: the repositories to count in.
        period: the period.
        threshold: ``None`` for exact counts (a staff member's own view); otherwise counts from
            1 to ``threshold - 1`` come back as ``None`` (team mode). These are independent
            grand totals, so no complementary suppression is needed between them.

    Raises:
        MentorError: ``threshold`` is below 3.
    """
    if threshold is not None:
        disclosure.check_threshold(threshold)

    def shown(n: int) -> int | None:
        return None if threshold is not None and 0 < n < threshold else n

    total: Key = (ALL, ALL, ALL, ALL)
    db = repos.db
    indicators = export_metrics.count_indicators(db, period)
    return DashboardCounts(
        period=period,
        referrals=shown(export_metrics.count_events(db, METRIC_BY_CODE["REFERRALS"], period).get(total, 0)),
        tripartite_meetings=shown(
            export_metrics.count_meetings_of_type(db, period, MeetingType.TREPARTSSAMTALE)
        ),
        active=shown(export_metrics.count_active(db, period).get(total, 0)),
        closed=shown(export_metrics.count_events(db, METRIC_BY_CODE["CASES_CLOSED"], period).get(total, 0)),
        indicators={code: shown(indicators[code].get(total, 0)) for code in INDICATORS},
    )

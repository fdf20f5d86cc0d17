"""Anonymised counts for the lead: compute, protect, write and record an export (issue 7).

The reusable API for the CLI and the screens:

- :func:`compute_export` counts the tables of a period (:mod:`~mentor_tui.services.counts.tables`)
  and applies disclosure control;
- :func:`check_target` says whether a file may be written where the user asked;
- :func:`save_export` writes the file (and, for CSV, its metadata file) without ever overwriting a
  file unless asked, never onto a SQLite file, and records the run with every published cell.

Nothing here imports Textual. See ``docs/export.md`` for the tables, formats and rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mentor_tui import __version__
from mentor_tui.dates import format_date
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.models import ExportRun
from mentor_tui.services.counts import disclosure, protection
from mentor_tui.services.counts.metrics import ALL, METRIC_BY_CODE, METRICS, count_metric
from mentor_tui.services.counts.periods import Period, is_complete, project_year, project_year_number
from mentor_tui.services.counts.tables import (
    SUMMARY,
    CellKey,
    ColumnKind,
    Counted,
    PeriodColumn,
    Relation,
    TableSpec,
    count_tables,
    relations,
    summary_columns,
)
from mentor_tui.storage import counts as count_store
from mentor_tui.storage.repositories import Repositories

ExportFormat = Literal["csv", "xlsx", "json"]
"""The file formats an export can be written in."""

FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "json")
"""Every export format, the default first."""

DEFAULT_THRESHOLD = 5
"""Cells from 1 to 4 are hidden unless the settings say otherwise."""

MARKER = "x"
"""How a hidden cell is shown in CSV and XLSX: states no value, and no spreadsheet reads it as a
comparison (``<5`` is a COUNTIF criterion, ``..`` a pattern where regular expressions are on)."""

MARKER_MEANING = Bilingual(
    "x = skjult tal: under {k}, eller skjult så et andet lille tal ikke kan regnes ud. "
    "Et skjult tal kan være ethvert tal, også 0 og også {k} eller mere.",
    "x = hidden count: under {k}, or hidden so that another small count cannot be worked out. "
    "A hidden count can be any number, 0 and {k} or more included.",
)
"""The legend of :data:`MARKER`, on every sheet, in the CSV's metadata and in the JSON."""


@dataclass(frozen=True)
class ShownCell:
    """One cell as published: ``value`` is ``None`` when the cell is hidden."""

    key: CellKey
    value: int | None
    suppressed: bool

    @property
    def id(self) -> str:
        """The cell's stable id (:attr:`CellKey.id`)."""
        return self.key.id


@dataclass(frozen=True)
class ExportTable:
    """A table ready to write: its spec and its cells in reading order."""

    spec: TableSpec
    cells: tuple[ShownCell, ...]


@dataclass(frozen=True)
class ExportResult:
    """An export ready to write: metadata and tables, disclosure control already applied."""

    period: Period
    """The period asked for."""
    window: Period
    """The days counted: the period, or its days up to today for an incomplete one."""
    complete: bool
    """False when the period had not ended (``--allow-incomplete``): the files say so."""
    threshold: int
    internal: bool
    """Exact counts, no disclosure control; the files say so on every sheet and in their name."""
    generated_at: dt.datetime
    app_version: str
    columns: tuple[PeriodColumn, ...]
    """The summary's columns: the period, each project year to date, the same period a year earlier."""
    tables: tuple[ExportTable, ...]
    """The summary first, then every metric's tables."""
    _index: dict[CellKey, ShownCell] = field(default_factory=dict, repr=False, compare=False)

    @property
    def summary(self) -> ExportTable:
        """The summary table."""
        return self.tables[0]

    def column(self, kind: ColumnKind) -> PeriodColumn:
        """Return the first summary column of ``kind``."""
        return next(c for c in self.columns if c.kind == kind)

    def cell(
        self,
        metric: str,
        activity: str = ALL,
        area: str = ALL,
        age_band: str = ALL,
        breakdown: str = ALL,
        *,
        column: ColumnKind = "period",
    ) -> ShownCell:
        """Return one cell (of the period, or of a summary column of another kind).

        Raises:
            KeyError: the file has no such cell.
        """
        if not self._index:
            for table in self.tables:
                for c in table.cells:
                    self._index.setdefault(c.key, c)
        period = self.column(column).period
        return self._index[CellKey(metric, period.start, period.end, activity, area, age_band, breakdown)]

    def unique_cells(self) -> list[ShownCell]:
        """Return every cell once (a cell shown in several tables is one cell), in file order."""
        seen: dict[str, ShownCell] = {}
        for table in self.tables:
            for c in table.cells:
                seen.setdefault(c.id, c)
        return list(seen.values())

    @property
    def hidden_count(self) -> int:
        """How many distinct cells are hidden."""
        return sum(1 for c in self.unique_cells() if c.suppressed)


# -- disclosure control -------------------------------------------------------------------------


SUMMARY_WEIGHT = 10.0
"""How much dearer hiding a summary figure is than another cell: the headline figures are hidden
only when nothing else protects them."""


def protect(
    repos: Repositories, counted: Counted, threshold: int, *, staff_id: str | None = None
) -> frozenset[CellKey]:
    """Return the cells to hide: primary and secondary suppression over all tables of one file
    together (they share totals) and with what earlier files from this database published,
    audited, through :func:`mentor_tui.services.counts.protection.hide`.

    Raises:
        DisclosureError: earlier files alone let a count be worked out; nothing may be written.
    """
    summary = next(keys for spec, keys in counted.tables if spec is SUMMARY)

    def count(metric: str, start: dt.date, end: dt.date) -> dict[CellKey, int]:
        counts = count_metric(repos.db, METRIC_BY_CODE[metric], start, end, staff_id=staff_id)
        return {CellKey(metric, start, end, *k): v for k, v in counts.items()}

    return protection.hide(
        counted.values,
        tightened(relations(counted.tables), counted.values),
        threshold,
        earlier=earlier_publications(repos, counted),
        count=count,
        weights=dict.fromkeys(summary, SUMMARY_WEIGHT),
    )


def tightened(rels: list[Relation], values: Mapping[CellKey, int]) -> list[Relation]:
    """Return ``rels`` with each distinct-person line whose parts do add up to its total made additive.

    E1-E5 lines are only ``max(parts) <= total <= sum(parts)`` in general (a person in two areas,
    or with outcomes on both sides of a birthday), but they are nearly always exactly additive,
    and a reader will assume so: with 11 of 12 persons shown as 13-17 year-olds, the hidden 18-29
    cell "is" 1. Where the counts are additive the protection is told so: a stronger attacker,
    never a weaker one.
    """
    return [
        Relation(r.total, r.parts, "additive")
        if r.kind == "distinct" and values[r.total] == sum(values[p] for p in r.parts)
        else r
        for r in rels
    ]


def earlier_publications(repos: Repositories, counted: Counted) -> dict[str, int | None]:
    """Return what earlier anonymised files from this database published, by cell id.

    Every cell of files whose days overlap the project years this file touches (so a quarter
    brings in its year's file, and that year the other quarters): the value shown, or ``None``
    where hidden. A cell hidden in any earlier file stays ``None``; otherwise the latest file's
    value counts.
    """
    if not counted.values:
        return {}
    first = project_year(project_year_number(min(k.start for k in counted.values))).start
    last = project_year(project_year_number(max(k.end for k in counted.values))).end
    found: dict[str, int | None] = {}
    for cells in count_store.published_cells(repos.db, first, last).values():
        for c in cells:
            if found.get(c.cell_id, 0) is not None:
                found[c.cell_id] = c.value
    return found


class IncompletePeriodError(MentorError):
    """The period has not ended and counting it up to today was not asked for."""


def compute_export(
    repos: Repositories,
    period: Period,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    internal: bool = False,
    allow_incomplete: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Count every table for ``period`` and apply disclosure control (unless ``internal``).

    Args:
        repos: the repositories to count in.
        period: the period.
        threshold: cells from 1 to ``threshold - 1`` are hidden (at least 3).
        internal: exact counts without disclosure control.
        allow_incomplete: count a period that has not ended, up to today; the file says so.
        progress: called with ``(steps done, steps in all)`` after each step, for a progress bar.

    Raises:
        MentorError: ``threshold`` is below 3; the period has not ended and ``allow_incomplete``
            is not set; or the period has not begun.
    """
    disclosure.check_threshold(threshold)
    today = repos.clock.today()
    complete = is_complete(period, today)
    if period.start > today:
        raise MentorError(
            Bilingual(
                "Perioden {p} er ikke begyndt endnu (i dag er {today}); der er intet at tælle",
                "The period {p} has not begun yet (today is {today}); there is nothing to count",
            ).format(p=period.code, today=format_date(today))
        )
    if not complete and not allow_incomplete:
        raise IncompletePeriodError(
            Bilingual(
                "Perioden {p} slutter {end} og er ikke slut endnu. Vælg en afsluttet periode, "
                "eller brug --allow-incomplete for tallene til og med i dag (filen siger så, at "
                "den er ufuldstændig)",
                "The period {p} ends on {end} and has not ended yet. Choose a period that has "
                "ended, or use --allow-incomplete for the counts up to today (the file then says "
                "it is incomplete)",
            ).format(p=period.code, end=format_date(period.end))
        )
    window = period if complete else period.until(today)
    columns = summary_columns(window)
    total = len(METRICS) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    counted = count_tables(repos.db, window, columns, step=step)
    hidden = frozenset() if internal else protect(repos, counted, threshold)
    step()
    tables = tuple(
        ExportTable(
            spec,
            tuple(ShownCell(k, None if k in hidden else counted.values[k], k in hidden) for k in keys),
        )
        for spec, keys in counted.tables
    )
    assert tables[0].spec is SUMMARY
    return ExportResult(
        period=period,
        window=window,
        complete=complete,
        threshold=threshold,
        internal=internal,
        generated_at=repos.clock.now().replace(microsecond=0),
        app_version=__version__,
        columns=columns,
        tables=tables,
    )


# -- where to write ------------------------------------------------------------------------------


def default_file_name(period: Period, fmt: ExportFormat, *, internal: bool, complete: bool = True) -> str:
    """Return e.g. ``mentor-tui-2026-W47.csv``, ``…-INTERNAL.csv`` or ``…-UFULDSTAENDIG.csv``."""
    code = period.code.replace("..", "_")
    marks = ("-INTERNAL" if internal else "") + ("" if complete else "-UFULDSTAENDIG")
    return f"mentor-tui-{code}{marks}.{fmt}"


def output_path(
    out: str | Path | None,
    period: Period,
    fmt: ExportFormat,
    *,
    internal: bool,
    complete: bool = True,
    cwd: Path | None = None,
) -> Path:
    """Return where to write: ``out`` exactly as given, a directory to put the default name in, or the cwd.

    A name given by the user is honoured exactly; :func:`name_warnings` says when an internal
    file's name does not say so.
    """
    base = cwd or Path.cwd()
    name = default_file_name(period, fmt, internal=internal, complete=complete)
    if out is None or str(out) == "":
        return base / name
    path = Path(out).expanduser()
    if not path.is_absolute():
        path = base / path
    if path.is_dir() or str(out).endswith(("/", os.sep)):
        return path / name
    return path


def name_warnings(path: Path, *, internal: bool) -> list[Bilingual]:
    """Return warnings about a file name: an internal file whose name does not say INTERNAL."""
    if internal and "INTERN" not in path.name.upper():
        return [
            Bilingual(
                "Advarsel: {name} er en INTERN fil med eksakte tal, men navnet siger det ikke. Del den ikke",
                "Warning: {name} is an INTERNAL file with exact counts, but its name does not say "
                "so. Do not share it",
            ).format(name=path.name)
        ]
    return []


def metadata_path(path: Path) -> Path:
    """Return the metadata file of a CSV export: ``mentor-tui-2026-W47.metadata.csv``."""
    return path.with_name(f"{path.stem}.metadata.csv")


SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file (and of backups of one)."""

_WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head == SQLITE_HEADER or head[:4] in _WAL_MAGIC


def check_target(path: Path, *, protected: Sequence[Path] = (), force: bool = False) -> None:
    """Check that an export may be written to ``path``.

    Never onto a SQLite file, even with ``force``: the database, its ``-wal``/``-shm``/``-journal``
    (given in ``protected``; compared after resolving links), or any file whose first bytes say it
    is SQLite (a backup, another database) or a SQLite write-ahead log. Never over an existing
    file unless ``force``.

    Raises:
        MentorError: the file must not be written; the message says why and what to do.
    """
    resolved = path.resolve()
    database = any(resolved == p.resolve() for p in protected)
    if (
        database
        or _looks_like_sqlite(path)
        or (
            path.name.endswith(("-wal", "-shm", "-journal"))
            and _looks_like_sqlite(path.with_name(path.name.rsplit("-", 1)[0]))
        )
    ):
        raise MentorError(
            Bilingual(
                "{path} er en database (eller en del af en); en eksport skrives aldrig oven i en "
                "database, heller ikke med --force. Vælg et andet filnavn, fx "
                "mentor-tui-uge.csv",
                "{path} is a database (or part of one); an export is never written over a "
                "database, not even with --force. Choose another file name, e.g. "
                "mentor-tui-week.csv",
            ).format(path=path)
        )
    if path.is_dir():
        raise MentorError(
            Bilingual("{path} er en mappe, ikke en fil", "{path} is a folder, not a file").format(path=path)
        )
    if path.exists() and not force:
        raise FileExistsMentorError(path)


class FileExistsMentorError(MentorError):
    """The export file exists and overwriting was not asked for (``--force``, or a yes on screen)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            Bilingual(
                "{path} findes allerede og overskrives ikke. Vælg et andet navn, eller brug "
                "--force for at overskrive",
                "{path} already exists and is not overwritten. Choose another name, or use "
                "--force to overwrite it",
            ).format(path=path)
        )
        self.path = path


# -- writing ---------------------------------------------------------------------------------------


def render_export(result: ExportResult, fmt: ExportFormat) -> bytes:
    """Return the file contents of ``result`` in ``fmt`` (the UI language's labels)."""
    from mentor_tui.services.counts import formats as export_formats

    return export_formats.render(result, fmt)


def _write_new(path: Path, data: bytes, *, private: bool, force: bool) -> None:
    """Write ``data`` to ``path`` atomically; never replace an existing file unless ``force``."""
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
        if force:
            os.replace(tmp_name, path)
        else:
            try:
                _link_no_clobber(tmp_name, path)
            except FileExistsError:
                raise FileExistsMentorError(path) from None
    except OSError as exc:
        raise MentorError(
            Bilingual("Kan ikke skrive {path}: {err}", "Cannot write {path}: {err}").format(
                path=path, err=exc.strerror or exc
            )
        ) from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def _link_no_clobber(tmp_name: str, path: Path) -> None:
    # a hard link fails if the target exists, so a file appearing meanwhile is never replaced;
    # file systems without hard links (FAT memory sticks) fall back to checking first
    try:
        os.link(tmp_name, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp_name, path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_export(
    result: ExportResult,
    fmt: ExportFormat,
    path: Path,
    *,
    force: bool = False,
    protected: Sequence[Path] = (),
) -> list[Path]:
    """Write ``result`` to ``path`` (and a CSV's metadata file beside it) without recording it.

    Returns:
        The files written, the export first.

    Raises:
        MentorError: a target is a database, exists (without ``force``), or cannot be written;
            nothing is left behind.
    """
    files = {path: render_export(result, fmt)}
    if fmt == "csv":
        from mentor_tui.services.counts import formats as export_formats

        files[metadata_path(path)] = export_formats.render_metadata_csv(result)
    for target in files:
        check_target(target, protected=protected, force=force)
    written: list[Path] = []
    try:
        for target, data in files.items():
            _write_new(target, data, private=result.internal, force=force)
            written.append(target)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return written


def published_cells(result: ExportResult) -> list[count_store.PublishedCell]:
    """Return every distinct cell of ``result`` as it is published (hidden ones without value)."""
    return [
        count_store.PublishedCell(c.id, c.key.metric, c.key.start, c.key.end, *c.key.coords, c.value)
        for c in result.unique_cells()
    ]


def save_export(
    repos: Repositories,
    result: ExportResult,
    fmt: ExportFormat,
    path: Path,
    *,
    force: bool = False,
) -> ExportRun:
    """Write ``result`` to ``path`` and record the run and every published cell.

    The database files are protected (:func:`check_target`). If the run cannot be recorded the
    files are removed again, so a file on disk always has its record.

    Raises:
        MentorError: the file must not or cannot be written.
    """
    data_files = count_store.database_files(repos.db)
    written = write_export(result, fmt, path, force=force, protected=data_files)
    run = ExportRun(
        generated_at=result.generated_at.isoformat(),
        period_kind=result.period.kind,
        period_code=result.period.code,
        period_start=result.period.start,
        period_end=result.window.end,
        format=fmt,
        threshold=result.threshold,
        internal=result.internal,
        file_name=path.name,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        complete=result.complete,
    )
    if getattr(repos.db, "readonly", False):
        return run  # a read-only database file: the export is written, its log row cannot be
    try:
        with repos.atomic():
            repos.export_runs.add(run)
            if not result.internal:
                count_store.add_published_cells(repos.db, run.id, published_cells(result))
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return run


# -- the export screen's remembered folder -------------------------------------------------------

STATE_FILE_NAME = "state.json"
"""The app's small state file in the data directory (``{"export_folder": "..."}``)."""


def _state_file() -> Path:
    from mentor_tui.locations import data_directory

    return data_directory() / STATE_FILE_NAME


def remembered_folder() -> Path | None:
    """Return the folder the last export from the screen went to, if it still exists."""
    try:
        state = json.loads(_state_file().read_text(encoding="utf-8"))
        folder = Path(str(state["export_folder"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return folder if folder.is_dir() else None


def remember_folder(folder: Path) -> None:
    """Remember ``folder`` for the next export from the screen (best effort: never fails)."""
    path = _state_file()
    try:
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(state, dict):
                state = {}
        except (OSError, ValueError):
            state = {}
        state["export_folder"] = str(folder.resolve())
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return

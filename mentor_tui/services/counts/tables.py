"""The published tables: a summary, one table per metric and dimension, and two-way tables.

Every export file (and the dashboard's team figures) holds tables built here (issue 7 item 1):

- ``SUMMARY``: each headline figure for the period, the project year to date
  (:func:`~mentor_tui.services.counts.periods.years_to_date`) and the same period a year earlier;
- ``<METRIC>.<dim>``: one table per metric and dimension (activity, area, age band, the metric's
  breakdown), each with its total;
- ``<METRIC>.activity.<dim>``: activity × breakdown and activity × area, for the quarterly
  delivery measurement per activity [002:443].

A *cell* is one count, identified by :class:`CellKey` (metric, counting window, four coordinates,
``ALL`` for a total). The same cell can appear in several tables (the total of referrals is in
every referrals table and in the summary): it has one id and one value, and it is hidden
everywhere or nowhere.

How the tables relate, for disclosure control (:func:`relations`): in each table a line of cells
(one dimension varying, the others fixed) has a total and parts. For event counts and active
cases the parts add up to the total (``additive``). E1-E5 count distinct persons: one person can
count in two activities, areas or age bands but once in the total, so a total lies between its
largest part and the sum of its parts (``distinct``: ``max(parts) <= total <= sum(parts)``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Literal

from mentor_tui.codes import Activity, AgeBand, Area, Code, Lang, MeetingType
from mentor_tui.dates import format_date, week_label
from mentor_tui.i18n import Bilingual
from mentor_tui.services.counts.metrics import (
    ALL,
    DIMS,
    METRIC_BY_CODE,
    METRICS,
    TOTAL_LABEL,
    Counts,
    Dim,
    Key,
    Metric,
    count_metric,
)
from mentor_tui.services.counts.periods import Period, a_year_earlier, first_days, years_to_date

if TYPE_CHECKING:
    from sqlite_utils import Database

ColumnKind = Literal["period", "ytd", "year_earlier"]
"""What a summary column holds: the period, a project year to date, the same period a year earlier."""


@dataclass(frozen=True, order=True)
class CellKey:
    """One count: a metric over a counting window at four coordinates (``ALL`` = total)."""

    metric: str
    start: dt.date
    end: dt.date
    activity: str = ALL
    area: str = ALL
    age_band: str = ALL
    breakdown: str = ALL

    @property
    def id(self) -> str:
        """A stable id, the same in every file and run, and the same text as ``disclosure``'s
        ``CellId.key``: metric, days, then the coordinates that are not totals, sorted by dimension.

        E.g. ``REFERRALS|2026-11-16..2026-11-22|activity=A6_FREMSKUDT_UDD_BESK;area=VOLLSMOSE``.
        """
        coords = ";".join(f"{d}={c}" for d, c in sorted(zip(DIMS, self.coords, strict=True)) if c != ALL)
        return f"{self.metric}|{self.start.isoformat()}..{self.end.isoformat()}|{coords}"

    @property
    def coords(self) -> Key:
        """``(activity, area, age_band, breakdown)``."""
        return (self.activity, self.area, self.age_band, self.breakdown)

    def at(self, dim: Dim) -> str:
        """Return the coordinate of ``dim``."""
        return self.coords[DIMS.index(dim)]


@dataclass(frozen=True)
class PeriodColumn:
    """A column of the summary: a kind and the days it counts."""

    kind: ColumnKind
    period: Period

    def label(self, lang: Lang = "da", *, iso: bool = False) -> str:
        """Return the column heading, e.g. ``uge 47 2026``, ``PY3 til dato``, ``Året før: uge 47 2025``.

        ``iso``: dates as ISO text (files), not ``dd-mm-åååå`` (screens).
        """
        text = period_text(self.period, lang, iso=iso)
        if self.kind == "ytd":
            code = self.period.code.split("..")[0]
            if self.period.kind == "year":
                return Bilingual("{code} hele året", "{code} whole year").format(code=code).text(lang)
            return Bilingual("{code} til dato", "{code} to date").format(code=code).text(lang)
        if self.kind == "year_earlier":
            return Bilingual("Året før: {p}", "Year earlier: {p}").format(p=text).text(lang)
        return text


def period_text(period: Period, lang: Lang = "da", *, iso: bool = False) -> str:
    """Return how a period is named: ``uge 47 2026``, ``PY3-Q1``, ``PY3``, or its dates.

    A week or quarter cut short (an incomplete period) is named by its dates. ``iso``: dates as
    ISO text, as files write every date.
    """
    whole = period.days == 7 if period.kind == "week" else ".." not in period.code
    if period.kind == "week" and whole:
        return f"{week_label(period.start, lang)} {period.start.isocalendar().year}"
    if period.kind in ("quarter", "year") and whole:
        return period.code
    if iso:
        return f"{period.start.isoformat()}..{period.end.isoformat()}"
    return f"{format_date(period.start, lang)}–{format_date(period.end, lang)}"


SUMMARY_LINES: tuple[tuple[str, str], ...] = (
    ("E1", ALL),
    ("E2", ALL),
    ("E3", ALL),
    ("E4", ALL),
    ("E5", ALL),
    ("REFERRALS", ALL),
    ("CASES_STARTED", ALL),
    ("CASES_ACTIVE", ALL),
    ("CASES_CLOSED", ALL),
    ("MEETINGS", ALL),
    ("MEETINGS", MeetingType.TREPARTSSAMTALE.value),
    ("OUTCOMES", ALL),
)
"""The summary's lines: ``(metric, breakdown)``; 3-partssamtaler have their own line."""


def line_label(metric: str, breakdown: str) -> Bilingual:
    """Return the label of a summary line."""
    if breakdown == MeetingType.TREPARTSSAMTALE.value:
        return Bilingual("heraf 3-partssamtaler", "of which tripartite meetings")
    return METRIC_BY_CODE[metric].short


@dataclass(frozen=True)
class TableSpec:
    """Which cells a table has: a metric's one- or two-way table, or the summary."""

    id: str
    metric: Metric | None
    """``None`` for the summary."""
    dims: tuple[Dim, ...]
    """The varying dimensions: one or two (empty for the summary)."""

    @property
    def kind(self) -> Literal["summary", "one-way", "two-way"]:
        """The table's kind."""
        if self.metric is None:
            return "summary"
        return "one-way" if len(self.dims) == 1 else "two-way"

    def title(self) -> Bilingual:
        """Return the table's heading, e.g. "Henvisninger efter aktivitet og henvisningskilde"."""
        if self.metric is None:
            return Bilingual("Oversigt", "Summary")
        names = [self.metric.dim_name(d) for d in self.dims]
        by = Bilingual.join(
            Bilingual(" og ", " and "), [Bilingual(n.da.lower(), n.en.lower()) for n in names]
        )
        return Bilingual("{m} efter {by}", "{m} by {by}").format(m=self.metric.short, by=by)

    def keys(self, window: Period) -> Iterator[CellKey]:
        """Yield the table's cells over ``window`` in reading order: parts, then the total last."""
        assert self.metric is not None
        metric = self.metric
        axes = [(*metric.codes(d), ALL) for d in self.dims]
        for values in product(*axes):
            coords = dict.fromkeys(DIMS, ALL)
            coords.update(zip(self.dims, values, strict=True))
            yield CellKey(metric.code, window.start, window.end, **coords)


def table_specs() -> tuple[TableSpec, ...]:
    """Return every table of a file but the summary, in file order."""
    specs: list[TableSpec] = []
    for metric in METRICS:
        for dim in metric.one_way:
            specs.append(TableSpec(f"{metric.code}.{dim}", metric, (dim,)))
        for pair in metric.two_way:
            specs.append(TableSpec(f"{metric.code}.{pair[0]}.{pair[1]}", metric, pair))
    return tuple(specs)


SUMMARY = TableSpec("SUMMARY", None, ())
"""The summary table."""


def code_label(metric: Metric, dim: Dim, code: str) -> Bilingual:
    """Return the label of a code of ``dim`` (``I alt`` for ``ALL``; the code itself if unknown)."""
    if code == ALL:
        return TOTAL_LABEL
    enum: type[Code] | None
    if dim == "activity":
        enum = Activity
    elif dim == "area":
        enum = Area
    elif dim == "age_band":
        enum = AgeBand
    else:
        enum = metric.breakdown
    try:
        member = enum(code) if enum is not None else None
    except ValueError:
        member = None
    return member.label if member is not None else Bilingual(code, code)


# -- counting the tables ------------------------------------------------------------------------


def summary_columns(window: Period) -> tuple[PeriodColumn, ...]:
    """Return the summary's columns for a counting window: the period, each year to date, a year earlier.

    The year earlier covers as many days as ``window`` (fewer when an incomplete period is
    counted only up to today), so the two are comparable.
    """
    earlier = first_days(a_year_earlier(window), window.days) if window.kind != "range" else None
    if earlier is None:
        earlier = a_year_earlier(window)
    return (
        PeriodColumn("period", window),
        *(PeriodColumn("ytd", ytd) for ytd in years_to_date(window)),
        PeriodColumn("year_earlier", earlier),
    )


def summary_keys(columns: Sequence[PeriodColumn]) -> Iterator[tuple[int, int, CellKey]]:
    """Yield ``(line index, column index, key)`` of every summary cell."""
    for i, (metric, breakdown) in enumerate(SUMMARY_LINES):
        for j, column in enumerate(columns):
            yield i, j, CellKey(metric, column.period.start, column.period.end, breakdown=breakdown)


@dataclass
class Counted:
    """Every cell of a set of tables with its exact value."""

    values: dict[CellKey, int] = field(default_factory=dict)
    tables: list[tuple[TableSpec, tuple[CellKey, ...]]] = field(default_factory=list)


def count_tables(
    db: Database,
    window: Period,
    columns: Sequence[PeriodColumn],
    *,
    staff_id: str | None = None,
    step: Callable[[], None] | None = None,
) -> Counted:
    """Count the summary and every table of one file.

    Args:
        db: the database.
        window: the days the period's tables count (the period, or its part up to today).
        columns: the summary's columns (:func:`summary_columns`).
        staff_id: only this case worker's cases; ``None`` for the team.
        step: called after each metric, for a progress bar.
    """
    counted = Counted()
    by_metric: dict[tuple[str, dt.date, dt.date], Counts] = {}

    def counts(metric: Metric, period: Period) -> Counts:
        slot = (metric.code, period.start, period.end)
        if slot not in by_metric:
            by_metric[slot] = count_metric(db, metric, period.start, period.end, staff_id=staff_id)
        return by_metric[slot]

    for metric in METRICS:
        counts(metric, window)
        for column in columns:
            counts(metric, column.period)
        if step is not None:
            step()
    summary = tuple(key for _, _, key in summary_keys(columns))
    counted.tables.append((SUMMARY, summary))
    for spec in table_specs():
        counted.tables.append((spec, tuple(spec.keys(window))))
    for _, keys in counted.tables:
        for key in keys:
            if key not in counted.values:
                period = Period("range", "", key.start, key.end)
                counted.values[key] = counts(METRIC_BY_CODE[key.metric], period).get(key.coords, 0)
    return counted


# -- relations, for disclosure control ----------------------------------------------------------

RelationKind = Literal["additive", "distinct", "at_least"]
"""``additive``: total = sum of parts. ``distinct``: max(parts) <= total <= sum(parts) (E1-E5).
``at_least``: total >= sum of the parts given (the other parts are not published)."""


@dataclass(frozen=True)
class Relation:
    """A total and its parts in one table line."""

    total: CellKey
    parts: tuple[CellKey, ...]
    kind: RelationKind


def relations(tables: Sequence[tuple[TableSpec, Sequence[CellKey]]]) -> list[Relation]:
    """Return every line of every metric table as a relation, each once.

    A line is the cells where one of the table's dimensions varies over all its codes and the
    other coordinates are fixed; its total is the cell with ``ALL`` in that dimension. The
    summary adds, for columns without tables (year to date, a year earlier), that meetings held
    are at least the 3-partssamtaler held (``at_least``).
    """
    found: dict[tuple[CellKey, tuple[CellKey, ...]], Relation] = {}
    for spec, keys in tables:
        if spec.metric is None:
            for key in keys:
                if key.breakdown != ALL:
                    total = CellKey(key.metric, key.start, key.end)
                    found.setdefault((total, (key,)), Relation(total, (key,), "at_least"))
            continue
        present = set(keys)
        kind: RelationKind = "distinct" if spec.metric.distinct_persons else "additive"
        for key in keys:
            for dim in spec.dims:
                if key.at(dim) != ALL:
                    continue
                parts = tuple(
                    _with(key, dim, code)
                    for code in spec.metric.codes(dim)
                    if _with(key, dim, code) in present
                )
                if parts and (key, parts) not in found:
                    found[(key, parts)] = Relation(key, parts, kind)
    return list(found.values())


def _with(key: CellKey, dim: Dim, code: str) -> CellKey:
    coords = dict(zip(DIMS, key.coords, strict=True))
    coords[dim] = code
    return CellKey(key.metric, key.start, key.end, **coords)

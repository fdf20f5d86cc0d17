"""Render an :class:`~mentor_tui.services.counts.export.ExportResult` as CSV, XLSX or JSON bytes.

Labels are in the UI language (:func:`mentor_tui.i18n.lang`); every code also has a column of its
own. Hidden cells show :data:`~mentor_tui.services.counts.export.MARKER` (``x``) in CSV and XLSX,
``null`` with ``"suppressed": true`` in JSON; cells hidden as primary and as secondary
suppression look the same everywhere. Layouts: ``docs/export.md``; JSON Schema:
``docs/export.schema.json``.

- CSV: one tidy table from line 1 (semicolon, UTF-8 with BOM, CRLF), a ``Niveau`` column telling
  totals from parts; the metadata in a second small CSV (:func:`render_metadata_csv`).
- XLSX: "Oversigt" first (the summary, numbers as numbers), one sheet per metric with its
  one-way tables and one with its two-way tables, and "Om filen" (metadata, table list).
- JSON: the metadata and every table with its cells (standard library ``json``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mentor_tui.i18n import Bilingual, Lang, lang
from mentor_tui.services.counts.metrics import ALL, DIMS, METRICS, Metric
from mentor_tui.services.counts.tables import (
    SUMMARY_LINES,
    CellKey,
    TableSpec,
    code_label,
    line_label,
    period_text,
)

if TYPE_CHECKING:
    from mentor_tui.services.counts.export import ExportFormat, ExportResult, ExportTable, ShownCell

Level = Literal["total", "subtotal", "part"]
"""Where a cell sits in its table: the grand total, a total of one row or column, or an inner part."""

LEVEL_LABELS: dict[Level, Bilingual] = {
    "total": Bilingual("I alt", "Total"),
    "subtotal": Bilingual("Delsum", "Subtotal"),
    "part": Bilingual("Del", "Part"),
}
"""How the level column reads; filter on ``Del``/``Part`` to sum without double counting."""

CSV_COLUMNS: tuple[tuple[str, Bilingual], ...] = (
    ("table", Bilingual("Tabel", "Table")),
    ("table_code", Bilingual("Tabelkode", "Table code")),
    ("metric", Bilingual("Tal", "Count")),
    ("metric_code", Bilingual("Talkode", "Count code")),
    ("period", Bilingual("Periode", "Period")),
    ("start", Bilingual("Fra", "From")),
    ("end", Bilingual("Til", "To")),
    ("activity", Bilingual("Aktivitet", "Activity")),
    ("activity_code", Bilingual("Aktivitetskode", "Activity code")),
    ("area", Bilingual("Område", "Area")),
    ("area_code", Bilingual("Områdekode", "Area code")),
    ("age_band", Bilingual("Aldersgruppe", "Age band")),
    ("age_band_code", Bilingual("Aldersgruppekode", "Age band code")),
    ("breakdown", Bilingual("Opdeling", "Breakdown")),
    ("breakdown_code", Bilingual("Opdelingskode", "Breakdown code")),
    ("level", Bilingual("Niveau", "Level")),
    ("value", Bilingual("Antal", "Count")),
)
"""The CSV's columns: a key (the JSON's name) and the heading in each language."""

TITLE = Bilingual("Anonymiserede tal", "Anonymised counts")
TITLE_INTERNAL = Bilingual(
    "INTERN FIL: eksakte tal uden diskretionering, må ikke deles",
    "INTERNAL FILE: exact counts without disclosure control, do not share",
)
INCOMPLETE = Bilingual(
    "UFULDSTÆNDIG: perioden var ikke slut; talt til og med {day}",
    "INCOMPLETE: the period had not ended; counted up to and including {day}",
)
SUM_HINT = Bilingual(
    "Summér kun inden for én tabel og kun rækker med Niveau = Del; samme tal står i flere tabeller.",
    "Sum only within one table and only rows with Level = Part; the same count is in several tables.",
)


# -- shared ----------------------------------------------------------------------------------------


def level(spec: TableSpec, key: CellKey) -> Level:
    """Return where ``key`` sits in table ``spec``."""
    if spec.metric is None:
        return "part" if key.breakdown != ALL else "total"
    totals = sum(1 for d in spec.dims if key.at(d) == ALL)
    if totals == len(spec.dims):
        return "total"
    return "subtotal" if totals else "part"


def value_text(cell: ShownCell, marker: str) -> int | str:
    """Return the cell's number, or the marker when it is hidden."""
    return marker if cell.value is None else cell.value


def metric_of(key: CellKey) -> Metric:
    """Return the metric of a cell."""
    return next(m for m in METRICS if m.code == key.metric)


def title_line(result: ExportResult, language: Lang) -> str:
    """Return the heading of a file: what it is, the period and its days."""
    head = (TITLE_INTERNAL if result.internal else TITLE).text(language)
    p = result.period
    text = f"{head}: {period_text(p, language, iso=True)} ({p.start.isoformat()}..{p.end.isoformat()})"
    if not result.complete:
        text += ". " + INCOMPLETE.format(day=result.window.end.isoformat()).text(language)
    return text


def metadata_items(result: ExportResult, language: Lang) -> list[tuple[str, str, str]]:
    """Return ``(key, label, value)`` of the metadata (CSV metadata file, XLSX "Om filen", JSON)."""
    from mentor_tui.services.counts.export import MARKER, MARKER_MEANING

    def b(da: str, en: str) -> str:
        return Bilingual(da, en).text(language)

    items = [
        ("title", b("Fil", "File"), title_line(result, language)),
        ("period_kind", b("Periodetype", "Period kind"), result.period.kind),
        ("period_code", b("Periode", "Period"), result.period.code),
        ("period_start", b("Første dag", "First day"), result.period.start.isoformat()),
        ("period_end", b("Sidste dag", "Last day"), result.period.end.isoformat()),
        ("counted_until", b("Talt til og med", "Counted up to and including"), result.window.end.isoformat()),
        (
            "complete",
            b("Perioden var slut", "The period had ended"),
            b("ja", "yes") if result.complete else b("nej", "no"),
        ),
        ("threshold", b("Grænse for små tal", "Small-count threshold"), str(result.threshold)),
        (
            "internal",
            b("Intern (eksakte tal)", "Internal (exact counts)"),
            b("ja", "yes") if result.internal else b("nej", "no"),
        ),
        ("marker", b("Skjult tal vises som", "Hidden count shown as"), MARKER),
        (
            "marker_meaning",
            b("Betydning", "Meaning"),
            MARKER_MEANING.format(k=result.threshold).text(language),
        ),
        ("sum_hint", b("Summer", "Sums"), SUM_HINT.text(language)),
        ("generated_at", b("Dannet", "Generated at"), result.generated_at.isoformat()),
        ("app_version", b("mentor-tui version", "mentor-tui version"), result.app_version),
    ]
    for column in result.columns:
        key = f"column_{column.kind}_{column.period.start.isoformat()}"
        items.append(
            (
                key,
                column.label(language, iso=True),
                f"{column.period.start.isoformat()}..{column.period.end.isoformat()}",
            )
        )
    return items


def cell_row(
    result: ExportResult, spec: TableSpec, cell: ShownCell, language: Lang, marker: str
) -> dict[str, str | int]:
    """Return one CSV row (by :data:`CSV_COLUMNS` key) for ``cell`` in table ``spec``."""
    key = cell.key
    metric = metric_of(key)
    column = next((c for c in result.columns if (c.period.start, c.period.end) == (key.start, key.end)), None)
    period = (
        column.label(language, iso=True)
        if column is not None
        else period_text(result.window, language, iso=True)
    )
    row: dict[str, str | int] = {
        "table": spec.title().text(language),
        "table_code": spec.id,
        "metric": metric.short.text(language),
        "metric_code": metric.code,
        "period": period,
        "start": key.start.isoformat(),
        "end": key.end.isoformat(),
    }
    for dim in DIMS:
        code = key.at(dim)
        row[dim] = code_label(metric, dim, code).text(language)
        row[f"{dim}_code"] = code
    row["level"] = LEVEL_LABELS[level(spec, key)].text(language)
    row["value"] = value_text(cell, marker)
    return row


# -- CSV ---------------------------------------------------------------------------------------------


def render_csv(result: ExportResult) -> bytes:
    """Return the CSV file: BOM, the header row on line 1, then one row per cell of every table."""
    from mentor_tui.services.counts.export import MARKER

    language = lang()
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading.text(language) for _, heading in CSV_COLUMNS])
    for table in result.tables:
        for cell in table.cells:
            row = cell_row(result, table.spec, cell, language, MARKER)
            writer.writerow([row[key] for key, _ in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def render_metadata_csv(result: ExportResult) -> bytes:
    """Return the CSV export's metadata file: ``Felt;Værdi`` rows (period, threshold, marker …)."""
    language = lang()
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            Bilingual("Nøgle", "Key").text(language),
            Bilingual("Felt", "Field").text(language),
            Bilingual("Værdi", "Value").text(language),
        ]
    )
    writer.writerows(metadata_items(result, language))
    return buf.getvalue().encode("utf-8-sig")


# -- XLSX --------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=13)
_INTERNAL_FONT = Font(bold=True, size=13, color="C00000")
_TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
_RIGHT = Alignment(horizontal="right")
_NUMBER_FORMAT = "#,##0"
_HEADER_ROW = 4
_MAX_WIDTH = 60


def sheet_name(metric: Metric, *, cross: bool, language: Lang) -> str:
    """Return a metric's sheet name (at most 31 characters, as Excel requires)."""
    base = metric.code if metric.distinct_persons else metric.short.text(language)
    if cross:
        base += Bilingual(" – kryds", " – cross").text(language)
    return base[:31]


def _sheet_head(ws: Worksheet, result: ExportResult, title: str, language: Lang) -> None:
    from mentor_tui.services.counts.export import MARKER_MEANING

    ws.cell(1, 1, title).font = _INTERNAL_FONT if result.internal else _TITLE_FONT
    note = title_line(result, language)
    if not result.internal:
        note += ". " + MARKER_MEANING.format(k=result.threshold).text(language)
    ws.cell(2, 1, note)
    mark = TITLE_INTERNAL.text(language) if result.internal else TITLE.text(language)
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None
    assert footer is not None
    header.center.text = f"{mark} – {period_text(result.period, language, iso=True)}"
    header.center.size = 10
    footer.right.text = "&P / &N"
    footer.left.text = "&A"


def _finish(ws: Worksheet, rows: Sequence[Sequence[Any]], numeric_from: int, *, landscape: bool) -> None:
    """Header row bold and frozen, autofilter, widths fitted, numbers right-aligned, print setup."""
    header = _HEADER_ROW
    last_row = header + len(rows) - 1
    ncols = len(rows[0])
    for c in range(1, ncols + 1):
        ws.cell(header, c).font = _BOLD
        if c >= numeric_from:
            ws.cell(header, c).alignment = _RIGHT
    ws.freeze_panes = f"A{header + 1}"
    ws.auto_filter.ref = f"A{header}:{get_column_letter(ncols)}{last_row}"
    for c in range(1, ncols + 1):
        width = max(len(str(r[c - 1])) for r in rows if c - 1 < len(r))
        ws.column_dimensions[get_column_letter(c)].width = min(_MAX_WIDTH, max(6, round(width * 1.1) + 2))
    # the title and the notes above the table wrap within its width instead of widening the page
    total_width = sum(ws.column_dimensions[get_column_letter(c)].width or 8 for c in range(1, ncols + 1))
    for r in range(1, header - 1):
        text = ws.cell(r, 1).value
        if ncols > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        if text:
            lines = -(-len(str(text)) * (13 if r == 1 else 10) // (10 * int(total_width)))
            ws.row_dimensions[r].height = (18 if r == 1 else 13) * max(1, lines)
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None
    setup.fitToPage = True
    ws.print_options.gridLines = False


def _put_rows(ws: Worksheet, rows: Sequence[Sequence[Any]], numeric_from: int, totals: set[int]) -> None:
    for i, values in enumerate(rows):
        r = _HEADER_ROW + i
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c, v)
            if i > 0 and c >= numeric_from:
                cell.alignment = _RIGHT
                if isinstance(v, int):
                    cell.number_format = _NUMBER_FORMAT
            if i in totals:
                cell.font = _BOLD
                cell.fill = _TOTAL_FILL


def _summary_sheet(wb: Workbook, result: ExportResult, language: Lang, marker: str) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = Bilingual("Oversigt", "Summary").text(language)
    _sheet_head(
        ws,
        result,
        Bilingual("Oversigt", "Summary").text(language)
        + f" – {period_text(result.period, language, iso=True)}",
        language,
    )
    rows: list[list[Any]] = [
        [Bilingual("Tal", "Count").text(language), Bilingual("Kode", "Code").text(language)]
        + [c.label(language, iso=True) for c in result.columns]
    ]
    cells = {c.key: c for c in result.summary.cells}
    for metric, breakdown in SUMMARY_LINES:
        code = metric if breakdown == ALL else f"{metric}.{breakdown}"
        row: list[Any] = [line_label(metric, breakdown).text(language), code]
        for column in result.columns:
            key = CellKey(metric, column.period.start, column.period.end, breakdown=breakdown)
            row.append(value_text(cells[key], marker))
        rows.append(row)
    ws.cell(
        3,
        1,
        Bilingual(
            "E1-E5 tæller personer (hver én gang pr. periode); de øvrige tæller hændelser eller forløb.",
            "E1-E5 count persons (each once per period); the others count events or cases.",
        ).text(language),
    )
    _put_rows(ws, rows, 3, set())
    _finish(ws, rows, 3, landscape=len(result.columns) > 3)


def _table_rows(
    result: ExportResult, tables: Sequence[ExportTable], language: Lang, marker: str, *, cross: bool
) -> tuple[list[list[Any]], set[int]]:
    by = Bilingual("Opdelt efter", "Broken down by").text(language)
    name, code = Bilingual("Navn", "Name").text(language), Bilingual("Kode", "Code").text(language)
    lvl, count = Bilingual("Niveau", "Level").text(language), Bilingual("Antal", "Count").text(language)
    if cross:
        header = [
            by,
            Bilingual("Aktivitet", "Activity").text(language),
            Bilingual("Aktivitetskode", "Activity code").text(language),
            name,
            code,
            lvl,
            count,
        ]
    else:
        header = [by, name, code, lvl, count]
    rows: list[list[Any]] = [header]
    totals: set[int] = set()
    for table in tables:
        spec = table.spec
        assert spec.metric is not None
        label = Bilingual.join(Bilingual(" og ", " and "), [spec.metric.dim_name(d) for d in spec.dims]).text(
            language
        )
        last = spec.dims[-1]
        for cell in table.cells:
            key = cell.key
            lv = level(spec, key)
            row: list[Any] = [label]
            if cross:
                row += [code_label(spec.metric, "activity", key.activity).text(language), key.activity]
            row += [
                code_label(spec.metric, last, key.at(last)).text(language),
                key.at(last),
                LEVEL_LABELS[lv].text(language),
                value_text(cell, marker),
            ]
            if lv != "part":
                totals.add(len(rows))
            rows.append(row)
    return rows, totals


def render_xlsx(result: ExportResult) -> bytes:
    """Return the XLSX workbook: "Oversigt", two sheets per metric (one-way, two-way), "Om filen"."""
    from mentor_tui.services.counts.export import MARKER

    language = lang()
    wb = Workbook()
    _summary_sheet(wb, result, language, MARKER)
    by_metric: dict[str, list[ExportTable]] = {}
    for table in result.tables[1:]:
        assert table.spec.metric is not None
        by_metric.setdefault(table.spec.metric.code, []).append(table)
    for metric in METRICS:
        tables = by_metric.get(metric.code, [])
        for cross in (False, True):
            chosen = [t for t in tables if (t.spec.kind == "two-way") == cross]
            if not chosen:
                continue
            ws = wb.create_sheet(sheet_name(metric, cross=cross, language=language))
            titles = [t.spec.title().text(language) for t in chosen]
            _sheet_head(
                ws,
                result,
                f"{metric.title.text(language)} – {period_text(result.window, language, iso=True)}",
                language,
            )
            ws.cell(3, 1, "; ".join(titles))
            rows, totals = _table_rows(result, chosen, language, MARKER, cross=cross)
            _put_rows(ws, rows, len(rows[0]), totals)
            _finish(ws, rows, len(rows[0]), landscape=cross)
    about = wb.create_sheet(Bilingual("Om filen", "About").text(language))
    _sheet_head(about, result, Bilingual("Om filen", "About this file").text(language), language)
    rows = [[Bilingual("Felt", "Field").text(language), Bilingual("Værdi", "Value").text(language)]]
    rows += [[label, value] for _, label, value in metadata_items(result, language)]
    _put_rows(about, rows, 99, set())
    _finish(about, rows, 99, landscape=False)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- JSON --------------------------------------------------------------------------------------------


def _json_cells(result: ExportResult, table: ExportTable) -> Iterator[dict[str, Any]]:
    for cell in table.cells:
        key = cell.key
        yield {
            "id": cell.id,
            "metric": key.metric,
            "start": key.start.isoformat(),
            "end": key.end.isoformat(),
            "activity": key.activity,
            "area": key.area,
            "age_band": key.age_band,
            "breakdown": key.breakdown,
            "level": level(table.spec, key),
            "value": cell.value,
            "suppressed": cell.suppressed,
        }


def json_document(result: ExportResult) -> dict[str, Any]:
    """Return the JSON document as a dict (the shape of ``docs/export.schema.json``)."""
    from mentor_tui.services.counts.export import MARKER, MARKER_MEANING

    language = lang()
    meaning = MARKER_MEANING.format(k=result.threshold)
    tables = []
    for table in result.tables:
        spec = table.spec
        tables.append(
            {
                "id": spec.id,
                "title": spec.title().text(language),
                "kind": spec.kind,
                "metric": None if spec.metric is None else spec.metric.code,
                "dimensions": list(spec.dims),
                "relation": None
                if spec.metric is None
                else ("distinct" if spec.metric.distinct_persons else "additive"),
                "cells": list(_json_cells(result, table)),
            }
        )
    return {
        "format": "mentor-tui-counts",
        "format_version": 2,
        "metadata": {
            "title": title_line(result, language),
            "language": language,
            "period": {
                "kind": result.period.kind,
                "code": result.period.code,
                "start": result.period.start.isoformat(),
                "end": result.period.end.isoformat(),
            },
            "counted_until": result.window.end.isoformat(),
            "complete": result.complete,
            "threshold": result.threshold,
            "internal": result.internal,
            "generated_at": result.generated_at.isoformat(),
            "app_version": result.app_version,
            "marker": MARKER,
            "marker_meaning": {"da": meaning.da, "en": meaning.en},
            "summary_columns": [
                {
                    "kind": c.kind,
                    "label": c.label(language, iso=True),
                    "start": c.period.start.isoformat(),
                    "end": c.period.end.isoformat(),
                }
                for c in result.columns
            ],
        },
        "tables": tables,
    }


def render_json(result: ExportResult) -> bytes:
    """Return the JSON file (UTF-8, indented)."""
    return (json.dumps(json_document(result), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def render(result: ExportResult, fmt: ExportFormat) -> bytes:
    """Return ``result`` rendered in ``fmt``."""
    if fmt == "csv":
        return render_csv(result)
    if fmt == "xlsx":
        return render_xlsx(result)
    return render_json(result)

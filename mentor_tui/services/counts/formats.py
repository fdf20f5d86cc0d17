"""Render an :class:`~mentor_tui.services.counts.export.ExportResult` as CSV, XLSX or JSON bytes.

- CSV is for Danish Excel: semicolons, UTF-8 with a byte-order mark, CRLF line ends. A header
  block of ``key;value`` lines comes first, then one blank line, then the table.
- XLSX (openpyxl) has a front sheet (period, threshold, generation time, metric legend) and one
  sheet per metric group.
- JSON has the shape of issue 4 item 5, plus a ``ytd`` section (``null`` when there is none).

Suppressed cells show as ``<5`` (the threshold) in CSV and XLSX and as ``null`` with
``"suppressed": true`` in JSON. The layouts are described in ``docs/export.md``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from mentor_tui.services.counts.metrics import INDICATORS, METRIC_BY_CODE, METRICS

if TYPE_CHECKING:
    from mentor_tui.services.counts.export import Cell, ExportFormat, ExportResult

TABLE_COLUMNS: tuple[str, ...] = ("metric", "activity", "area", "age_band", "breakdown", "value")
"""The columns of the CSV table and of each XLSX metric sheet."""

YTD_SUFFIX = "_YTD"
"""CSV and XLSX mark year-to-date rows by this suffix on the metric code (``E1_YTD``)."""

GROUP_SHEETS: dict[str, str] = {
    "indicators": "Indikatorer",
    "referrals": "Henvisninger",
    "cases": "Forløb",
    "meetings": "Møder",
    "outcomes": "Resultater",
}
"""XLSX sheet name of each metric group."""

YTD_SHEET = "Indikatorer år til dato"
"""XLSX sheet with the year-to-date indicators."""

FRONT_SHEET = "Forside"
"""XLSX front sheet with the period, threshold and legend."""

_TITLE = "Anonymiserede tal / Anonymised counts"
_TITLE_INTERNAL = "INTERN FIL: eksakte tal, må ikke deles / INTERNAL FILE: exact counts, do not share"


def marker(threshold: int) -> str:
    """Return how a suppressed cell is shown in CSV and XLSX, e.g. ``<5``."""
    return f"<{threshold}"


def _legend(threshold: int) -> str:
    m = marker(threshold)
    return (
        f"{m} = skjult: under {threshold}, eller skjult så et andet lille tal ikke kan regnes ud / "
        f"hidden: under {threshold}, or hidden so that another small count cannot be worked out"
    )


def header_items(result: ExportResult) -> list[tuple[str, str]]:
    """Return the ``(key, value)`` pairs of the CSV header block (also on the XLSX front sheet)."""
    items = [
        ("mentor-tui", _TITLE_INTERNAL if result.internal else _TITLE),
        ("period_kind", result.period.kind),
        ("period_code", result.period.code),
        ("period_start", result.period.start.isoformat()),
        ("period_end", result.period.end.isoformat()),
    ]
    if result.ytd is not None:
        items += [("ytd_start", result.ytd.start.isoformat()), ("ytd_end", result.ytd.end.isoformat())]
    items += [
        ("threshold", str(result.threshold)),
        ("internal", "true" if result.internal else "false"),
        ("generated_at", result.generated_at.isoformat()),
        ("app_version", result.app_version),
    ]
    if not result.internal:
        items.append(("suppressed", _legend(result.threshold)))
    return items


def _rows(result: ExportResult, cells: Iterable[Cell], *, ytd: bool) -> Iterator[list[str | int]]:
    shown = marker(result.threshold)
    for c in cells:
        value: str | int = shown if c.suppressed or c.value is None else c.value
        yield [c.metric + (YTD_SUFFIX if ytd else ""), c.activity, c.area, c.age_band, c.breakdown, value]


def render_csv(result: ExportResult) -> bytes:
    """Return the CSV file: BOM, header block, blank line, table."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for key, value in header_items(result):
        writer.writerow([key, value])
    writer.writerow([])
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(_rows(result, result.cells, ytd=False))
    writer.writerows(_rows(result, result.ytd_cells, ytd=True))
    return buf.getvalue().encode("utf-8-sig")


def render_xlsx(result: ExportResult) -> bytes:
    """Return the XLSX workbook: a front sheet and one sheet per metric group."""
    wb = Workbook(write_only=True)
    front = wb.create_sheet(FRONT_SHEET)
    for key, value in header_items(result):
        front.append([key, value])
    front.append([])
    front.append(["metric", "dansk", "english", "sheet"])
    for m in METRICS:
        front.append([m.code, m.da, m.en, GROUP_SHEETS[m.group]])
    if result.ytd is not None:
        for code in INDICATORS:
            m = METRIC_BY_CODE[code]
            front.append([code + YTD_SUFFIX, f"{m.da} (år til dato)", f"{m.en} (year to date)", YTD_SHEET])
    by_group: dict[str, list[Cell]] = {group: [] for group in GROUP_SHEETS}
    for c in result.cells:
        by_group[METRIC_BY_CODE[c.metric].group].append(c)
    for group, sheet_name in GROUP_SHEETS.items():
        sheet = wb.create_sheet(sheet_name)
        sheet.append(list(TABLE_COLUMNS))
        for row in _rows(result, by_group[group], ytd=False):
            sheet.append(row)
        if group == "indicators" and result.ytd is not None:
            ytd_sheet = wb.create_sheet(YTD_SHEET)
            ytd_sheet.append(list(TABLE_COLUMNS))
            for row in _rows(result, result.ytd_cells, ytd=True):
                ytd_sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_document(result: ExportResult) -> dict[str, Any]:
    """Return the JSON document as a dict (issue 4 item 5, plus ``ytd``)."""
    return {
        "period": {
            "kind": result.period.kind,
            "code": result.period.code,
            "start": result.period.start.isoformat(),
            "end": result.period.end.isoformat(),
        },
        "threshold": result.threshold,
        "internal": result.internal,
        "generated_at": result.generated_at.isoformat(),
        "app_version": result.app_version,
        "cells": [c.as_dict() for c in result.cells],
        "ytd": None
        if result.ytd is None
        else {
            "start": result.ytd.start.isoformat(),
            "end": result.ytd.end.isoformat(),
            "cells": [c.as_dict() for c in result.ytd_cells],
        },
    }


def _json_text(value: Any, indent: str = "") -> str:
    # pretty at the top, one cell per line: readable, and a fraction of json.dumps(indent=2)'s size
    inner = indent + "  "
    if isinstance(value, dict) and value and not _is_cell(value):
        items = [f"{inner}{json.dumps(k)}: {_json_text(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        items = [f"{inner}{_json_text(v, inner)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    if isinstance(value, dict) and "metric" in value:
        return _cell_json(value)
    return json.dumps(value, ensure_ascii=False)


_CODE = re.compile(r"^[A-Za-z0-9_]+$")


def _cell_json(cell: dict[str, Any]) -> str:
    # cells are most of the file: write them directly when every text is a plain code
    texts = [cell[k] for k in ("metric", "activity", "area", "age_band", "breakdown")]
    if not all(isinstance(t, str) and _CODE.match(t) for t in texts):
        return json.dumps(cell, ensure_ascii=False, separators=(",", ":"))
    value = "null" if cell["value"] is None else str(int(cell["value"]))
    return (
        f'{{"metric":"{texts[0]}","activity":"{texts[1]}","area":"{texts[2]}",'
        f'"age_band":"{texts[3]}","breakdown":"{texts[4]}","value":{value},'
        f'"suppressed":{"true" if cell["suppressed"] else "false"}}}'
    )


def _is_cell(value: dict[str, Any]) -> bool:
    return "metric" in value or "kind" in value


def render_json(result: ExportResult) -> bytes:
    """Return the JSON file (UTF-8)."""
    return (_json_text(json_document(result)) + "\n").encode("utf-8")


def render(result: ExportResult, fmt: ExportFormat) -> bytes:
    """Return ``result`` rendered in ``fmt``."""
    if fmt == "csv":
        return render_csv(result)
    if fmt == "xlsx":
        return render_xlsx(result)
    return render_json(result)

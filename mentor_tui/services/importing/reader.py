"""Read a spreadsheet (CSV or XLSX) into a header and numbered rows, for the importer.

Line numbers are spreadsheet row numbers: the header is line 1, the first data row line 2, as
Excel shows them (a CSV cell with an embedded line break still counts as one row). Completely
empty rows are dropped (their numbers are skipped, not reused).

CSV files may be UTF-8 with or without a byte-order mark (Danish Excel writes ``;`` and a BOM)
or, failing that, Windows-1252; the delimiter (``;``, ``,`` or tab) is taken from the header.
XLSX files are read with openpyxl in read-only mode, first sheet only, cell values as stored
(dates arrive as dates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual

Cell = str | dt.date | None
"""A cell value: text, a date (XLSX date cells) or empty."""

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
"""File name endings read as Excel workbooks; anything else is read as CSV."""


@dataclass
class Sheet:
    """The header and the non-empty data rows of a spreadsheet."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    """``(line, cells)`` per non-empty data row; ``line`` is the spreadsheet row number."""


class ImportFileError(MentorError):
    """The file cannot be read as a spreadsheet at all (nothing was imported)."""


def read_sheet(path: Path) -> Sheet:
    """Read ``path`` as XLSX (by its ending) or CSV.

    Raises:
        ImportFileError: the file is missing, unreadable, not a workbook, or has no header row.
    """
    if not path.is_file():
        raise ImportFileError(Bilingual(f"Filen findes ikke: {path}", f"File not found: {path}"))
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            Bilingual(f"Filen {path} kan ikke læses: {exc.strerror}", f"Cannot read {path}: {exc.strerror}")
        ) from exc
    return read_csv_bytes(data, name=str(path))


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (a BOM is dropped), else Windows-1252 (older Danish Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_delimiter(first_line: str) -> str:
    """Return the delimiter the header line uses most: ``;``, ``,`` or tab (``,`` if none)."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(data: bytes, *, name: str = "CSV") -> Sheet:
    """Parse CSV bytes into a :class:`Sheet`.

    Raises:
        ImportFileError: there is no header row.
    """
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            Bilingual(f"{name} kan ikke læses som CSV: {exc}", f"{name} cannot be read as CSV: {exc}")
        ) from exc
    return _to_sheet([[c for c in rec] for rec in records], name)


def _read_xlsx(path: Path) -> Sheet:
    import openpyxl  # only needed for workbooks; keeps CSV imports light

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            Bilingual(
                f"{path} er ikke en gyldig Excel-fil (xlsx)", f"{path} is not a valid Excel file (xlsx)"
            )
        ) from exc
    try:
        ws = wb.worksheets[0]
        records: list[list[Cell]] = []
        for values in ws.iter_rows(values_only=True):
            records.append([_xlsx_cell(v) for v in values])
    finally:
        wb.close()
    return _to_sheet(records, str(path))


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _to_sheet(records: list[list[Cell]], name: str) -> Sheet:
    header_index = next((i for i, rec in enumerate(records) if not all(_blank(c) for c in rec)), None)
    if header_index is None:
        raise ImportFileError(
            Bilingual(
                f"{name} er tom; første række skal være overskrifter",
                f"{name} is empty; the first row must be the column headings",
            ),
        )
    header = ["" if c is None else str(c) for c in records[header_index]]
    while header and not header[-1].strip():
        header.pop()  # Excel often saves empty trailing columns
    sheet = Sheet(header=header)
    for i, rec in enumerate(records[header_index + 1 :], start=header_index + 2):
        if all(_blank(c) for c in rec):
            continue
        cells = list(rec[: len(header)]) + [None] * (len(header) - len(rec))
        extra = [c for c in rec[len(header) :] if not _blank(c)]
        if extra:
            # values beyond the last heading: keep them so the importer can report the row
            cells += extra
        sheet.rows.append((i, cells))
    return sheet

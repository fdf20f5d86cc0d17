"""Read a spreadsheet (CSV or XLSX) as a header and a stream of numbered rows, for the importer.

Line numbers are spreadsheet row numbers as Excel shows them: the header is line 1, the first
data row line 2 (a CSV cell with an embedded line break still counts as one row; a ``sep=;``
first line, which Excel hides, is not counted). Completely empty rows are skipped (their numbers
are not reused). Rows are read one at a time (:meth:`Sheet.rows`), so memory stays bounded
whatever the file's size.

**CSV text is decoded strictly** (:func:`detect_encoding`): UTF-8 with or without a byte-order
mark, UTF-16 with a byte-order mark (Excel's "Unicode text"), or Windows-1252 (older Danish
Excel) only when the whole file decodes as Windows-1252, holds no valid UTF-8 sequence and looks
like text. Anything else, including a file that mixes UTF-8 and Windows-1252 rows, is refused
with the line of the first byte that does not fit; nothing is ever guessed or replaced. The
delimiter (``;``, ``,`` or tab) is taken from the header, or from a ``sep=`` first line.

**XLSX** is read with openpyxl in read-only mode without trusting the sheet's stored size
(``reset_dimensions``): a wrong ``<dimension>`` neither hides rows nor pads a million empty
ones, and trailing empty rows and columns are dropped. Cell values come as stored: text, dates
(date cells) and numbers (:data:`Cell`), so that the row parser can tell a number Excel made of
``2001.10`` from the text the user meant.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual

Cell = str | dt.date | int | float | None
"""A cell value: text, a date (XLSX date cells), a number (XLSX number cells) or empty."""

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
"""File name endings read as Excel workbooks; anything else is read as CSV."""

ENCODING_NAMES: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}
"""How each accepted encoding is named in the import report."""

_CHUNK = 1 << 20
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_CP1252_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf4][\x80-\xbf]{3}"
)
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


class ImportFileError(MentorError):
    """The file cannot be read as a spreadsheet at all (nothing was imported)."""


@dataclass
class Sheet:
    """An open spreadsheet: its header, and its data rows read lazily.

    Use as a context manager (the file is closed at the end), or call :meth:`close`.
    """

    header: list[str]
    encoding: str | None = None
    """The CSV encoding used, as named in :data:`ENCODING_NAMES` (None for XLSX)."""
    size: int = 0
    """The file's size in bytes (for progress)."""
    _rows: Iterator[tuple[int, list[Cell]]] = field(default_factory=lambda: iter(()))
    _position: Callable[[], int] = field(default=lambda: 0)
    _close: Callable[[], None] = field(default=lambda: None)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Yield ``(line, cells)`` per non-empty data row; ``line`` is the spreadsheet row number.

        Raises:
            ImportFileError: the file turns out unreadable part-way (bad CSV quoting, a
                damaged workbook).
        """
        return self._rows

    def position(self) -> int:
        """How many bytes of the file have been read so far (for progress; XLSX: rows)."""
        return self._position()

    def close(self) -> None:
        """Close the file."""
        self._close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sheet(path: Path) -> Sheet:
    """Open ``path`` as XLSX (by its ending) or CSV and read its header.

    Raises:
        ImportFileError: the file is missing, unreadable, not a workbook, not text in an
            accepted encoding (the message gives the line of the first bad byte), or has no
            header row.
    """
    if not path.is_file():
        raise ImportFileError(
            Bilingual("Filen findes ikke: {path}", "File not found: {path}").format(path=path)
        )
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _open_xlsx(path)
    try:
        encoding = detect_encoding(path)
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFileError(
            Bilingual("Filen {path} kan ikke læses: {reason}", "Cannot read {path}: {reason}").format(
                path=path, reason=exc.strerror or type(exc).__name__
            )
        ) from exc
    return _open_csv(raw, encoding, name=path.name, size=path.stat().st_size)


def read_csv_bytes(data: bytes, *, name: str = "CSV") -> Sheet:
    """Open CSV ``data`` held in memory (tests, fuzzing) like :func:`open_sheet` opens a file."""
    encoding = _detect(io.BytesIO(data), name)
    return _open_csv(io.BytesIO(data), encoding, name=name, size=len(data))


def _open_csv(raw: IO[bytes], encoding: str, *, name: str, size: int) -> Sheet:
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    try:
        first = text.readline()
        sep = _SEP_LINE.match(first.rstrip("\r\n"))
        if sep:
            delimiter = sep[1]
            first = text.readline()
        else:
            delimiter = detect_delimiter(first)
        lines = itertools.chain([first], text)
        reader = csv.reader(lines, delimiter=delimiter)
        records: Iterator[tuple[int, list[Cell]]] = (
            (line, list[Cell](rec)) for line, rec in enumerate(reader, start=1)
        )
        header, header_line, rest = _header(records, name)
    except (UnicodeDecodeError, csv.Error) as exc:
        text.close()
        raise _unreadable_csv(name, exc) from exc
    except BaseException:
        text.close()
        raise

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            yield from _data_rows(rest, header, header_line)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _unreadable_csv(name, exc) from exc

    def position() -> int:
        try:
            return raw.tell()
        except (OSError, ValueError):
            return size

    return Sheet(
        header=header,
        encoding=ENCODING_NAMES[encoding],
        size=size,
        _rows=rows(),
        _position=position,
        _close=text.close,
    )


def _unreadable_csv(name: str, exc: BaseException) -> ImportFileError:
    return ImportFileError(
        Bilingual("{name} kan ikke læses som CSV: {reason}", "{name} cannot be read as CSV: {reason}").format(
            name=name, reason=str(exc)
        )
    )


def detect_encoding(path: Path) -> str:
    """Return the Python codec name of ``path``'s text (see the module docstring).

    Raises:
        ImportFileError: the text is in no accepted encoding, or mixes encodings; the message
            names the line of the first byte that does not fit and says how to save the file.
    """
    with path.open("rb") as f:
        return _detect(f, path.name)


def _detect(f: IO[bytes], name: str) -> str:
    head = f.read(4)
    f.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        _check_decodes(f, "utf-8-sig", name)
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _check_decodes(f, "utf-16", name)
        return "utf-16"
    bad = _first_bad(f, "utf-8")
    if bad is None:
        return "utf-8"
    f.seek(0)
    data = f.read()  # only files that are not UTF-8 get here; Windows-1252 needs the whole file
    if not _UTF8_MULTIBYTE.search(data):
        # no UTF-8 letter anywhere: Windows-1252 if every byte is defined there and it is text
        text = data.decode("cp1252", errors="replace")
        odd = _NOT_CP1252_TEXT.search(text)
        if odd is None:
            return "cp1252"
        raise _bad_encoding(name, text[: odd.start()].count("\n") + 1)
    raise _bad_encoding(name, bad)


def _check_decodes(f: IO[bytes], encoding: str, name: str) -> None:
    bad = _first_bad(f, encoding)
    if bad is not None:
        raise _bad_encoding(name, bad)
    f.seek(0)


def _first_bad(f: IO[bytes], encoding: str) -> int | None:
    """Return the line of the first byte ``f`` cannot be decoded at (or of the first control
    character that is not text), or None; reads in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    while True:
        chunk = f.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            return _exact_line(f, encoding)
        if _NOT_TEXT.search(text):
            return _exact_line(f, encoding)
        if not chunk:
            return None


def _exact_line(f: IO[bytes], encoding: str) -> int:
    """Find the first bad line by decoding line by line (only after something was found)."""
    f.seek(0)
    if encoding.startswith("utf-16"):
        data = f.read()
        text = data.decode(encoding, errors="replace")
        bad = re.search(r"\ufffd|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
        return text[: bad.start()].count("\n") + 1 if bad else 1
    for number, line in enumerate(f, start=1):
        if number == 1 and encoding == "utf-8-sig":
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            return number
        if _NOT_TEXT.search(decoded):
            return number
    return 1


def _bad_encoding(name: str, line: int) -> ImportFileError:
    return ImportFileError(
        Bilingual(
            "{name} er ikke tekst i en kendt tegnkodning: linje {line} passer ikke til resten af "
            "filen (måske en blanding af UTF-8 og Windows-1252). Intet er importeret. Gem filen "
            "igen som «CSV UTF-8 (kommasepareret)» i Excel, eller med tegnsættet UTF-8 i "
            "LibreOffice, og importér den igen.",
            "{name} is not text in a known encoding: line {line} does not match the rest of the "
            "file (perhaps a mix of UTF-8 and Windows-1252). Nothing was imported. Save the file "
            "again as “CSV UTF-8 (Comma delimited)” in Excel, or with the UTF-8 character set in "
            "LibreOffice, and import it again.",
        ).format(name=name, line=line)
    )


def detect_delimiter(first_line: str) -> str:
    """Return the delimiter the header line uses most: ``;``, ``,`` or tab (``,`` if none)."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header(
    records: Iterator[tuple[int, list[Cell]]], name: str
) -> tuple[list[str], int, Iterator[tuple[int, list[Cell]]]]:
    """Find the header (the first non-empty row); return it, its line and the remaining records."""
    for line, rec in records:
        if all(_blank(c) for c in rec):
            continue
        header = ["" if c is None else str(c) for c in rec]
        while header and not header[-1].strip():
            header.pop()  # Excel often saves empty trailing columns
        return header, line, records
    raise ImportFileError(
        Bilingual(
            "{name} er tom; første række skal være overskrifter",
            "{name} is empty; the first row must be the column headings",
        ).format(name=name)
    )


def _data_rows(
    records: Iterator[tuple[int, list[Cell]]], header: list[str], header_line: int
) -> Iterator[tuple[int, list[Cell]]]:
    width = len(header)
    for line, rec in records:
        if all(_blank(c) for c in rec):
            continue
        cells = list(rec[:width]) + [None] * (width - len(rec))
        extra = [c for c in rec[width:] if not _blank(c)]
        if extra:
            cells += extra  # values beyond the last heading: kept so the importer reports the row
        yield line, cells


def _open_xlsx(path: Path) -> Sheet:
    import openpyxl  # only needed for workbooks; keeps CSV imports light
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        wb: Any = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as exc:
        raise _bad_workbook(path) from exc
    read = 0

    def records() -> Iterator[tuple[int, list[Cell]]]:
        # The rows the sheet's XML holds, by their own row numbers. Not ws.iter_rows: it trusts
        # the stored <dimension> (a wrong one hides rows) or, without it, pads every gap with
        # empty rows (one formatted cell at row 1,048,576 means a million of them).
        nonlocal read
        ws: Any = wb.worksheets[0]
        with ws._get_source() as source:
            parser = WorkSheetParser(
                source,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for line, cells in parser.parse():
                read += 1
                values: dict[int, Cell] = {}
                for cell in cells:
                    value = _xlsx_cell(cell["value"])
                    if not _blank(value):
                        values[int(cell["column"])] = value
                width = max(values, default=0)
                yield int(line), [values.get(col) for col in range(1, width + 1)]

    try:
        header, header_line, rest = _header(records(), path.name)
    except ImportFileError:
        wb.close()
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as exc:
        wb.close()
        raise _bad_workbook(path) from exc

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            yield from _data_rows(rest, header, header_line)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            raise _bad_workbook(path) from exc

    return Sheet(
        header=header,
        encoding=None,
        size=path.stat().st_size,
        _rows=rows(),
        _position=lambda: read,
        _close=wb.close,
    )


def _bad_workbook(path: Path) -> ImportFileError:
    return ImportFileError(
        Bilingual(
            "{path} er ikke en gyldig Excel-fil (xlsx)", "{path} is not a valid Excel file (xlsx)"
        ).format(path=path)
    )


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return value
    return str(value)

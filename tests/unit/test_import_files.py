"""The spreadsheets people really have (issue 10 item 6): encodings, Excel's sheet sizes, numbers
where text was meant, ``sep=`` lines and two-digit years. The files in tests/data/cases/import/
are the shared regression inputs; the variants below cover the rest of each kind of fault."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from mentor_tui.services.importing.importer import Importer, ImportResult
from mentor_tui.services.importing.reader import ImportFileError, open_sheet, read_csv_bytes
from mentor_tui.storage.repositories import Repositories

CASES = Path(__file__).resolve().parents[1] / "data" / "cases" / "import"
HEADER = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
ROWS = [
    "Bjørn-01;1988-08;MAND;VOLLSMOSE;A9;henvisning;02-11-2026;EGEN_HENVENDELSE;SH;;",
    "Søs-02;1991-01;KVINDE;RISING;A9;henvisning;03-11-2026;EGEN_HENVENDELSE;SH;;",
    "Åse-03;1993-06;KVINDE;RISING;A9;henvisning;04-11-2026;EGEN_HENVENDELSE;SH;;",
]


def _import(repos: Repositories, path: Path) -> ImportResult:
    return Importer(repos).import_file(path)


def _labels(repos: Repositories) -> list[str]:
    return sorted(p.display_label for p in repos.persons.all())


def _codes(result: ImportResult) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in result.problems:
        found.setdefault(p.line, []).append(p.code)
    return found


def _write(tmp_path: Path, data: bytes, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- encodings ------------------------------------------------------------------------------------


def test_mixed_utf8_and_cp1252_is_refused_with_the_line_and_nothing_is_imported(repos: Repositories) -> None:
    with pytest.raises(ImportFileError) as info:
        _import(repos, CASES / "mixed_utf8_cp1252.csv")
    assert "linje 3 passer ikke" in info.value.text("da")
    assert "line 3 does not match" in info.value.text("en")
    assert "CSV UTF-8" in info.value.text("da")
    assert repos.persons.count() == 0


def test_after_a_refused_mixed_file_the_clean_file_creates_no_duplicates(
    repos: Repositories, tmp_path: Path
) -> None:
    with pytest.raises(ImportFileError):
        _import(repos, CASES / "mixed_utf8_cp1252.csv")
    clean = (CASES / "mixed_utf8_cp1252.csv").read_bytes().replace(b"S\xf8s", "Søs".encode())
    result = _import(repos, _write(tmp_path, clean))
    assert result.ok, [p.text("en") for p in result.problems]
    assert result.encoding == "UTF-8"
    again = _import(repos, _write(tmp_path, clean))
    assert again.counts.persons == 0
    assert len(_labels(repos)) == len(set(_labels(repos)))
    assert any("ø" in label for label in _labels(repos))


@pytest.mark.parametrize(
    ("where", "line"),
    [(0, 2), (1, 3), (2, 4)],
)
def test_a_single_cp1252_row_in_utf8_is_found_wherever_it_is(
    repos: Repositories, tmp_path: Path, where: int, line: int
) -> None:
    parts = [(r + "\r\n").encode("utf-8") for r in ROWS]
    parts[where] = (ROWS[where] + "\r\n").encode("cp1252")
    data = (HEADER + "\r\n").encode() + b"".join(parts)
    with pytest.raises(ImportFileError) as info:
        _import(repos, _write(tmp_path, data))
    assert f"linje {line} passer ikke" in info.value.text("da")
    assert repos.persons.count() == 0


def test_excels_unicode_text_utf16_is_read_with_its_letters(repos: Repositories) -> None:
    result = _import(repos, CASES / "utf16_unicode_text.csv")
    assert result.ok, [p.text("en") for p in result.problems]
    assert result.encoding == "UTF-16"
    assert "Søren-07" in _labels(repos)


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8 (BOM)"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
        ("cp1252", b"", "Windows-1252"),
    ],
)
def test_each_accepted_encoding_reads_the_danish_letters_and_is_reported(
    repos: Repositories, tmp_path: Path, encoding: str, bom: bytes, name: str
) -> None:
    data = bom + "\r\n".join([HEADER, *ROWS, ""]).encode(encoding)
    result = _import(repos, _write(tmp_path, data))
    assert result.ok, [p.text("en") for p in result.problems]
    assert result.encoding == name
    assert _labels(repos) == ["Bjørn-01", "Søs-02", "Åse-03"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ("\r\n".join([HEADER, *ROWS]).encode("utf-16-le"), 1),  # UTF-16 without its BOM
        (b"PK\x03\x04" + bytes(range(256)) * 4, 1),  # a workbook saved with a .csv name
        ((HEADER + "\r\n" + ROWS[0] + "\r\n").encode() + b"\x81\x8d\x8f\r\n", 3),  # undefined in cp1252
        (codecs.BOM_UTF8 + (HEADER + "\r\n").encode() + "Bjørn".encode("cp1252") + b";x\r\n", 2),
    ],
)
def test_anything_else_is_refused_with_a_line(
    tmp_path: Path, repos: Repositories, data: bytes, line: int
) -> None:
    with pytest.raises(ImportFileError) as info:
        _import(repos, _write(tmp_path, data))
    assert f"linje {line} passer ikke" in info.value.text("da")
    assert repos.persons.count() == 0


# -- XLSX: the stored sheet size is not trusted ----------------------------------------------------


@pytest.mark.parametrize("name", ["xlsx_wrong_dimension.xlsx", "xlsx_dimension_too_short.xlsx"])
def test_a_wrong_stored_sheet_size_neither_hides_rows_nor_columns(repos: Repositories, name: str) -> None:
    result = _import(repos, CASES / name)
    assert result.ok, [p.text("en") for p in result.problems]
    assert result.rows == 3
    assert result.counts.referrals == 1
    assert result.counts.starts == 1
    assert result.counts.outcomes == 1


def test_one_formatted_cell_at_the_last_row_reads_only_the_rows_that_are_there(repos: Repositories) -> None:
    with open_sheet(CASES / "xlsx_formatted_to_last_row.xlsx") as sheet:
        rows = list(sheet.rows())
        assert sheet.position() < 10  # the XML rows, not a million padded ones
    assert [line for line, _ in rows] == [2]
    result = _import(repos, CASES / "xlsx_formatted_to_last_row.xlsx")
    assert result.ok
    assert result.rows == 1


def _workbook(
    tmp_path: Path, rows: list[list[object]], *, number_format: dict[int, str] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER.split(";"))
    for row in rows:
        ws.append(row)
    for col, fmt in (number_format or {}).items():
        for cells in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            for cell in cells:
                cell.number_format = fmt
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    return path


def test_gaps_and_trailing_empty_columns_in_a_workbook_are_fine(repos: Repositories, tmp_path: Path) -> None:
    base: list[str | dt.date] = ["GAP-01", "1990-05", "", "RISING", "A8", "henvisning", dt.date(2026, 10, 1)]
    base.append("JOBRAADGIVER")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER.split(";"))
    ws.append(base)
    ws.cell(row=50, column=1, value="GAP-02")  # a row far below, after empty ones
    for col, value in enumerate(base[1:], start=2):
        ws.cell(row=50, column=col, value=value)
    ws.cell(row=50, column=30).number_format = "@"  # a formatted but empty cell far to the right
    path = tmp_path / "gaps.xlsx"
    wb.save(path)
    result = _import(repos, path)
    assert result.ok, [p.text("en") for p in result.problems]
    assert result.counts.persons == 2


# -- numbers where text was meant --------------------------------------------------------------------


def test_a_birth_stored_as_a_number_is_refused_with_format_as_text(
    repos: Repositories, tmp_path: Path
) -> None:
    """Excel keeps 2001.10 as the number 2001.1; it was imported as January."""
    row = ["NUM-01", 2001.1, "", "RISING", "A8", "henvisning", dt.date(2026, 10, 1), "JOBRAADGIVER"]
    result = _import(repos, _workbook(tmp_path, [row]))
    assert _codes(result) == {2: ["number_in_text_column"]}
    text = result.problems[0].text("da")
    assert "Formatér kolonnen som tekst" in text
    assert "2001.1" in text
    assert "Format the column as text" in result.problems[0].text("en")
    assert repos.persons.count() == 0


@pytest.mark.parametrize(("column", "value"), [(1, 7), (8, 12), (9, 1234)])
def test_a_number_in_any_text_column_is_refused(
    repos: Repositories, tmp_path: Path, column: int, value: int
) -> None:
    row: list[object] = [
        "NUM-01",
        "1990-05",
        "",
        "RISING",
        "A8",
        "henvisning",
        dt.date(2026, 10, 1),
        "JOBRAADGIVER",
    ]
    row += ["", "", ""]
    row[column - 1] = value
    result = _import(repos, _workbook(tmp_path, [row]))
    assert "number_in_text_column" in _codes(result)[2]


@pytest.mark.parametrize("text", ["2001.1", "2001,1"])
def test_a_text_birth_that_may_be_october_is_ambiguous(
    repos: Repositories, tmp_path: Path, text: str
) -> None:
    data = "\r\n".join([HEADER, f"AMB-01;{text};;RISING;A8;henvisning;01-10-2026;JOBRAADGIVER;;;", ""])
    result = _import(repos, _write(tmp_path, data.encode()))
    assert _codes(result) == {2: ["ambiguous_month"]}
    assert "januar eller oktober" in result.problems[0].text("da")


def test_an_excel_serial_date_in_a_text_column_is_explained(repos: Repositories, tmp_path: Path) -> None:
    data = "\r\n".join([HEADER, "SER-01;1990-05;;RISING;A8;henvisning;46300;JOBRAADGIVER;;;", ""])
    result = _import(repos, _write(tmp_path, data.encode()))
    assert _codes(result) == {2: ["excel_serial_date"]}
    assert "Excel-datonummer (= 05-10-2026)" in result.problems[0].text("da")
    assert "Excel date serial number (= 05-10-2026)" in result.problems[0].text("en")


def test_a_date_number_without_date_format_in_a_workbook_is_explained(
    repos: Repositories, tmp_path: Path
) -> None:
    row = ["SER-02", "1990-05", "", "RISING", "A8", "henvisning", 46300, "JOBRAADGIVER"]
    result = _import(repos, _workbook(tmp_path, [row], number_format={7: "General"}))
    assert _codes(result) == {2: ["excel_serial_date"]}


# -- sep= lines and two-digit years -------------------------------------------------------------------


def test_a_sep_line_is_accepted(repos: Repositories) -> None:
    result = _import(repos, CASES / "sep_line.csv")
    assert result.ok, [p.text("en") for p in result.problems]
    assert _labels(repos) == ["SEP-01"]


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_a_sep_line_names_the_delimiter_even_with_a_bom(
    repos: Repositories, tmp_path: Path, sep: str
) -> None:
    rows = [line.replace(";", sep) for line in [HEADER, ROWS[0]]]
    data = codecs.BOM_UTF8 + "\r\n".join([f"sep={sep}", *rows, ""]).encode()
    result = _import(repos, _write(tmp_path, data))
    assert result.ok, [p.text("en") for p in result.problems]
    assert _labels(repos) == ["Bjørn-01"]


def test_libreoffice_two_digit_years_are_refused_and_explained(repos: Repositories) -> None:
    result = _import(repos, CASES / "libreoffice_da_roundtrip.csv")
    assert not result.ok
    assert {p.code for p in result.problems} == {"two_digit_year"}
    assert len(result.problems) == result.rows
    text = result.problems[0].text("da")
    assert "kun to cifre i året" in text
    assert "01-09-2026 til 01-09-26" in text
    assert "only two digits in the year" in result.problems[0].text("en")
    assert repos.persons.count() == 0


@pytest.mark.parametrize("date", ["1-9-26", "01.09.26", "01/09/26"])
def test_two_digit_years_in_other_spellings_are_explained(
    repos: Repositories, tmp_path: Path, date: str
) -> None:
    data = "\r\n".join([HEADER, f"YY-01;1990-05;;RISING;A8;henvisning;{date};JOBRAADGIVER;;;", ""])
    result = _import(repos, _write(tmp_path, data.encode()))
    assert _codes(result) == {2: ["two_digit_year"]}


def test_rows_are_read_lazily_from_memory_too() -> None:
    sheet = read_csv_bytes("\r\n".join([HEADER, *ROWS]).encode())
    rows = sheet.rows()
    assert next(rows)[0] == 2
    assert [line for line, _ in rows] == [3, 4]

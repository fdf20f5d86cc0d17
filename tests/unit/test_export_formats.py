"""The export files: CSV for Danish Excel, XLSX for reading and printing, JSON (issue 7 item 4)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from mentor_tui.codes import Activity
from mentor_tui.i18n import set_language
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts.export import (
    MARKER,
    ExportFormat,
    ExportResult,
    compute_export,
    output_path,
    render_export,
    save_export,
    write_export,
)
from mentor_tui.services.counts.formats import CSV_COLUMNS, render_metadata_csv
from mentor_tui.services.counts.periods import iso_week, project_year
from mentor_tui.storage.repositories import Repositories

W46 = iso_week(2026, 46)
W47 = iso_week(2026, 47)
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "export.schema.json").read_text(encoding="utf-8"))


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Return the rows of an export CSV as dicts by column heading (line 1 is the header)."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def xlsx_text(data: bytes) -> str:
    """Return every cell of every sheet as text, one sheet after another."""
    wb = load_workbook(io.BytesIO(data), read_only=True)
    out: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out.append(";".join("" if v is None else str(v) for v in row))
    return "\n".join(out)


@pytest.fixture
def weekly(seeded: CaseworkService) -> ExportResult:
    return compute_export(seeded.repos, W47, allow_incomplete=True)


def test_csv_is_one_tidy_table_from_line_1(weekly: ExportResult) -> None:
    data = render_export(weekly, "csv")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].split(";") == [heading.da for _, heading in CSV_COLUMNS]
    assert "\r\n" in text
    rows = read_csv(data)
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    assert len(rows) == sum(len(t.cells) for t in weekly.tables)
    assert {r["Antal"] for r in rows} <= {MARKER} | {str(n) for n in range(10_000)}
    total = [r for r in rows if r["Tabelkode"] == "REFERRALS.activity" and r["Niveau"] == "I alt"]
    assert [r["Antal"] for r in total] == [MARKER]  # one referral in week 47
    assert total[0]["Aktivitet"] == "I alt"
    a8 = next(
        r
        for r in rows
        if r["Tabelkode"] == "REFERRALS.activity" and r["Aktivitetskode"] == "A8_MENTOR_JOBPARAT"
    )
    assert a8["Aktivitet"] == "Mentor for jobparate"
    assert a8["Niveau"] == "Del"


def test_summing_the_parts_of_one_table_gives_its_total(seeded: CaseworkService) -> None:
    """What the lead does: SUMIFS over one table's parts equals the published total (no double count)."""
    result = compute_export(seeded.repos, project_year(2), internal=True)
    rows = read_csv(render_export(result, "csv"))
    for code in (
        "REFERRALS.activity",
        "REFERRALS.area",
        "REFERRALS.activity.breakdown",
        "MEETINGS.activity.area",
    ):
        table = [r for r in rows if r["Tabelkode"] == code]
        parts = sum(int(r["Antal"]) for r in table if r["Niveau"] == "Del")
        (total,) = [int(r["Antal"]) for r in table if r["Niveau"] == "I alt"]
        assert parts == total > 0


def test_csv_metadata_file(weekly: ExportResult) -> None:
    text = render_metadata_csv(weekly).decode("utf-8-sig")
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(text), delimiter=";")}
    assert (rows["period_code"], rows["period_start"], rows["period_end"]) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-22",
    )
    assert rows["counted_until"] == "2026-11-20"
    assert rows["complete"] == "nej"
    assert rows["threshold"] == "5"
    assert rows["generated_at"] == "2026-11-20T10:00:00+00:00"
    assert rows["app_version"]
    assert rows["marker"] == "x"
    assert "skjult" in rows["marker_meaning"]


def test_english_labels(seeded: CaseworkService) -> None:
    set_language("en")
    rows = read_csv(render_export(compute_export(seeded.repos, W46), "csv"))
    assert list(rows[0])[:2] == ["Table", "Table code"]
    assert rows[0]["Level"] == "Total"


def test_internal_files_say_so_and_show_exact_counts(seeded: CaseworkService, tmp_path: Path) -> None:
    result = compute_export(seeded.repos, W46, internal=True)
    rows = read_csv(render_export(result, "csv"))
    assert MARKER not in {r["Antal"] for r in rows}
    assert "INTERN" in render_metadata_csv(result).decode("utf-8-sig")
    assert (
        output_path(None, W46, "csv", internal=True, cwd=tmp_path).name == "mentor-tui-2026-W46-INTERNAL.csv"
    )
    assert output_path("tal.csv", W46, "csv", internal=True, cwd=tmp_path) == tmp_path / "tal.csv"
    assert output_path(tmp_path, W46, "json", internal=False).name == "mentor-tui-2026-W46.json"
    wb = load_workbook(io.BytesIO(render_export(result, "xlsx")))
    for ws in wb.worksheets:
        assert "INTERN" in str(ws["A1"].value) or "INTERN" in str(ws["A2"].value)
        assert ws.oddHeader is not None
        assert "INTERN" in str(ws.oddHeader.center.text)


def test_json_validates_against_the_schema(weekly: ExportResult, seeded: CaseworkService) -> None:
    for result in (weekly, compute_export(seeded.repos, project_year(2), internal=True)):
        doc = json.loads(render_export(result, "json"))
        Draft202012Validator.check_schema(SCHEMA)
        errors = list(Draft202012Validator(SCHEMA).iter_errors(doc))
        assert errors == []
    doc = json.loads(render_export(weekly, "json"))
    assert doc["metadata"]["period"] == {
        "kind": "week",
        "code": "2026-W47",
        "start": "2026-11-16",
        "end": "2026-11-22",
    }
    referrals = next(t for t in doc["tables"] if t["id"] == "REFERRALS.activity")
    total = referrals["cells"][-1]
    assert (total["value"], total["suppressed"], total["level"]) == (None, True, "total")
    assert next(t for t in doc["tables"] if t["id"] == "E1.activity")["relation"] == "distinct"
    broken = dict(doc, tables=[dict(referrals, cells=[dict(total, value=3)])])
    assert list(Draft202012Validator(SCHEMA).iter_errors(broken))  # a hidden cell may not carry a value


def test_xlsx_is_ready_to_read_and_print(weekly: ExportResult) -> None:
    wb = load_workbook(io.BytesIO(render_export(weekly, "xlsx")))
    assert wb.sheetnames[0] == "Oversigt"
    assert "Henvisninger" in wb.sheetnames
    assert "Henvisninger – kryds" in wb.sheetnames
    assert wb.sheetnames[-1] == "Om filen"
    summary = wb["Oversigt"]
    header = [c.value for c in summary[4]]
    assert header[:2] == ["Tal", "Kode"]
    assert header[2] == "2026-11-16..2026-11-20"  # week 47 up to today: incomplete
    lines = {row[1].value: row for row in summary.iter_rows(min_row=5) if row[1].value}
    assert lines["CASES_ACTIVE"][2].value == MARKER  # 4 active: hidden
    assert isinstance(lines["CASES_ACTIVE"][3].value, int)  # PY3 to date: 5, a number
    assert lines["MEETINGS.TREPARTSSAMTALE"][0].value == "heraf 3-partssamtaler"
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A5"
        assert all(c.font.bold for c in ws[4] if c.value is not None)
        assert ws.auto_filter.ref is not None
        assert ws.auto_filter.ref.startswith("A4:")
        assert ws.print_title_rows == "$4:$4"
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr is not None
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "x = skjult tal" in str(ws["A2"].value)  # the marker explained on every sheet
        widths = [ws.column_dimensions[col].width for col in "AB"]
        assert all(w and w > 6 for w in widths)
    sheet = wb["Henvisninger"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0][:3] == ("Aktivitet", "Fremskudt trivsels- og forebyggelsesindsats", "A1_FREMSKUDT_TRIVSEL")
    counts = [row[4] for row in sheet.iter_rows(min_row=5)]
    assert all(c.alignment.horizontal == "right" for c in counts)
    assert all(c.number_format == "#,##0" for c in counts if isinstance(c.value, int))


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def _identifying(repos: Repositories) -> tuple[set[str], set[str]]:
    ids: set[str] = set()
    labels: set[str] = set()
    for table in ("person", "referral", "cases", "meeting", "outcome", "closure", "reopening", "staff"):
        ids |= {str(r["id"]) for r in repos.db.query(f"SELECT id FROM {table}")}
    labels |= {str(r["display_label"]) for r in repos.db.query("SELECT display_label FROM person")}
    return ids, labels


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_no_file_names_anybody(seeded: CaseworkService, fmt: ExportFormat) -> None:
    # the seeded labels ("Amal K", ...) and every id must be absent; dates only the period's
    seeded.reopen_case(
        next(c.id for c in seeded.repos.cases.all() if c.activity is Activity.A10_FRITIDSJOB),
        note="Fortrolig note",
    )
    result = compute_export(seeded.repos, W47, internal=True, allow_incomplete=True)
    data = render_export(result, fmt)
    text = xlsx_text(data) if fmt == "xlsx" else data.decode("utf-8-sig")
    ids, labels = _identifying(seeded.repos)
    assert not any(i in text for i in ids)
    assert not any(label in text for label in labels)
    assert "Fortrolig" not in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)
    allowed = {"2026-11-16", "2026-11-22", "2026-11-20"} | {
        day.isoformat() for c in result.columns for day in (c.period.start, c.period.end)
    }
    assert set(re.findall(r"\d{4}-\d{2}-\d{2}", text)) <= allowed
    assert not re.search(r"(?<![\d-])\d{4}-\d{2}(?![\d-])", text)  # no birth year-month
    assert not re.search(r"\d{2}-\d{2}-\d{4}", text)  # dates only as ISO text


def test_save_records_the_run_with_the_file_hash(seeded: CaseworkService, tmp_path: Path) -> None:
    import hashlib

    result = compute_export(seeded.repos, project_year(2))
    path = tmp_path / "ud" / "tal.json"
    run = save_export(seeded.repos, result, "json", path)
    assert path.exists()
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    stored = seeded.repos.export_runs.get(run.id)
    assert (stored.period_code, stored.period_kind, stored.format) == ("PY2", "year", "json")
    assert (stored.threshold, stored.internal, stored.file_name) == (5, False, "tal.json")
    assert [p.name for p in path.parent.iterdir()] == ["tal.json"]  # no temporary file left


def test_write_failure_leaves_nothing_behind(
    weekly: ExportResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentor_tui.errors import MentorError

    folder = tmp_path / "ud"
    blocker = folder / "fil"
    folder.mkdir()
    blocker.write_text("not a directory")
    with pytest.raises(MentorError) as info:
        write_export(weekly, "csv", blocker / "ud.csv")
    assert "Kan ikke skrive" in info.value.text("da")
    assert "Cannot write" in info.value.text("en")
    assert [p.name for p in folder.iterdir()] == ["fil"]
    # the rename into place fails (e.g. the disk is full): the temporary file is cleaned up
    import os

    def no_room(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    monkeypatch.setattr(os, "link", no_room)
    with pytest.raises(MentorError):
        write_export(weekly, "csv", folder / "ud.csv")
    assert [p.name for p in folder.iterdir()] == ["fil"]


@pytest.mark.parametrize("doc", ["docs/export.md", "README.md"])
def test_the_csv_example_in_the_docs_is_what_the_export_writes(seeded: CaseworkService, doc: str) -> None:
    docs = (Path(__file__).parents[2] / doc).read_text(encoding="utf-8")
    block = docs.split("```\nTabel;Tabelkode;", 1)[1].split("```", 1)[0]
    example = ("Tabel;Tabelkode;" + block).splitlines()
    text = render_export(compute_export(seeded.repos, W46, threshold=3), "csv").decode("utf-8-sig")
    lines = text.splitlines()
    head = example[: example.index("...")]
    assert lines[: len(head)] == head
    assert {line for line in example if line != "..."} <= set(lines)

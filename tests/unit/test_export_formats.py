"""The export files: CSV for Danish Excel, XLSX, JSON (issue 4 items 4 and 5)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mentor_tui.codes import Activity
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts.export import (
    ExportFormat,
    ExportResult,
    compute_export,
    output_path,
    render_export,
    save_export,
    write_export,
)
from mentor_tui.services.counts.formats import FRONT_SHEET, TABLE_COLUMNS
from mentor_tui.services.counts.periods import iso_week, project_year
from mentor_tui.storage.repositories import Repositories

W47 = iso_week(2026, 47)


def read_csv(data: bytes) -> tuple[dict[str, str], list[list[str]]]:
    """Return the header block and the table rows (with the column row) of an export CSV."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    head, _, table = text.partition("\r\n\r\n")
    header = {row[0]: row[1] for row in csv.reader(io.StringIO(head), delimiter=";")}
    return header, list(csv.reader(io.StringIO(table), delimiter=";"))


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
    return compute_export(seeded.repos, W47)


def test_csv_opens_in_danish_excel(weekly: ExportResult) -> None:
    data = render_export(weekly, "csv")
    assert b"\r\n" in data
    header, rows = read_csv(data)
    assert header["period_kind"] == "week"
    assert header["period_code"] == "2026-W47"
    assert (header["period_start"], header["period_end"]) == ("2026-11-16", "2026-11-22")
    assert (header["ytd_start"], header["ytd_end"]) == ("2026-10-01", "2026-11-22")
    assert header["threshold"] == "5"
    assert header["internal"] == "false"
    assert header["generated_at"] == "2026-11-20T10:00:00+00:00"
    assert header["app_version"]
    assert tuple(rows[0]) == TABLE_COLUMNS
    assert len(rows) - 1 == len(weekly.cells) + len(weekly.ytd_cells)
    assert all(len(r) == 6 for r in rows)
    by_key = {tuple(r[:5]): r[5] for r in rows[1:]}
    assert by_key[("REFERRALS", "ALL", "ALL", "ALL", "ALL")] == "<5"  # one referral in week 47
    assert by_key[("MEETINGS", "ALL", "ALL", "ALL", "ALL")] == "0"
    assert ("E1_YTD", "ALL", "ALL", "ALL", "ALL") in by_key


def test_internal_csv_says_so_in_header_and_name(seeded: CaseworkService, tmp_path: Path) -> None:
    result = compute_export(seeded.repos, W47, internal=True)
    header, rows = read_csv(render_export(result, "csv"))
    assert header["internal"] == "true"
    assert "INTERN" in header["mentor-tui"]
    assert "suppressed" not in header
    assert "<5" not in {r[5] for r in rows[1:]}
    assert (
        output_path(None, W47, "csv", internal=True, cwd=tmp_path).name == "mentor-tui-2026-W47-INTERNAL.csv"
    )
    assert output_path("tal.csv", W47, "csv", internal=True, cwd=tmp_path) == tmp_path / "tal-INTERNAL.csv"
    assert output_path(tmp_path, W47, "json", internal=False).name == "mentor-tui-2026-W47.json"


def test_json_has_the_agreed_shape(weekly: ExportResult) -> None:
    doc = json.loads(render_export(weekly, "json"))
    assert list(doc) == ["period", "threshold", "internal", "generated_at", "app_version", "cells", "ytd"]
    assert doc["period"] == {"kind": "week", "code": "2026-W47", "start": "2026-11-16", "end": "2026-11-22"}
    assert (doc["threshold"], doc["internal"]) == (5, False)
    keys = ["metric", "activity", "area", "age_band", "breakdown", "value", "suppressed"]
    assert all(list(c) == keys for c in doc["cells"])
    referrals = next(c for c in doc["cells"] if c["metric"] == "REFERRALS" and c["activity"] == "ALL")
    assert referrals["area"] == "ALL"
    assert (referrals["value"], referrals["suppressed"]) == (None, True)
    assert doc["ytd"]["start"] == "2026-10-01"
    assert {c["metric"] for c in doc["ytd"]["cells"]} == {"E1", "E2", "E3", "E4", "E5"}


def test_xlsx_has_a_front_sheet_and_a_sheet_per_group(weekly: ExportResult) -> None:
    wb = load_workbook(io.BytesIO(render_export(weekly, "xlsx")), read_only=True)
    assert wb.sheetnames == [
        FRONT_SHEET,
        "Indikatorer",
        "Indikatorer år til dato",
        "Henvisninger",
        "Forløb",
        "Møder",
        "Resultater",
    ]
    front = {row[0]: row[1] for row in wb[FRONT_SHEET].iter_rows(values_only=True) if row and row[0]}
    assert front["period_code"] == "2026-W47"
    assert front["threshold"] == "5"
    assert front["generated_at"] == "2026-11-20T10:00:00+00:00"
    assert str(front["E1"]).startswith("Personer 18-29")
    rows = list(wb["Henvisninger"].iter_rows(values_only=True))
    assert rows[0] == TABLE_COLUMNS
    assert rows[1] == ("REFERRALS", "ALL", "ALL", "ALL", "ALL", "<5")
    total = sum(len(list(wb[name].iter_rows())) - 1 for name in wb.sheetnames[1:])
    assert total == len(weekly.cells) + len(weekly.ytd_cells)


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
    result = compute_export(seeded.repos, W47, internal=True)
    data = render_export(result, fmt)
    text = xlsx_text(data) if fmt == "xlsx" else data.decode("utf-8-sig")
    ids, labels = _identifying(seeded.repos)
    assert not any(i in text for i in ids)
    assert not any(label in text for label in labels)
    assert "Fortrolig" not in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)
    allowed = {"2026-11-16", "2026-11-22", "2026-10-01", "2026-11-20"}
    assert set(re.findall(r"\d{4}-\d{2}-\d{2}", text)) <= allowed
    assert not re.search(r"(?<![\d-])\d{4}-\d{2}(?![\d-])", text)  # no birth year-month
    assert not re.search(r"\d{2}-\d{2}-\d{4}", text)


def test_save_records_the_run_with_the_file_hash(seeded: CaseworkService, tmp_path: Path) -> None:
    import hashlib

    result = compute_export(seeded.repos, project_year(3))
    path = tmp_path / "ud" / "tal.json"
    run = save_export(seeded.repos, result, "json", path)
    assert path.exists()
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    stored = seeded.repos.export_runs.get(run.id)
    assert (stored.period_code, stored.period_kind, stored.format) == ("PY3", "year", "json")
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
    with pytest.raises(MentorError):
        write_export(weekly, "csv", folder / "ud.csv")
    assert [p.name for p in folder.iterdir()] == ["fil"]


def test_the_csv_example_in_the_docs_is_what_the_export_writes(seeded: CaseworkService) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    block = docs.split("```\nmentor-tui;Anonymiserede tal", 1)[1].split("```", 1)[0]
    example = ("mentor-tui;Anonymiserede tal" + block).splitlines()
    shown = [line for line in example if line != "..." and not line.startswith("app_version;")]
    text = render_export(compute_export(seeded.repos, W47, threshold=3), "csv").decode("utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("app_version;")]
    head = [line for line in example[: example.index("...")] if not line.startswith("app_version;")]
    assert lines[: len(head)] == head
    assert set(shown) <= set(lines)

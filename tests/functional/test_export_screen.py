"""Pilot tests of the export screen (issues 4 and 7): keyboard only, files in ``tmp_path``."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.config import Settings
from mentor_tui.i18n import set_language
from mentor_tui.screens.export import ExportScreen, OverwriteQuestion
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.counts_table import CountsTable
from mentor_tui.widgets.period_picker import PeriodPicker

SIZE = (110, 35)


async def open_export(app: MentorApp, pilot: Pilot[None]) -> ExportScreen:
    """Push the export screen and wait for its first preview."""
    screen = ExportScreen(app.repos, app.settings)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def settle(app: MentorApp, pilot: Pilot[None]) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def tab_to(app: MentorApp, pilot: Pilot[None], widget_id: str) -> None:
    """Press Tab until the widget with ``widget_id`` has focus (as a user would)."""
    for _ in range(15):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{widget_id}; focus is on {app.focused!r}")


async def type_folder(app: MentorApp, pilot: Pilot[None], folder: Path) -> None:
    """Replace the output folder by typing it."""
    await tab_to(app, pilot, "export-folder")
    await pilot.press("end", "ctrl+u", *str(folder))


def referrals_total(screen: ExportScreen) -> str:
    """The summary's referrals for the period, as the preview shows it."""
    table = screen.query_one(CountsTable)
    for row_key in table.rows:
        row = table.get_row(row_key)
        if row[0] in ("Henvisninger", "Referrals"):
            return str(row[1])
    raise AssertionError("no referrals line in the preview")


def status(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-status", Static).render())


async def test_starts_on_the_last_complete_week(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        assert screen.period.code == "2026-W46"
        assert "uge 46 2026" in status(screen)
        assert referrals_total(screen) == "0"


async def test_writes_csv_by_keys_and_records_the_run(seeded_app: MentorApp, tmp_path: Path) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await type_folder(seeded_app, pilot, tmp_path)
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)

        path = tmp_path / "mentor-tui-2026-W46.csv"
        assert path.exists()
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # BOM for Danish Excel
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Tabel;Tabelkode;Tal;")
        meta = (tmp_path / "mentor-tui-2026-W46.metadata.csv").read_text(encoding="utf-8-sig")
        assert "period_code;Periode;2026-W46" in meta
        assert "threshold;Grænse for små tal;5" in meta

        (run,) = seeded_app.repos.export_runs.all()
        assert (run.period_code, run.format, run.threshold, run.internal) == ("2026-W46", "csv", 5, False)
        assert run.file_name == path.name
        assert run.file_sha256 == hashlib.sha256(data).hexdigest()
        shown = str(screen.query_one("#export-result", Static).render())
        assert str(path) in shown
        assert run.file_sha256 in shown


async def test_internal_toggle_marks_the_file_and_shows_exact_counts(
    seeded_app: MentorApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the folder field starts on the current directory
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await tab_to(seeded_app, pilot, "period-step")
        await pilot.press("right")  # week 47: Dana R was referred on 16-11-2026
        await settle(seeded_app, pilot)
        assert referrals_total(screen) == "x"
        assert "UFULDSTÆNDIG" in status(screen)  # week 47 is not over: counted up to today

        await tab_to(seeded_app, pilot, "export-internal")
        await pilot.press("space")
        await settle(seeded_app, pilot)
        warning = str(screen.query_one("#export-internal-warning", Static).render())
        assert warning == "INTERN — ikke anonymiseret"
        assert referrals_total(screen) == "1"

        await pilot.press("ctrl+s")  # refused: the week has not ended and "Up to today" is off
        await settle(seeded_app, pilot)
        assert "Til i dag" in status(screen)
        assert not list(tmp_path.glob("mentor-tui-*"))
        await tab_to(seeded_app, pilot, "export-incomplete")
        await pilot.press("space", "ctrl+s")
        await settle(seeded_app, pilot)

    path = tmp_path / "mentor-tui-2026-W47-INTERNAL-UFULDSTAENDIG.csv"
    assert path.exists()
    text = path.read_text(encoding="utf-8-sig")
    assert "REFERRALS.activity;Henvisninger;REFERRALS;2026-11-16..2026-11-20" in text
    assert "INTERN" in path.with_name(path.stem + ".metadata.csv").read_text(encoding="utf-8-sig")
    (run,) = seeded_app.repos.export_runs.all()
    assert run.internal is True
    assert run.complete is False


async def test_stepping_the_period_changes_the_preview(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await tab_to(seeded_app, pilot, "period-step")
        await pilot.press("right")
        await settle(seeded_app, pilot)
        assert screen.period.code == "2026-W47"
        assert "uge 47 2026" in status(screen)
        assert referrals_total(screen) == "x"
        await pilot.press("left", "left")
        await settle(seeded_app, pilot)
        assert screen.period.code == "2026-W45"
        assert referrals_total(screen) == "0"


async def test_typed_code_and_kind_change_the_period(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await tab_to(seeded_app, pilot, "period-code")
        await pilot.press(*"PY3-Q1", "enter")
        await settle(seeded_app, pilot)
        assert screen.period.code == "PY3-Q1"
        # Amal K (01-10-2026) and Dana R (16-11-2026): 2, hidden
        assert referrals_total(screen) == "x"
        await tab_to(seeded_app, pilot, "period-step")
        await pilot.press("left")
        await settle(seeded_app, pilot)
        assert screen.period.code == "PY2-Q4"


async def test_a_bad_code_is_explained_and_keeps_the_period(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await tab_to(seeded_app, pilot, "period-code")
        await pilot.press(*"uge 99", "enter")
        await settle(seeded_app, pilot)
        assert screen.period.code == "2026-W46"
        error = str(screen.query_one(PeriodPicker).query_one("#period-error", Static).render())
        assert "er ikke en periode" in error


async def test_a_missing_folder_writes_nothing(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_export(seeded_app, pilot)
        await type_folder(seeded_app, pilot, Path("/nowhere-h6"))
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)
        assert not Path("/nowhere-h6").exists()
        assert seeded_app.repos.export_runs.count() == 0
        assert any("Mappen findes ikke" in str(n.message) for n in seeded_app._notifications)


@pytest.mark.parametrize(
    ("rights", "fmt", "starts_with"),
    [(1, "xlsx", b"PK"), (2, "json", b"{")],  # XLSX is a zip file
)
async def test_format_chosen_by_keys(
    seeded_app: MentorApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rights: int,
    fmt: str,
    starts_with: bytes,
) -> None:
    monkeypatch.chdir(tmp_path)
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_export(seeded_app, pilot)
        await tab_to(seeded_app, pilot, "export-format")
        await pilot.press(*["right"] * rights, "enter")
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)
    assert (tmp_path / f"mentor-tui-2026-W46.{fmt}").read_bytes().startswith(starts_with)
    (run,) = seeded_app.repos.export_runs.all()
    assert run.format == fmt


@pytest.fixture
def english_app(seeded: CaseworkService) -> MentorApp:
    """The seeded app speaking English."""
    return make_app(settings=Settings(language="en"), repos=seeded.repos)


async def test_english(english_app: MentorApp) -> None:
    set_language("en")  # the app sets it at start; the test runs in a context of its own
    async with english_app.run_test(size=SIZE) as pilot:
        screen = await open_export(english_app, pilot)
        assert "week 46 2026" in status(screen)
        assert screen.query_one("#export-folder", Input).value == str(Path.cwd())
        table = screen.query_one(CountsTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels == ["Metric", "week 46 2026", "PY3 to date", "Year earlier: week 46 2025"]


async def test_from_to_range_by_keys(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await tab_to(seeded_app, pilot, "period-kind")
        await pilot.press("enter", "down", "down", "down", "enter")  # Uge → Fra-til
        await settle(seeded_app, pilot)
        assert screen.period.kind == "range"
        assert (screen.period.start.isoformat(), screen.period.end.isoformat()) == (
            "2026-11-09",
            "2026-11-15",
        )
        await tab_to(seeded_app, pilot, "period-from")
        await pilot.press("end", "ctrl+u", *"01-11-2026", "tab", "end", "ctrl+u", *"20-11-2026", "enter")
        await settle(seeded_app, pilot)
        assert screen.period.code == "2026-11-01..2026-11-20"
        assert referrals_total(screen) == "x"  # Dana R, 16-11
        await tab_to(seeded_app, pilot, "period-to")
        await pilot.press("end", "ctrl+u", *"01-10-2026", "enter")
        await settle(seeded_app, pilot)
        assert screen.period.code == "2026-11-01..2026-11-20"  # kept: the range would end first
        error = str(screen.query_one("#period-error", Static).render())
        assert "slutter" in error


async def test_views_of_the_preview(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        table = screen.query_one(CountsTable)
        assert table.row_count == 12  # the summary's lines
        assert "oversigten" in status(screen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        values = [str(table.get_row(key)[2]) for key in table.rows]
        assert values  # the four cases active in week 46, by activity, area, age band
        assert "0" not in values
        assert "tal der ikke er 0" in status(screen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert table.row_count == 12


async def test_the_folder_is_remembered(
    seeded_app: MentorApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_export(seeded_app, pilot)
        await type_folder(seeded_app, pilot, tmp_path)
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_export(seeded_app, pilot)  # opened again, e.g. next week
        assert screen.query_one("#export-folder", Input).value == str(tmp_path.resolve())


async def test_an_existing_file_is_overwritten_only_after_asking(
    seeded_app: MentorApp, tmp_path: Path
) -> None:
    path = tmp_path / "mentor-tui-2026-W46.csv"
    path.write_text("the lead's own notes")
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await type_folder(seeded_app, pilot, tmp_path)
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)
        assert isinstance(seeded_app.screen, OverwriteQuestion)
        await pilot.press("enter")  # the default button keeps the file
        await settle(seeded_app, pilot)
        assert not isinstance(seeded_app.screen, OverwriteQuestion)
        assert path.read_text() == "the lead's own notes"
        assert "findes allerede" in status(screen)
        assert seeded_app.repos.export_runs.count() == 0
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)
        await pilot.press("o")  # overwrite
        await settle(seeded_app, pilot)
    assert path.read_text(encoding="utf-8-sig").startswith("Tabel;")
    assert seeded_app.repos.export_runs.count() == 1


async def test_f1_explains_the_export(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_export(seeded_app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert seeded_app.screen.query_one("#help-box").border_title == "Hjælp: Eksport"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(seeded_app.screen, ExportScreen)


async def test_a_failed_write_is_shown_and_not_recorded(
    seeded_app: MentorApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mentor-tui-2026-W46.csv").mkdir()  # a folder where the file should go
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await pilot.press("ctrl+s")
        await settle(seeded_app, pilot)
        assert "er en mappe, ikke en fil" in status(screen)
        assert seeded_app.repos.export_runs.count() == 0
        await pilot.press("ctrl+s")  # the screen is not stuck "busy" after a failure
        await settle(seeded_app, pilot)
        assert "Eksporten mislykkedes" in status(screen)


async def test_escape_goes_back(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_export(seeded_app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert seeded_app.screen is not screen


async def test_write_from_the_command_palette(
    seeded_app: MentorApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_export(seeded_app, pilot)
        await pilot.press("ctrl+p", *"Gem eksport")
        await settle(seeded_app, pilot)  # the palette searches in a worker
        await pilot.press("enter")
        await settle(seeded_app, pilot)
    assert (tmp_path / "mentor-tui-2026-W46.csv").exists()


SnapCompare = Callable[..., bool]


class TestExportSnapshots:
    """Deterministic: clock frozen at 20-11-2026, no cursor blink, folder field on ``/``."""

    @pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
    def test_export_screen(
        self,
        seeded_app: MentorApp,
        snap_compare: SnapCompare,
        monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int],
    ) -> None:
        monkeypatch.chdir("/")

        async def run_before(pilot: Pilot[None]) -> None:
            await open_export(seeded_app, pilot)

        assert snap_compare(seeded_app, run_before=run_before, terminal_size=size)

    @pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
    def test_export_screen_internal_quarter(
        self,
        seeded_app: MentorApp,
        snap_compare: SnapCompare,
        monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int],
    ) -> None:
        monkeypatch.chdir("/")

        async def run_before(pilot: Pilot[None]) -> None:
            await open_export(seeded_app, pilot)
            await tab_to(seeded_app, pilot, "period-code")
            await pilot.press(*"PY3-Q1", "enter")
            await tab_to(seeded_app, pilot, "export-internal")
            await pilot.press("space")
            await settle(seeded_app, pilot)

        assert snap_compare(seeded_app, run_before=run_before, terminal_size=size)

    @pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
    def test_overwrite_question(
        self,
        seeded_app: MentorApp,
        snap_compare: SnapCompare,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int],
    ) -> None:
        folder = Path(f"/tmp/mentor-tui-snapshot-{size[0]}")  # a fixed path: it is on the picture
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        (folder / "mentor-tui-2026-W46.csv").write_text("old")
        monkeypatch.chdir(folder)

        async def run_before(pilot: Pilot[None]) -> None:
            await open_export(seeded_app, pilot)
            await pilot.press("ctrl+s")
            await settle(seeded_app, pilot)

        try:
            assert snap_compare(seeded_app, run_before=run_before, terminal_size=size)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

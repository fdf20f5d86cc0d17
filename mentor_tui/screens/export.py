"""Export screen: pick a period, preview the anonymised counts, write CSV, XLSX or JSON.

Keys: ←/→ step the period while the period field has focus, type a code such as ``2026-W47``,
``PY3-Q1`` or ``PY3`` in the code field and press Enter; Tab moves between the fields;
``ctrl+s`` writes the file; ``ctrl+o`` changes which cells the preview shows; F1 explains;
Escape goes back. Every written file is recorded (period, threshold, SHA-256 of the file,
time) by the export service.

The folder starts as the current directory, as for ``mentor-tui export``: it is where the user
started the app, visible and editable, whereas the data directory is hidden away and holds the
database, which an export file should not sit beside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Footer, Header, Input, Label, ProgressBar, RadioButton, RadioSet, Static
from textual.worker import Worker, WorkerState

from mentor_tui.config import Settings
from mentor_tui.errorlog import message_for
from mentor_tui.i18n import Catalog, lang
from mentor_tui.screens.screen_help import ScreenHelp
from mentor_tui.services.counts.dashboard import period_label
from mentor_tui.services.counts.export import (
    FORMATS,
    Cell,
    ExportFormat,
    ExportResult,
    compute_export,
    output_path,
    save_export,
)
from mentor_tui.services.counts.metrics import ALL
from mentor_tui.services.counts.periods import Period, last_complete_week
from mentor_tui.storage.repositories import Repositories
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.counts_table import CountsTable
from mentor_tui.widgets.period_picker import PeriodPicker

T = Catalog(
    {
        "title": ("Eksport af anonymiserede tal", "Export of anonymised counts"),
        "format": ("Format", "Format"),
        "internal": ("Intern", "Internal"),
        "internal_warning": ("INTERN — ikke anonymiseret", "INTERNAL — not anonymised"),
        "anonymised": (
            "Anonymiseret: 1-{below} vises som <{threshold}",
            "Anonymised: 1-{below} shown as <{threshold}",
        ),
        "folder": ("Mappe", "Folder"),
        "computing": ("Tæller op …", "Counting …"),
        "writing": ("Skriver filen …", "Writing the file …"),
        "summary": (
            "{period}: {cells} celler, {suppressed} skjult (<{threshold}); viser {view}",
            "{period}: {cells} cells, {suppressed} suppressed (<{threshold}); showing {view}",
        ),
        "summary_internal": (
            "{period}: {cells} celler, eksakte tal (INTERN); viser {view}",
            "{period}: {cells} cells, exact counts (INTERNAL); showing {view}",
        ),
        "view:totals": ("{rows} totaler", "{rows} totals"),
        "view:activities": ("{rows} totaler pr. aktivitet", "{rows} totals per activity"),
        "view:nonzero": ("{rows} celler der ikke er 0", "{rows} cells that are not 0"),
        "written": ("Gemt: {path}\nSHA-256: {sha}", "Saved: {path}\nSHA-256: {sha}"),
        "written_title": ("Eksport gemt", "Export saved"),
        "no_folder": ("Mappen findes ikke: {path}", "The folder does not exist: {path}"),
        "failed": ("Eksporten mislykkedes: {error}", "The export failed: {error}"),
        "busy": ("Vent, eksporten er i gang", "Wait, the export is running"),
        "cmd-previous": ("Forrige periode", "Previous period"),
        "cmd-previous-help": ("Vis tallene for perioden før", "Show the counts of the period before"),
        "cmd-next": ("Næste periode", "Next period"),
        "cmd-next-help": ("Vis tallene for perioden efter", "Show the counts of the period after"),
        "help_title": ("Hjælp: Eksport", "Help: Export"),
        "help_text": (
            "Anonymiserede tal til lederen for en periode, som CSV (dansk Excel), XLSX eller JSON.\n\n"
            "- **Periode**: vælg uge, projektkvartal, projektår eller fra-til. Står markøren på "
            "perioden, skifter **←** og **→** til forrige og næste. I **Kode** kan du skrive fx "
            "2026-W47, PY3-Q1 eller PY3 og trykke **Enter**. Projektåret går fra 1. oktober til "
            "30. september; PY1 begyndte 01-10-2024.\n"
            "- Uden **Intern** er filen anonymiseret: tal fra 1 til {below} og de tal de kunne regnes "
            "ud fra vises som **<{threshold}**; nul vises. **Intern** giver eksakte tal; filen "
            "hedder ...-INTERNAL og må ikke deles.\n"
            "- Tabellen viser et udsnit af filen; **Ctrl+O** skifter mellem totaler, totaler pr. "
            "aktivitet og alle celler der ikke er 0.\n"
            "- **Ctrl+S** gemmer filen i **Mappe**. Hver eksport registreres med periode, "
            "tærskel, tidspunkt og filens SHA-256, som også vises.\n"
            "- **Tab** flytter mellem felterne, **Escape** går tilbage.",
            "Anonymised counts for the lead for one period, as CSV (Danish Excel), XLSX or JSON.\n\n"
            "- **Period**: choose week, project quarter, project year or from-to. With the cursor on "
            "the period, **←** and **→** go to the previous and next one. In **Code** you can type "
            "e.g. 2026-W47, PY3-Q1 or PY3 and press **Enter**. The project year runs from 1 October "
            "to 30 September; PY1 began on 01-10-2024.\n"
            "- Without **Internal** the file is anonymised: counts from 1 to {below}, and those they "
            "could be worked out from, are shown as **<{threshold}**; zeros are shown. **Internal** "
            "gives exact counts; the file is called ...-INTERNAL and must not be shared.\n"
            "- The table shows part of the file; **Ctrl+O** switches between the totals, the totals "
            "per activity and every cell that is not 0.\n"
            "- **Ctrl+S** saves the file in **Folder**. Every export is recorded with its period, "
            "threshold, time and the file's SHA-256, which is also shown.\n"
            "- **Tab** moves between fields, **Escape** goes back.",
        ),
    }
)

VIEWS: tuple[str, ...] = ("totals", "activities", "nonzero")
"""What the preview shows: grand totals by breakdown, totals per activity, or every cell not 0.

The file always has every cell; a full table (tens of thousands of cells) is too long to read.
"""


class ExportScreen(MentorScreen[None]):
    """Preview and write the anonymised counts for a period (issue 4 item 6).

    The preview is computed by the export service in a worker thread whenever the period or
    the internal toggle changes; writing computes the counts afresh, writes the file
    atomically and records the run, then shows the path and SHA-256.
    """

    HELP_TOPIC = "export"

    DEFAULT_CSS = """
    ExportScreen {
        & #export-form { height: auto; padding: 1 1 0 1; }
        & Horizontal { height: auto; margin: 0 0 1 0; }
        & .export-label { width: 8; }
        & #export-format { width: auto; layout: horizontal; }
        & #export-format > RadioButton { width: auto; margin: 0 2 0 0; }
        & #export-internal { margin: 0 0 0 2; }
        & #export-internal-warning { width: 1fr; padding: 0 1; color: $text-muted; }
        & #export-internal-warning.-internal { color: $text; background: $error; text-style: bold; }
        & #export-folder { width: 1fr; }
        & #export-status-row { height: 1; }
        & #export-status { width: 1fr; }
        & #export-progress { width: auto; }
        & #export-result { color: $success; height: auto; display: none; }
        & #export-result.-written { display: block; }
        & #export-preview { height: 1fr; margin: 0 1; }
    }
    """

    BINDINGS = [
        binding("escape", "back", id="back"),
        binding("ctrl+s", "write_export", id="write-export"),
        binding("ctrl+o", "cycle_view", id="preview-view"),
        binding("f1", "help", id="help", show=False),
    ]

    @dataclass
    class PreviewComputed(Message):
        """A worker finished counting a period for the preview."""

        result: ExportResult

    @dataclass
    class ExportWritten(Message):
        """A worker wrote and recorded an export file."""

        path: Path
        sha256: str

    def __init__(self, repos: Repositories, settings: Settings) -> None:
        super().__init__()
        self.repos = repos
        self.settings = settings
        self.result: ExportResult | None = None
        """The counts now previewed, or None while they are being computed."""
        self.view = VIEWS[0]
        """Which cells the preview shows (see :data:`VIEWS`)."""
        self.written: Path | None = None
        """The last file written from this screen."""
        self._writing = False

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Period picker, format, internal toggle, folder, progress, preview table."""
        yield Header()
        with Vertical(id="export-form"):
            yield PeriodPicker(last_complete_week(self.repos.clock.today()), id="export-period")
            with Horizontal():
                yield Label(T("format"), classes="export-label")
                with RadioSet(id="export-format", compact=True):
                    for i, fmt in enumerate(FORMATS):
                        yield RadioButton(fmt.upper(), value=i == 0, id=f"format-{fmt}", compact=True)
                yield Checkbox(T("internal"), False, id="export-internal", compact=True)
                yield Static(id="export-internal-warning")
            with Horizontal():
                yield Label(T("folder"), classes="export-label")
                yield Input(str(Path.cwd()), id="export-folder", compact=True)
            with Horizontal(id="export-status-row"):
                yield Static(id="export-status")
                yield ProgressBar(total=1, show_eta=False, id="export-progress")
            yield Static(id="export-result")
        yield CountsTable(id="export-preview")
        yield Footer()

    def on_mount(self) -> None:
        """Show the anonymisation note and compute the first preview."""
        self.title = T("title")
        self._show_internal(False)
        self.refresh_preview()

    # -- typed accessors ---------------------------------------------------------------------

    @property
    def period(self) -> Period:
        """The chosen period."""
        return self.query_one(PeriodPicker).period

    @property
    def internal(self) -> bool:
        """True when the user asked for exact, non-anonymised counts."""
        return self.query_one("#export-internal", Checkbox).value

    @property
    def fmt(self) -> ExportFormat:
        """The chosen file format: ``csv``, ``xlsx`` or ``json``."""
        pressed = self.query_one("#export-format", RadioSet).pressed_index
        return FORMATS[max(pressed, 0)]

    @property
    def folder(self) -> Path:
        """The folder the file is written to."""
        return Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()

    @property
    def threshold(self) -> int:
        """The suppression threshold from the settings (never below 3)."""
        return self.settings.suppression_threshold

    # -- reactions ---------------------------------------------------------------------------

    def _show_internal(self, internal: bool) -> None:
        warning = self.query_one("#export-internal-warning", Static)
        warning.set_class(internal, "-internal")
        warning.update(
            T("internal_warning")
            if internal
            else T("anonymised", below=self.threshold - 1, threshold=self.threshold)
        )

    @on(PeriodPicker.Changed)
    def _period_changed(self) -> None:
        self.refresh_preview()

    @on(Checkbox.Changed, "#export-internal")
    def _internal_changed(self, event: Checkbox.Changed) -> None:
        self._show_internal(event.value)
        self.refresh_preview()

    def _busy(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)
        self.query_one("#export-progress", ProgressBar).update(total=None, progress=0)

    def _done(self) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=1, progress=1)

    # -- preview -----------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Recompute the preview for the chosen period and mode in a worker thread."""
        self.result = None
        self._busy(T("computing"))
        self._compute(self.period, self.internal)

    @work(thread=True, group="export-preview", exclusive=True, exit_on_error=False)
    def _compute(self, period: Period, internal: bool) -> None:
        # a message, not call_from_thread: its handler runs in the screen's context, which
        # carries the UI language (a worker thread's context does not)
        self.post_message(
            self.PreviewComputed(
                compute_export(self.repos, period, threshold=self.threshold, internal=internal)
            )
        )

    @on(PreviewComputed)
    def _preview_computed(self, message: PreviewComputed) -> None:
        self._show_preview(message.result)

    def _shown_cells(self, result: ExportResult) -> tuple[list[Cell], list[Cell]]:
        def keep(cell: Cell) -> bool:
            if self.view == "nonzero":
                return cell.value != 0
            totals = cell.area == ALL and cell.age_band == ALL
            return totals and (self.view == "activities" or cell.activity == ALL)

        return [c for c in result.cells if keep(c)], [c for c in result.ytd_cells if keep(c)]

    def _show_preview(self, result: ExportResult) -> None:
        if result.period != self.period or result.internal != self.internal:
            return  # a newer preview is on its way
        self.result = result
        cells, ytd_cells = self._shown_cells(result)
        rows = self.query_one(CountsTable).show_cells(cells, threshold=self.threshold, ytd_cells=ytd_cells)
        self.query_one("#export-status", Static).update(
            T(
                "summary_internal" if result.internal else "summary",
                period=period_label(result.period, lang()),
                cells=len(result.cells) + len(result.ytd_cells),
                suppressed=sum(1 for c in (*result.cells, *result.ytd_cells) if c.suppressed),
                threshold=self.threshold,
                view=T(f"view:{self.view}", rows=rows),
            )
        )
        self._done()

    def action_cycle_view(self) -> None:
        """Show the next view of the preview (see :data:`VIEWS`)."""
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        if self.result is not None:
            self._show_preview(self.result)

    # -- writing -----------------------------------------------------------------------------

    def action_write_export(self) -> None:
        """Write the file for the chosen period, format and mode, then record the export."""
        if self._writing:
            self.notify(T("busy"), severity="warning")
            return
        folder = self.folder
        if not folder.is_dir():
            self.notify(T("no_folder", path=folder), severity="error")
            return
        self._writing = True
        self._busy(T("writing"))
        self._write(self.period, self.internal, self.fmt, folder)

    @work(thread=True, group="export-write", exit_on_error=False)
    def _write(self, period: Period, internal: bool, fmt: ExportFormat, folder: Path) -> None:
        result = compute_export(self.repos, period, threshold=self.threshold, internal=internal)
        path = output_path(folder, period, fmt, internal=internal)
        run = save_export(self.repos, result, fmt, path)
        self.post_message(self.ExportWritten(path, run.file_sha256))

    @on(ExportWritten)
    def _written(self, message: ExportWritten) -> None:
        self._writing = False
        self.written = message.path
        text = T("written", path=message.path, sha=message.sha256)
        result_line = self.query_one("#export-result", Static)
        result_line.update(text)
        result_line.add_class("-written")
        self.notify(text, title=T("written_title"), timeout=15)
        if self.result is not None:
            self._show_preview(self.result)
        else:
            self._done()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("export-write", "export-preview"):
            return
        if event.state == WorkerState.ERROR:
            error = worker.error
            text = message_for(error, where="export worker").text(lang())
            self.notify(T("failed", error=text), severity="error", timeout=10)
            self.query_one("#export-status", Static).update(T("failed", error=text))
            self._done()
            if worker.group == "export-write":
                self._writing = False

    def action_help(self) -> None:
        """Show how periods, anonymisation and writing work."""
        text = T("help_text", below=self.threshold - 1, threshold=self.threshold)
        self.app.push_screen(ScreenHelp(T("help_title"), text))

    # -- command palette -------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the command palette."""
        yield key_command("write-export", self.action_write_export)
        yield key_command("preview-view", self.action_cycle_view)
        picker = self.query_one(PeriodPicker)
        yield SystemCommand(T("cmd-previous"), T("cmd-previous-help"), lambda: picker.action_step(-1))
        yield SystemCommand(T("cmd-next"), T("cmd-next-help"), lambda: picker.action_step(1))

    def action_back(self) -> None:
        """Go back to the previous screen."""
        self.dismiss(None)

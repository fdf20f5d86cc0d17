"""Export screen: pick a period, preview the anonymised counts, write CSV, XLSX or JSON.

Keys: ←/→ step the period while the period field has focus, type a code such as ``2026-W47``,
``PY3-Q1`` or ``PY3`` in the code field and press Enter; Tab moves between the fields;
``ctrl+s`` writes the file; ``ctrl+o`` changes which cells the preview shows; F1 explains;
Escape goes back. Every written file is recorded (period, threshold, SHA-256 of the file,
time) by the export service.

The folder is the one the last export from this screen went to (remembered in the data
directory's ``state.json``), else the current directory, as for ``mentor-tui export``. An
existing file is overwritten only after the user says so; a database never.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Static,
)
from textual.worker import Worker, WorkerState

from mentor_tui.config import Settings
from mentor_tui.dates import format_date
from mentor_tui.errorlog import message_for
from mentor_tui.i18n import Catalog, lang
from mentor_tui.screens.screen_help import ScreenHelp
from mentor_tui.services.counts.dashboard import period_label
from mentor_tui.services.counts.export import (
    FORMATS,
    ExportFormat,
    ExportResult,
    compute_export,
    output_path,
    remember_folder,
    remembered_folder,
    save_export,
)
from mentor_tui.services.counts.periods import Period, is_complete, last_complete_week
from mentor_tui.storage.repositories import Repositories
from mentor_tui.widgets.bindings import MentorModal, MentorScreen, binding, key_command
from mentor_tui.widgets.counts_table import CountsTable
from mentor_tui.widgets.key_footer import KeyFooter
from mentor_tui.widgets.period_picker import PeriodPicker

T = Catalog(
    {
        "title": ("Eksport af anonymiserede tal", "Export of anonymised counts"),
        "format": ("Format", "Format"),
        "internal": ("Intern", "Internal"),
        "internal_warning": ("INTERN — ikke anonymiseret", "INTERNAL — not anonymised"),
        "anonymised": (
            "Anonymiseret: 1-{below} m.fl. vises som x",
            "Anonymised: 1-{below} and more shown as x",
        ),
        "incomplete": ("Til i dag", "Up to today"),
        "folder": ("Mappe", "Folder"),
        "computing": ("Tæller op …", "Counting …"),
        "writing": ("Skriver filen …", "Writing the file …"),
        "summary": (
            "{period}: {cells} tal, {suppressed} skjult (x) · {view}",
            "{period}: {cells} counts, {suppressed} hidden (x) · {view}",
        ),
        "summary_internal": (
            "{period}: {cells} tal, eksakte (INTERN) · {view}",
            "{period}: {cells} counts, exact (INTERNAL) · {view}",
        ),
        "incomplete_note": ("UFULDSTÆNDIG til {day}: ", "INCOMPLETE to {day}: "),
        "view:summary": ("oversigten", "the summary"),
        "view:nonzero": ("{rows} tal der ikke er 0", "{rows} counts that are not 0"),
        "preview-view": ("Visning", "View"),
        "preview-view:tooltip": (
            "Vis oversigten eller alle tal i filens tabeller der ikke er 0",
            "Show the summary, or every count of the file's tables that is not 0",
        ),
        "overwrite_question": (
            "{name} findes allerede i {folder}.\nVil du overskrive den?",
            "{name} already exists in {folder}.\nDo you want to overwrite it?",
        ),
        "overwrite": ("Overskriv (o)", "Overwrite (o)"),
        "keep": ("Behold filen", "Keep the file"),
        "not_written": ("Intet skrevet: filen findes allerede", "Nothing written: the file already exists"),
        "needs_incomplete": (
            "Perioden er ikke slut. Sæt kryds i «Til i dag» for at gemme tallene til og med i dag; "
            "filen siger så, at den er ufuldstændig",
            "The period has not ended. Tick “Up to today” to save the counts up to today; the file "
            "then says it is incomplete",
        ),
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
            "ud fra vises som **x**; nul vises. **Intern** giver eksakte tal; filen "
            "hedder ...-INTERNAL og må ikke deles.\n"
            "- En periode der ikke er slut, kan kun eksporteres med **Til i dag**; filen siger så, "
            "at den er ufuldstændig.\n"
            "- Tabellen viser filens oversigt; **Ctrl+O** skifter til alle tal der ikke er 0.\n"
            "- **Ctrl+S** gemmer filen i **Mappe** (huskes til næste gang). Findes filen, bliver du "
            "spurgt før den overskrives. Hver eksport registreres med periode, tærskel, tidspunkt, "
            "filens SHA-256 og de offentliggjorte tal.\n"
            "- **Tab** flytter mellem felterne, **Escape** går tilbage.",
            "Anonymised counts for the lead for one period, as CSV (Danish Excel), XLSX or JSON.\n\n"
            "- **Period**: choose week, project quarter, project year or from-to. With the cursor on "
            "the period, **←** and **→** go to the previous and next one. In **Code** you can type "
            "e.g. 2026-W47, PY3-Q1 or PY3 and press **Enter**. The project year runs from 1 October "
            "to 30 September; PY1 began on 01-10-2024.\n"
            "- Without **Internal** the file is anonymised: counts from 1 to {below}, and those they "
            "could be worked out from, are shown as **x**; zeros are shown. **Internal** "
            "gives exact counts; the file is called ...-INTERNAL and must not be shared.\n"
            "- A period that has not ended can only be exported with **Up to today**; the file then "
            "says it is incomplete.\n"
            "- The table shows the file's summary; **Ctrl+O** switches to every count that is not 0.\n"
            "- **Ctrl+S** saves the file in **Folder** (remembered for next time). If the file exists "
            "you are asked before it is overwritten. Every export is recorded with its period, "
            "threshold, time, the file's SHA-256 and the published counts.\n"
            "- **Tab** moves between fields, **Escape** goes back.",
        ),
    }
)

VIEWS: tuple[str, ...] = ("summary", "nonzero")
"""What the preview shows: the file's summary, or every count of its tables that is not 0."""


class OverwriteQuestion(MentorModal[bool]):
    """Ask before an existing export file is overwritten: True to overwrite (``o``), False to keep."""

    DEFAULT_CSS = """
    OverwriteQuestion {
        align: center middle;
        & #overwrite-box {
            width: 64; height: auto; border: thick $warning; padding: 1 2; background: $surface;
        }
        & #overwrite-buttons { height: auto; margin: 1 0 0 0; }
        & Button { margin: 0 2 0 0; }
    }
    """

    BINDINGS = [
        binding("escape", "answer(False)", id="overwrite-keep", show=False),
        binding("o", "answer(True)", id="overwrite-file", show=False),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        """The question and two buttons; keeping the file has focus."""
        with Vertical(id="overwrite-box"):
            yield Static(T("overwrite_question", name=self.path.name, folder=self.path.parent))
            with Horizontal(id="overwrite-buttons"):
                yield Button(T("keep"), id="keep", variant="primary")
                yield Button(T("overwrite"), id="overwrite", variant="warning")

    def on_mount(self) -> None:
        """Keeping the file is the default."""
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite")

    def action_answer(self, overwrite: bool) -> None:
        """Close with the answer."""
        self.dismiss(overwrite)


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
        & #export-internal-warning { width: 1fr; height: 1; margin: 0 0 1 8; color: $text-muted; }
        & #export-internal-warning.-internal { color: $text; background: $error; text-style: bold; }
        & #export-folder { width: 1fr; }
        & #export-status-row { height: auto; }
        & #export-status { width: 1fr; height: auto; }
        & #export-progress { width: 14; }
        & #export-progress Bar { width: 14; }
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
                yield Checkbox(T("incomplete"), False, id="export-incomplete", compact=True)
            yield Static(id="export-internal-warning")
            with Horizontal():
                yield Label(T("folder"), classes="export-label")
                yield Input(str(remembered_folder() or Path.cwd()), id="export-folder", compact=True)
            with Horizontal(id="export-status-row"):
                yield Static(id="export-status")
                yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="export-progress")
            yield Static(id="export-result")
        yield CountsTable(id="export-preview")
        yield KeyFooter()

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
    def allow_incomplete(self) -> bool:
        """True when the user asked to count a period that has not ended, up to today."""
        return self.query_one("#export-incomplete", Checkbox).value

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
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)

    def _done(self) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=1, progress=1)
        bar.display = False

    # -- preview -----------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Recompute the preview for the chosen period and mode in a worker thread."""
        self.result = None
        self._busy(T("computing"))
        self.query_one(CountsTable).clear(columns=True)
        self._compute(self.period, self.internal)

    @work(thread=True, group="export-preview", exclusive=True, exit_on_error=False)
    def _compute(self, period: Period, internal: bool) -> None:
        # a message, not call_from_thread: its handler runs in the screen's context, which
        # carries the UI language (a worker thread's context does not)
        self.post_message(
            self.PreviewComputed(
                compute_export(
                    self.repos,
                    period,
                    threshold=self.threshold,
                    internal=internal,
                    allow_incomplete=True,  # the preview shows the counts so far; writing asks
                )
            )
        )

    @on(PreviewComputed)
    def _preview_computed(self, message: PreviewComputed) -> None:
        self._show_preview(message.result)

    def _show_preview(self, result: ExportResult) -> None:
        if result.period != self.period or result.internal != self.internal:
            return  # a newer preview is on its way
        self.result = result
        table = self.query_one(CountsTable)
        rows = table.show_summary(result) if self.view == "summary" else table.show_nonzero(result)
        cells = result.unique_cells()
        dates = f"{format_date(result.period.start)} – {format_date(result.period.end)}"
        text = T(
            "summary_internal" if result.internal else "summary",
            period=f"{period_label(result.period, lang())} ({dates})",
            cells=len(cells),
            suppressed=sum(1 for c in cells if c.suppressed),
            view=T(f"view:{self.view}", rows=rows),
        )
        if not result.complete:
            text = T("incomplete_note", day=format_date(result.window.end)) + text
        self.query_one("#export-status", Static).update(text)
        self._done()

    def action_cycle_view(self) -> None:
        """Show the next view of the preview (see :data:`VIEWS`)."""
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        if self.result is not None:
            self._show_preview(self.result)

    # -- writing -----------------------------------------------------------------------------

    def action_write_export(self) -> None:
        """Write the file for the chosen period, format and mode, then record the export.

        If the file exists the user is asked first; it is overwritten only on a yes.
        """
        if self._writing:
            self.notify(T("busy"), severity="warning")
            return
        folder = self.folder
        if not folder.is_dir():
            self.notify(T("no_folder", path=folder), severity="error")
            return
        period, internal, fmt = self.period, self.internal, self.fmt
        allow = self.allow_incomplete
        complete = is_complete(period, self.repos.clock.today())
        if not complete and not allow:
            self.query_one("#export-status", Static).update(T("needs_incomplete"))
            self.notify(T("needs_incomplete"), severity="warning", timeout=10)
            return
        path = output_path(folder, period, fmt, internal=internal, complete=complete)

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self._start_write(period, internal, fmt, path, allow, force=True)
            else:
                self.query_one("#export-status", Static).update(T("not_written"))

        if path.exists() and not path.is_dir():
            self.app.push_screen(OverwriteQuestion(path), answered)
            return
        self._start_write(period, internal, fmt, path, allow, force=False)

    def _start_write(
        self, period: Period, internal: bool, fmt: ExportFormat, path: Path, allow: bool, *, force: bool
    ) -> None:
        self._writing = True
        self._busy(T("writing"))
        self._write(period, internal, fmt, path, allow, force)

    @work(thread=True, group="export-write", exit_on_error=False)
    def _write(
        self, period: Period, internal: bool, fmt: ExportFormat, path: Path, allow: bool, force: bool
    ) -> None:
        result = compute_export(
            self.repos, period, threshold=self.threshold, internal=internal, allow_incomplete=allow
        )
        run = save_export(self.repos, result, fmt, path, force=force)
        remember_folder(path.parent)
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

"""Pick a reporting period by keyboard: kind, ←/→ to step, or type a code such as ``2026-W47``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from mentor_tui.dates import format_date
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.counts.dashboard import PERIOD_KINDS, period_label, period_of, step_period
from mentor_tui.services.counts.periods import Period, PeriodKind, date_range, parse_period
from mentor_tui.widgets.bindings import binding

T = Catalog(
    {
        "period": ("Periode", "Period"),
        "kind:week": ("Uge", "Week"),
        "kind:quarter": ("Projektkvartal", "Project quarter"),
        "kind:year": ("Projektår", "Project year"),
        "kind:range": ("Fra-til", "From-to"),
        "code": ("Kode", "Code"),
        "code_placeholder": ("fx 2026-W47, PY3-Q1, PY3", "e.g. 2026-W47, PY3-Q1, PY3"),
        "from": ("Fra", "From"),
        "to": ("Til", "To"),
        "date_placeholder": ("dd-mm-åååå", "dd-mm-yyyy"),
    }
)


class PeriodStepper(Static, can_focus=True):
    """Shows the chosen period; ←/→ step it while this has focus (the picker's bindings)."""

    DEFAULT_CSS = """
    PeriodStepper {
        width: auto;
        min-width: 16;
        height: 1;
        padding: 0 1;
        background: $boost;
        &:focus { background: $accent; color: $text; text-style: bold; }
    }
    """


class PeriodPicker(Widget):
    """Choose a period: kind (week, project quarter, project year, from-to), step it, or type it.

    Posts :class:`PeriodPicker.Changed` whenever the period changes.
    """

    DEFAULT_CSS = """
    PeriodPicker {
        height: auto;
        & Horizontal { height: auto; margin: 0 0 1 0; }
        & Label { width: auto; padding: 0 1 0 0; }
        & .period-label { width: 8; }
        & #period-kind { width: 19; height: 1; margin: 0 1 0 0; }
        & PeriodStepper { margin: 0 1 0 0; }
        & #period-code { width: 1fr; max-width: 26; }
        & #period-from, & #period-to { width: 14; margin: 0 2 0 0; }
        & #period-custom { display: none; }
        &.-range #period-custom { display: block; }
        & #period-error { color: $error; height: auto; }
    }
    """

    BINDINGS = [
        binding("left", "step(-1)", id="previous-period", key_display="←"),
        binding("right", "step(1)", id="next-period", key_display="→"),
    ]

    period: reactive[Period] = reactive(date_range(dt.date(2000, 1, 1), dt.date(2000, 1, 1)), init=False)
    """The chosen period."""

    @dataclass
    class Changed(Message):
        """The chosen period changed."""

        picker: PeriodPicker
        period: Period

        @property
        def control(self) -> PeriodPicker:
            """The picker that changed."""
            return self.picker

    def __init__(self, initial: Period, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.set_reactive(PeriodPicker.period, initial)

    def compose(self) -> ComposeResult:
        """Kind select, stepper, code field; from/to fields for a custom range; error line."""
        with Horizontal():
            yield Label(T("period"), classes="period-label")
            yield Select(
                [(T(f"kind:{kind}"), kind) for kind in PERIOD_KINDS],
                value=self._kind_of(self.period),
                allow_blank=False,
                id="period-kind",
                compact=True,
            )
            yield PeriodStepper(id="period-step")
            yield Label(T("code"))
            yield Input(placeholder=T("code_placeholder"), id="period-code", compact=True)
        with Horizontal(id="period-custom"):
            yield Label(T("from"), classes="period-label")
            yield Input(placeholder=T("date_placeholder"), id="period-from", compact=True)
            yield Label(T("to"))
            yield Input(placeholder=T("date_placeholder"), id="period-to", compact=True)
        yield Static(id="period-error")

    def on_mount(self) -> None:
        """Show the initial period."""
        self._show(self.period)

    @staticmethod
    def _kind_of(period: Period) -> PeriodKind:
        return period.kind

    def _show(self, period: Period) -> None:
        text = f"◀ {period_label(period, lang())} ▶"
        self.query_one(PeriodStepper).update(text)
        self.set_class(period.kind == "range", "-range")
        self.query_one("#period-from", Input).value = format_date(period.start)
        self.query_one("#period-to", Input).value = format_date(period.end)
        self._error("")

    def watch_period(self, period: Period) -> None:
        """Show the new period, keep the kind select in step, and tell the screen."""
        select: Select[str] = self.query_one("#period-kind", Select)
        kind = self._kind_of(period)
        if select.value != kind:
            with self.prevent(Select.Changed):
                select.value = kind
        self._show(period)
        self.post_message(self.Changed(self, period))

    def action_step(self, steps: int) -> None:
        """Move to the next (``1``) or previous (``-1``) period of the same kind."""
        self.period = step_period(self.period, steps)

    def _error(self, text: str) -> None:
        error = self.query_one("#period-error", Static)
        error.update(text)
        error.display = bool(text)

    @on(Select.Changed, "#period-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        kind = next((k for k in PERIOD_KINDS if k == event.value), None)
        if kind is None or kind == self.period.kind:
            return
        if kind == "range":
            self.period = date_range(self.period.start, self.period.end)
        else:
            self.period = period_of(kind, self.period.start)

    @on(Input.Submitted, "#period-code")
    def _code_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.period = parse_period(event.value)
        except MentorError as exc:
            self._error(exc.text(lang()))
            return
        event.input.value = ""

    @on(Input.Submitted, "#period-from, #period-to")
    def _range_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.period = date_range(
                self.query_one("#period-from", Input).value, self.query_one("#period-to", Input).value
            )
        except MentorError as exc:
            self._error(exc.text(lang()))

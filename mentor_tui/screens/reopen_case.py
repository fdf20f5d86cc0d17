"""Reopen a closed case (or correct a reopening); a note saying why is required and kept in the history."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from mentor_tui.dates import format_date
from mentor_tui.errors import Problem
from mentor_tui.i18n import Catalog
from mentor_tui.models import Reopening
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Genåbn forløb: {label}", "Reopen case: {label}"),
        "edit_title": ("Ret genåbning: {label}", "Correct reopening: {label}"),
        "subtitle": (
            "Afsluttet {date}. Skriv kort hvorfor forløbet genåbnes.",
            "Closed {date}. Say briefly why.",
        ),
        "note": ("Hvorfor", "Why"),
        "note_placeholder": ("fx beboeren henvender sig igen", "e.g. the resident asked again"),
        "date": ("Dato", "Date"),
    }
)


class ReopenCaseScreen(CaseFormModal):
    """Reopen a closed case (or correct ``reopening``) with a required note. Dismisses True when saved."""

    def __init__(self, casework: CaseworkService, case_id: str, reopening: Reopening | None = None) -> None:
        super().__init__(casework, case_id)
        self.reopening = reopening
        """The reopening being corrected; ``None`` to reopen the case."""

    def compose(self) -> ComposeResult:
        today = self.casework.today
        r = self.reopening
        closed = self.detail.case.end_date
        if r is not None:
            closed = next((c.date for c in self.detail.closures if c.id == r.closure_id), closed)
        with Vertical(id="dialog"):
            title = "edit_title" if r is not None else "title"
            yield Static(T(title, label=self.detail.person.display_label), id="dialog-title")
            yield Static(T("subtitle", date=format_date(closed)), id="dialog-subtitle")
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("note"),
                    Input(
                        r.note if r else "",
                        placeholder=T("note_placeholder"),
                        compact=True,
                        max_length=500,
                        id="note",
                    ),
                    "note",
                    required=True,
                )
                yield self.field(
                    T("date"),
                    DateInput(r.date if r else today, today=today, id="date"),
                    "date",
                    required=True,
                )
        yield Footer()

    def on_mount(self) -> None:
        """Focus the note."""
        self.query_one("#note", Input).focus()

    @property
    def date(self) -> DateInput:
        """The date field."""
        return self.query_one("#date", DateInput)

    def local_problems(self) -> list[Problem]:
        return self.date.problems("date")

    @on(Input.Changed, "#note")
    def _note_typed(self) -> None:
        self.revalidate("note")

    @on(Input.Changed, "#date-input")
    def _date_typed(self) -> None:
        self.revalidate("date")

    def action_save(self) -> None:
        """Reopen the case; on refusal show each problem beside its field."""
        note = self.query_one("#note", Input).value
        reopening = self.reopening
        if reopening is not None:
            saved = self.attempt(
                lambda: self.casework.corrections.edit_reopening(
                    reopening.id, note=note, date=self.date.for_service()
                )
            )
        else:
            saved = self.attempt(
                lambda: self.casework.reopen_case(self.case_id, note=note, date=self.date.for_service())
            )
        if saved is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

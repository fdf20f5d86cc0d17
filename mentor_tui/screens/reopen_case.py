"""Reopen a closed case; a note saying why is required and kept in the history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from mentor_tui.dates import format_date
from mentor_tui.i18n import Catalog
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Genåbn forløb: {label}", "Reopen case: {label}"),
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
    """Reopen a closed case with a required note. Dismisses True when saved."""

    def heading(self) -> str:
        return T("title", label=self.label)

    def subheading(self) -> str | None:
        return T("subtitle", date=format_date(self.detail.case.end_date))

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        note = Input(placeholder=T("note_placeholder"), compact=True, max_length=500, id="note")
        yield self.field(T("note"), note, "note", required=True)
        yield self.field(T("date"), DateInput(today, today=today, id="date"), "date", required=True)

    def save(self) -> object:
        """Reopen the case."""
        return self.casework.reopen_case(
            self.case_id,
            note=self.query_one("#note", Input).value,
            date=self.date_input("date").for_service(),
        )

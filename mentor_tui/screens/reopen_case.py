"""Reopen a closed case; a note saying why is required and kept in the history."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from mentor_tui.dates import format_date
from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
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
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
        "followup_hint": (
            "foreslået: {days} dage efter genåbningen · fx +2u = om to uger",
            "proposed: {days} days after reopening · e.g. +2w = in two weeks",
        ),
    }
)


class ReopenCaseScreen(CaseFormModal):
    """Reopen a closed case with a required note. Dismisses True when saved."""

    SAVED = Bilingual("Forløbet er genåbnet: {label}", "Case reopened: {label}")

    def compose(self) -> ComposeResult:
        today = self.casework.today
        with Vertical(id="dialog"):
            yield Static(T("title", label=self.detail.person.display_label), id="dialog-title")
            yield Static(T("subtitle", date=format_date(self.detail.case.end_date)), id="dialog-subtitle")
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("note"),
                    Input(placeholder=T("note_placeholder"), compact=True, max_length=500, id="note"),
                    "note",
                    required=True,
                )
                yield self.field(T("date"), DateInput(today, today=today, id="date"), "date", required=True)
                proposed = self.casework.proposed_followup(self.detail.case.activity, today)
                yield self.field(
                    T("next_followup_date"),
                    DateInput(proposed, today=today, id="next_followup_date"),
                    "next_followup_date",
                )
                yield Static(T("followup_hint", days=(proposed - today).days), classes="form--note")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the note."""
        self.query_one("#note", Input).focus()

    @property
    def date(self) -> DateInput:
        """The date field."""
        return self.query_one("#date", DateInput)

    @property
    def followup(self) -> DateInput:
        """The next follow-up field (proposed from the activity's rhythm)."""
        return self.query_one("#next_followup_date", DateInput)

    def local_problems(self) -> list[Problem]:
        return self.date.problems("date") + self.followup.problems("next_followup_date")

    @on(Input.Changed, "#next_followup_date-input")
    def _followup_typed(self) -> None:
        self.revalidate("next_followup_date")

    @on(Input.Changed, "#note")
    def _note_typed(self) -> None:
        self.revalidate("note")

    @on(Input.Changed, "#date-input")
    def _date_typed(self) -> None:
        self.revalidate("date")

    def action_save(self) -> None:
        """Reopen the case; on refusal show each problem beside its field."""
        saved = self.attempt(
            lambda: self.casework.reopen_case(
                self.case_id,
                note=self.query_one("#note", Input).value,
                date=self.date.for_service(),
                next_followup_date=self.followup.for_service(),
            )
        )
        if saved is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

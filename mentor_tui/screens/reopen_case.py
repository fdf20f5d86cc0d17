"""Reopen a closed case; a note saying why is required and kept in the history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from mentor_tui.dates import format_date
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.services.casework.service import CaseworkService
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
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
        "followup_hint": (
            "foreslået: {days} dage efter genåbningen · fx +2u = om to uger",
            "proposed: {days} days after reopening · e.g. +2w = in two weeks",
        ),
    }
)


class ReopenCaseScreen(CaseFormModal):
    """Reopen a closed case with a required note; the next follow-up is proposed from the
    activity's rhythm. Dismisses True when saved."""

    SAVED = Bilingual("Forløbet er genåbnet: {label}", "Case reopened: {label}")

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__(casework, case_id)
        self._proposed = casework.proposed_followup(self.detail.case.activity, casework.today)
        """The follow-up proposed now (it follows the reopening date while the user leaves it)."""

    def heading(self) -> str:
        return T("title", label=self.label)

    def subheading(self) -> str | None:
        return T("subtitle", date=format_date(self.detail.case.end_date))

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        note = Input(placeholder=T("note_placeholder"), compact=True, max_length=500, id="note")
        yield self.field(T("note"), note, "note", required=True)
        yield self.field(T("date"), DateInput(today, today=today, id="date"), "date", required=True)
        followup = DateInput(self._proposed, today=today, id="next_followup_date")
        yield self.field(T("next_followup_date"), followup, "next_followup_date")
        yield Static(T("followup_hint", days=(self._proposed - today).days), classes="form--note")

    def field_changed(self, name: str) -> None:
        """The proposed follow-up moves with the reopening date until the user changes it."""
        if name == "date":
            reopened = self.date_input("date").value
            followup = self.date_input("next_followup_date")
            if reopened is not None and followup.input.value == format_date(self._proposed):
                self._proposed = self.casework.proposed_followup(self.detail.case.activity, reopened)
                followup.input.value = format_date(self._proposed)
        super().field_changed(name)

    def save(self) -> object:
        """Reopen the case."""
        return self.casework.reopen_case(
            self.case_id,
            note=self.query_one("#note", Input).value,
            date=self.date_input("date").for_service(),
            next_followup_date=self.date_input("next_followup_date").for_service(),
        )

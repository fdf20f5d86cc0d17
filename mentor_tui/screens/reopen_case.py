"""Reopen a closed case (or correct a reopening); a note saying why is required and kept in the
history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from mentor_tui.dates import format_date
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.models import Reopening
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.date_input import DateInput
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
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
        "followup_hint": (
            "foreslået: {days} dage efter genåbningen · fx +2u = om to uger",
            "proposed: {days} days after reopening · e.g. +2w = in two weeks",
        ),
    }
)


class ReopenCaseScreen(CaseFormModal):
    """Reopen a closed case (or correct ``reopening``) with a required note; the next follow-up
    is proposed from the activity's rhythm (not when correcting). Dismisses True when saved."""

    SAVED = Bilingual("Forløbet er genåbnet: {label}", "Case reopened: {label}")

    def __init__(self, casework: CaseworkService, case_id: str, reopening: Reopening | None = None) -> None:
        super().__init__(casework, case_id)
        self.reopening = reopening
        """The reopening being corrected (its fields filled in); ``None`` to reopen the case."""
        self._proposed = casework.proposed_followup(self.detail.case.activity, casework.today)
        """The follow-up proposed now (it follows the reopening date while the user leaves it)."""

    @property
    def corrects(self) -> str | None:
        """The reopening being corrected, if any."""
        return self.reopening.id if self.reopening is not None else None

    def heading(self) -> str:
        return T("edit_title" if self.reopening is not None else "title", label=self.label)

    def subheading(self) -> str | None:
        closed = self.detail.case.end_date
        r = self.reopening
        if r is not None:
            closed = next((c.date for c in self.detail.closures if c.id == r.closure_id), closed)
        return T("subtitle", date=format_date(closed))

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        r = self.reopening
        note = Input(
            r.note if r else "", placeholder=T("note_placeholder"), compact=True, max_length=500, id="note"
        )
        yield self.field(T("note"), note, "note", required=True)
        date = DateInput(r.date if r else today, today=today, id="date")
        yield self.field(T("date"), date, "date", required=True)
        if r is not None:
            return  # the next follow-up is the case's, corrected with f
        followup = DateInput(self._proposed, today=today, id="next_followup_date")
        yield self.field(T("next_followup_date"), followup, "next_followup_date")
        yield Static(T("followup_hint", days=(self._proposed - today).days), classes="form--note")

    def field_changed(self, name: str) -> None:
        """The proposed follow-up moves with the reopening date until the user changes it."""
        if name == "date" and self.reopening is None:
            reopened = self.date_input("date").value
            followup = self.date_input("next_followup_date")
            if reopened is not None and followup.input.value == format_date(self._proposed):
                self._proposed = self.casework.proposed_followup(self.detail.case.activity, reopened)
                followup.input.value = format_date(self._proposed)
        super().field_changed(name)

    def save(self) -> object:
        """Reopen the case, or correct the reopening."""
        note = self.query_one("#note", Input).value
        date = self.date_input("date").for_service()
        if self.reopening is not None:
            return self.casework.corrections.edit_reopening(self.reopening.id, note=note, date=date)
        return self.casework.reopen_case(
            self.case_id,
            note=note,
            date=date,
            next_followup_date=self.date_input("next_followup_date").for_service(),
        )

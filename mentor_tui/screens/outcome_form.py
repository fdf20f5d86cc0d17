"""Add an outcome: type and date (it may come after the closure)."""

from __future__ import annotations

from textual.app import ComposeResult

from mentor_tui.codes import OutcomeType
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Nyt resultat: {label}", "New outcome: {label}"),
        "outcome_type": ("Resultat", "Outcome"),
        "date": ("Dato", "Date"),
        "no_match": ("Intet resultat passer til «{text}»", "No outcome matches “{text}”"),
    }
)


class OutcomeFormScreen(CaseFormModal):
    """Add an outcome: type and date. Dismisses True when saved."""

    SAVED = Bilingual("Resultat gemt: {label}", "Outcome saved: {label}")

    def heading(self) -> str:
        return T("title", label=self.label)

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        outcome = CodePicker(list(OutcomeType), id="outcome_type", no_match=T.bilingual("no_match"))
        yield self.field(T("outcome_type"), outcome, "outcome_type", required=True)
        yield self.field(T("date"), DateInput(today, today=today, id="date"), "date", required=True)

    def save(self) -> object:
        """Record the outcome."""
        return self.casework.add_outcome(
            self.case_id,
            outcome_type=self.picker("outcome_type").submitted,
            date=self.date_input("date").for_service(),
        )

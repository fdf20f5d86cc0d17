"""Add or correct an outcome: type and date (it may come after the closure)."""

from __future__ import annotations

from textual.app import ComposeResult

from mentor_tui.codes import OutcomeType
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.models import Outcome
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Nyt resultat: {label}", "New outcome: {label}"),
        "edit_title": ("Ret resultat: {label}", "Correct outcome: {label}"),
        "outcome_type": ("Resultat", "Outcome"),
        "date": ("Dato", "Date"),
        "no_match": ("Intet resultat passer til «{text}»", "No outcome matches “{text}”"),
    }
)


class OutcomeFormScreen(CaseFormModal):
    """Add an outcome (or correct ``outcome``): type and date. Dismisses True when saved."""

    SAVED = Bilingual("Resultat gemt: {label}", "Outcome saved: {label}")

    def __init__(self, casework: CaseworkService, case_id: str, outcome: Outcome | None = None) -> None:
        super().__init__(casework, case_id)
        self.outcome = outcome
        """The outcome being corrected (its fields filled in); ``None`` for a new one."""

    @property
    def corrects(self) -> str | None:
        """The outcome being corrected, if any."""
        return self.outcome.id if self.outcome is not None else None

    def heading(self) -> str:
        return T("edit_title" if self.outcome is not None else "title", label=self.label)

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        o = self.outcome
        outcome = CodePicker(
            list(OutcomeType),
            value=o.outcome_type if o else None,
            id="outcome_type",
            no_match=T.bilingual("no_match"),
        )
        yield self.field(T("outcome_type"), outcome, "outcome_type", required=True)
        date = DateInput(o.date if o else today, today=today, id="date")
        yield self.field(T("date"), date, "date", required=True)

    def save(self) -> object:
        """Record the outcome, or correct it."""
        outcome_type = self.picker("outcome_type").submitted
        date = self.date_input("date").for_service()
        if self.outcome is not None:
            return self.casework.corrections.edit_outcome(
                self.outcome.id, outcome_type=outcome_type, date=date
            )
        return self.casework.add_outcome(self.case_id, outcome_type=outcome_type, date=date)

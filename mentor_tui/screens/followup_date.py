"""Set or clear the next follow-up date of a case."""

from __future__ import annotations

from textual.app import ComposeResult

from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Næste opfølgning: {label}", "Next follow-up: {label}"),
        "subtitle": (
            "Skriv en dato (dd-mm-åååå), +14 (dage) eller +2u (uger); tomt felt fjerner datoen",
            "Type a date (dd-mm-yyyy), +14 (days) or +2w (weeks); empty clears the date",
        ),
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
    }
)


class FollowupDateScreen(CaseFormModal):
    """Set or clear the next follow-up date (a case without one is offered the activity's
    rhythm, :func:`rules.proposed_followup`). Dismisses True when saved."""

    SAVED = Bilingual("Næste opfølgning gemt: {label}", "Next follow-up saved: {label}")

    def heading(self) -> str:
        return T("title", label=self.label)

    def subheading(self) -> str | None:
        return T("subtitle")

    def compose_fields(self) -> ComposeResult:
        case = self.detail.case
        proposed = case.next_followup_date or self.casework.proposed_followup(case.activity)
        date = DateInput(proposed, today=self.casework.today, id="next_followup_date")
        yield self.field(T("next_followup_date"), date, "next_followup_date")

    def save(self) -> object:
        """Set (or clear) the date."""
        return self.casework.set_next_followup(
            self.case_id, self.date_input("next_followup_date").for_service()
        )

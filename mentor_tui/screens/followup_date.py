"""Set or clear the next follow-up date of a case."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal
from mentor_tui.widgets.key_footer import KeyFooter

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
    """Set or clear the next follow-up date. Dismisses True when saved."""

    SAVED = Bilingual("Næste opfølgning gemt: {label}", "Next follow-up saved: {label}")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(T("title", label=self.detail.person.display_label), id="dialog-title")
            yield Static(T("subtitle"), id="dialog-subtitle")
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("next_followup_date"),
                    DateInput(
                        self.detail.case.next_followup_date
                        or self.casework.proposed_followup(self.detail.case.activity),
                        today=self.casework.today,
                        id="next_followup_date",
                    ),
                    "next_followup_date",
                )
        yield KeyFooter()

    @property
    def date(self) -> DateInput:
        """The date field."""
        return self.query_one("#next_followup_date", DateInput)

    def on_mount(self) -> None:
        """Focus the date."""
        self.date.input.focus()

    def local_problems(self) -> list[Problem]:
        return self.date.problems("next_followup_date")

    @on(Input.Changed)
    def _typed(self) -> None:
        self.revalidate("next_followup_date")

    def action_save(self) -> None:
        """Set (or clear) the date; on refusal show the problem beside the field."""
        saved = self.attempt(lambda: self.casework.set_next_followup(self.case_id, self.date.for_service()))
        if saved is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

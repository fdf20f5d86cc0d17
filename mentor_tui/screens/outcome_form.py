"""Add or correct an outcome: type and date (it may come after the closure)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from mentor_tui.codes import OutcomeType
from mentor_tui.errors import Problem
from mentor_tui.i18n import Catalog, lang
from mentor_tui.models import Outcome
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Nyt resultat: {label}", "New outcome: {label}"),
        "edit_title": ("Ret resultat: {label}", "Correct outcome: {label}"),
        "subtitle": ("{activity}", "{activity}"),
        "outcome_type": ("Resultat", "Outcome"),
        "date": ("Dato", "Date"),
        "no_match": ("Intet resultat passer til «{text}»", "No outcome matches “{text}”"),
    }
)


class OutcomeFormScreen(CaseFormModal):
    """Add an outcome (or correct ``outcome``): type and date. Dismisses True when saved."""

    def __init__(self, casework: CaseworkService, case_id: str, outcome: Outcome | None = None) -> None:
        super().__init__(casework, case_id)
        self.outcome = outcome
        """The outcome being corrected; ``None`` for a new one."""

    def compose(self) -> ComposeResult:
        today = self.casework.today
        activity = self.detail.case.activity
        o = self.outcome
        with Vertical(id="dialog"):
            title = "edit_title" if o is not None else "title"
            yield Static(T(title, label=self.detail.person.display_label), id="dialog-title")
            yield Static(
                T("subtitle", activity=f"{activity.short} {activity.label(lang())}"), id="dialog-subtitle"
            )
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("outcome_type"),
                    CodePicker(list(OutcomeType), value=o.outcome_type if o else None, id="outcome_type"),
                    "outcome_type",
                    required=True,
                )
                yield self.field(
                    T("date"),
                    DateInput(o.date if o else today, today=today, id="date"),
                    "date",
                    required=True,
                )
        yield Footer()

    def on_mount(self) -> None:
        """Focus the outcome type."""
        self.picker.input.focus()

    @property
    def picker(self) -> CodePicker[OutcomeType]:
        """The outcome type field."""
        return self.query_one("#outcome_type", CodePicker)

    @property
    def date(self) -> DateInput:
        """The date field."""
        return self.query_one("#date", DateInput)

    def local_problems(self) -> list[Problem]:
        problems = self.date.problems("date")
        if self.picker.unmatched:
            text = self.picker.text.strip()
            problems.append(Problem("outcome_type", T.bilingual("no_match", text=text), code="no_match"))
        return problems

    @on(CodePicker.Changed)
    def _picked(self) -> None:
        self.revalidate("outcome_type")

    @on(Input.Changed, "#date-input")
    def _date_typed(self) -> None:
        self.revalidate("date")

    def action_save(self) -> None:
        """Record the outcome; on refusal show each problem beside its field."""
        picker = self.picker
        outcome_type = picker.submitted
        outcome = self.outcome
        if outcome is not None:
            saved = self.attempt(
                lambda: self.casework.corrections.edit_outcome(
                    outcome.id, outcome_type=outcome_type, date=self.date.for_service()
                )
            )
        else:
            saved = self.attempt(
                lambda: self.casework.add_outcome(
                    self.case_id, outcome_type=outcome_type, date=self.date.for_service()
                )
            )
        if saved is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

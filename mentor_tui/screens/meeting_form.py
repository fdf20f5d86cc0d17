"""Add a meeting: type, date (default today), roles present, held or planned, next follow-up."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Static

from mentor_tui.codes import MeetingType, ParticipantRole
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.services.casework import rules
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal
from mentor_tui.widgets.multi_picker import CodeMultiPicker

T = Catalog(
    {
        "title": ("Nyt møde: {label}", "New meeting: {label}"),
        "meeting_type": ("Mødetype", "Meeting type"),
        "date": ("Dato", "Date"),
        "participants": ("Deltagere", "Present"),
        "held": ("Afholdt", "Held"),
        "held_box": (
            "Holdt (fjern krydset for et planlagt møde)",
            "Held (untick for a planned meeting)",
        ),
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
        "followup_hint": ("fx +2u = om to uger", "e.g. +2w = in two weeks"),
        "no_match": ("Ingen mødetype passer til «{text}»", "No meeting type matches “{text}”"),
    }
)


class MeetingFormScreen(CaseFormModal):
    """Add a meeting: type, date, roles present, held or planned, next follow-up.

    Dismisses True when saved.
    """

    SAVED = Bilingual("Møde gemt: {label}", "Meeting saved: {label}")

    def heading(self) -> str:
        return T("title", label=self.label)

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        activity = self.detail.case.activity
        meeting_type = CodePicker(
            list(MeetingType),
            value=rules.default_meeting_type(activity),
            id="meeting_type",
            no_match=T.bilingual("no_match"),
        )
        yield self.field(T("meeting_type"), meeting_type, "meeting_type", required=True)
        yield self.field(T("date"), DateInput(today, today=today, id="date"), "date", required=True)
        roles = CodeMultiPicker(
            list(ParticipantRole), values=rules.default_roles(activity, None), id="participants"
        )
        yield self.field(T("participants"), roles, "participants")
        yield self.field(T("held"), Checkbox(T("held_box"), value=True, compact=True, id="held"), "held")
        followup = DateInput(None, today=today, id="next_followup_date")
        yield self.field(T("next_followup_date"), followup, "next_followup_date")
        yield Static(T("followup_hint"), classes="form--note")

    @on(Checkbox.Changed, "#held")
    def _held_changed(self) -> None:
        # a held meeting may not lie in the future; a planned one may
        self.revalidate("date")

    def save(self) -> object:
        """Add the meeting."""
        participants: list[ParticipantRole] = self.query_one("#participants", CodeMultiPicker).values
        return self.casework.add_meeting(
            self.case_id,
            meeting_type=self.picker("meeting_type").submitted,
            date=self.date_input("date").for_service(),
            participants=participants,
            held=self.query_one("#held", Checkbox).value,
            next_followup_date=self.date_input("next_followup_date").for_service(),
        )

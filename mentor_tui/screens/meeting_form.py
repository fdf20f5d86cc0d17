"""Add a meeting: type, date (default today), roles present, held or planned, next follow-up."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Static

from mentor_tui.codes import MeetingType, ParticipantRole
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.models import Meeting
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal
from mentor_tui.widgets.multi_picker import CodeMultiPicker

T = Catalog(
    {
        "title": ("Nyt møde: {label}", "New meeting: {label}"),
        "edit_title": ("Ret møde: {label}", "Correct meeting: {label}"),
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
    """Add a meeting (or correct ``meeting``): type, date, roles present, held or planned, next
    follow-up.

    Dismisses True when saved.
    """

    SAVED = Bilingual("Møde gemt: {label}", "Meeting saved: {label}")

    def __init__(self, casework: CaseworkService, case_id: str, meeting: Meeting | None = None) -> None:
        super().__init__(casework, case_id)
        self.meeting = meeting
        """The meeting being corrected (its fields filled in); ``None`` for a new one."""

    @property
    def corrects(self) -> str | None:
        """The meeting being corrected, if any."""
        return self.meeting.id if self.meeting is not None else None

    def heading(self) -> str:
        return T("edit_title" if self.meeting is not None else "title", label=self.label)

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        activity = self.detail.case.activity
        m = self.meeting
        meeting_type = CodePicker(
            list(MeetingType),
            value=m.meeting_type if m else rules.default_meeting_type(activity),
            id="meeting_type",
            no_match=T.bilingual("no_match"),
        )
        yield self.field(T("meeting_type"), meeting_type, "meeting_type", required=True)
        date = DateInput(m.date if m else today, today=today, id="date")
        yield self.field(T("date"), date, "date", required=True)
        roles = CodeMultiPicker(
            list(ParticipantRole),
            values=m.participants if m else rules.default_roles(activity, None),
            id="participants",
        )
        yield self.field(T("participants"), roles, "participants")
        held = Checkbox(T("held_box"), value=m.held if m else True, compact=True, id="held")
        yield self.field(T("held"), held, "held")
        followup = DateInput(m.next_followup_date if m else None, today=today, id="next_followup_date")
        yield self.field(T("next_followup_date"), followup, "next_followup_date")
        yield Static(T("followup_hint"), classes="form--note")

    @on(Checkbox.Changed, "#held")
    def _held_changed(self) -> None:
        # a held meeting may not lie in the future; a planned one may
        self.revalidate("date")

    def save(self) -> object:
        """Add the meeting, or correct it."""
        participants: list[ParticipantRole] = self.query_one("#participants", CodeMultiPicker).values
        fields: dict[str, Any] = {
            "meeting_type": self.picker("meeting_type").submitted,
            "date": self.date_input("date").for_service(),
            "participants": participants,
            "held": self.query_one("#held", Checkbox).value,
            "next_followup_date": self.date_input("next_followup_date").for_service(),
        }
        if self.meeting is not None:
            return self.casework.corrections.edit_meeting(self.meeting.id, **fields)
        return self.casework.add_meeting(self.case_id, **fields)

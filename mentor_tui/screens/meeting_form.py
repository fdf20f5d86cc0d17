"""Add or correct a meeting: type, date (default today), roles present, held or planned, next follow-up."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Static

from mentor_tui.codes import Activity, MeetingType, ParticipantRole
from mentor_tui.errors import Problem
from mentor_tui.i18n import Catalog, lang
from mentor_tui.models import Meeting
from mentor_tui.screens.start_case import default_roles
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal
from mentor_tui.widgets.multi_picker import CodeMultiPicker

T = Catalog(
    {
        "title": ("Nyt møde: {label}", "New meeting: {label}"),
        "edit_title": ("Ret møde: {label}", "Correct meeting: {label}"),
        "subtitle": ("{activity}", "{activity}"),
        "meeting_type": ("Mødetype", "Meeting type"),
        "date": ("Dato", "Date"),
        "participants": ("Deltagere", "Present"),
        "held": ("Afholdt", "Held"),
        "held_box": (
            "Mødet er holdt (fjern krydset for et planlagt møde)",
            "Held (untick for a planned meeting)",
        ),
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
        "followup_hint": ("fx +2u = om to uger", "e.g. +2w = in two weeks"),
        "no_match": ("Ingen mødetype passer til «{text}»", "No meeting type matches “{text}”"),
    }
)

_MULTI_PARTY = {
    Activity.A6_FREMSKUDT_UDD_BESK,
    Activity.A7_MENTOR_AKTIVITETSPARAT,
    Activity.A8_MENTOR_JOBPARAT,
}


def default_meeting_type(activity: Activity) -> MeetingType:
    """Return the usual follow-up meeting of ``activity``: multi-party for the mentor activities
    [002:1144, 1237], otherwise a one-to-one conversation."""
    return MeetingType.OPFOELGNING_FLERPART if activity in _MULTI_PARTY else MeetingType.SAMTALE


class MeetingFormScreen(CaseFormModal):
    """Add a meeting (or correct ``meeting``): type, date, roles present, held or planned, next follow-up.

    Dismisses True when saved.
    """

    def __init__(self, casework: CaseworkService, case_id: str, meeting: Meeting | None = None) -> None:
        super().__init__(casework, case_id)
        self.meeting = meeting
        """The meeting being corrected; ``None`` for a new one."""

    def compose(self) -> ComposeResult:
        today = self.casework.today
        activity = self.detail.case.activity
        m = self.meeting
        title = "edit_title" if m is not None else "title"
        with Vertical(id="dialog"):
            yield Static(T(title, label=self.detail.person.display_label), id="dialog-title")
            yield Static(
                T("subtitle", activity=f"{activity.short} {activity.label(lang())}"), id="dialog-subtitle"
            )
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("meeting_type"),
                    CodePicker(
                        list(MeetingType),
                        value=m.meeting_type if m else default_meeting_type(activity),
                        id="meeting_type",
                    ),
                    "meeting_type",
                    required=True,
                )
                yield self.field(
                    T("date"),
                    DateInput(m.date if m else today, today=today, id="date"),
                    "date",
                    required=True,
                )
                yield self.field(
                    T("participants"),
                    CodeMultiPicker(
                        list(ParticipantRole),
                        values=m.participants if m else default_roles(activity, None),
                        id="participants",
                    ),
                    "participants",
                )
                yield self.field(
                    T("held"),
                    Checkbox(T("held_box"), value=m.held if m else True, compact=True, id="held"),
                    "held",
                )
                yield self.field(
                    T("next_followup_date"),
                    DateInput(m.next_followup_date if m else None, today=today, id="next_followup_date"),
                    "next_followup_date",
                )
                yield Static(T("followup_hint"), classes="form--note")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the meeting type."""
        self.picker.input.focus()

    @property
    def picker(self) -> CodePicker[MeetingType]:
        """The meeting type field."""
        return self.query_one("#meeting_type", CodePicker)

    def _date(self, name: str) -> DateInput:
        return self.query_one(f"#{name}", DateInput)

    def local_problems(self) -> list[Problem]:
        problems = self._date("date").problems("date") + self._date("next_followup_date").problems(
            "next_followup_date"
        )
        if self.picker.unmatched:
            text = self.picker.text.strip()
            problems.append(Problem("meeting_type", T.bilingual("no_match", text=text), code="no_match"))
        return problems

    @on(CodePicker.Changed)
    def _picked(self) -> None:
        self.revalidate("meeting_type")

    @on(Input.Changed, "#date-input")
    def _date_typed(self) -> None:
        self.revalidate("date")

    @on(Input.Changed, "#next_followup_date-input")
    def _followup_typed(self) -> None:
        self.revalidate("next_followup_date")

    @on(Checkbox.Changed, "#held")
    def _held_changed(self) -> None:
        self.revalidate("date")

    def action_save(self) -> None:
        """Add the meeting; on refusal show each problem beside its field."""
        picker = self.picker
        meeting_type = picker.submitted
        participants: list[ParticipantRole] = self.query_one("#participants", CodeMultiPicker).values
        fields: dict[str, Any] = {
            "meeting_type": meeting_type,
            "date": self._date("date").for_service(),
            "participants": participants,
            "held": self.query_one("#held", Checkbox).value,
            "next_followup_date": self._date("next_followup_date").for_service(),
        }
        meeting = self.meeting
        if meeting is not None:
            saved = self.attempt(lambda: self.casework.corrections.edit_meeting(meeting.id, **fields))
        else:
            saved = self.attempt(lambda: self.casework.add_meeting(self.case_id, **fields))
        if saved is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

"""Start a referred case: start mode, roles present, goals agreed, consent, dates.

Only the start modes the plan allows for the activity are offered (typing another one shows the
rule). The usual start mode is preselected, and for a meeting-type start the roles present are
preselected too: the resident (or young person, or parent) and the role of whoever referred,
since a 3-partssamtale is resident + referring professional + BSH.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, SelectionList, Static

from mentor_tui.codes import (
    START_MODE_MEETING,
    Activity,
    ConsentGiver,
    ParticipantRole,
    StartMode,
)
from mentor_tui.dates import format_date
from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual, Catalog, lang
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import CaseFormModal
from mentor_tui.widgets.multi_picker import CodeMultiPicker

T = Catalog(
    {
        "title": ("Start forløb: {label}", "Start case: {label}"),
        "edit_title": ("Ret opstart: {label}", "Correct the start: {label}"),
        "subtitle": (
            "{activity} · henvist {date} af {source}",
            "{activity} · referred {date} by {source}",
        ),
        "start_mode": ("Opstartsform", "Start mode"),
        "participants": ("Deltagere", "Present"),
        "goals_agreed": ("Mål aftalt", "Goals agreed"),
        "goals_box": ("Mål er aftalt med beboeren", "Goals agreed with the resident"),
        "next_followup_date": ("Næste opfølgning", "Next follow-up"),
        "followup_hint": (
            "foreslået: {days} dage efter start · fx +2u = om to uger",
            "proposed: {days} days after the start · e.g. +2w = in two weeks",
        ),
        "consent": ("Samtykke fra", "Consent from"),
        "consent_rule": (
            "{activity} kan ikke startes uden samtykke fra den unge OG en forælder",
            "{activity} cannot start without consent from the young person AND a parent",
        ),
        "start_date": ("Startdato", "Start date"),
        "no_match": ("Ingen opstartsform passer til «{text}»", "No start mode matches “{text}”"),
    }
)


class StartCaseScreen(CaseFormModal):
    """Start a referred case: start mode, roles present, goals agreed, consent. Dismisses True when saved."""

    SAVED = Bilingual("Forløbet er startet: {label}", "Case started: {label}")

    DEFAULT_CSS = """
    StartCaseScreen #consent-rule { color: $text-warning; }
    """

    FIELD_ALIASES = {"consents": "consent", "status": "form"}

    def __init__(self, casework: CaseworkService, case_id: str, *, correct: bool = False) -> None:
        super().__init__(casework, case_id)
        self.rules = casework.closure_requirements(self.detail.case.activity)
        self.correct = correct
        """Correct the start of a started case (its fields filled in, no next follow-up)."""
        self._proposed = casework.proposed_followup(self.detail.case.activity, casework.today)
        """The follow-up proposed now (it follows the start date while the user leaves it)."""

    @property
    def activity(self) -> Activity:
        """The case's activity."""
        return self.detail.case.activity

    @property
    def corrects(self) -> str | None:
        """The start (the case's id) being corrected, if any."""
        return self.case_id if self.correct else None

    def heading(self) -> str:
        return T("edit_title" if self.correct else "title", label=self.label)

    def subheading(self) -> str | None:
        referral = self.detail.referral
        if referral is None:
            return None
        return T(
            "subtitle",
            activity=self.activity_name,
            date=format_date(referral.received_date),
            source=referral.source.label(lang()),
        )

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        referral = self.detail.referral
        allowed = [m for m in StartMode if m in self.rules.start_modes]
        case = self.detail.case
        mode = rules.default_start_mode(self.activity, self.rules.start_modes)
        roles = rules.default_roles(self.activity, referral.source if referral else None)
        start_day = today
        given: set[ConsentGiver] = set()
        if self.correct:
            start_meeting = next((m for m in self.detail.meetings if m.is_start), None)
            mode = case.start_mode or mode
            roles = start_meeting.participants if start_meeting else roles
            start_day = case.start_date or today
            given = {c.given_by for c in self.detail.consents}
        needs_consent = bool(self.rules.consent_from)
        start_mode = CodePicker(
            allowed,
            value=mode,
            unavailable=[m for m in StartMode if m not in allowed],
            id="start_mode",
            no_match=T.bilingual("no_match"),
        )
        yield self.field(T("start_mode"), start_mode, "start_mode", required=True)
        # the decisions of the meeting first (consent where the plan requires it, then goals);
        # the roles are proposed and the follow-up too, so they come after (issue 11: the worst
        # referral + start took 15 keys; this order saves two)
        if needs_consent:
            yield from self._consent_field(given, required=True)
        goals = Checkbox(T("goals_box"), value=case.goals_agreed, compact=True, id="goals_agreed")
        yield self.field(T("goals_agreed"), goals, "goals_agreed")
        participants = CodeMultiPicker(list(ParticipantRole), values=roles, id="participants")
        yield self.field(T("participants"), participants, "participants")
        if not self.correct:  # the next follow-up is corrected on its own (f)
            followup = DateInput(self._proposed, today=today, id="next_followup_date")
            yield self.field(T("next_followup_date"), followup, "next_followup_date")
            yield Static(T("followup_hint", days=(self._proposed - today).days), classes="form--note")
        if not needs_consent:
            yield from self._consent_field(given, required=False)
        start = DateInput(start_day, today=today, id="start_date")
        yield self.field(T("start_date"), start, "start_date", required=True)

    def _consent_field(self, given: set[ConsentGiver], *, required: bool) -> ComposeResult:
        consent = SelectionList[ConsentGiver](
            *[(g.label(lang()), g, g in given) for g in ConsentGiver], id="consent"
        )
        yield self.field(T("consent"), consent, "consent", required=required)
        if required:
            rule = T("consent_rule", activity=self.activity.label(lang()))
            yield Static(rule, classes="form--note", id="consent-rule")

    def on_mount(self) -> None:
        """Show the roles only for a meeting-type start."""
        self._show_roles()

    # -- accessors -----------------------------------------------------------------------------

    @property
    def start_mode(self) -> CodePicker[StartMode]:
        """The start mode picker."""
        return self.query_one("#start_mode", CodePicker)

    @property
    def participants(self) -> CodeMultiPicker[ParticipantRole]:
        """The roles-present picker."""
        return self.query_one("#participants", CodeMultiPicker)

    def _show_roles(self) -> None:
        mode = self.start_mode.value
        self.query_one("#participants-field").display = mode is None or mode in START_MODE_MEETING

    # -- validation ----------------------------------------------------------------------------

    def local_problems(self) -> list[Problem]:
        """The dates and the start mode, and whether the plan allows that start mode here."""
        problems = super().local_problems()
        mode = self.start_mode.value
        if mode is not None and mode not in self.rules.start_modes:
            problems += [
                p
                for p in rules.start_problems(
                    self.activity, mode, [], start_date=None, received_date=None, today=self.casework.today
                )
                if p.field == "start_mode"
            ]
        return problems

    @on(CodePicker.Changed, "#start_mode")
    def _mode_changed(self) -> None:
        self._show_roles()

    def field_changed(self, name: str) -> None:
        """The proposed follow-up moves with the start date until the user changes it."""
        if name == "start_date" and not self.correct:
            start = self.date_input("start_date").value
            followup = self.date_input("next_followup_date")
            if start is not None and followup.input.value == format_date(self._proposed):
                self._proposed = self.casework.proposed_followup(self.activity, start)
                followup.input.value = format_date(self._proposed)
        super().field_changed(name)

    # -- save ----------------------------------------------------------------------------------

    def save(self) -> object:
        """Start the case, or correct its start."""
        mode: Any = self.start_mode.submitted
        participants = self.participants.values if mode in START_MODE_MEETING else []
        consents: list[ConsentGiver] = list(self.query_one("#consent", SelectionList).selected)
        if self.correct:
            return self.casework.corrections.edit_start(
                self.case_id,
                start_mode=mode,
                start_date=self.date_input("start_date").for_service(),
                goals_agreed=self.query_one("#goals_agreed", Checkbox).value,
                consents=consents,
                participants=participants,
            )
        return self.casework.start_case(
            self.case_id,
            start_mode=mode,
            start_date=self.date_input("start_date").for_service(),
            goals_agreed=self.query_one("#goals_agreed", Checkbox).value,
            consents=consents,
            participants=participants,
            next_followup_date=self.date_input("next_followup_date").for_service(),
        )

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
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, SelectionList, Static

from mentor_tui.codes import (
    START_MODE_MEETING,
    Activity,
    ConsentGiver,
    ParticipantRole,
    ReferralSource,
    StartMode,
)
from mentor_tui.dates import format_date
from mentor_tui.errors import Problem
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
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
        "followup_hint": ("fx +2u = om to uger", "e.g. +2w = in two weeks"),
        "consent": ("Samtykke fra", "Consent from"),
        "consent_rule": (
            "{activity} kan ikke startes uden samtykke fra den unge OG en forælder",
            "{activity} cannot start without consent from the young person AND a parent",
        ),
        "start_date": ("Startdato", "Start date"),
        "no_match": ("Ingen opstartsform passer til «{text}»", "No start mode matches “{text}”"),
    }
)

DEFAULT_START_MODE: dict[Activity, StartMode] = {
    Activity.A1_FREMSKUDT_TRIVSEL: StartMode.AFKLARINGSSAMTALE,
    Activity.A2_FORAELDRERAADGIVNING: StartMode.FLERPARTS_OPSTARTSMOEDE,
    Activity.A3_UNGERAADGIVNING: StartMode.MOEDE_MED_OG_OM_DEN_UNGE,
    Activity.A9_BESKAEFTIGELSESRAADGIVNING: StartMode.RAADGIVNINGSSAMTALE,
    Activity.A10_FRITIDSJOB: StartMode.RAADGIVNINGSSAMTALE,
}
"""The usual start mode where it is not the 3-partssamtale (see the rules' sources)."""

REFERRER_ROLE: dict[ReferralSource, ParticipantRole] = {
    ReferralSource.FOLKESKOLE: ParticipantRole.LAERER,
    ReferralSource.UUO: ParticipantRole.UU_VEJLEDER,
    ReferralSource.PPR: ParticipantRole.PPR,
    ReferralSource.PAEDAGOG_DAGINSTITUTION: ParticipantRole.PAED_LEDER,
    ReferralSource.SUNDHEDSPLEJE: ParticipantRole.SUNDHEDSPLEJERSKE,
    ReferralSource.FAMILIEBEHANDLER: ParticipantRole.FAMILIEBEHANDLER,
    ReferralSource.SOCIALRAADGIVER: ParticipantRole.SAGSBEHANDLER,
    ReferralSource.BOERN_UNGE_SAGSBEHANDLER: ParticipantRole.SAGSBEHANDLER,
    ReferralSource.UDDANNELSESRAADGIVER_CFU: ParticipantRole.UDDANNELSESRAADGIVER,
    ReferralSource.JOBRAADGIVER: ParticipantRole.JOBRAADGIVER,
    ReferralSource.JOBMENTOR_BSF: ParticipantRole.JOBKONSULENT,
}
"""The role a referring professional has at the start meeting."""


def default_start_mode(activity: Activity, allowed: frozenset[StartMode]) -> StartMode | None:
    """Return the usual start mode of ``activity`` (3-partssamtale unless the plan says otherwise)."""
    usual = DEFAULT_START_MODE.get(activity, StartMode.TREPARTSSAMTALE)
    if usual in allowed:
        return usual
    return next((m for m in StartMode if m in allowed), None)


def default_roles(activity: Activity, source: ReferralSource | None) -> list[ParticipantRole]:
    """Return the roles usually present at the start meeting: the resident side and the referrer."""
    if activity in {Activity.A3_UNGERAADGIVNING}:
        roles = [ParticipantRole.UNG, ParticipantRole.FORAELDER]
    elif activity is Activity.A10_FRITIDSJOB:
        roles = [ParticipantRole.UNG]
    elif activity is Activity.A2_FORAELDRERAADGIVNING:
        roles = [ParticipantRole.FORAELDER]
    else:
        roles = [ParticipantRole.BEBOER]
    referrer = REFERRER_ROLE.get(source) if source is not None else None
    if referrer is not None and referrer not in roles:
        roles.append(referrer)
    return roles


class StartCaseScreen(CaseFormModal):
    """Start a referred case: start mode, roles present, goals agreed, consent. Dismisses True when saved."""

    DEFAULT_CSS = """
    StartCaseScreen #consent-rule { color: $text-warning; }
    """

    FIELD_ALIASES = {"consents": "consent", "status": "form"}

    def __init__(self, casework: CaseworkService, case_id: str, *, correct: bool = False) -> None:
        super().__init__(casework, case_id)
        self.rules = casework.closure_requirements(self.detail.case.activity)
        self.correct = correct
        """Correct the start of a started case (the fields filled in, no next follow-up)."""

    @property
    def activity(self) -> Activity:
        """The case's activity."""
        return self.detail.case.activity

    def compose(self) -> ComposeResult:
        today = self.casework.today
        referral = self.detail.referral
        allowed = [m for m in StartMode if m in self.rules.start_modes]
        case = self.detail.case
        mode = default_start_mode(self.activity, self.rules.start_modes)
        roles = default_roles(self.activity, referral.source if referral else None)
        start = today
        given: set[ConsentGiver] = set()
        if self.correct:
            start_meeting = next((m for m in self.detail.meetings if m.is_start), None)
            mode = case.start_mode or mode
            roles = start_meeting.participants if start_meeting else roles
            start = case.start_date or today
            given = {c.given_by for c in self.detail.consents}
        needs_consent = bool(self.rules.consent_from)
        with Vertical(id="dialog"):
            title = "edit_title" if self.correct else "title"
            yield Static(T(title, label=self.detail.person.display_label), id="dialog-title")
            if referral is not None:
                yield Static(
                    T(
                        "subtitle",
                        activity=f"{self.activity.short} {self.activity.label(lang())}",
                        date=format_date(referral.received_date),
                        source=referral.source.label(lang()),
                    ),
                    id="dialog-subtitle",
                )
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("start_mode"),
                    CodePicker(
                        allowed,
                        value=mode,
                        unavailable=[m for m in StartMode if m not in allowed],
                        id="start_mode",
                    ),
                    "start_mode",
                    required=True,
                )
                yield self.field(
                    T("participants"),
                    CodeMultiPicker(
                        list(ParticipantRole),
                        values=roles,
                        id="participants",
                    ),
                    "participants",
                )
                yield self.field(
                    T("goals_agreed"),
                    Checkbox(T("goals_box"), value=case.goals_agreed, compact=True, id="goals_agreed"),
                    "goals_agreed",
                )
                if not self.correct:  # the next follow-up is corrected on its own (f)
                    yield self.field(
                        T("next_followup_date"),
                        DateInput(None, today=today, id="next_followup_date"),
                        "next_followup_date",
                    )
                    yield Static(T("followup_hint"), classes="form--note")
                consent = SelectionList[ConsentGiver](
                    *[(g.label(lang()), g, g in given) for g in ConsentGiver], id="consent"
                )
                yield self.field(T("consent"), consent, "consent", required=needs_consent)
                if needs_consent:
                    yield Static(
                        T("consent_rule", activity=self.activity.label(lang())),
                        classes="form--note",
                        id="consent-rule",
                    )
                yield self.field(
                    T("start_date"),
                    DateInput(start, today=today, id="start_date"),
                    "start_date",
                    required=True,
                )
        yield Footer()

    def on_mount(self) -> None:
        """Focus the start mode; show the roles only for a meeting-type start."""
        self._show_roles()
        self.query_one("#start_mode", CodePicker).input.focus()

    # -- accessors -----------------------------------------------------------------------------

    @property
    def start_mode(self) -> CodePicker[StartMode]:
        """The start mode picker."""
        return self.query_one("#start_mode", CodePicker)

    @property
    def participants(self) -> CodeMultiPicker[ParticipantRole]:
        """The roles-present picker."""
        return self.query_one("#participants", CodeMultiPicker)

    def _date(self, name: str) -> DateInput:
        return self.query_one(f"#{name}", DateInput)

    def _show_roles(self) -> None:
        mode = self.start_mode.value
        self.query_one("#participants-field").display = mode is None or mode in START_MODE_MEETING

    # -- validation ----------------------------------------------------------------------------

    def local_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        picker = self.start_mode
        if picker.unmatched:
            problems.append(
                Problem("start_mode", T.bilingual("no_match", text=picker.text.strip()), code="no_match")
            )
        elif picker.value is not None and picker.value not in self.rules.start_modes:
            problems += [
                p
                for p in rules.start_problems(
                    self.activity,
                    picker.value,
                    [],
                    start_date=None,
                    received_date=None,
                    today=self.casework.today,
                )
                if p.field == "start_mode"
            ]
        for name in ("start_date",) if self.correct else ("next_followup_date", "start_date"):
            problems += self._date(name).problems(name)
        return problems

    @on(CodePicker.Changed, "#start_mode")
    def _mode_changed(self) -> None:
        self._show_roles()
        self.revalidate("start_mode")

    @on(Input.Changed, "#next_followup_date-input")
    def _followup_typed(self) -> None:
        self.revalidate("next_followup_date")

    @on(Input.Changed, "#start_date-input")
    def _start_typed(self) -> None:
        self.revalidate("start_date")

    @on(SelectionList.SelectedChanged, "#consent")
    def _consent_changed(self) -> None:
        self.revalidate("consent")

    # -- save ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Start the case; on refusal show each problem beside its field."""
        picker = self.start_mode
        mode: Any = picker.submitted
        participants = self.participants.values if mode in START_MODE_MEETING else []
        consents: list[ConsentGiver] = list(self.query_one("#consent", SelectionList).selected)
        if self.correct:
            corrected = self.attempt(
                lambda: self.casework.corrections.edit_start(
                    self.case_id,
                    start_mode=mode,
                    start_date=self._date("start_date").for_service(),
                    goals_agreed=self.query_one("#goals_agreed", Checkbox).value,
                    consents=consents,
                    participants=participants,
                )
            )
            if corrected is not None:
                self.dismiss(True)
            return
        case = self.attempt(
            lambda: self.casework.start_case(
                self.case_id,
                start_mode=mode,
                start_date=self._date("start_date").for_service(),
                goals_agreed=self.query_one("#goals_agreed", Checkbox).value,
                consents=consents,
                participants=participants,
                next_followup_date=self._date("next_followup_date").for_service(),
            )
        )
        if case is None:
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

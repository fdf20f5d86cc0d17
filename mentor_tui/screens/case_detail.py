"""Case detail: the person, the case and its timeline; keys for every next step, and for
correcting the selected timeline entry (issue 9): ``e``/Enter corrects it, Delete voids it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Header, Static

from mentor_tui.ages import age_on
from mentor_tui.codes import CaseStatus
from mentor_tui.dates import format_date, week_label
from mentor_tui.i18n import Catalog, lang
from mentor_tui.screens.case_history import CaseHistoryScreen
from mentor_tui.screens.close_case import CloseCaseScreen
from mentor_tui.screens.followup_date import FollowupDateScreen
from mentor_tui.screens.hand_over import HandOverScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.screens.outcome_form import OutcomeFormScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.screens.void_record import VoidRecordScreen
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.corrections import VOIDABLE_KINDS
from mentor_tui.services.casework.service import CaseDetail, CaseworkService, TimelineEntry
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.facts import Facts
from mentor_tui.widgets.key_footer import KeyFooter
from mentor_tui.widgets.timeline import TimelineBody, TimelineRow

T = Catalog(
    {
        "person": ("Person", "Person"),
        "case": ("Forløb", "Case"),
        "timeline": ("Tidslinje (nyeste først)", "Timeline (newest first)"),
        "label": ("Betegnelse", "Label"),
        "born": ("Født", "Born"),
        "age": ("{age} år", "{age} years"),
        "area": ("Område", "Area"),
        "gender": ("Køn", "Gender"),
        "status": ("Status", "Status"),
        "referred": ("Henvist", "Referred"),
        "referred-by": ("{date} fra {source}", "{date} from {source}"),
        "reasons": ("Årsager", "Reasons"),
        "started": ("Startet", "Started"),
        "not-started": ("ikke startet endnu", "not started yet"),
        "goals": ("Mål aftalt", "Goals agreed"),
        "yes": ("ja", "yes"),
        "no": ("nej", "no"),
        "consents": ("Samtykke", "Consent"),
        "none": ("—", "—"),
        "next-followup": ("Næste opfølgning", "Next follow-up"),
        "overdue": ("forfalden", "overdue"),
        "ended": ("Afsluttet", "Closed"),
        "col-date": ("Dato", "Date"),
        "col-week": ("Uge", "Week"),
        "col-event": ("Hændelse", "Event"),
        "no-history": ("Ingen historik endnu", "No history yet"),
        "caseworker": ("Sagsbehandler", "Caseworker"),
        "voided": ("annulleret", "voided"),
        "voided-case": ("Annulleret: {reason}", "Voided: {reason}"),
        "voided-entry": ("(annulleret: {reason})", "(voided: {reason})"),
        "saved": ("Gemt: {what}", "Saved: {what}"),
        "voided-done": ("Annulleret. ctrl+z fortryder.", "Voided. ctrl+z undoes it."),
        "not-editable": (
            "Posten er annulleret og kan ikke rettes; ctrl+z fortryder en annullering i denne session",
            "The entry is voided and cannot be corrected; ctrl+z undoes a void of this session",
        ),
    }
)

_STEPS: dict[str, rules.Step] = {
    "start_case": rules.Step.START,
    "add_meeting": rules.Step.MEETING,
    "add_outcome": rules.Step.OUTCOME,
    "set_followup": rules.Step.FOLLOWUP,
    "close_case": rules.Step.CLOSE,
    "reopen_case": rules.Step.REOPEN,
}
"""The action of each step key."""
_ENTRY_ACTIONS = frozenset({"edit_entry", "void_entry"})
_ACTION_OF = {"edit-entry": "edit_entry", "void-entry": "void_entry", "edit-person": "edit_person"}


class CaseDetailScreen(MentorScreen[None]):
    """One case: person, case facts and timeline; keys for the steps that apply to its status."""

    HELP_TOPIC: ClassVar[str] = "case-detail"
    """Which F1 help text belongs to this screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "back", id="back"),
        binding("s", "start_case", id="start-case"),
        binding("m", "add_meeting", id="add-meeting"),
        binding("r", "add_outcome", id="add-outcome"),
        binding("f", "set_followup", id="set-followup"),
        binding("a", "close_case", id="close-case"),
        binding("g", "reopen_case", id="reopen-case"),
        binding("e", "edit_entry", id="edit-entry"),
        binding("delete,x", "void_entry", id="void-entry", key_display="Del"),
        binding("p", "edit_person", id="edit-person", show=False),
        binding("o", "hand_over", id="hand-over", show=False),
        binding("h", "case_history", id="case-history", show=False),
    ]

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__()
        self.casework = casework
        self.case_id = case_id
        self._history = casework.detail(case_id, voided=True)
        self.detail: CaseDetail = self._history.without_voided()
        """What is shown; reloaded after every saved change."""
        self.entries: list[TimelineEntry] = []
        """The timeline, newest first, as shown (voided entries included, marked)."""
        self._styled_for: tuple[object, ...] | None = None

    def post_message(self, message: Message) -> bool:
        """Post ``message``; a resume of this kept screen skips Textual's restyle of every widget
        when nothing the styles depend on changed since the last one (issue 12: 2.5-3.5 ms of
        opening a case, for styles that came out the same).

        Textual restyles a screen that comes back because its styles may be stale: the theme or
        the stylesheet changed while it was hidden (a hidden screen outside the stack is not
        restyled), or the app gained or lost focus. :meth:`_style_context` is exactly that: the
        count of CSS refreshes (``App._css_update_count``, private; Textual is pinned exactly and
        ``test_a_theme_changed_while_the_case_screen_was_hidden_shows_when_it_is_opened`` fails
        if it stops counting), the stylesheet's sources, the theme, the app's pseudo-classes and
        the terminal's size.
        """
        if (
            isinstance(message, events.ScreenResume)
            and message.refresh_styles
            and self._styled_for is not None
            and self._styled_for == self._style_context()
        ):
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)

    def _style_context(self) -> tuple[object, ...]:
        app = self.app
        return (app._css_update_count, len(app.stylesheet.source), app.theme, app.pseudo_classes, app.size)

    def on_screen_resume(self) -> None:
        """Note what the styles were made for (see :meth:`post_message`)."""
        self._styled_for = self._style_context()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="detail-facts"):
            yield Static(id="person-panel", classes="panel")
            yield Static(id="case-panel", classes="panel")
        with VerticalScroll(id="timeline", can_focus=False):
            yield TimelineBody(id="timeline-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the case; redraw it when the theme changes (overdue dates use its colours)."""
        self.query_one("#person-panel").border_title = T("person")
        self.query_one("#case-panel").border_title = T("case")
        self.query_one("#timeline", VerticalScroll).border_title = T("timeline")
        self.timeline.focus()
        self.show_detail()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_detail())
        self._styled_for = self._style_context()  # styled as its widgets mounted

    def show_case(self, case_id: str) -> None:
        """Show case ``case_id`` in this screen, from its newest entry (the case list keeps one
        case screen and fills it with the next case: composing a new screen each time cost
        more than the whole target for opening a case, issue 12)."""
        self.case_id = case_id
        self._history = self.casework.detail(case_id, voided=True)
        self.detail = self._history.without_voided()
        self.entries = []
        self.timeline.cursor_row = 0
        self.query_one("#timeline", VerticalScroll).scroll_to(y=0, animate=False, immediate=True)
        self.show_detail()
        self.timeline.focus()
        self.refresh_bindings()

    @property
    def timeline(self) -> TimelineBody:
        """The timeline (one entry per event, the cursor on the selected one)."""
        return self.query_one(TimelineBody)

    @property
    def selected(self) -> TimelineEntry | None:
        """The timeline entry under the cursor."""
        row = self.timeline.cursor_row
        return self.entries[row] if self.entries and 0 <= row < len(self.entries) else None

    def reload(self) -> None:
        """Read the case again and show it (after a saved change)."""
        self._history = self.casework.detail(self.case_id, voided=True)
        self.detail = self._history.without_voided()
        self.show_detail()
        self.refresh_bindings()

    def show_detail(self) -> None:
        """Render the panels and the timeline from :attr:`detail`."""
        d = self.detail
        self.title = f"{d.person.display_label} · {d.case.activity.short} {d.case.activity.label(lang())}"
        self.query_one("#person-panel", Static).update(self._person_facts())
        self.query_one("#case-panel", Static).update(self._case_facts())
        self._show_timeline()

    # -- rendering -------------------------------------------------------------------------------

    def _person_facts(self) -> RenderableType:
        language = lang()
        p = self.detail.person
        age = age_on(p.birth_year, p.birth_month, self.casework.today)
        return Facts(
            [
                (T("label"), p.display_label),
                (T("born"), f"{p.birth_month:02d}-{p.birth_year:04d} ({T('age', age=age)})"),
                (T("area"), p.area.label(language)),
                (T("gender"), p.gender.label(language) if p.gender else T("none")),
            ]
        )

    def _case_facts(self) -> RenderableType:
        language = lang()
        d = self.detail
        c = d.case
        today = self.casework.today
        # the most actionable facts first: on a small terminal the panel may be cut at the bottom
        facts: list[tuple[str, str | Text]] = [(T("status"), c.status.label(language))]
        if c.deleted_at is not None:
            facts = [
                (
                    T("status"),
                    Text(T("voided-case", reason=c.deleted_reason or ""), style=self._error_style()),
                )
            ]
        if c.status is CaseStatus.AFSLUTTET and c.end_date is not None:
            facts.append((T("ended"), format_date(c.end_date)))
        elif c.next_followup_date is not None:
            when = f"{format_date(c.next_followup_date)}, {week_label(c.next_followup_date, language)}"
            if rules.follow_up(c, today) is rules.FollowUp.OVERDUE:
                facts.append(
                    (T("next-followup"), Text(f"! {when} ({T('overdue')})", style=self._error_style()))
                )
            else:
                facts.append((T("next-followup"), when))
        if c.start_date is not None:
            mode = c.start_mode.label(language) if c.start_mode else ""
            facts.append((T("started"), f"{format_date(c.start_date)}, {mode}"))
        else:
            facts.append((T("started"), T("not-started")))
        facts.append((T("caseworker"), self.casework.staff_initials(c.staff_id) or T("none")))
        facts.append((T("goals"), T("yes") if c.goals_agreed else T("no")))
        consents = ", ".join(x.given_by.label(language) for x in d.consents if x.withdrawn_date is None)
        facts.append((T("consents"), consents or T("none")))
        if d.referral is not None:
            r = d.referral
            facts.append(
                (
                    T("referred"),
                    T("referred-by", date=format_date(r.received_date), source=r.source.label(language)),
                )
            )
            if r.reasons:
                facts.append((T("reasons"), ", ".join(x.label(language) for x in r.reasons)))
        return Facts(facts)

    def _error_style(self) -> str:
        return f"bold {self.app.theme_variables.get('text-error', 'red')}"

    def _show_timeline(self) -> None:
        """Fill the timeline (it builds and renders only the entries in view, so 200 meetings
        cost as 20); the cursor stays on the entry it was on."""
        language = lang()
        keep = self.selected
        entries = self.entries = self.casework.timeline(self.case_id, self._history)
        # the event as plain text lays the timeline out; a voided entry gets its reason after it
        events = [
            e.text(language)
            if e.voided is None
            else f"{e.text(language)} {T('voided-entry', reason=e.voided)}"
            for e in entries
        ]
        styles = {"closure": "bold", "reopening": "bold", "start": "bold", "planned": "italic"}

        def make_row(index: int) -> TimelineRow:
            e = entries[index]
            if e.voided is not None:  # stays in the history, struck through, with the reason
                event = Text.assemble(
                    (e.text(language), "strike dim"), " ", (T("voided-entry", reason=e.voided), "italic")
                )
                date_style = "strike dim"
            else:
                event = Text(events[index], style=styles.get(e.kind, ""))
                date_style = ""
            return TimelineRow(
                Text(format_date(e.date), style=date_style),
                Text(week_label(e.date, language), style=date_style),
                event,
            )

        headers = (T("col-date"), T("col-week"), T("col-event"))
        body = self.timeline
        body.show(events, make_row, headers, Text(T("no-history"), style="dim"))
        if keep is not None:
            same = next(
                (
                    i
                    for i, e in enumerate(self.entries)
                    if (e.kind, e.record_id) == (keep.kind, keep.record_id)
                ),
                None,
            )
            if same is not None:
                body.move_cursor(row=same)

    # -- bindings --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the steps the case's status allows (:data:`rules.STEPS_BY_STATUS`), and
        correcting or voiding only on a timeline entry that can take it."""
        if self.detail.case.deleted_at is not None:
            return action in ("back", "case_history")  # a voided case is history only
        if action in _ENTRY_ACTIONS:
            entry = self.selected
            if entry is None or entry.voided is not None:
                return None if entry is not None else False  # shown dimmed on a voided entry
            return action == "edit_entry" or entry.kind in VOIDABLE_KINDS
        step = _STEPS.get(action)
        return step is None or rules.step_allowed(step, self.detail.case.status)

    def _push(self, screen: ModalScreen[bool]) -> None:
        def saved(result: bool | None) -> None:
            if result:
                self.reload()

        self.app.push_screen(screen, saved)

    def action_back(self) -> None:
        """Back to where the case was opened from."""
        self.dismiss()

    def action_start_case(self) -> None:
        """Start the referred case (3-partssamtale or another start mode)."""
        self._push(StartCaseScreen(self.casework, self.case_id))

    def action_add_meeting(self) -> None:
        """Add a held or planned meeting."""
        self._push(MeetingFormScreen(self.casework, self.case_id))

    def action_add_outcome(self) -> None:
        """Add an outcome."""
        self._push(OutcomeFormScreen(self.casework, self.case_id))

    def action_set_followup(self) -> None:
        """Set or clear the next follow-up date."""
        self._push(FollowupDateScreen(self.casework, self.case_id))

    def action_close_case(self) -> None:
        """Close the case."""
        self._push(CloseCaseScreen(self.casework, self.case_id))

    def action_reopen_case(self) -> None:
        """Reopen the closed case."""
        self._push(ReopenCaseScreen(self.casework, self.case_id))

    # -- correcting ------------------------------------------------------------------------------

    @on(TimelineBody.RowSelected)
    def _row_chosen(self) -> None:
        """Enter on a timeline entry corrects it."""
        if self.check_action("edit_entry", ()):
            self.action_edit_entry()

    @on(TimelineBody.RowHighlighted)
    def _row_moved(self) -> None:
        # the footer offers Ret/Annullér only on an entry that can take them
        self.refresh_bindings()

    def action_edit_entry(self) -> None:
        """Correct the selected timeline entry in its own form, filled in."""
        entry = self.selected
        if entry is None:
            return
        if entry.voided is not None:
            self.notify(T("not-editable"), severity="warning")
            return
        d = self.detail
        if entry.kind == "referral":
            self.action_edit_person()
        elif entry.kind == "start" or entry.start_meeting:
            self._push(StartCaseScreen(self.casework, self.case_id, correct=True))
        elif entry.kind in ("meeting", "planned"):
            meeting = next(m for m in d.meetings if m.id == entry.record_id)
            self._push(MeetingFormScreen(self.casework, self.case_id, meeting))
        elif entry.kind == "outcome":
            outcome = next(o for o in d.outcomes if o.id == entry.record_id)
            self._push(OutcomeFormScreen(self.casework, self.case_id, outcome))
        elif entry.kind == "closure":
            closure = next(c for c in d.closures if c.id == entry.record_id)
            self._push(CloseCaseScreen(self.casework, self.case_id, closure))
        elif entry.kind == "reopening":
            reopening = next(r for r in d.reopenings if r.id == entry.record_id)
            self._push(ReopenCaseScreen(self.casework, self.case_id, reopening))

    def action_void_entry(self) -> None:
        """Void the selected entry, registered by mistake (a reason is asked for)."""
        entry = self.selected
        if entry is not None and entry.voided is None:
            self._push(VoidRecordScreen(self.casework, self.case_id, entry))

    def action_edit_person(self) -> None:
        """Correct the person and the referral (the new-referral form, filled in)."""

        def saved(result: str | None) -> None:
            if result:
                self.reload()

        self.app.push_screen(NewReferralScreen(self.casework, self.case_id), saved)

    def action_hand_over(self) -> None:
        """Hand the case over to another caseworker."""
        self._push(HandOverScreen(self.casework, self.case_id))

    def action_case_history(self) -> None:
        """Show who changed what in the case, and when."""
        self.app.push_screen(CaseHistoryScreen(self.casework, self.case_id))

    # -- command palette -------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The steps that apply to this case, for the command palette."""
        steps: list[tuple[str, Callable[[], None]]] = [
            ("start-case", self.action_start_case),
            ("add-meeting", self.action_add_meeting),
            ("add-outcome", self.action_add_outcome),
            ("set-followup", self.action_set_followup),
            ("close-case", self.action_close_case),
            ("reopen-case", self.action_reopen_case),
            ("edit-entry", self.action_edit_entry),
            ("void-entry", self.action_void_entry),
            ("edit-person", self.action_edit_person),
            ("hand-over", self.action_hand_over),
            ("case-history", self.action_case_history),
        ]
        label = self.detail.person.display_label
        for binding_id, callback in steps:
            if self.check_action(_ACTION_OF.get(binding_id, binding_id.replace("-", "_")), ()):
                yield key_command(binding_id, callback, about=label)

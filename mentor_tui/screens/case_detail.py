"""Case detail: the person, the case and its timeline; keys for every next step."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Header, Static

from mentor_tui.ages import age_on
from mentor_tui.codes import CaseStatus
from mentor_tui.dates import format_date, week_label
from mentor_tui.i18n import Catalog, lang
from mentor_tui.screens.close_case import CloseCaseScreen
from mentor_tui.screens.followup_date import FollowupDateScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.screens.outcome_form import OutcomeFormScreen
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.services.casework.service import CaseDetail, CaseworkService
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.key_footer import KeyFooter

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
    }
)

_OPEN_ONLY = frozenset({"add_meeting", "add_outcome", "set_followup", "close_case"})


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
    ]

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__()
        self.casework = casework
        self.case_id = case_id
        self.detail: CaseDetail = casework.detail(case_id)
        """What is shown; reloaded after every saved change."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="detail-facts"):
            yield Static(id="person-panel", classes="panel")
            yield Static(id="case-panel", classes="panel")
        with VerticalScroll(id="timeline"):
            yield Static(id="timeline-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the case; redraw it when the theme changes (overdue dates use its colours)."""
        self.query_one("#person-panel").border_title = T("person")
        self.query_one("#case-panel").border_title = T("case")
        self.query_one("#timeline").border_title = T("timeline")
        self.query_one("#timeline").focus()
        self.show_detail()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_detail())

    def reload(self) -> None:
        """Read the case again and show it (after a saved change)."""
        self.detail = self.casework.detail(self.case_id)
        self.show_detail()
        self.refresh_bindings()

    def show_detail(self) -> None:
        """Render the panels and the timeline from :attr:`detail`."""
        d = self.detail
        self.title = f"{d.person.display_label} · {d.case.activity.short} {d.case.activity.label(lang())}"
        self.query_one("#person-panel", Static).update(self._person_facts())
        self.query_one("#case-panel", Static).update(self._case_facts())
        self.query_one("#timeline-body", Static).update(self._timeline())

    # -- rendering -------------------------------------------------------------------------------

    def _person_facts(self) -> RenderableType:
        language = lang()
        p = self.detail.person
        age = age_on(p.birth_year, p.birth_month, self.casework.today)
        return _facts(
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
        if c.status is CaseStatus.AFSLUTTET and c.end_date is not None:
            facts.append((T("ended"), format_date(c.end_date)))
        elif c.next_followup_date is not None:
            when = f"{format_date(c.next_followup_date)}, {week_label(c.next_followup_date, language)}"
            if c.next_followup_date < today:
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
        return _facts(facts)

    def _error_style(self) -> str:
        return f"bold {self.app.theme_variables.get('text-error', 'red')}"

    def _timeline(self) -> RenderableType:
        language = lang()
        entries = self.casework.timeline(self.case_id)
        if not entries:
            return Text(T("no-history"), style="dim")
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column(T("col-date"), no_wrap=True, width=10)
        table.add_column(T("col-week"), no_wrap=True, width=7)
        table.add_column(T("col-event"), ratio=1)
        styles = {"closure": "bold", "reopening": "bold", "start": "bold", "planned": "italic"}
        for e in entries:
            table.add_row(
                format_date(e.date),
                week_label(e.date, language),
                Text(e.text(language), style=styles.get(e.kind, "")),
            )
        return table

    # -- bindings --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the steps that apply: start when referred, reopen when closed, and so on."""
        status = self.detail.case.status
        if action == "start_case":
            return status is CaseStatus.HENVIST
        if action == "reopen_case":
            return status is CaseStatus.AFSLUTTET
        if action in _OPEN_ONLY:
            return status is not CaseStatus.AFSLUTTET
        return True

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
        ]
        label = self.detail.person.display_label
        for binding_id, callback in steps:
            if self.check_action(binding_id.replace("-", "_"), ()):
                yield key_command(binding_id, callback, about=label)


def _facts(rows: list[tuple[str, str | Text]]) -> Table:
    table = Table.grid(padding=(0, 1), pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for name, value in rows:
        table.add_row(name, value)
    return table

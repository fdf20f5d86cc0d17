"""New referral: search-before-create, person, activity, source, reasons, received date.

Built for speed at the meeting table: type a label and birth year-month (existing persons that
match are listed, so a duplicate is not created), then type a few letters in each coded field
("vol", "a6", "udd") and press ctrl+s. Age and area warnings from the plan appear as you type and
never block saving. After saving the start dialog opens at once (untick "start now" to skip it).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from mentor_tui.codes import CASE_ACTIVITIES, Activity, Area, Gender, ReferralReason, ReferralSource
from mentor_tui.dates import format_year_month, parse_year_month
from mentor_tui.errors import InputError, Problem
from mentor_tui.i18n import Bilingual, Catalog, lang
from mentor_tui.models import Person
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.services.casework.service import CaseworkService, PersonMatch
from mentor_tui.widgets.bindings import binding
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import FormModal
from mentor_tui.widgets.multi_picker import CodeMultiPicker

T = Catalog(
    {
        "title": ("Ny henvisning", "New referral"),
        "subtitle": (
            "Skriv få bogstaver i hvert felt · Enter/Tab vælger · ctrl+s gemmer",
            "Type a few letters in each field · Enter/Tab picks · ctrl+s saves",
        ),
        "display_label": ("Kaldenavn/initialer", "Label/initials"),
        "birth_ym": ("Født (åååå-mm)", "Born (yyyy-mm)"),
        "birth_placeholder": ("åååå-mm", "yyyy-mm"),
        "area": ("Boligområde", "Area"),
        "activity": ("Aktivitet", "Activity"),
        "source": ("Henvist af", "Referred by"),
        "received_date": ("Modtaget", "Received"),
        "reasons": ("Årsager", "Reasons"),
        "gender": ("Køn (valgfrit)", "Gender (optional)"),
        "start_after": ("Start forløbet lige efter (3-partssamtale m.m.)", "Start the case right after"),
        "matches_title": (
            "Findes personen allerede? ↓ og Enter vælger en eksisterende person (Esc/↑ tilbage):",
            "Already known? ↓ and Enter picks an existing person (Esc/↑ back):",
        ),
        "match": ("{label} · født {ym} · {area} · {cases}", "{label} · born {ym} · {area} · {cases}"),
        "no_open": ("ingen åbne forløb", "no open cases"),
        "open": ("åbne forløb: {cases}", "open cases: {cases}"),
        "chosen": (
            "Eksisterende person: {label} (født {ym}, {area}). ctrl+r: opret ny person i stedet",
            "Existing person: {label} (born {ym}, {area}). ctrl+r: create a new person instead",
        ),
    }
)

_PICKERS = ("area", "activity", "source", "gender")

SEARCH_DELAY = 0.15
"""Seconds of no typing in the label or birth fields before the duplicate search runs: a burst of
keys (a fast typist, a paste) searches once, after it, instead of once per key."""


class MatchList(OptionList):
    """The existing persons matching the label: reached with Down from the label, never with Tab.

    Tab always goes to the next field (issue 11: when Tab went into this list, every later entry
    landed one field off). Up from the first match, or Escape, goes back to the label.
    """

    BINDINGS = [binding("escape", "leave", id="matches-leave")]

    can_focus = False

    def enter(self) -> None:
        """Move the focus into the list (only Down from the label does this)."""
        self.can_focus = True
        self.focus()

    def action_leave(self) -> None:
        """Back to the label field."""
        self.screen.query_one("#display_label", Input).focus()

    def action_cursor_up(self) -> None:
        """Up from the first match goes back to the label."""
        if not self.highlighted:
            self.action_leave()
        else:
            super().action_cursor_up()

    def on_blur(self) -> None:
        """Out of the Tab order again."""
        self.can_focus = False


def _year_month(text: str) -> tuple[int, int] | None:
    """The birth year-month typed, or None while it is not one (the problem is shown apart)."""
    try:
        return parse_year_month(text)
    except InputError:
        return None


def _activity_label(activity: Activity) -> str:
    return f"{activity.short} · {activity.label(lang())}"


class NewReferralScreen(FormModal[str | None]):
    """New referral: search-before-create, person, activity, source, reasons, received date.

    Optionally goes straight on to starting the case. Dismisses with the new case id, or None
    if cancelled.
    """

    SAVED = Bilingual("Henvisning gemt: {label}", "Referral saved: {label}")

    BINDINGS = [
        binding("ctrl+r", "new_person", id="referral-new-person", show=False),
        binding("down", "to_matches", id="referral-to-matches", show=False),
    ]

    DEFAULT_CSS = """
    NewReferralScreen #matches-title { color: $text-warning; }
    NewReferralScreen #chosen-person { color: $text-success; }
    """

    FIELD_ALIASES = {"birth_year": "birth_ym", "birth_month": "birth_ym", "person_id": "display_label"}

    def __init__(self, casework: CaseworkService) -> None:
        super().__init__()
        self.casework = casework
        self.person: Person | None = None
        """The existing person picked from the matches, if any."""
        self._matches: list[PersonMatch] = []
        self._search_timer: Timer | None = None

    # -- layout --------------------------------------------------------------------------------

    def heading(self) -> str:
        return T("title")

    def subheading(self) -> str | None:
        return T("subtitle")

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        yield self.field(
            T("display_label"),
            Input(compact=True, id="display_label", max_length=40),
            "display_label",
            required=True,
        )
        with Vertical(id="matches-box"):
            yield Static(T("matches_title"), id="matches-title")
            yield MatchList(id="matches")
        yield Static("", id="chosen-person")
        yield self.field(
            T("birth_ym"),
            Input(compact=True, id="birth_ym", placeholder=T("birth_placeholder"), max_length=7),
            "birth_ym",
            required=True,
        )
        yield self.field(T("area"), CodePicker(list(Area), id="area"), "area", required=True)
        yield self.field(
            T("activity"),
            CodePicker(list(CASE_ACTIVITIES), labels=_activity_label, id="activity"),
            "activity",
            required=True,
        )
        yield self.field(T("source"), CodePicker(list(ReferralSource), id="source"), "source", required=True)
        yield self.field(
            T("received_date"),
            DateInput(today, today=today, id="received_date"),
            "received_date",
            required=True,
        )
        yield self.field(T("reasons"), CodeMultiPicker(list(ReferralReason), id="reasons"), "reasons")
        yield self.field(T("gender"), CodePicker(list(Gender), id="gender"), "gender")
        yield Checkbox(T("start_after"), value=True, compact=True, id="start_after")

    def on_mount(self) -> None:
        """No matches shown until something is typed (the form starts in the label field)."""
        self.query_one("#matches-box").display = False
        self.query_one("#chosen-person").display = False

    # -- typed accessors -----------------------------------------------------------------------

    @property
    def received(self) -> DateInput:
        """The received-date field."""
        return self.query_one("#received_date", DateInput)

    @property
    def reasons(self) -> CodeMultiPicker[ReferralReason]:
        """The reasons field."""
        return self.query_one("#reasons", CodeMultiPicker)

    # -- search before create ------------------------------------------------------------------

    @property
    def search_pending(self) -> bool:
        """True while typing has changed the label or birth year-month and the search has not run."""
        return self._search_timer is not None

    def _search_soon(self) -> None:
        """Search once the typing settles (:data:`SEARCH_DELAY`)."""
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search)

    def _search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        label = self.query_one("#display_label", Input).value.strip()
        ym = _year_month(self.query_one("#birth_ym", Input).value)
        if not label and ym is None:
            self._matches = []
        else:
            year, month = ym if ym else (None, None)
            self._matches = self.casework.find_persons(label, year, month, limit=8)
        if self.person is not None:
            self._matches = [m for m in self._matches if m.person.id != self.person.id]
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        options.add_options([Option(self._match_text(m), id=m.person.id) for m in self._matches])
        if self._matches:
            options.highlighted = 0
        self.query_one("#matches-box").display = bool(self._matches)

    def _match_text(self, match: PersonMatch) -> str:
        p = match.person
        if match.open_cases:
            cases = T(
                "open",
                cases=", ".join(
                    f"{c.activity.short} {c.status.label(lang()).lower()}" for c in match.open_cases
                ),
            )
        else:
            cases = T("no_open")
        return T("match", label=p.display_label, ym=p.birth_ym, area=p.area.label(lang()), cases=cases)

    @on(OptionList.OptionSelected, "#matches")
    def _pick_person(self, event: OptionList.OptionSelected) -> None:
        chosen = next(m.person for m in self._matches if m.person.id == event.option.id)
        self.person = chosen
        self.query_one("#display_label", Input).value = chosen.display_label
        self.query_one("#birth_ym", Input).value = chosen.birth_ym
        self.picker("area").set_value(chosen.area)
        self.picker("gender").set_value(chosen.gender)
        for name in ("birth_ym", "area", "gender"):
            self.query_one(f"#{name}").disabled = True
        note = self.query_one("#chosen-person", Static)
        note.update(
            T("chosen", label=chosen.display_label, ym=chosen.birth_ym, area=chosen.area.label(lang()))
        )
        note.display = True
        self.query_one("#matches-box").display = False
        self.picker("activity").input.focus()

    def action_to_matches(self) -> None:
        """Down from the label field goes into the list of existing persons, when shown."""
        label = self.query_one("#display_label", Input)
        if not label.has_focus:
            return
        if self.search_pending:
            self._search()
        if self.query_one("#matches-box").display:
            self.query_one("#matches", MatchList).enter()

    def action_new_person(self) -> None:
        """Forget the picked existing person; the form creates a new one."""
        if self.person is None:
            return
        self.person = None
        for name in ("birth_ym", "area", "gender"):
            self.query_one(f"#{name}").disabled = False
        self.query_one("#chosen-person").display = False
        self._search()

    # -- validate as you type ------------------------------------------------------------------

    def local_problems(self) -> list[Problem]:
        """The fields' own problems, and the birth year-month once it seems typed."""
        problems = super().local_problems()
        ym_input = self.query_one("#birth_ym", Input)
        ym_text = ym_input.value.strip()
        done_typing = not ym_input.has_focus or len(ym_text) >= 7
        if self.person is None and ym_text and done_typing:
            try:
                parse_year_month(ym_text)
            except InputError as exc:
                problems.append(Problem("birth_ym", exc.message, code="bad_year_month"))
        return problems

    def warnings(self) -> list[Problem]:
        ym = _year_month(self.query_one("#birth_ym", Input).value)
        activity = self.picker("activity").value
        area = self.picker("area").value
        received = self.received.value
        if ym is None or activity is None or area is None or received is None:
            return []
        return self.casework.referral_warnings(
            Activity(activity), birth_year=ym[0], birth_month=ym[1], area=Area(area), received_date=received
        )

    @on(Input.Changed, "#display_label")
    def _label_typed(self, event: Input.Changed) -> None:
        if self.person is not None and event.value != self.person.display_label:
            self.action_new_person()
        self._search_soon()

    @on(Input.Changed, "#birth_ym")
    def _birth_typed(self) -> None:
        if self.person is None:
            self._search_soon()

    @on(Input.Blurred, "#birth_ym")
    def _birth_left(self, event: Input.Blurred) -> None:
        ym = _year_month(event.value)
        if ym is not None and event.value != format_year_month(*ym):
            event.input.value = format_year_month(*ym)

    # -- save ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Register the referral; on refusal show each problem beside its field."""
        ym_text = self.query_one("#birth_ym", Input).value.strip()
        ym = _year_month(ym_text)
        person_fields: dict[str, Any] = {}
        if self.person is not None:
            person_fields["person_id"] = self.person.id
        else:
            person_fields.update(
                display_label=self.query_one("#display_label", Input).value,
                # an unreadable year-month goes through as text with no month, so the service
                # refuses it and nothing is written
                birth_year=ym[0] if ym else (ym_text or None),
                birth_month=ym[1] if ym else None,
                area=self.picker("area").submitted,
                gender=self.picker("gender").submitted,
            )
        case = self.attempt(
            lambda: self.casework.register_referral(
                activity=self.picker("activity").submitted,
                received_date=self.received.for_service(),
                source=self.picker("source").submitted,
                reasons=self.reasons.values,
                **person_fields,
            )
        )
        if case is None:
            return
        case_id = case.id
        if not self.query_one("#start_after", Checkbox).value:
            self.dismiss(case_id)
            return

        def started(_saved: bool | None) -> None:
            # the referral is saved either way; the start dialog may be cancelled ("later")
            self.dismiss(case_id)

        self.app.push_screen(StartCaseScreen(self.casework, case_id), started)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def saved_label(self) -> str:
        """The person the referral was saved for."""
        return self.person.display_label if self.person else self.query_one("#display_label", Input).value

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
from mentor_tui.models import Person, check_label
from mentor_tui.screens.same_person import SamePersonScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.services.casework.service import CaseworkService, PersonMatch
from mentor_tui.widgets.bindings import binding
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.form_modal import FormModal
from mentor_tui.widgets.label_input import LabelInput
from mentor_tui.widgets.multi_picker import CodeMultiPicker

T = Catalog(
    {
        "title": ("Ny henvisning", "New referral"),
        "edit_title": ("Ret person og henvisning: {label}", "Correct person and referral: {label}"),
        "edit_subtitle": (
            "Rettelsen tjekkes som ved registreringen · ctrl+s gemmer · Esc fortryder",
            "The correction is checked as at registration · ctrl+s saves · Esc cancels",
        ),
        "pasted": (
            "Indsat tekst med flere celler eller linjer: kun «{kept}» er sat ind; udeladt: {left_out}",
            "Pasted text with several cells or lines: only “{kept}” was inserted; left out: {left_out}",
        ),
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

    def __init__(self, casework: CaseworkService, case_id: str | None = None) -> None:
        super().__init__()
        self.casework = casework
        self.case_id = case_id
        """The case whose person and referral are corrected; ``None`` for a new referral."""
        self.detail = casework.detail(case_id) if case_id is not None else None
        self.person: Person | None = None
        """The existing person picked from the matches, if any."""
        self.new_person_confirmed = False
        """The user said the matching person is a different one (asked on save)."""
        self._matches: list[PersonMatch] = []
        self._search_timer: Timer | None = None
        self._pasted: Problem | None = None

    # -- layout --------------------------------------------------------------------------------

    @property
    def corrects(self) -> str | None:
        """The referral (with its person) being corrected, if any."""
        return (self.detail.case.referral_id or self.detail.case.id) if self.detail is not None else None

    def heading(self) -> str:
        if self.detail is not None:
            return T("edit_title", label=self.detail.person.display_label)
        return T("title")

    def subheading(self) -> str | None:
        return T("edit_subtitle") if self.detail is not None else T("subtitle")

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        d = self.detail
        person = d.person if d else None
        referral = d.referral if d else None
        yield self.field(
            T("display_label"),
            # no max_length: a long label is refused with a message, never cut (issue 9 item 6)
            LabelInput(person.display_label if person else "", compact=True, id="display_label"),
            "display_label",
            required=True,
        )
        with Vertical(id="matches-box"):
            yield Static(T("matches_title"), id="matches-title")
            yield MatchList(id="matches")
        yield Static("", id="chosen-person")
        birth = Input(
            person.birth_ym if person else "",
            compact=True,
            id="birth_ym",
            placeholder=T("birth_placeholder"),
            max_length=7,
        )
        yield self.field(T("birth_ym"), birth, "birth_ym", required=True)
        area = CodePicker(list(Area), value=person.area if person else None, id="area")
        yield self.field(T("area"), area, "area", required=True)
        activity = CodePicker(
            list(CASE_ACTIVITIES),
            value=referral.activity if referral else None,
            labels=_activity_label,
            id="activity",
        )
        yield self.field(T("activity"), activity, "activity", required=True)
        source = CodePicker(list(ReferralSource), value=referral.source if referral else None, id="source")
        yield self.field(T("source"), source, "source", required=True)
        received = DateInput(referral.received_date if referral else today, today=today, id="received_date")
        yield self.field(T("received_date"), received, "received_date", required=True)
        reasons = CodeMultiPicker(
            list(ReferralReason), values=referral.reasons if referral else (), id="reasons"
        )
        yield self.field(T("reasons"), reasons, "reasons")
        gender = CodePicker(list(Gender), value=person.gender if person else None, id="gender")
        yield self.field(T("gender"), gender, "gender")
        if d is None:
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
        if self.detail is not None:
            return  # correcting: the person is the case's own
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
        self.use_person(next(m.person for m in self._matches if m.person.id == event.option.id))

    def use_person(self, chosen: Person) -> None:
        """Register the referral on ``chosen``, an existing person (their fields are shown, locked)."""
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
        if self.person is None:
            try:
                check_label(self.query_one("#display_label", Input).value.strip())
            except InputError as exc:
                problems.append(Problem("display_label", exc.message, exc.code))
        return problems

    def warnings(self) -> list[Problem]:
        pasted = [self._pasted] if self._pasted is not None else []
        return pasted + self._eligibility()

    def _eligibility(self) -> list[Problem]:
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
        self.new_person_confirmed = False
        if self._pasted is not None and self._pasted.code == "pasted_kept":
            self._pasted = Problem("display_label", self._pasted.message, "pasted")
        else:
            self._pasted = None  # the note about a paste stays until the next change
        self._search_soon()

    @on(LabelInput.Trimmed)
    def _label_trimmed(self, event: LabelInput.Trimmed) -> None:
        left_out = ", ".join(f"«{part}»" for part in event.left_out)
        pasted = T.bilingual("pasted", kept=event.kept, left_out=left_out)
        self._pasted = Problem("display_label", pasted, "pasted_kept")
        self.revalidate()

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
        """Register (or correct) the referral; on refusal show each problem beside its field.

        A new person whose label and birth month match an existing one is saved only after the
        question "same person or a different one?" (issue 9 item 5).
        """
        ym_text = self.query_one("#birth_ym", Input).value.strip()
        ym = _year_month(ym_text)
        label = self.query_one("#display_label", Input).value
        if self.detail is not None:
            self._save_correction(label, ym, ym_text)
            return
        if self.person is None and ym is not None and not self.new_person_confirmed:
            same = self.casework.same_persons(label, *ym)
            if same and not self.local_problems():
                screen = SamePersonScreen(label.strip(), format_year_month(*ym), same)
                self.app.push_screen(screen, self._same_person_answered)
                return
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
                new_person_confirmed=self.new_person_confirmed,
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

    def _same_person_answered(self, answer: str | None) -> None:
        if answer is None:
            return  # back to the form
        if answer:
            self.use_person(self.casework.repos.persons.get(answer))
        else:
            self.new_person_confirmed = True
        self.call_after_refresh(self.action_save)

    def _save_correction(self, label: str, ym: tuple[int, int] | None, ym_text: str) -> None:
        assert self.case_id is not None
        case_id = self.case_id
        saved = self.attempt(
            lambda: self.casework.corrections.edit_referral(
                case_id,
                display_label=label,
                birth_year=ym[0] if ym else (ym_text or None),
                birth_month=ym[1] if ym else None,
                area=self.picker("area").submitted,
                gender=self.picker("gender").submitted,
                activity=self.picker("activity").submitted,
                received_date=self.received.for_service(),
                source=self.picker("source").submitted,
                reasons=self.reasons.values,
            )
        )
        if saved is not None:
            self.dismiss(case_id)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def saved_label(self) -> str:
        """The person the referral was saved for."""
        return self.person.display_label if self.person else self.query_one("#display_label", Input).value

"""Hand a case over to another caseworker: pick a colleague, or add one by initials and team."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from mentor_tui.codes import Team
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Overdrag forløb: {label}", "Hand over case: {label}"),
        "subtitle": (
            "Sagsbehandler nu: {now}. Vælg en kollega og tryk Enter, eller skriv en ny kollegas initialer.",
            "Caseworker now: {now}. Pick a colleague and press Enter, or type a new colleague's initials.",
        ),
        "nobody": ("ingen", "nobody"),
        "staff": ("{initials} · {team}", "{initials} · {team}"),
        "you": (" (dig)", " (you)"),
        "new_initials": ("Ny kollega", "New colleague"),
        "new_placeholder": ("initialer", "initials"),
        "team": ("Team", "Team"),
    }
)


class HandOverScreen(CaseFormModal):
    """Change the case's caseworker (an edit, in the audit trail). Dismisses True when saved."""

    FIELD_ALIASES = {"staff_id": "form", "initials": "new_initials"}

    DEFAULT_CSS = """
    HandOverScreen #staff-list { height: auto; max-height: 10; }
    """

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__(casework, case_id)
        self.staff = casework.staff_members()

    def compose(self) -> ComposeResult:
        local = self.casework.repos.local_staff()
        current = self.casework.staff_initials(self.detail.case.staff_id) or T("nobody")
        options = [
            Option(
                T("staff", initials=s.initials, team=s.team.label(lang()))
                + (T("you") if local is not None and s.id == local.id else ""),
                id=s.id,
            )
            for s in self.staff
        ]
        with Vertical(id="dialog"):
            yield Static(T("title", label=self.detail.person.display_label), id="dialog-title")
            yield Static(T("subtitle", now=current), id="dialog-subtitle")
            yield FieldMessage("form")
            yield OptionList(*options, id="staff-list")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("new_initials"),
                    Input(placeholder=T("new_placeholder"), compact=True, id="new_initials"),
                    "new_initials",
                )
                yield self.field(T("team"), CodePicker(list(Team), id="team"), "team")
        yield Footer()

    def on_mount(self) -> None:
        """Highlight the current caseworker in the list and start there (not in the first field)."""
        staff_list = self.query_one("#staff-list", OptionList)
        ids = [s.id for s in self.staff]
        current = self.detail.case.staff_id
        staff_list.highlighted = ids.index(current) if current in ids else 0
        # after the form frame's own mount handler, which focuses the first field
        self.call_after_refresh(staff_list.focus)

    @on(OptionList.OptionSelected, "#staff-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        staff_id = event.option.id
        if self.attempt(lambda: self.casework.corrections.hand_over(self.case_id, staff_id)) is not None:
            self.dismiss(True)

    def action_save(self) -> None:
        """With initials typed: hand over to that (new) colleague; else to the highlighted one."""
        initials = self.query_one("#new_initials", Input).value.strip()
        if initials:
            team: Any = self.query_one("#team", CodePicker).submitted
            saved = self.attempt(
                lambda: self.casework.corrections.hand_over_to_new(self.case_id, initials=initials, team=team)
            )
        else:
            staff_list = self.query_one("#staff-list", OptionList)
            index = staff_list.highlighted
            staff_id = self.staff[index].id if index is not None and self.staff else None
            saved = self.attempt(lambda: self.casework.corrections.hand_over(self.case_id, staff_id))
        if saved is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

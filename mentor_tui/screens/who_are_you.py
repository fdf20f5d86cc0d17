"""Who are you? Asked on the first start of a new database: initials and team (issue 9 item 7).

The answer becomes this laptop's staff member: the caseworker of the cases they register, the
"mine" of the case list and the dashboard, and the name in the audit trail.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from mentor_tui.codes import StaffRole, Team
from mentor_tui.i18n import Catalog
from mentor_tui.models import Staff
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import FormModal

T = Catalog(
    {
        "title": ("Hvem er du?", "Who are you?"),
        "subtitle": (
            "Første start på denne database. Dine initialer bliver sagsbehandler på de forløb, du "
            "registrerer, og står ved dine ændringer i historikken. Esc: spørg næste gang.",
            "First start on this database. Your initials become the caseworker of the cases you "
            "register, and stand by your changes in the history. Esc: ask next time.",
        ),
        "initials": ("Initialer", "Initials"),
        "initials_placeholder": ("fx MJ", "e.g. MJ"),
        "team": ("Team", "Team"),
        "role": ("Rolle (valgfri)", "Role (optional)"),
    }
)


class WhoAreYouScreen(FormModal[Staff | None]):
    """Initials, team and (optionally) role of this laptop's user. Dismisses the staff record."""

    def __init__(self, casework: CaseworkService) -> None:
        super().__init__()
        self.casework = casework

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(T("title"), id="dialog-title")
            yield Static(T("subtitle"), id="dialog-subtitle")
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("initials"),
                    Input(placeholder=T("initials_placeholder"), compact=True, id="initials"),
                    "initials",
                    required=True,
                )
                yield self.field(T("team"), CodePicker(list(Team), id="team"), "team", required=True)
                yield self.field(T("role"), CodePicker(list(StaffRole), id="role"), "role")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the initials."""
        self.query_one("#initials", Input).focus()

    @on(Input.Changed, "#initials")
    def _typed(self) -> None:
        self.revalidate("initials")

    @on(CodePicker.Changed)
    def _picked(self, event: CodePicker.Changed) -> None:
        self.revalidate(event.picker.id)

    def action_save(self) -> None:
        """Create this laptop's staff member and start the session with them."""
        initials = self.query_one("#initials", Input).value
        team: Any = self.query_one("#team", CodePicker).submitted
        role: Any = self.query_one("#role", CodePicker).submitted
        staff = self.attempt(lambda: self.casework.ensure_local_staff(initials, team, role or None))
        if staff is not None:
            self.dismiss(staff)

    def action_cancel(self) -> None:
        """Not now: asked again at the next start."""
        self.dismiss(None)

"""New referral (stub: being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from mentor_tui.services.casework import CaseworkService


class NewReferralScreen(ModalScreen[str | None]):
    """New referral: search-before-create, person, activity, source, reasons, received date.

    Optionally goes straight on to starting the case. Dismisses with the new case id, or None
    if cancelled.
    """

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, casework: CaseworkService) -> None:
        super().__init__()
        self.casework = casework

    def compose(self) -> ComposeResult:
        yield Static("TODO")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

"""Close a case (stub: being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from mentor_tui.services.casework import CaseworkService


class CloseCaseScreen(ModalScreen[bool]):
    """Close a case: reason, status at closure, joint decision, confirm. Dismisses True when saved."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__()
        self.casework = casework
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        yield Static("TODO")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

"""F1 help with a screen's own text, in the app's help box (for screens the help module lacks)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from mentor_tui.screens.help import HelpScreen
from mentor_tui.screens.help import T as HELP_T


class ScreenHelp(HelpScreen):
    """The app's help box showing ``text`` (Markdown) under ``title``. Escape, F1 or Enter closes."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__("form")
        self.help_title = title
        """The box's title, already in the user's language."""
        self.help_text = text
        """The help, as Markdown in the user's language."""

    def compose(self) -> ComposeResult:
        """The help text and the shared footer line in the shared help box."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = self.help_title
            yield Markdown(self.help_text, id="help-text")
            yield Static(HELP_T("footer"), id="help-footer")

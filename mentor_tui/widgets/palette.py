"""The command palette in the user's language (Textual writes "No matches found" in English)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.binding import ActiveBinding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from mentor_tui.i18n import Bilingual
from mentor_tui.widgets.bindings import active_in_language

NO_MATCHES = Bilingual("Ingen kommandoer passer", "No matches found")
"""Shown when nothing in the palette matches what is typed."""


class MentorPalette(CommandPalette):
    """Textual's command palette with its fixed English texts in the UI language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, with texts in the UI language (its keys are Textual's own)."""
        return active_in_language(super().active_bindings)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own method, with the text in the UI language (textual 8.2.8, command.py)
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                command_list = self.query_one(CommandList)
                command_list.add_option(
                    Option(
                        Align.center(Text(NO_MATCHES.text(), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

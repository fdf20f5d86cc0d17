"""The footer of every casework screen: compact when the terminal is narrow."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer

COMPACT_BELOW = 100
"""Terminal widths below this get the compact footer, so that every key still fits."""


class KeyFooter(Footer):
    """Textual's footer, switching to compact spacing below :data:`COMPACT_BELOW` columns."""

    def on_resize(self, event: Resize) -> None:
        """Choose the spacing for the new width."""
        self.compact = event.size.width < COMPACT_BELOW

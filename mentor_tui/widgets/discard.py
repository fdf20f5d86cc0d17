"""Leaving a form with unsaved input asks first; a discarded form can be brought back.

Issue 11: one Escape meant to close a drop-down wiped six fields. Now Escape on a form with
something typed asks "discard what you typed?", with *keep typing* chosen (Enter, or Escape
again, goes back to the form). What is discarded is kept for the rest of the session: opening
the same form again (for the same case) offers it back with ctrl+g.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from mentor_tui.i18n import Bilingual
from mentor_tui.widgets.bindings import MentorModal, binding
from mentor_tui.widgets.key_footer import KeyFooter

ASK = Bilingual(
    "Du har skrevet noget i formularen, som ikke er gemt. Vil du kassere det?",
    "You have typed something in the form that is not saved. Discard it?",
)
ASK_QUIT = Bilingual(
    "Formularen har noget der ikke er gemt. Luk programmet og kassér det?",
    "The form has input that is not saved. Quit and discard it?",
)
KEEP = Bilingual("Fortsæt med at skrive", "Keep typing")
DISCARD = Bilingual("Kassér", "Discard")
QUIT = Bilingual("Luk programmet", "Quit")
DISCARDED = Bilingual(
    "Formularen er kasseret. Åbn den igen og tryk ctrl+g for at hente det skrevne tilbage.",
    "The form was discarded. Open it again and press ctrl+g to bring back what you typed.",
)
OFFER = Bilingual(
    "Du kasserede en udfyldt formular kl. {time}. ctrl+g henter den tilbage.",
    "You discarded a filled-in form at {time}. ctrl+g brings it back.",
)


class DiscardScreen(MentorModal[bool]):
    """Ask before unsaved input is thrown away. Dismisses True to discard, False to keep typing."""

    DEFAULT_CSS = """
    DiscardScreen {
        align: center middle;
        background: $background 60%;
        & > #discard-box {
            width: 64;
            max-width: 100%;
            height: auto;
            border: round $warning;
            background: $surface;
            padding: 0 1;
        }
        & #discard-text { margin-bottom: 1; }
        & #discard-buttons { height: auto; align-horizontal: right; }
        & Button { margin-left: 2; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "keep", id="discard-keep"),
        binding("left,right", "app.focus_next", id="discard-switch", show=False),
    ]

    def __init__(self, *, quitting: bool = False) -> None:
        super().__init__()
        self.quitting = quitting

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box"):
            yield Static((ASK_QUIT if self.quitting else ASK).text(), id="discard-text")
            with Horizontal(id="discard-buttons"):
                yield Button(KEEP.text(), variant="primary", compact=True, id="keep")
                yield Button((QUIT if self.quitting else DISCARD).text(), compact=True, id="discard")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Keep typing is what Enter does."""
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Enter (or a click) on a button answers."""
        self.dismiss(event.button.id == "discard")

    def action_keep(self) -> None:
        """Back to the form, nothing lost."""
        self.dismiss(False)


@dataclass
class Draft:
    """What a discarded form held: field id → its value, and when it was discarded."""

    values: dict[str, Any]
    at: dt.datetime = field(default_factory=dt.datetime.now)


DraftKey = tuple[str, str, str]
"""``(form, case id, id of the record corrected or "")``: which form a draft belongs to."""

_DRAFTS: WeakKeyDictionary[App[Any], dict[DraftKey, Draft]] = WeakKeyDictionary()
"""Discarded forms of each running app, by form and case (kept for the session only, in memory)."""


def drafts(app: App[Any]) -> dict[DraftKey, Draft]:
    """The discarded forms of ``app`` (this session)."""
    return _DRAFTS.setdefault(app, {})

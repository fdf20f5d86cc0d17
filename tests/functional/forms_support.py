"""Helpers for the form tests (issue 3): type text key by key, count non-text keys, count rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.pilot import Pilot

from mentor_tui.app import MentorApp
from mentor_tui.storage.repositories import Repositories

TABLES = ("persons", "referrals", "cases", "consents", "meetings", "outcomes", "closures", "reopenings")
"""Every repository a casework form may write to."""

_KEY_NAMES = {" ": "space", "-": "minus", "+": "plus", ".": "full_stop", "/": "slash"}


def row_counts(repos: Repositories) -> dict[str, int]:
    """Return the number of rows in each casework table."""
    return {name: getattr(repos, name).count() for name in TABLES}


def case_id(app: MentorApp, label: str) -> str:
    """Return the id of the (only) case of the person labelled ``label``."""
    (summary,) = [s for s in app.repos.cases.summaries() if s.display_label == label]
    return summary.id


@dataclass
class Keys:
    """Drives a Pilot by key presses and counts the ones that are not typed text."""

    pilot: Pilot[None]
    pressed: list[str] = field(default_factory=list)
    """The non-text keys pressed, in order."""

    async def press(self, *keys: str) -> None:
        """Press keys that count (Tab, Enter, arrows, space, ctrl+s, n ...)."""
        self.pressed.extend(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        """Type ``text`` into the focused input, one key per character (not counted)."""
        await self.pilot.press(*[_KEY_NAMES.get(ch, ch) for ch in text])

    @property
    def count(self) -> int:
        """How many non-text keys were pressed."""
        return len(self.pressed)

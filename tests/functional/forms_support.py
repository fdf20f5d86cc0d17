"""Helpers for the form tests (issue 3): type text key by key, count non-text keys, count rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from textual import events
from textual.keys import _character_to_key
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
        """Type ``text`` into the focused input, one key per character (not counted), as fast as
        a terminal delivers them: every key is posted before the first is handled (``burst``),
        which the app must handle in order as it would key by key (issue 11), and which keeps
        these tests fast (Pilot's ``press`` waits for the screen after every key)."""
        await burst(self.pilot, *text)

    @property
    def count(self) -> int:
        """How many non-text keys were pressed."""
        return len(self.pressed)


def key_events(tokens: Iterable[str]) -> list[events.Key]:
    """Return the key events for ``tokens``: one character is typed, a longer token is a key name
    (``"backspace"``, ``"home"``, ``"tab"``, ``"ctrl+s"``)."""
    keys = []
    for token in tokens:
        if len(token) == 1:
            keys.append(events.Key(token if token.isalnum() else _character_to_key(token), token))
        else:
            keys.append(events.Key(token, " " if token == "space" else None))
    return keys


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every key sent so far has been handled, and what it set off too (the referral
    form's duplicate search included)."""
    app = pilot.app
    for _ in range(500):
        await pilot.pause()
        if getattr(app.screen, "search_pending", False):
            await pilot.pause(0.05)  # the referral form searches once typing has settled
        elif not getattr(app, "keys_pending", False):
            break
    await pilot.pause()


async def burst(pilot: Pilot[None], *tokens: str) -> None:
    """Send keys all at once, as a terminal delivers them from tmux, a paste or a slow link.

    Pilot's ``press`` waits after every key; a burst does not: every key is posted to the app
    before the first is handled. ``burst(pilot, *"abd", "backspace", "c")`` types ``abc``.
    """
    app = pilot.app
    for key in key_events(tokens):
        app.post_message(key)
    await settle(pilot)

"""Helpers for the case list, case detail, follow-ups and app shell tests (issue 3 part A)."""

from __future__ import annotations

import re
from html import unescape
from io import StringIO

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from mentor_tui.app import MentorApp
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.main import MainScreen

_KEY_NAMES = {" ": "space", "-": "minus", "/": "slash", ".": "full_stop"}


def plain(static: Static, width: int = 200) -> str:
    """Return what ``static`` shows, as plain text."""
    console = Console(width=width, file=StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(static.content)
    return capture.get()


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the workers are done and their results shown (the case list loads in a worker)."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` key by key into whatever has focus, then wait for the list to catch up."""
    await pilot.press(*[_KEY_NAMES.get(ch, ch) for ch in text])
    await settle(pilot)


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press ``keys``, then wait for the list to catch up."""
    await pilot.press(*keys)
    await settle(pilot)


def home(app: MentorApp) -> MainScreen:
    """Return the case list screen (the bottom of the stack)."""
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


async def labels(pilot: Pilot[None]) -> list[str]:
    """Return the person labels in the case list, top to bottom, once the list has caught up."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, MentorApp)
    return [s.display_label for s in home(app).table.rows_shown]


def footer_actions(app: MentorApp) -> set[str]:
    """Return the actions whose keys the footer of the current screen may show."""
    return {active.binding.action for active in app.screen.active_bindings.values()}


async def open_case(pilot: Pilot[None], label: str) -> CaseDetailScreen:
    """Search the list for ``label`` and open that case with Enter, as a user would."""
    await press(pilot, "slash")
    await type_text(pilot, label)
    await pilot.press("enter", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseDetailScreen)
    return screen


def timeline_rows(screen: CaseDetailScreen) -> list[str]:
    """Return the timeline as shown, one ``date  week  event`` line per entry, newest first."""
    body = screen.timeline
    return [body.row_text(i) for i in range(body.row_count)]


def screen_text(app: MentorApp) -> str:
    """Return every character on the terminal screen now (read from the SVG screenshot)."""
    svg = app.export_screenshot()
    return unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")

"""The floor: what a key costs in a bare Textual app, measured the way the session probe does.

A bare app with a search field (``Input``) and one line of text updated on every key, timed
from the key event (sent the way a terminal sends it) to the first painted frame that shows the
update, with the same paint hook (``benchmarks/harness.py``) and the same 60 ms between a
painted result and the next key as ``benchmarks/probe.py session``. Nothing of mentor-tui is
imported. Three variants:

- ``sync``: the ``Input.Changed`` handler updates the text at once (the framework's floor:
  key dispatch, the input's own refresh, and Textual's frame pacing);
- ``thread``: the handler starts a thread worker that posts a message back, whose handler
  updates the text (the floor of doing the work off the event loop, as the case list does);
- ``thread+40``: the same, the text a 40-line block (about as much as the case list paints);
- ``push`` / ``pop``: Enter opens a screen built like the case detail (header, two panels, a
  40-line scrolling text, a footer of ten keys) and Escape goes back to a home screen like the
  case list's: the floor of opening and leaving a case.

Textual paces frames: a screen's updates run from a timer at ``TEXTUAL_FPS`` (default 60), so
a second frame within 1/60 s of the one before waits for the next tick. The key's own frame
(the typed character) usually goes out at once; an update that arrives after it waits.

Usage (from the repository root)::

    python benchmarks/floor.py [--keys 60] [--fps 60]

Prints one JSON object: per variant the median, p95 and samples in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = (120, 35)
KEY_GAP = 0.06
LETTERS = "abcdefghijklmnoprstuvy"


def p95(samples: list[float]) -> float:
    """Return the 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


async def measure(variant: str, keys: int) -> list[float]:
    """Type ``keys`` letters into the bare app; return key-to-paint times in milliseconds."""
    from harness import time_to_paint
    from textual import events, on, work
    from textual.app import App, ComposeResult
    from textual.message import Message
    from textual.widgets import Input, Static

    lines = 40 if variant.endswith("+40") else 1

    class Shown(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class FloorApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.shown = ""

        def compose(self) -> ComposeResult:
            yield Input(id="search")
            yield Static(id="result")

        def _show(self, text: str) -> None:
            self.query_one("#result", Static).update("\n".join(f"{i:3} {text}" for i in range(lines)))
            self.shown = text

        @on(Input.Changed)
        def changed(self, event: Input.Changed) -> None:
            if variant == "sync":
                self._show(event.value)
            else:
                self._find(event.value)

        @work(thread=True, exclusive=True, group="find")
        def _find(self, text: str) -> None:
            self.post_message(Shown(text))

        @on(Shown)
        def shown_message(self, message: Shown) -> None:
            self._show(message.text)

    app = FloorApp()
    samples: list[float] = []
    async with app.run_test(headless=True, size=SIZE) as pilot:
        driver = app._driver
        assert driver is not None
        await pilot.pause()
        field = app.query_one(Input)
        for i in range(keys):
            char = LETTERS[i % len(LETTERS)]
            expected = field.value + char

            def send(char: str = char) -> None:
                driver.send_message(events.Key(char, char))

            took = await time_to_paint(send, lambda expected=expected: app.shown == expected)
            samples.append(took * 1000)
            await asyncio.sleep(KEY_GAP)
            if len(field.value) >= 12:
                field.value = ""
                await pilot.pause()
                await asyncio.sleep(KEY_GAP)
    return samples


async def measure_screens(rounds: int) -> dict[str, list[float]]:
    """Open a detail-like screen with Enter and leave it with Escape, ``rounds`` times; return
    key-to-paint times in milliseconds for each (``push``, ``pop``).

    The screen has what the case detail has: a header, two one-line panels, a scrolling
    40-line text and a footer with ten keys; the home screen an input and a 30-line text.
    """
    from harness import time_to_paint
    from textual import events
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, VerticalScroll
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    class Detail(Screen[None]):
        BINDINGS = [Binding("escape", "app.pop_screen", "Back")] + [
            Binding(key, "app.bell", f"Step {key}") for key in "smrfaghopx"
        ]

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal(id="facts"):
                yield Static("Label  Person 17\nBorn  03-1990", classes="panel")
                yield Static("Status  Active\nNext follow-up  20-11-2026", classes="panel")
            with VerticalScroll():
                yield Static("\n".join(f"{i:02d}-11-2026  week 47  Meeting {i}" for i in range(40)))
            yield Footer()

    class Home(Screen[None]):
        BINDINGS = [Binding("enter", "open", "Open")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Search by person")
            yield Static("\n".join(f"Person {i}  A8 Mentor  Vollsmose  Aktiv" for i in range(30)))
            yield Footer()

        def action_open(self) -> None:
            self.app.push_screen(Detail())

    class ScreensApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Home())

    app = ScreensApp()
    out: dict[str, list[float]] = {"push": [], "pop": []}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        driver = app._driver
        assert driver is not None
        await pilot.pause()
        for _ in range(rounds):
            took = await time_to_paint(
                lambda: driver.send_message(events.Key("enter", None)), lambda: isinstance(app.screen, Detail)
            )
            out["push"].append(took * 1000)
            await asyncio.sleep(KEY_GAP)
            took = await time_to_paint(
                lambda: driver.send_message(events.Key("escape", None)), lambda: isinstance(app.screen, Home)
            )
            out["pop"].append(took * 1000)
            await asyncio.sleep(KEY_GAP)
    return out


def main() -> None:
    """Measure every variant and print the figures as JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--fps", type=int, help="set TEXTUAL_FPS (before Textual is imported)")
    args = parser.parse_args()
    if args.fps:
        os.environ["TEXTUAL_FPS"] = str(args.fps)
    out: dict[str, Any] = {"load": os.getloadavg()[0], "fps": os.environ.get("TEXTUAL_FPS", "60")}
    for variant in ("sync", "thread", "thread+40"):
        samples = asyncio.run(measure(variant, args.keys))
        out[variant] = {
            "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(p95(samples), 1),
            "samples_ms": [round(s, 2) for s in samples],
        }
    for name, samples in asyncio.run(measure_screens(max(10, args.keys // 4))).items():
        out[name] = {
            "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(p95(samples), 1),
            "samples_ms": [round(s, 2) for s in samples],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""Closed screens leave memory (issue 12, peak memory).

Textual keeps a reference to a widget wherever it was subscribed to a signal (the theme) or
watched another node's attribute (a ``Header`` watches the app's title, ``data_bind`` the parent),
until that attribute next changes; and a method cache of its style cache keeps the lines it
drew. Each case opened and closed stayed in memory with its whole timeline: at 50,000 cases a
session of 14 openings of a 200-meeting case grew by about 25 MiB.
These tests open and close screens and check, with weak references, that nothing of the closed
ones is still alive (not how much memory is used).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Sequence
from typing import Any

from textual.widgets._footer import FooterKey

from mentor_tui.app import MentorApp
from mentor_tui.screens.case_detail import CaseDetailScreen
from tests.functional.shell_support import home, open_case, press, settle

SIZE = (100, 30)


def alive(refs: Sequence[weakref.ref[Any]]) -> list[object]:
    gc.collect()
    return [obj for ref in refs if (obj := ref()) is not None]


async def test_opening_cases_keeps_one_case_screen_and_frees_what_it_replaced(seeded_app: MentorApp) -> None:
    # the case list keeps one case screen and fills it with each case opened (issue 12): what
    # must not pile up is screens, and the footer keys and timeline lines of earlier cases
    refs: list[weakref.ref[Any]] = []
    screens: list[weakref.ref[Any]] = []
    async with seeded_app.run_test(size=SIZE) as pilot:
        for label in ("Amal K", "Emil S", "Dana R", "Amal K"):  # active, closed, referred
            detail = await open_case(pilot, label)
            assert isinstance(detail, CaseDetailScreen)
            assert detail.detail.person.display_label == label
            screens.append(weakref.ref(detail))
            refs += [weakref.ref(key) for key in detail.query(FooterKey)]
            # and what Textual rendered of them (its style caches hold every line drawn)
            refs += [weakref.ref(widget._styles_cache) for widget in detail.query("*")]
            del detail
            await press(pilot, "escape")
            await press(pilot, "ctrl+u", "escape")
        await settle(pilot)
        assert pilot.app.screen is home(seeded_app)
        kept = alive(screens)
        assert len({id(screen) for screen in kept}) == 1  # one screen, the same each time
        screen = kept[0]
        assert isinstance(screen, CaseDetailScreen)
        shown = set(map(id, screen.query(FooterKey))) | {id(w._styles_cache) for w in screen.query("*")}
        # the footer keys replaced, and what was rendered of them, are freed
        assert [obj for obj in alive(refs) if id(obj) not in shown] == []
        assert [o for o in gc.get_objects() if isinstance(o, CaseDetailScreen)] == kept[:1]


async def test_the_footer_lets_go_of_the_keys_it_replaced(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = home(seeded_app)
        old = [weakref.ref(key) for key in main.query(FooterKey)]
        assert old
        for width in (80, 100):  # the footer fits its keys again (new ones: compact, then as before)
            await pilot.resize_terminal(width, 30)
            await settle(pilot)
        assert main.query(FooterKey)
        assert alive(old) == []

"""Idle lock (issue 13 item 2): after the configured idle time every record is hidden behind a
lock screen; without encryption a key press brings the screen back. Time is the app's clock."""

from __future__ import annotations

import datetime as dt

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.clock import FixedClock
from mentor_tui.codes import Team
from mentor_tui.config import Settings
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.lock import LockScreen
from mentor_tui.screens.main import MainScreen
from mentor_tui.services.casework.service import CaseworkService
from tests.functional.conftest import LOCAL_INITIALS
from tests.functional.shell_support import open_case, screen_text

SIZE = (100, 30)
LABELS = ("Amal K", "Bo T", "Cem D", "Dana R", "Emil S", "Fatima H")


def app_with_clock(seeded: CaseworkService, clock: FixedClock, **settings: object) -> MentorApp:
    seeded.ensure_local_staff(LOCAL_INITIALS, Team.TEAM_BESKAEFTIGELSE)  # no "who are you?" first
    return make_app(settings=Settings.from_mapping(settings), repos=seeded.repos, clock=clock)


async def test_idle_time_hides_every_record_and_a_key_brings_them_back(
    seeded: CaseworkService, clock: FixedClock
) -> None:
    app = app_with_clock(seeded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Amal K" in screen_text(app)
        clock.at += dt.timedelta(minutes=9, seconds=59)
        app.check_idle_lock()
        await pilot.pause()
        assert not app.locked  # not yet: the default is 10 minutes

        clock.at += dt.timedelta(seconds=1)
        app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        shown = screen_text(app)
        assert not [label for label in LABELS if label in shown]
        assert "låst" in shown

        await pilot.press("j")  # any key; it must not reach the case list underneath
        await pilot.pause()
        assert not app.locked
        assert "Amal K" in screen_text(app)
        assert app.last_activity == clock.now()


async def test_activity_postpones_the_lock(seeded: CaseworkService, clock: FixedClock) -> None:
    app = app_with_clock(seeded, clock, idle_lock_minutes=2)
    async with app.run_test(size=SIZE) as pilot:
        clock.at += dt.timedelta(minutes=1, seconds=30)
        await pilot.press("down")
        clock.at += dt.timedelta(minutes=1, seconds=30)
        app.check_idle_lock()
        await pilot.pause()
        assert not app.locked
        clock.at += dt.timedelta(minutes=1)
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked
        assert "2 minutter" in screen_text(app)


async def test_a_one_minute_lock_says_one_minute(seeded: CaseworkService, clock: FixedClock) -> None:
    app = app_with_clock(seeded, clock, idle_lock_minutes=1, language="en")
    async with app.run_test(size=SIZE) as pilot:
        clock.at += dt.timedelta(minutes=1)
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked
        assert "after 1 minute without activity" in screen_text(app)


async def test_a_half_filled_form_survives_the_lock(seeded: CaseworkService, clock: FixedClock) -> None:
    app = app_with_clock(seeded, clock, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Amal K")
        await pilot.press("r")  # the outcome form
        await pilot.pause()
        form = app.screen
        clock.at += dt.timedelta(minutes=10)
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked
        shown = screen_text(app)
        assert "Amal K" not in shown
        assert "locked" in shown
        await pilot.press("space")
        await pilot.pause()
        assert app.screen is form
        assert isinstance(app.screen_stack[-2], CaseDetailScreen)


async def test_no_key_opens_a_screen_over_the_lock_screen(seeded: CaseworkService, clock: FixedClock) -> None:
    # F1, Ctrl+P, ? are the app's own (priority) keys: on the lock screen they only unlock
    app = app_with_clock(seeded, clock)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("f1", "ctrl+p", "question_mark", "ctrl+t"):
            app.lock()
            await pilot.pause()
            assert app.locked
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen), key

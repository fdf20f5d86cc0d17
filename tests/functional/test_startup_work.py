"""Start-up work waits for nobody (issue 12): the daily backup and the retention count run in a
thread after the case list is shown, and their messages appear when they are done."""

from __future__ import annotations

import threading

from mentor_tui.app import MentorApp
from mentor_tui.i18n import Bilingual
from mentor_tui.screens.main import MainScreen
from mentor_tui.storage.repositories import Repositories


async def test_start_up_work_runs_in_a_thread_after_the_list_and_says_what_it_did(
    seeded_app: MentorApp,
) -> None:
    seen: list[tuple[bool, bool]] = []
    release = threading.Event()

    def work(repos: Repositories) -> list[Bilingual]:
        shown = isinstance(seeded_app.screen, MainScreen) and bool(seeded_app.screen.table.rows_shown)
        seen.append((threading.current_thread() is not threading.main_thread(), shown))
        release.wait(5)  # a slow backup: the list answers meanwhile
        return [Bilingual("Sikkerhedskopi skrevet", "Backup written")]

    seeded_app.start_work = work
    async with seeded_app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(seeded_app.screen, MainScreen)
        await pilot.press("s")  # a quick filter while the work runs
        await pilot.pause()
        assert seeded_app.screen.table.rows_shown
        assert not any("Sikkerhedskopi" in str(n.message) for n in seeded_app._notifications)
        release.set()
        for _ in range(200):
            await pilot.pause(0.05)
            if any("Sikkerhedskopi" in str(n.message) for n in seeded_app._notifications):
                break
        assert seen == [(True, True)]
        assert any("Sikkerhedskopi skrevet" in str(n.message) for n in seeded_app._notifications)


async def test_start_up_work_that_fails_is_said_briefly_and_the_app_keeps_running(
    seeded_app: MentorApp,
) -> None:
    def work(repos: Repositories) -> list[Bilingual]:
        raise OSError("Amal K 1990-05")  # resident data in an error never reaches the screen

    seeded_app.start_work = work
    async with seeded_app.run_test() as pilot:
        for _ in range(200):  # the work starts once the list is painted: wait for its message
            await pilot.pause(0.05)
            if seeded_app._notifications:
                break
        assert seeded_app.is_running
        assert isinstance(seeded_app.screen, MainScreen)
        messages = [str(n.message) for n in seeded_app._notifications]
        assert messages
        assert not any("Amal K" in m for m in messages)


async def test_garbage_is_collected_in_the_users_pauses_not_during_keys(seeded_app: MentorApp) -> None:
    """Once the list is up, the app collects garbage when the user pauses (issue 12): a key
    holds collection off, a pause lets it run; Python's own threshold is only a backstop."""
    import gc

    from mentor_tui.gc_pacing import BACKSTOP, IDLE_AFTER, YOUNG_AT, GcPacer

    clock = [1000.0]
    collected: list[int] = []

    def collect(generation: int) -> int:
        collected.append(generation)
        return 0

    seeded_app.gc_pacer = GcPacer(
        now=lambda: clock[0], get_count=lambda: (YOUNG_AT * 2, 0, 0), collect=collect
    )
    clock[0] += IDLE_AFTER * 2  # the app has been idle since it was made
    saved = gc.get_threshold()
    try:
        async with seeded_app.run_test() as pilot:
            for _ in range(200):  # the pacing starts once the list is painted
                await pilot.pause(0.05)
                if collected:
                    break
            assert collected[:1] == [0]  # idle, and plenty of new objects: a young collection
            assert gc.get_threshold() == BACKSTOP
            await pilot.press("s")
            collected.clear()
            for _ in range(5):  # the app's timer checks every 50 ms: a key was just pressed
                await pilot.pause(0.06)
            assert collected == []
            clock[0] += IDLE_AFTER * 2  # the user pauses
            for _ in range(200):
                await pilot.pause(0.05)
                if collected:
                    break
            assert collected[:1] == [0]
    finally:
        gc.set_threshold(*saved)


async def test_an_idle_app_stops_checking_until_the_next_key(seeded_app: MentorApp) -> None:
    """An app left alone wakes nobody (a laptop on battery): the pacing checks stop once there is
    nothing to collect and resume with the next key."""
    import gc

    from mentor_tui.gc_pacing import IDLE_AFTER, REST_AFTER, YOUNG_AT, GcPacer

    clock = [1000.0]
    counts = [(YOUNG_AT * 2, 0, 0)]
    collected: list[int] = []

    def collect(generation: int) -> int:
        collected.append(generation)
        counts[0] = (0, 0, 0)
        return 0

    seeded_app.gc_pacer = GcPacer(now=lambda: clock[0], get_count=lambda: counts[0], collect=collect)
    saved = gc.get_threshold()
    try:
        clock[0] += IDLE_AFTER * 2
        async with seeded_app.run_test() as pilot:
            for _ in range(200):  # the pacing starts once the list is painted
                await pilot.pause(0.05)
                if collected:
                    break
            assert collected == [0]
            collected.clear()
            clock[0] += REST_AFTER * 2  # a long pause with nothing to collect: the checks rest
            await pilot.pause(0.3)
            counts[0] = (YOUNG_AT * 2, 0, 0)
            clock[0] += IDLE_AFTER * 2
            await pilot.pause(0.3)
            assert collected == []  # resting: nobody looked
            await pilot.press("s")  # the next key wakes the checks
            clock[0] += IDLE_AFTER * 2
            for _ in range(100):
                await pilot.pause(0.05)
                if collected:
                    break
            assert collected == [0]
    finally:
        gc.set_threshold(*saved)

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
        await seeded_app.workers.wait_for_complete()
        await pilot.pause()
        assert seen == [(True, True)]
        assert any("Sikkerhedskopi skrevet" in str(n.message) for n in seeded_app._notifications)


async def test_start_up_work_that_fails_is_said_briefly_and_the_app_keeps_running(
    seeded_app: MentorApp,
) -> None:
    def work(repos: Repositories) -> list[Bilingual]:
        raise OSError("Amal K 1990-05")  # resident data in an error never reaches the screen

    seeded_app.start_work = work
    async with seeded_app.run_test() as pilot:
        await seeded_app.workers.wait_for_complete()
        await pilot.pause()
        assert seeded_app.is_running
        assert isinstance(seeded_app.screen, MainScreen)
        messages = [str(n.message) for n in seeded_app._notifications]
        assert messages
        assert not any("Amal K" in m for m in messages)

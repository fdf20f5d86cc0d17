"""An encrypted database in the app (issue 13 items 1 and 2): the passphrase is asked at start in a
password field (never echoed, never kept), wrong ones are refused with a message, and the idle lock
asks for it again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input

from mentor_tui.__main__ import EncryptedStart
from mentor_tui.app import MentorApp
from mentor_tui.clock import FixedClock
from mentor_tui.codes import Team
from mentor_tui.config import Settings
from mentor_tui.screens.lock import LockScreen
from mentor_tui.screens.main import MainScreen
from mentor_tui.screens.who_are_you import WhoAreYouScreen
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.security.passphrase import PassphraseAttempts
from mentor_tui.storage.encryption import open_with_passphrase
from mentor_tui.storage.repositories import Repositories
from tests.functional.shell_support import screen_text, type_text

pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra (sqlcipher3) is not installed")

PASSPHRASE = "rigtig frase"
SIZE = (100, 30)


def _encrypted_app(tmp_path: Path, clock: FixedClock, *, local_user: bool) -> MentorApp:
    path = tmp_path / "mentor.db"
    db = open_with_passphrase(path, PASSPHRASE)
    casework = CaseworkService(Repositories(db, clock))
    if local_user:  # the laptop's user is known: no "who are you?" after the passphrase
        casework.ensure_local_staff("TS", Team.TEAM_BESKAEFTIGELSE)
    casework.register_referral(
        activity="A8_MENTOR_JOBPARAT",
        received_date="2026-11-02",
        source="JOBRAADGIVER",
        display_label="Hemmelig H",
        birth_year=1990,
        birth_month=5,
        area="VOLLSMOSE",
    )
    db.close()
    settings = Settings()
    start = EncryptedStart(path, demo=False, settings=settings, clock=clock)
    return MentorApp(
        None,
        settings,
        clock=clock,
        passphrase=PassphraseAttempts(start.check, sleep=lambda seconds: None),
        opened=start.opened,
        file_name=str(path),
    )


@pytest.fixture
def encrypted_app(tmp_path: Path, clock: FixedClock) -> MentorApp:
    return _encrypted_app(tmp_path, clock, local_user=True)


async def submit(pilot: object, app: MentorApp, text: str) -> None:
    await type_text(pilot, text)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_the_passphrase_is_asked_at_start_and_never_shown(encrypted_app: MentorApp) -> None:
    app = encrypted_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        field = app.screen.query_one("#passphrase", Input)
        assert field.password
        await type_text(pilot, "forkert")
        assert "forkert" not in screen_text(app)  # never echoed
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "Forkert adgangsfrase" in screen_text(app)
        assert field.value == ""  # not kept in the field

        await submit(pilot, app, PASSPHRASE)
        assert isinstance(app.screen, MainScreen)
        assert "Hemmelig H" in screen_text(app)


async def test_a_new_encrypted_file_asks_who_you_are_only_after_the_passphrase(
    tmp_path: Path, clock: FixedClock
) -> None:
    app = _encrypted_app(tmp_path, clock, local_user=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)  # nothing is read before the file is open
        await submit(pilot, app, PASSPHRASE)
        assert isinstance(app.screen, WhoAreYouScreen)
        await type_text(pilot, "hk")
        await pilot.press("tab")
        await type_text(pilot, "besk")
        await pilot.press("tab", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert app.repos.local_staff().initials == "HK"  # type: ignore[union-attr]


async def test_the_idle_lock_asks_for_the_passphrase_again(
    encrypted_app: MentorApp, clock: FixedClock
) -> None:
    app = encrypted_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await submit(pilot, app, PASSPHRASE)
        clock.at += dt.timedelta(minutes=10)
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked
        assert "Hemmelig H" not in screen_text(app)
        await pilot.press("j")  # a key alone does not unlock
        await pilot.pause()
        assert app.locked
        await submit(pilot, app, "forkert")
        assert app.locked
        await submit(pilot, app, PASSPHRASE)
        assert not app.locked
        assert "Hemmelig H" in screen_text(app)

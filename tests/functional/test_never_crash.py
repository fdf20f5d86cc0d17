"""Never a traceback, never lost typing (issue 10 items 1 and 2): a busy database keeps the form
open with what was typed; an unexpected error gives a short message and a log entry that hold no
resident data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.clock import FixedClock
from mentor_tui.config import Settings
from mentor_tui.locations import log_file
from mentor_tui.screens.main import MainScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage import connections
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys

SIZE = (100, 30)
LABEL = "Sara Testperson"


async def _type_referral(keys: Keys) -> None:
    await keys.type(LABEL)
    await keys.press("tab")
    await keys.type("200304")
    await keys.press("tab")
    await keys.type("vol")
    await keys.press("tab")
    await keys.type("a6")
    await keys.press("tab")
    await keys.type("udd")
    await keys.press("tab", "tab", "tab", "tab", "space")  # ... "start now": untick


def _form_message(app: MentorApp) -> str:
    return app.screen.query_one("#form-msg", FieldMessage).text


async def test_a_busy_database_keeps_the_form_open_with_what_was_typed(
    db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "BUSY_TIMEOUT_MS", 300)
    db = open_database(db_path)
    app = make_app(settings=Settings(), repos=Repositories(db, clock))
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # an import in another window holds the write lock
    try:
        async with app.run_test(size=SIZE) as pilot:
            keys = Keys(pilot)
            await app.push_screen(NewReferralScreen(app.casework))
            await _type_referral(keys)
            await keys.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, NewReferralScreen)  # still open
            assert "optaget af et andet program" in _form_message(app)
            assert app.screen.query_one("#display_label", Input).value == LABEL
            assert app.screen.query_one("#birth_ym", Input).value == "2003-04"
            other.rollback()  # the import finished
            await keys.press("ctrl+s")
            await pilot.pause()
            assert not isinstance(app.screen, NewReferralScreen)
    finally:
        other.close()
    (summary,) = app.repos.cases.summaries()
    assert summary.display_label == LABEL
    db.close()


async def test_an_unexpected_error_on_save_is_logged_without_data_and_the_form_stays_open(
    app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"cannot store {kwargs['display_label']} born {kwargs['birth_year']}")

    monkeypatch.setattr(CaseworkService, "register_referral", broken)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(NewReferralScreen(app.casework))
        await _type_referral(keys)
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewReferralScreen)
        shown = _form_message(app)
        assert app.screen.query_one("#display_label", Input).value == LABEL
    assert "uventet fejl (RuntimeError)" in shown
    assert str(log_file()) in shown
    assert LABEL not in shown
    logged = log_file().read_text(encoding="utf-8")
    assert "RuntimeError" in logged
    assert "form NewReferralScreen" in logged
    assert LABEL not in logged
    assert "born 2003" not in logged


async def test_an_unexpected_error_in_a_screen_closes_with_a_message_and_no_traceback(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MainScreen) -> None:
        (first,) = self.casework.find_persons("Amal")
        person = first.person
        # as if a bug quoted a resident's data in its message
        raise ValueError(f"{person.display_label}, {person.birth_year}-{person.birth_month:02d}")

    monkeypatch.setattr(MainScreen, "action_followups", broken)
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
    assert seeded_app.return_code == 1
    assert seeded_app.crash_message is not None
    for lang in ("da", "en"):
        text = seeded_app.crash_message.text(lang)
        assert "Amal K" not in text
        assert str(log_file()) in text
    assert "uventet fejl (ValueError)" in seeded_app.crash_message.text("da")
    logged = log_file().read_text(encoding="utf-8")
    assert "builtins.ValueError" in logged
    assert "in broken" in logged  # where it happened
    assert "Amal K" not in logged
    assert "2002-04" not in logged


async def test_an_unexpected_error_in_a_worker_is_shown_without_its_text_and_logged(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export preview runs in a worker; its error used to be shown as str(error)."""
    from mentor_tui.screens import export as export_screen
    from tests.functional.test_export_screen import open_export, settle, status

    label = seeded_app.repos.persons.all()[0].display_label

    def broken(*args: object, **kwargs: object) -> None:
        raise LookupError(label)  # as if a bug quoted a resident's data

    monkeypatch.setattr(export_screen, "compute_export", broken)
    async with seeded_app.run_test(size=(110, 35)) as pilot:
        screen = await open_export(seeded_app, pilot)
        await settle(seeded_app, pilot)
        shown = status(screen)
    assert "uventet fejl (LookupError)" in shown
    assert label not in shown
    logged = log_file().read_text(encoding="utf-8")
    assert "where: export worker" in logged
    assert label not in logged

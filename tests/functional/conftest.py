"""Fixtures for Pilot and snapshot tests: an app on a seeded real SQLite file, frozen time."""

from __future__ import annotations

import pytest

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.codes import Team
from mentor_tui.config import Settings
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.repositories import Repositories


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes snapshots flaky."""
    monkeypatch.setattr("textual.widgets._input.Input.cursor_blink", False)


@pytest.fixture
def settings() -> Settings:
    """Default settings (Danish)."""
    return Settings()


LOCAL_INITIALS = "TS"
"""The test laptop's user, set up before the app starts (so it does not ask "who are you?")."""


def local_user_repos(casework: CaseworkService) -> Repositories:
    """``casework``'s repositories with this laptop's user set up, for tests that make their own app
    (so it does not ask "who are you?" first)."""
    casework.ensure_local_staff(LOCAL_INITIALS, Team.TEAM_BESKAEFTIGELSE)
    return casework.repos


@pytest.fixture
def app(repos: Repositories, settings: Settings) -> MentorApp:
    """The app on an empty database, clock frozen (see tests/conftest.py); its user is "TS"."""
    CaseworkService(repos).ensure_local_staff(LOCAL_INITIALS, Team.TEAM_BESKAEFTIGELSE)
    return make_app(settings=settings, repos=repos)


@pytest.fixture
def seeded_app(seeded: CaseworkService, settings: Settings) -> MentorApp:
    """The app on the small seeded caseload of :func:`tests.conftest.seeded`; its user is "TS".

    The seeded cases have no caseworker, as in a database from before caseworkers were recorded.
    """
    seeded.ensure_local_staff(LOCAL_INITIALS, Team.TEAM_BESKAEFTIGELSE)
    return make_app(settings=settings, repos=seeded.repos)


@pytest.fixture
def unknown_user_app(seeded: CaseworkService, settings: Settings) -> MentorApp:
    """The app on the seeded caseload with no local staff member: it asks "who are you?" first."""
    return make_app(settings=settings, repos=seeded.repos)

"""Shared fixtures: real SQLite files in a temp dir, a frozen clock, isolated user paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentor_tui.clock import FixedClock
from mentor_tui.i18n import set_language
from mentor_tui.services.casework import CaseworkService
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories

FROZEN_NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
"""Friday of ISO week 47, 2026: every test and snapshot sees this as "now"."""


@pytest.fixture(autouse=True)
def isolate_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user data and config directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("MENTOR_TUI_CONFIG_FILE", str(home / "config.toml"))
    monkeypatch.delenv("MENTOR_TUI_DB", raising=False)
    set_language("da")


@pytest.fixture
def clock() -> FixedClock:
    """A clock frozen at :data:`FROZEN_NOW`."""
    return FixedClock(FROZEN_NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file."""
    return tmp_path / "mentor.db"


@pytest.fixture
def repos(db_path: Path, clock: FixedClock) -> Iterator[Repositories]:
    """Repositories over a real, freshly migrated SQLite file."""
    db = open_database(db_path)
    yield Repositories(db, clock)
    db.close()


@pytest.fixture
def casework(repos: Repositories) -> CaseworkService:
    """The casework service over :func:`repos`."""
    return CaseworkService(repos)

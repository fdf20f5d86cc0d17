"""Snapshots of the case list, case detail and follow-ups view, in Danish (issue 3).

Deterministic: the clock is frozen at 20-11-2026 (uge 47) and the cursor does not blink (see
the fixtures in tests/conftest.py and tests/functional/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from mentor_tui.app import MentorApp
from tests.functional.shell_support import open_case, press, settle

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]

SnapCompare = Callable[..., bool]


class TestCaseList:
    @pytest.mark.parametrize("size", SIZES)
    def test_case_list(self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
        assert snap_compare(seeded_app, run_before=_press(), terminal_size=size)

    @pytest.mark.parametrize("size", SIZES)
    def test_case_list_filtered_and_sorted(
        self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]
    ) -> None:
        # active cases with a follow-up due, soonest first
        keys = ["s", "s", "f", "r", "r", "r", "r", "r", "r"]
        assert snap_compare(seeded_app, run_before=_press(*keys), terminal_size=size)


class TestCaseDetail:
    @pytest.mark.parametrize("size", SIZES)
    def test_case_detail(
        self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]
    ) -> None:
        assert snap_compare(seeded_app, run_before=_open("Amal K"), terminal_size=size)

    @pytest.mark.parametrize("size", SIZES)
    def test_closed_case_detail(
        self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]
    ) -> None:
        assert snap_compare(seeded_app, run_before=_open("Emil S"), terminal_size=size)


class TestFollowups:
    @pytest.mark.parametrize("size", SIZES)
    def test_followups(self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
        assert snap_compare(seeded_app, press=["u"], terminal_size=size)


def _press(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the list (it loads in a worker), press ``keys`` and wait for it again."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, *keys)

    return run_before


def _open(label: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_case(pilot, label)

    return run_before


SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_snapshots_home"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
README_SCREENSHOTS = {
    "case-list.svg": "TestCaseList.test_case_list[100x30].svg",
    "case-detail.svg": "TestCaseDetail.test_case_detail[100x30].svg",
    "followups.svg": "TestFollowups.test_followups[100x30].svg",
}
"""Pictures for the README (docs/screenshots): copies of snapshots, so they never go stale."""


@pytest.mark.parametrize(("picture", "snapshot"), README_SCREENSHOTS.items())
def test_readme_screenshot_is_the_current_snapshot(picture: str, snapshot: str) -> None:
    """Refresh with ``MENTOR_TUI_UPDATE_SCREENSHOTS=1 pytest -k readme_screenshot``."""
    source = SNAPSHOTS / snapshot
    if os.environ.get("MENTOR_TUI_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, SCREENSHOTS / picture)
    assert (SCREENSHOTS / picture).read_text(encoding="utf-8") == source.read_text(encoding="utf-8")

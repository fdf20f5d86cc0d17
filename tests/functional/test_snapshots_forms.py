"""Snapshots of the casework forms (issue 3), in Danish, at 100x30 and 80x24.

Deterministic: the clock is frozen (tests/conftest.py) and the cursor does not blink
(tests/functional/conftest.py). Review changes in snapshot_report.html before --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from mentor_tui.app import MentorApp
from mentor_tui.screens.close_case import CloseCaseScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from tests.functional.forms_support import Keys, case_id

SnapCompare = Callable[..., bool]
SIZES = [(100, 30), (80, 24)]


class TestNewReferralForm:
    @pytest.mark.parametrize("size", SIZES, ids=["100x30", "80x24"])
    def test_validation_error(self, app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
        """A refused save: no area, an unknown activity, a birth month that does not exist."""

        async def run_before(pilot: Pilot[None]) -> None:
            await app.push_screen(NewReferralScreen(app.casework))
            keys = Keys(pilot)
            await keys.type("Sara K")
            await keys.press("tab")
            await keys.type("2003-13")
            await keys.press("tab", "tab")
            await keys.type("zz")
            await keys.press("tab")
            await keys.type("udd")
            await keys.press("ctrl+s")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=size)


class TestCloseDialog:
    @pytest.mark.parametrize("size", SIZES, ids=["100x30", "80x24"])
    def test_a7_required_fields(
        self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]
    ) -> None:
        """A7: status at closure and joint decision are marked required and refused when missing."""
        app = seeded_app

        async def run_before(pilot: Pilot[None]) -> None:
            await app.push_screen(CloseCaseScreen(app.casework, case_id(app, "Bo T")))
            await Keys(pilot).type("behov")
            await pilot.press("ctrl+s")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=size)

"""Pilot tests of the dashboard (issue 4 item 7) on the seeded caseload of tests/conftest.py.

Today is Friday 20-11-2026 (week 47); PY3 began 01-10-2026, so this project quarter and year
so far are the same days. Seeded figures, up to today:

- week 47: one referral (Dana R, 16-11), four active cases (Amal, Bo, Cem, Fatima);
- PY3-Q1 and PY3: two referrals (Amal 01-10, Dana), one 3-partssamtale (Amal 05-10), five
  active cases (also Emil, closed 30-10), one closure (Emil), E5 = 1 (Emil's fritidsjob);
- the same days of 2025: nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Sparkline, Static

from mentor_tui.__main__ import make_app
from mentor_tui.app import MentorApp
from mentor_tui.config import Settings
from mentor_tui.i18n import set_language
from mentor_tui.screens.dashboard import DashboardScreen
from mentor_tui.services.casework.service import CaseworkService

SIZE = (110, 35)


async def open_dashboard(app: MentorApp, pilot: Pilot[None]) -> DashboardScreen:
    """Push the dashboard and wait for its figures."""
    screen = DashboardScreen(app.repos, app.settings)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def settle(app: MentorApp, pilot: Pilot[None]) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def row(screen: DashboardScreen, metric: str) -> list[str]:
    """The shown figures of one metric: week, last year, quarter, last year, year, last year."""
    return [str(v) for v in screen.query_one(DataTable).get_row(metric)[1:]]


def headings(screen: DashboardScreen) -> list[str]:
    return [str(c.label) for c in screen.query_one(DataTable).columns.values()]


def text(screen: DashboardScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.fixture
def mine_app(seeded: CaseworkService, settings: Settings) -> MentorApp:
    """The seeded caseload where the local user "AB" is the case worker of Amal K and Emil S."""
    repos = seeded.repos
    local = seeded.ensure_local_staff("AB")
    for case in repos.cases.summaries():
        if case.display_label in ("Amal K", "Emil S"):
            repos.cases.update(repos.cases.get(case.id).model_copy(update={"staff_id": local.id}))
    return make_app(settings=settings, repos=repos)


async def test_team_mode_hides_small_counts(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(seeded_app, pilot)
        assert screen.team
        assert headings(screen)[1:] == ["uge 47 2026", "uge 47 2025", "PY3-Q1", "PY2-Q1", "PY3", "PY2"]
        assert row(screen, "REFERRALS") == ["<5", "0", "<5", "0", "<5", "0"]
        assert row(screen, "TREPARTSSAMTALER") == ["0", "0", "<5", "0", "<5", "0"]
        assert row(screen, "CASES_ACTIVE") == ["<5", "0", "5", "0", "5", "0"]
        assert row(screen, "CASES_CLOSED") == ["0", "0", "<5", "0", "<5", "0"]
        assert row(screen, "E5") == ["0", "0", "<5", "0", "<5", "0"]
        assert row(screen, "E1") == ["0"] * 6
        assert text(screen, "#dash-mode").startswith("Team: alle forløb, anonymiseret")
        assert "20-11-2026" in text(screen, "#dash-as-of")


async def test_team_trend_draws_hidden_weeks_as_zero(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(seeded_app, pilot)
        referrals = screen.query_one("#trend-referrals", Sparkline)
        assert referrals.data is not None
        assert list(referrals.data) == [0.0] * 8  # weeks 40-47; 1 in weeks 40 and 47 is hidden
        caption = text(screen, "#trend-referrals-caption")
        assert caption.startswith("uge 40 – uge 47")
        assert "<5" in caption


async def test_my_cases_need_a_local_staff_member(unknown_user_app: MentorApp) -> None:
    seeded_app = unknown_user_app
    async with seeded_app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # "who are you?": not now
        await pilot.pause()
        screen = await open_dashboard(seeded_app, pilot)
        await pilot.press("t")
        await settle(seeded_app, pilot)
        assert not screen.team
        assert "ingen lokal medarbejder" in text(screen, "#dash-mode")
        assert screen.query_one(DataTable).row_count == 0


async def test_my_cases_are_exact(mine_app: MentorApp) -> None:
    async with mine_app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(mine_app, pilot)
        await pilot.press("t")
        await settle(mine_app, pilot)
        assert text(screen, "#dash-mode").startswith("Mine forløb (AB)")
        # Amal: referred 01-10, 3-partssamtale 05-10, active; Emil: active, closed 30-10, fritidsjob
        assert row(screen, "REFERRALS") == ["0", "0", "1", "0", "1", "0"]
        assert row(screen, "TREPARTSSAMTALER") == ["0", "0", "1", "0", "1", "0"]
        assert row(screen, "CASES_ACTIVE") == ["1", "0", "2", "0", "2", "0"]
        assert row(screen, "CASES_CLOSED") == ["0", "0", "1", "0", "1", "0"]
        assert row(screen, "E5") == ["0", "0", "1", "0", "1", "0"]
        trend = screen.query_one("#trend-referrals", Sparkline)
        assert trend.data is not None
        assert list(trend.data) == [1.0, 0, 0, 0, 0, 0, 0, 0]
        await pilot.press("t")  # and back to the team
        await settle(mine_app, pilot)
        assert row(screen, "REFERRALS") == ["<5", "0", "<5", "0", "<5", "0"]


async def test_escape_goes_back(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(seeded_app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert seeded_app.screen is not screen
        assert not isinstance(seeded_app.screen, DashboardScreen)


async def test_f1_explains_team_mode(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_dashboard(seeded_app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        help_box = seeded_app.screen.query_one("#help-box")
        assert help_box.border_title == "Hjælp: Overblik"


async def test_english(seeded: CaseworkService) -> None:
    app = make_app(settings=Settings(language="en"), repos=seeded.repos)
    set_language("en")  # the app sets it at start; the test runs in a context of its own
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(app, pilot)
        assert headings(screen)[:2] == ["Count", "week 47 2026"]
        assert str(screen.query_one(DataTable).get_row("REFERRALS")[0]) == "New referrals"
        assert text(screen, "#dash-mode").startswith("Team: every case, anonymised")


async def test_switch_mode_from_the_command_palette(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(seeded_app, pilot)
        await pilot.press("ctrl+p", *"Team/mine")
        await settle(seeded_app, pilot)  # the palette searches in a worker
        await pilot.press("enter")
        await settle(seeded_app, pilot)
        assert not screen.team


SnapCompare = Callable[..., bool]


class TestDashboardSnapshots:
    """Deterministic: clock frozen at 20-11-2026 and the seeded caseload."""

    @pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
    def test_team(self, seeded_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await open_dashboard(seeded_app, pilot)

        assert snap_compare(seeded_app, run_before=run_before, terminal_size=size)

    @pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
    def test_my_cases(self, mine_app: MentorApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await open_dashboard(mine_app, pilot)
            await pilot.press("t")
            await settle(mine_app, pilot)

        assert snap_compare(mine_app, run_before=run_before, terminal_size=size)

"""Issue 11 item 7: every screen at 80x24, in Danish and in English.

Each snapshot is the screen a user meets in the smallest terminal we support; the footer keeps
F1 and the quit key, lists keep the week beside the date, nothing is cut at the right.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from mentor_tui.__main__ import make_app
from mentor_tui.config import Settings
from mentor_tui.i18n import Lang
from mentor_tui.services.casework.service import CaseworkService
from tests.functional.conftest import local_user_repos
from tests.functional.forms_support import burst, settle
from tests.functional.shell_support import open_case

SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


def _keys(*keys: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await burst(pilot, *keys)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    return run


def _in_case(label: str, *keys: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await open_case(pilot, label)
        await _keys(*keys)(pilot)

    return run


async def _locked(pilot: Pilot[Any]) -> None:
    pilot.app.lock()  # type: ignore[attr-defined]
    await settle(pilot)


SCREENS: dict[str, Steps] = {
    "case-list": _keys(),
    "case-detail-referred": _in_case("Dana R"),
    "followups": _keys("u"),
    "dashboard": _keys("d"),
    "export": _keys("e"),
    "help": _keys("f1"),
    "keys": _keys("question_mark"),
    "new-referral": _keys("n"),
    "start-case": _in_case("Dana R", "s"),
    "start-case-a3-consent": _in_case("Ida U", "s"),
    "meeting": _in_case("Amal K", "m"),
    "outcome": _in_case("Amal K", "r"),
    "followup-date": _in_case("Amal K", "f"),
    "close-case": _in_case("Amal K", "a"),
    "reopen-case": _in_case("Emil S", "g"),
    "discard-question": _keys("n", *"Sara K", "escape"),
    "lock": _locked,
}
"""Every screen, reached by keys from the case list as a user would."""


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen_at_80x24(
    seeded: CaseworkService,
    snap_compare: SnapCompare,
    monkeypatch: pytest.MonkeyPatch,
    screen: str,
    lang: Lang,
) -> None:
    monkeypatch.chdir("/")  # the export screen shows the folder it writes to: the same everywhere
    if screen == "start-case-a3-consent":  # a referred A3 case: consent comes first
        seeded.register_referral(
            activity="A3_UNGERAADGIVNING",
            received_date="2026-11-18",
            source="FOLKESKOLE",
            display_label="Ida U",
            birth_year=2011,
            birth_month=9,
            area="RISING",
        )
    app = make_app(settings=Settings(language=lang), repos=local_user_repos(seeded))
    assert snap_compare(app, run_before=SCREENS[screen], terminal_size=(80, 24))


@pytest.mark.parametrize("screen", ["case-list", "followups", "case-detail"])
def test_wide_labels_are_cut_by_terminal_cells_at_80x24(
    seeded: CaseworkService, snap_compare: SnapCompare, screen: str
) -> None:
    """Issue 11 item 8: labels with emoji and CJK characters (two cells each) are cut to the
    column in terminal cells and end in "…"; the columns after them stay in line."""
    for n, label in enumerate(["Åse 😀😀😀😀😀😀", "山田太郎さん東京都", "Mia 🙂 Kristensen-Holm"]):
        case = seeded.register_referral(
            activity="A7_MENTOR_AKTIVITETSPARAT",
            received_date="2026-11-18",
            source="JOBRAADGIVER",
            display_label=label,
            birth_year=1990 + n,
            birth_month=3,
            area="VOLLSMOSE",
        )
        seeded.start_case(
            case.id,
            start_mode="TREPARTSSAMTALE",
            start_date="2026-11-19",
            goals_agreed=True,
            consents=[],
            participants=["BEBOER", "JOBRAADGIVER"],
            next_followup_date="2026-11-20",
        )
    steps = {
        "case-list": _keys(),
        "followups": _keys("u"),
        "case-detail": _in_case("Åse"),
    }
    app = make_app(settings=Settings(language="da"), repos=local_user_repos(seeded))
    assert snap_compare(app, run_before=steps[screen], terminal_size=(80, 24))

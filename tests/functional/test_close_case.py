"""Close a case (issue 3 item 6): the activity's rules decide the required fields; confirm first."""

from __future__ import annotations

import datetime as dt

from mentor_tui.app import MentorApp
from mentor_tui.codes import CaseStatus, ClosureReason, StatusAtClosure
from mentor_tui.screens.close_case import CloseCaseScreen
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, case_id, row_counts

SIZE = (100, 30)


def _msg(app: MentorApp, field: str) -> FieldMessage:
    return app.screen.query_one(f"#{field}-msg", FieldMessage)


def _label(app: MentorApp, field: str) -> str:
    return str(app.screen.query_one(f"#{field}-field .form--label").render())


async def test_a7_marks_status_and_joint_decision_required_and_refuses_without_them(
    seeded_app: MentorApp,
) -> None:
    app = seeded_app
    cid = case_id(app, "Bo T")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(CloseCaseScreen(app.casework, cid))
        assert _label(app, "status_at_closure").endswith("*")
        assert _label(app, "joint_decision").endswith("*")
        assert "fælles beslutning skal udfyldes" in str(app.screen.query_one("#closure-rule").render())
        await keys.type("behov")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert not app.screen.confirming  # type: ignore[attr-defined]
        assert "status ift. uddannelse og job" in _msg(app, "status_at_closure").text
        assert "fælles beslutning" in _msg(app, "joint_decision").text
        assert not _msg(app, "reason").errors
    assert row_counts(app.repos) == before
    assert app.repos.cases.get(cid).status is CaseStatus.AKTIV


async def test_a7_closes_after_confirmation(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Bo T")
    results: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(CloseCaseScreen(app.casework, cid), results.append)
        await keys.type("behov")
        await keys.press("tab")
        await keys.type("ordinært")
        await keys.press("tab", "space", "ctrl+s")
        await pilot.pause()
        assert app.screen.confirming  # type: ignore[attr-defined]
        text = str(app.screen.query_one("#confirm-text").render())
        assert "Afslut forløbet for Bo T pr. 20-11-2026?" in text
        assert app.repos.closures.count() == 1  # Emil's, from the seed: nothing written yet
        await keys.press("enter")
        await pilot.pause()
    assert results == [True]
    case = app.repos.cases.get(cid)
    assert case.status is CaseStatus.AFSLUTTET
    (closure,) = app.repos.closures.for_case(cid)
    assert closure.reason is ClosureReason.MAAL_NAAET_BEHOV_OPFYLDT
    assert closure.status_at_closure is StatusAtClosure.I_ORDINAERT_JOB
    assert closure.joint_decision
    assert closure.date == dt.date(2026, 11, 20)


async def test_escape_in_the_confirmation_goes_back_without_saving(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Fatima H")  # A2: only a reason is required
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(CloseCaseScreen(app.casework, cid))
        assert not _label(app, "status_at_closure").endswith("*")
        await keys.type("trygge")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert app.screen.confirming  # type: ignore[attr-defined]
        shown = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        assert (shown["escape"], shown["ctrl+s"]) == ("Tilbage", "Bekræft")
        await keys.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CloseCaseScreen)
        assert not app.screen.confirming
        shown = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        assert (shown["escape"], shown["ctrl+s"]) == ("Fortryd", "Gem")
        await keys.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CloseCaseScreen)
    assert app.repos.cases.get(cid).status is CaseStatus.AKTIV
    assert app.repos.closures.for_case(cid) == []


async def test_bad_or_future_closure_date_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Fatima H")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(CloseCaseScreen(app.casework, cid))
        await keys.type("trygge")
        await keys.press("tab", "tab", "tab")
        await keys.type("30-02-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "30-02-2026" in _msg(app, "date").text
        app.screen.query_one("#date-input").value = "01-12-2026"  # type: ignore[attr-defined]
        await pilot.pause()
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "fremtiden" in _msg(app, "date").text
        assert not app.screen.confirming  # type: ignore[attr-defined]
    assert row_counts(app.repos) == before

"""Add an outcome (issue 3 item 4): type and date."""

from __future__ import annotations

import datetime as dt

from mentor_tui.app import MentorApp
from mentor_tui.codes import OutcomeType
from mentor_tui.screens.outcome_form import OutcomeFormScreen
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, case_id, row_counts

SIZE = (100, 30)


def _msg(app: MentorApp, field: str) -> FieldMessage:
    return app.screen.query_one(f"#{field}-msg", FieldMessage)


async def test_outcome_picked_by_typing(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Bo T")
    results: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(OutcomeFormScreen(app.casework, cid), results.append)
        await keys.type("ordinært j")
        await keys.press("tab")
        await keys.type("18-11-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
    assert results == [True]
    (outcome,) = app.repos.outcomes.for_case(cid)
    assert (outcome.outcome_type, outcome.date) == (OutcomeType.ORDINAERT_JOB, dt.date(2026, 11, 18))


async def test_missing_type_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Bo T")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(OutcomeFormScreen(app.casework, cid))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Resultat skal udfyldes" in _msg(app, "outcome_type").text
    assert row_counts(app.repos) == before


async def test_unknown_type_and_bad_date_are_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Bo T")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await app.push_screen(OutcomeFormScreen(app.casework, cid))
        await keys.type("qqq")
        await keys.press("tab")
        await keys.type("2026-02-30")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "«qqq»" in _msg(app, "outcome_type").text
        assert "2026-02-30" in _msg(app, "date").text
    assert row_counts(app.repos) == before


async def test_outcome_on_a_case_not_started_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Dana R")
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(OutcomeFormScreen(app.casework, cid))
        await Keys(pilot).type("fast")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ikke startet" in app.screen.query_one("#form-msg", FieldMessage).text
    assert row_counts(app.repos) == before

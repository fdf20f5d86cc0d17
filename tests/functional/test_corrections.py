"""Correcting a mistake in the app (issue 9): each edit and void flow as a user drives it, and each
refusal writes nothing (no row, no audit entry).

The seeded caseload (tests/conftest.py): Amal K (A6, 3-partssamtale 05-10), Bo T (A7, meeting
20-10), Cem D (A3), Dana R (A8, referred), Emil S (A10, outcome 15-10, closed 30-10), Fatima H (A2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from mentor_tui.app import MentorApp
from mentor_tui.codes import CaseStatus, MeetingType, StartMode
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.case_history import CaseHistoryScreen
from mentor_tui.screens.close_case import CloseCaseScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.screens.void_record import VoidRecordScreen
from mentor_tui.storage.repositories import Repositories
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import case_id
from tests.functional.shell_support import labels, open_case, plain, timeline_rows, type_text

SIZE = (100, 30)
D = dt.date


def _state(repos: Repositories) -> dict[str, list[dict[str, Any]]]:
    tables = (
        "person",
        "referral",
        "cases",
        "consent",
        "meeting",
        "outcome",
        "closure",
        "reopening",
        "audit_log",
    )
    return {t: list(repos.db.query(f"SELECT * FROM {t} ORDER BY rowid")) for t in tables}


def _msg(app: MentorApp, field: str) -> str:
    return app.screen.query_one(f"#{field}-msg", FieldMessage).text


def _back_on(app: MentorApp, screen: CaseDetailScreen) -> bool:
    """Whether the case detail is the current screen again (the form closed)."""
    return app.screen is screen


async def _to_row(pilot: Pilot[None], screen: CaseDetailScreen, text: str) -> None:
    """Put the timeline cursor on the first entry containing ``text``."""
    row = next(i for i, line in enumerate(timeline_rows(screen)) if text in line)
    screen.timeline.move_cursor(row=row)
    await pilot.pause()


async def _retype(pilot: Pilot[None], text: str) -> None:
    """Clear the focused field and type ``text``."""
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)


async def test_a_meeting_is_corrected_from_the_timeline(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Bo T")
        await _to_row(pilot, screen, "Opfølgningsmøde")
        before = _state(app.repos)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MeetingFormScreen)
        assert "Ret møde: Bo T" in str(app.screen.query_one("#dialog-title").render())
        await pilot.press("tab")  # to the date, filled in with 20-10-2026
        await _retype(pilot, "01-01-1900")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingFormScreen)  # refused, with what would be accepted
        assert "før henvisningen blev modtaget (25-08-2026); vælg en dato fra 25-08-2026" in _msg(app, "date")
        assert _state(app.repos) == before
        await _retype(pilot, "19-10-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _back_on(app, screen)
        assert timeline_rows(screen)[0].startswith("19-10-2026")
        assert "Opfølgningsmøde" in timeline_rows(screen)[0]
    (meeting,) = [m for m in app.casework.detail(case_id(app, "Bo T")).meetings]
    assert (meeting.date, meeting.meeting_type) == (D(2026, 10, 19), MeetingType.OPFOELGNING_FLERPART)


async def test_enter_on_the_start_corrects_the_start(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        await _to_row(pilot, screen, "Forløb startet")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StartCaseScreen)
        assert form.correct
        assert form.start_mode.value is StartMode.TREPARTSSAMTALE
        form.query_one("#start_date-input").focus()
        before = _state(app.repos)
        await _retype(pilot, "30-09-2026")  # before the referral of 01-10-2026
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "vælg en dato fra 01-10-2026" in _msg(app, "start_date")
        assert _state(app.repos) == before
        await _retype(pilot, "06-10-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _back_on(app, screen)
    detail = app.casework.detail(case_id(app, "Amal K"))
    assert detail.case.start_date == D(2026, 10, 6)
    (start_meeting,) = detail.meetings
    assert (start_meeting.is_start, start_meeting.date) == (True, D(2026, 10, 6))


async def test_a_closure_is_corrected(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        await _to_row(pilot, screen, "Afsluttet")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CloseCaseScreen)
        form.date.input.focus()
        before = _state(app.repos)
        await _retype(pilot, "14-10-2026")  # before the outcome of 15-10-2026
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "før det sidste resultat (15-10-2026)" in _msg(app, "date")
        assert _state(app.repos) == before
        await _retype(pilot, "29-10-2026")
        await pilot.press("ctrl+s")  # a correction is saved at once, without the confirmation
        await pilot.pause()
        assert _back_on(app, screen)
    assert app.repos.cases.get(case_id(app, "Emil S")).end_date == D(2026, 10, 29)


async def test_person_and_referral_are_corrected_with_p(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Dana R")
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewReferralScreen)
        assert form.query_one("#display_label").value == "Dana R"  # type: ignore[attr-defined]
        form.query_one("#birth_ym").focus()
        before = _state(app.repos)
        await _retype(pilot, "2027-06")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Fødselsmåneden 2027-06 ligger i fremtiden; skriv en måned til og med 2026-11" in _msg(
            app, "birth_ym"
        )
        assert _state(app.repos) == before
        await _retype(pilot, "1990-11")
        form.query_one("#display_label").focus()
        await _retype(pilot, "Dana Rø")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseDetailScreen)
        assert str(app.screen.title).startswith("Dana Rø ·")
    person = app.repos.persons.get(app.repos.cases.get(case_id(app, "Dana Rø")).person_id)
    assert (person.birth_year, person.birth_month, person.label_key) == (1990, 11, "dana rø")


async def test_a_meeting_is_voided_with_a_reason_and_ctrl_z_brings_it_back(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Bo T")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Bo T")
        await _to_row(pilot, screen, "Opfølgningsmøde")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, VoidRecordScreen)
        before = _state(app.repos)
        await pilot.press("ctrl+s")  # no reason given
        await pilot.pause()
        assert "Skriv kort hvorfor" in _msg(app, "reason")
        assert _state(app.repos) == before
        await type_text(pilot, "registreret på forkert forløb")
        await pilot.press("enter")
        await pilot.pause()
        assert _back_on(app, screen)
        row = next(line for line in timeline_rows(screen) if "Opfølgningsmøde" in line)
        assert "(annulleret: registreret på forkert forløb)" in row  # stays in the history, marked
        assert app.casework.detail(cid).meetings == []
        assert (
            app.repos.cases.summaries(person_id=app.repos.cases.get(cid).person_id)[0].last_meeting_date
            is None
        )
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "(annulleret" not in " ".join(timeline_rows(screen))
        assert len(app.casework.detail(cid).meetings) == 1
        actions = [e.action for e in app.repos.audit_trail([app.casework.detail(cid).meetings[0].id])]
        assert actions[-2:] == ["void", "restore"]  # the undo is audited too


async def test_voiding_the_referral_removes_the_case_from_the_list(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Dana R")
        await _to_row(pilot, screen, "Henvisning")
        await pilot.press("delete")
        await pilot.pause()
        assert "Hele forløbet annulleres" in str(app.screen.query_one("#void-effect").render())
        await type_text(pilot, "dobbeltregistreret")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Annulleret: dobbeltregistreret" in plain(screen.query_one("#case-panel", Static))
        assert screen.check_action("add_meeting", ()) is False  # a voided case is history only
        await pilot.press("escape")
        await pilot.pause()
        assert "Dana R" not in await labels(pilot)


async def test_voiding_the_closure_reopens_the_case(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        await _to_row(pilot, screen, "Afsluttet")
        await pilot.press("x")
        await pilot.pause()
        await type_text(pilot, "lukket ved en fejl")
        await pilot.press("enter")
        await pilot.pause()
        assert _back_on(app, screen)
    assert app.repos.cases.get(case_id(app, "Emil S")).status is CaseStatus.AKTIV


async def test_the_history_shows_who_changed_what(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Amal K")
    app.casework.corrections.hand_over(cid, app.repos.local_staff().id)  # type: ignore[union-attr]
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Amal K")
        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, CaseHistoryScreen)
        table = history.query_one("#history-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert rows[0][1:] == ["TS", "Forløb rettet", "Sagsbehandler: — → TS"]
        assert [r[2] for r in rows if r[2].startswith("Person")] == ["Person registreret"]


async def test_o_hands_the_case_over_and_m_shows_my_cases(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert await labels(pilot) == []  # the seeded cases have no caseworker yet
        await pilot.press("m")
        await open_case(pilot, "Fatima H")
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter")  # the list highlights TS, the only colleague here
        await pilot.pause()
        assert "Sagsbehandler    TS" in plain(app.screen.query_one("#case-panel", Static))
        await pilot.press("escape", "m")
        await pilot.pause()
        assert await labels(pilot) == ["Fatima H"]


async def test_an_outcome_and_a_reopening_are_corrected(seeded_app: MentorApp) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")
    reopening = app.casework.reopen_case(cid, note="ny henvendelse", date="18-11-2026")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        await _to_row(pilot, screen, "Resultat")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#date-input").focus()
        before = _state(app.repos)
        await _retype(pilot, "01-09-2026")  # before the start of 03-09-2026
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "før forløbets start (03-09-2026); vælg en dato fra 03-09-2026" in _msg(app, "date")
        assert _state(app.repos) == before
        await _retype(pilot, "16-10-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await _to_row(pilot, screen, "Genåbnet")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#date-input").focus()
        await _retype(pilot, "29-10-2026")  # before the closure it reopens (30-10-2026)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "vælg en dato fra 30-10-2026" in _msg(app, "date")
        await _retype(pilot, "17-11-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _back_on(app, screen)
    assert app.casework.detail(cid).outcomes[0].date == D(2026, 10, 16)
    assert app.repos.reopenings.get(reopening.id).date == D(2026, 11, 17)


async def test_a_next_followup_in_the_past_is_refused(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Fatima H")
        await pilot.press("f")
        await pilot.pause()
        before = _state(app.repos)
        await _retype(pilot, "19-11-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ligger i fortiden; vælg i dag (20-11-2026) eller senere" in _msg(app, "next_followup_date")
        assert _state(app.repos) == before
        await _retype(pilot, "31-12-9999")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "mere end to år frem" in _msg(app, "next_followup_date")
        assert _state(app.repos) == before


async def test_voiding_the_start_and_an_outcome(seeded_app: MentorApp) -> None:
    app = seeded_app
    emil, fatima = case_id(app, "Emil S"), case_id(app, "Fatima H")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        await _to_row(pilot, screen, "Resultat")
        await pilot.press("delete")
        await pilot.pause()
        await type_text(pilot, "forkert forløb")
        await pilot.press("enter")
        await pilot.pause()
        assert app.casework.detail(emil).outcomes == []
        await pilot.press("escape")
        screen = await open_case(pilot, "Fatima H")
        await _to_row(pilot, screen, "Forløb startet")
        await pilot.press("delete")
        await pilot.pause()
        assert "«henvist» igen" in str(app.screen.query_one("#void-effect").render())
        await type_text(pilot, "ikke startet endnu")
        await pilot.press("enter")
        await pilot.pause()
        assert _back_on(app, screen)
    case = app.repos.cases.get(fatima)
    assert (case.status, case.start_date) == (CaseStatus.HENVIST, None)


async def test_a_discarded_correction_never_fills_in_a_new_meeting_and_a_saved_one_says_corrected(
    seeded_app: MentorApp,
) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Bo T")
        await _to_row(pilot, screen, "Opfølgningsmøde")
        await pilot.press("e", "tab")
        await pilot.pause()
        await _retype(pilot, "19-10-2026")
        await pilot.press("escape", "tab", "enter")  # discard the correction
        await pilot.pause()
        assert _back_on(app, screen)
        await pilot.press("m")  # a new meeting: the discarded correction is not offered
        await pilot.pause()
        assert isinstance(app.screen, MeetingFormScreen)
        assert app.screen.check_action("bring_back", ()) is False
        await pilot.press("escape")
        await pilot.pause()
        await _to_row(pilot, screen, "Opfølgningsmøde")
        await pilot.press("e")  # the same correction again: it can be brought back
        await pilot.pause()
        assert app.screen.check_action("bring_back", ()) is True
        await pilot.press("ctrl+g", "ctrl+s")
        await pilot.pause()
        assert _back_on(app, screen)
    notes = [str(n.message) for n in app._notifications]
    assert "Rettelse gemt: Bo T" in notes
    assert not any(note.startswith("Møde gemt") for note in notes)
    (meeting,) = app.casework.detail(case_id(app, "Bo T")).meetings
    assert meeting.date == D(2026, 10, 19)


def _selected_kind(screen: CaseDetailScreen) -> str | None:
    return screen.selected.kind if screen.selected is not None else None


async def test_arrow_keys_choose_the_entry_and_enter_corrects_it(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, "Emil S")
        assert screen.timeline.has_focus  # the timeline is where the keys go
        assert _selected_kind(screen) == "closure"  # newest first
        await pilot.press("down")
        await pilot.pause()
        assert _selected_kind(screen) == "outcome"
        await pilot.press("end")
        await pilot.pause()
        assert _selected_kind(screen) == "referral"
        await pilot.press("up", "up")
        await pilot.pause()
        assert screen.selected is not None
        assert screen.selected.start_meeting  # the start's meeting
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartCaseScreen)
        assert app.screen.correct


async def test_voiding_a_reopening_closes_the_case_again_and_ctrl_z_reopens_it(
    seeded_app: MentorApp,
) -> None:
    app = seeded_app
    cid = case_id(app, "Emil S")  # closed 30-10-2026
    app.casework.reopen_case(cid, note="ny henvendelse", date="18-11-2026")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        assert "Aktiv" in plain(screen.query_one("#case-panel", Static))
        await _to_row(pilot, screen, "Genåbnet")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, VoidRecordScreen)
        assert "Forløbet bliver afsluttet igen." in str(app.screen.query_one("#void-effect").render())
        await type_text(pilot, "genåbnet ved en fejl")
        await pilot.press("enter")
        await pilot.pause()
        assert _back_on(app, screen)
        row = next(line for line in timeline_rows(screen) if "Genåbnet" in line)
        assert "(annulleret: genåbnet ved en fejl)" in row  # kept in the history, marked
        assert "Afsluttet" in plain(screen.query_one("#case-panel", Static))
        case = app.repos.cases.get(cid)
        assert (case.status, case.end_date) == (CaseStatus.AFSLUTTET, D(2026, 10, 30))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "(annulleret" not in " ".join(timeline_rows(screen))
    assert app.repos.cases.get(cid).status is CaseStatus.AKTIV

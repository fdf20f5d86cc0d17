"""Issue 11: a paste is never lost or misplaced (:mod:`mentor_tui.widgets.keystrokes`).

Found in tmux (``paste-buffer -p``): a paste right after a Tab could land in the field the Tab
was leaving (Textual hands a paste to the focused widget at once, before queued keys); a birth
month copied from a spreadsheet cell with a space or line end around it (`` 2002-05 ``) did not
go in at all (longer than the field's seven characters: Textual refuses it without a word); a
copied row went into the label field whole, tab characters and all.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.codes import Activity, Area, ReferralSource
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.keystrokes import paste_steps
from tests.functional.forms_support import case_id, key_events, settle

SIZE = (100, 30)


async def _send(app: MentorApp, pilot: object, *items: str | events.Paste) -> None:
    """Post keys (as in ``burst``) and pastes to the app all at once, in order."""
    for item in items:
        for event in key_events([item]) if isinstance(item, str) else [item]:
            app.post_message(event)
    await settle(pilot)  # type: ignore[arg-type]


def _value(app: MentorApp, field: str) -> str:
    return app.screen.query_one(f"#{field}", Input).value


async def test_a_paste_right_after_tab_lands_in_the_next_field(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await _send(app, pilot, *"Tina Q", "tab", events.Paste("1995-03"), "tab", *"vol")
        assert _value(app, "display_label") == "Tina Q"
        assert _value(app, "birth_ym") == "1995-03"
        assert app.screen.query_one("#area", CodePicker).value is Area.VOLLSMOSE


async def test_white_space_around_a_pasted_cell_is_dropped(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await _send(app, pilot, *"Tina Q", "tab", events.Paste(" 2002-05 \r\n"))
        assert _value(app, "birth_ym") == "2002-05"


async def test_a_copied_spreadsheet_row_fills_one_field_after_another(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await _send(app, pilot, events.Paste("Tina Q\t1995-03\tvol\ta7\tjobr\n"), "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartCaseScreen)  # saved: the start dialog follows
    (summary,) = [s for s in app.repos.cases.summaries() if s.display_label == "Tina Q"]
    case = app.repos.cases.get(summary.id)
    person = app.repos.persons.get(case.person_id)
    assert (person.birth_year, person.birth_month, person.area) == (1995, 3, Area.VOLLSMOSE)
    assert case.activity is Activity.A7_MENTOR_AKTIVITETSPARAT
    assert case.referral_id is not None
    assert app.repos.referrals.get(case.referral_id).source is ReferralSource.JOBRAADGIVER


async def test_a_paste_too_long_for_the_field_is_cut_to_fit_and_the_user_is_told(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewReferralScreen(app.casework))
        await _send(app, pilot, "tab", events.Paste("1995-03-14"))
        assert _value(app, "birth_ym") == "1995-03"
        (note,) = [n.message for n in app._notifications]
        assert "kun de første 7 tegn" in note


async def test_a_pasted_note_of_several_lines_is_kept_whole_on_one_line(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ReopenCaseScreen(app.casework, case_id(app, "Emil S")))
        await _send(app, pilot, events.Paste("Ringede igen\nvil gerne have hjælp til job\n"))
        assert _value(app, "note") == "Ringede igen vil gerne have hjælp til job"


async def test_outside_a_form_a_tab_in_a_paste_stays_in_the_field(seeded_app: MentorApp) -> None:
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await _send(app, pilot, "slash", events.Paste("Amal\tK"))
        assert app.screen.focused is not None
        assert getattr(app.screen.focused, "value", None) == "Amal K"


async def test_a_pasted_passphrase_is_taken_as_it_is(seeded_app: MentorApp) -> None:
    """Spaces may belong to a passphrase: the lock screen's field gets the paste untouched."""
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        field = Input(password=True, id="secret")
        await app.screen.mount(field)
        field.focus()
        await _send(app, pilot, events.Paste(" secret phrase "))
        assert field.value == " secret phrase "


def test_paste_steps() -> None:
    steps = paste_steps("  a\t\tb \n", across_fields=True)
    assert [type(s).__name__ for s in steps] == ["Paste", "Key", "Key", "Paste"]
    assert paste_steps("a\tb", across_fields=False)[0].text == "a b"  # type: ignore[union-attr]
    assert paste_steps(" \n ", across_fields=True) == []

"""New referral form (issue 3 item 2): search-before-create, type-to-pick, inline problems."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.codes import Activity, Area, CaseStatus, ReferralReason, ReferralSource
from mentor_tui.i18n import set_language
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.field_message import FieldMessage
from tests.functional.forms_support import Keys, burst, row_counts, settle

SIZE = (100, 30)


def _msg(app: MentorApp, field: str) -> FieldMessage:
    return app.screen.query_one(f"#{field}-msg", FieldMessage)


async def _open(app: MentorApp, results: list[str | None]) -> None:
    await app.push_screen(NewReferralScreen(app.casework), results.append)


async def test_new_referral_saved_with_codes_picked_by_typing(app: MentorApp) -> None:
    results: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, results)
        await keys.type("Sara K")
        await keys.press("tab")
        await keys.type("200304")
        await keys.press("tab")
        await keys.type("vol")
        await keys.press("tab")
        await keys.type("a6")
        await keys.press("tab")
        await keys.type("udd")
        await keys.press("tab", "tab")  # source -> received date -> reasons
        await keys.type("frafald")
        await keys.press("enter")
        await keys.type("mål: udd")
        await keys.press("enter")
        await keys.press("tab", "tab", "space")  # reasons -> gender -> "start now": untick
        await keys.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NewReferralScreen)

    (case,) = app.repos.cases.all()
    person = app.repos.persons.get(case.person_id)
    referral = app.repos.referrals.get(case.referral_id or "")
    assert results == [case.id]
    assert (person.display_label, person.birth_year, person.birth_month, person.area) == (
        "Sara K",
        2003,
        4,
        Area.VOLLSMOSE,
    )
    assert case.activity is Activity.A6_FREMSKUDT_UDD_BESK
    assert case.status is CaseStatus.HENVIST
    assert referral.source is ReferralSource.UDDANNELSESRAADGIVER_CFU
    assert referral.received_date == dt.date(2026, 11, 20)
    assert referral.reasons == [ReferralReason.FRAFALDSRISIKO, ReferralReason.UDDANNELSE_MAAL]


async def test_saving_goes_straight_on_to_start_the_case(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        await keys.type("Sara K")
        await keys.press("tab")
        await keys.type("2003-04")
        await keys.press("tab")
        await keys.type("vol")
        await keys.press("tab")
        await keys.type("a6")
        await keys.press("tab")
        await keys.type("job")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartCaseScreen)
        assert app.screen.start_mode.text == "3-partssamtale"
        assert app.repos.cases.count() == 1


async def test_existing_person_is_listed_with_open_cases_and_can_be_picked(seeded_app: MentorApp) -> None:
    app = seeded_app
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        await keys.type("amal")
        await settle(pilot)
        matches = app.screen.query_one("#matches")
        assert matches.display
        box_text = str(matches.get_option_at_index(0).prompt)  # type: ignore[attr-defined]  # OptionList
        assert "Amal K" in box_text
        assert "A6" in box_text
        await keys.press("down", "enter")  # into the match list, pick Amal K
        assert "Amal K" in str(app.screen.query_one("#chosen-person").render())
        await keys.type("a7")
        await keys.press("tab")
        await keys.type("job")
        await keys.press("tab", "tab", "tab", "tab", "space", "ctrl+s")  # untick "start now", save
        await pilot.pause()

    after = row_counts(app.repos)
    assert after["persons"] == before["persons"]  # no duplicate person
    assert after["cases"] == before["cases"] + 1
    amal = [s for s in app.repos.cases.summaries() if s.display_label == "Amal K"]
    assert {s.activity for s in amal} == {Activity.A6_FREMSKUDT_UDD_BESK, Activity.A7_MENTOR_AKTIVITETSPARAT}


async def test_second_open_case_in_same_activity_is_refused_beside_activity(seeded_app: MentorApp) -> None:
    app = seeded_app
    before = row_counts(app.repos)
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        await keys.type("Amal K")
        await settle(pilot)
        await keys.press("down", "enter")
        await keys.type("a6")
        await keys.press("tab")
        await keys.type("udd")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewReferralScreen)
        assert "allerede et åbent forløb" in _msg(app, "activity").text
    assert row_counts(app.repos) == before


async def test_age_and_area_warnings_show_as_you_type_and_do_not_block(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        await keys.type("Lil")
        await keys.press("tab")
        await keys.type("2012-01")
        await keys.press("tab")
        await keys.type("uden")
        await keys.press("tab")
        await keys.type("a6")
        await pilot.pause()
        birth = _msg(app, "birth_ym")
        area = _msg(app, "area")
        assert birth.warnings
        assert "Alder 14 er under målgruppen" in birth.text
        assert area.warnings
        assert "uden for boligområderne" in area.text
        assert not birth.errors
        assert not area.errors
        await keys.press("tab")
        await keys.type("egen")
        await keys.press("tab", "tab", "tab", "space", "ctrl+s")
        await pilot.pause()
    assert app.repos.cases.count() == 1


async def test_empty_form_is_refused_with_a_message_beside_each_field(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, [])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewReferralScreen)
        for field in ("display_label", "birth_ym", "area", "activity", "source"):
            assert _msg(app, field).errors, field
        assert "skal udfyldes" in _msg(app, "display_label").text
    assert row_counts(app.repos) == dict.fromkeys(row_counts(app.repos), 0)


async def test_bad_dates_and_unknown_codes_are_refused_and_nothing_is_written(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        await keys.type("Sara K")
        await keys.press("tab")
        await keys.type("2003-13")
        await keys.press("tab")
        await keys.type("vol")
        await keys.press("tab")
        await keys.type("zz")
        await keys.press("tab")
        await keys.type("udd")
        await keys.press("tab")
        await keys.type("31-02-2026")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewReferralScreen)
        assert "åååå-mm" in _msg(app, "birth_ym").text
        assert "«zz»" in _msg(app, "activity").text
        assert "31-02-2026" in _msg(app, "received_date").text
        assert "ikke en dato" in str(app.screen.query_one("#received_date .date-input--week").render())
    assert row_counts(app.repos)["persons"] == 0
    assert row_counts(app.repos)["cases"] == 0


async def test_future_received_date_is_refused(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        await keys.type("Sara K")
        await keys.press("tab")
        await keys.type("2003-04")
        await keys.press("tab")
        await keys.type("vol")
        await keys.press("tab")
        await keys.type("a6")
        await keys.press("tab")
        await keys.type("udd")
        await keys.press("tab")
        await keys.type("+3")
        await pilot.pause()
        assert "uge 48" in str(app.screen.query_one("#received_date .date-input--week").render())
        await keys.press("ctrl+s")
        await pilot.pause()
        assert "fremtiden" in _msg(app, "received_date").text
    assert app.repos.cases.count() == 0


async def test_escape_cancels_without_saving(app: MentorApp) -> None:
    results: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, results)
        await Keys(pilot).type("Sara")
        await burst(pilot, "escape", "tab", "enter")  # asked first: discard
    assert results == [None]
    assert app.repos.persons.count() == 0


async def test_english_labels_and_messages(app: MentorApp) -> None:
    set_language("en")
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, [])
        assert "New referral" in str(app.screen.query_one("#dialog-title").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is required" in _msg(app, "display_label").text


async def test_half_typed_date_is_not_flagged_until_the_field_is_left(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        app.screen.query_one("#received_date-input").focus()
        await pilot.pause()
        await keys.type("2-11")
        await pilot.pause()
        assert not _msg(app, "received_date").errors
        await keys.press("tab")
        await pilot.pause()
        assert "«2-11» er ikke en dato" in _msg(app, "received_date").text


async def test_start_dialog_can_be_left_for_later_and_the_referral_stays(app: MentorApp) -> None:
    results: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, results)
        await keys.type("Sara K")
        await keys.press("tab")
        await keys.type("2003-04")
        await keys.press("tab")
        await keys.type("vol")
        await keys.press("tab")
        await keys.type("a8")
        await keys.press("tab")
        await keys.type("egen")
        await keys.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartCaseScreen)
        await keys.press("escape")
        await pilot.pause()
    (case,) = app.repos.cases.all()
    assert results == [case.id]
    assert case.status is CaseStatus.HENVIST
    assert app.repos.meetings.count() == 0


async def test_footer_keys_in_english(app: MentorApp) -> None:
    set_language("en")
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, [])
        await pilot.pause()
        shown = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        assert shown["escape"] == "Cancel"
        assert shown["ctrl+s"] == "Save"


async def test_arrow_keys_step_through_the_matches_and_the_footer_says_so(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await _open(app, [])
        app.screen.query_one("#area-input").focus()
        await pilot.pause()
        shown = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        assert shown["down"] == "Næste valg"
        await keys.type("ej")  # Ejerslykke (label starts with it), then Højemarksvej (contains it)
        await keys.press("down", "tab")
        await pilot.pause()
        assert app.screen.query_one("#area-input").value == "Højemarksvej-kvarteret"  # type: ignore[attr-defined]


async def test_keys_arriving_in_one_burst_land_in_the_right_fields(app: MentorApp) -> None:
    """Keys that arrive faster than the app handles them (a fast typist, a paste, tmux) must not
    pile up in the field that had focus before a Tab: the Tab moves focus before the next key is
    routed. Found in tmux: without it "Tina Q<Tab>1995-03..." all landed in the label field."""
    results: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, results)
        await pilot.pause()
        await burst(pilot, *"Tina Q", "tab", *"1995-03", "tab", *"vol", "tab", *"a7", "tab", *"jobr")
        screen = app.screen
        assert isinstance(screen, NewReferralScreen)
        assert screen.query_one("#display_label", Input).value == "Tina Q"
        assert screen.query_one("#birth_ym", Input).value == "1995-03"
        picks = [p.value for p in screen.query(CodePicker)]
        assert Area.VOLLSMOSE in picks
        assert Activity.A7_MENTOR_AKTIVITETSPARAT in picks


async def test_tab_skips_the_matches_and_down_reaches_them(seeded_app: MentorApp) -> None:
    """Issue 11: with matches shown, Tab went into the list and every later entry landed one
    field off (the area ended up in "Født"). Tab goes to the next field; Down reaches the list,
    Up from its first row and Escape leave it."""
    app = seeded_app
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, [])
        await burst(pilot, *"Amal", "tab", *"2002-04", "tab", *"vol")
        screen = app.screen
        assert screen.query_one("#matches").display  # the suggestions are there...
        assert screen.query_one("#birth_ym", Input).value == "2002-04"  # ...and were not tabbed into
        assert screen.query_one("#area", CodePicker).value is Area.VOLLSMOSE
        screen.query_one("#display_label", Input).focus()
        await burst(pilot, "down")
        assert screen.focused is screen.query_one("#matches")
        await burst(pilot, "up")
        assert screen.focused is screen.query_one("#display_label")
        await burst(pilot, "down", "escape")
        assert screen.focused is screen.query_one("#display_label")
        assert isinstance(app.screen, NewReferralScreen)  # Escape left the list, not the form
        await burst(pilot, "down", "tab")
        assert screen.focused is screen.query_one("#birth_ym")

"""Case detail: person, case, timeline newest first, and only the keys that apply (issue 3 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.color import Color
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from mentor_tui.app import MentorApp
from mentor_tui.codes import ReferralReason
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.close_case import CloseCaseScreen
from mentor_tui.screens.followup_date import FollowupDateScreen
from mentor_tui.screens.main import CASE_SCREEN, MainScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.screens.outcome_form import OutcomeFormScreen
from mentor_tui.screens.reopen_case import ReopenCaseScreen
from mentor_tui.screens.start_case import StartCaseScreen
from mentor_tui.widgets.timeline import WINDOW, TimelineBody
from tests.functional.shell_support import (
    footer_actions,
    open_case,
    plain,
    screen_text,
    settle,
    timeline_rows,
)

SIZE = (100, 30)
STEPS = {"start_case", "add_meeting", "add_outcome", "set_followup", "close_case", "reopen_case"}


def panel(screen: CaseDetailScreen, name: str) -> str:
    if name == "timeline-body":
        return screen.query_one(TimelineBody).text()
    return plain(screen.query_one(f"#{name}", Static))


async def test_detail_shows_the_person_and_the_case(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        person = panel(screen, "person-panel")
        assert "Amal K" in person
        assert "04-2002 (24 år)" in person
        assert "Vollsmose" in person
        assert screen.title == "Amal K · A6 Fremskudt uddannelses- og beskæftigelsesindsats"
        case = panel(screen, "case-panel")
        assert "Aktiv" in case
        assert "05-10-2026, 3-partssamtale" in case
        assert "Mål aftalt       ja" in case
        assert "! 13-11-2026, uge 46 (forfalden)" in case


async def test_timeline_is_newest_first(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        lines = [line for line in panel(screen, "timeline-body").splitlines() if line.strip()]
        assert lines[0].split() == ["Dato", "Uge", "Hændelse"]
        dates = [line.split()[0] for line in timeline_rows(screen)]
        assert dates == ["30-10-2026", "15-10-2026", "03-09-2026", "03-09-2026", "02-09-2026"]
        assert "Afsluttet: Behov opfyldt / mål nået" in lines[1]
        assert "uge 44" in lines[1]


async def test_a3_case_shows_both_consents(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Cem D")
        assert "Samtykke         Den unge, Forælder" in panel(screen, "case-panel")


async def test_referred_case_offers_start_but_not_reopen_nor_an_outcome(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Dana R")
        offered = footer_actions(seeded_app) & STEPS
        assert offered == {"start_case", "add_meeting", "set_followup", "close_case"}


async def test_active_case_offers_the_follow_up_steps_but_not_start_or_reopen(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Amal K")
        offered = footer_actions(seeded_app) & STEPS
        assert offered == {"add_meeting", "add_outcome", "set_followup", "close_case"}


async def test_closed_case_offers_reopen_and_a_late_outcome_and_other_keys_do_nothing(
    seeded_app: MentorApp,
) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Emil S")
        # an outcome is dated when it happens, also after the closure (DOMAIN.md 7.3 rule 6)
        assert footer_actions(seeded_app) & STEPS == {"reopen_case", "add_outcome"}
        await pilot.press("m", "a", "s", "f")
        await pilot.pause()
        assert seeded_app.screen is screen


@pytest.mark.parametrize(
    ("label", "key", "form"),
    [
        ("Dana R", "s", StartCaseScreen),
        ("Amal K", "m", MeetingFormScreen),
        ("Amal K", "r", OutcomeFormScreen),
        ("Amal K", "f", FollowupDateScreen),
        ("Amal K", "a", CloseCaseScreen),
        ("Emil S", "g", ReopenCaseScreen),
    ],
)
async def test_each_step_key_opens_its_form_for_this_case(
    seeded_app: MentorApp, label: str, key: str, form: type[Screen[bool]]
) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, label)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(seeded_app.screen, form)
        assert getattr(seeded_app.screen, "case_id", None) == screen.case_id


async def test_a_saved_form_refreshes_the_detail(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        await pilot.press("f")
        await pilot.pause()
        form = seeded_app.screen
        assert isinstance(form, FollowupDateScreen)
        # what the form does when it saves: write through the service, dismiss with True
        seeded_app.casework.set_next_followup(screen.case_id, "27-11-2026")
        form.dismiss(True)
        await pilot.pause()
        assert seeded_app.screen is screen
        case = panel(screen, "case-panel")
        assert "27-11-2026, uge 48" in case
        assert "forfalden" not in case


async def test_closing_refreshes_the_keys_offered(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Bo T")
        await pilot.press("a")
        await pilot.pause()
        form = seeded_app.screen
        assert isinstance(form, CloseCaseScreen)
        seeded_app.casework.close_case(
            screen.case_id,
            date="2026-11-20",
            reason="MAAL_NAAET_BEHOV_OPFYLDT",
            status_at_closure="I_ORDINAERT_JOB",
            joint_decision=True,
        )
        form.dismiss(True)
        await pilot.pause()
        assert footer_actions(seeded_app) & STEPS == {"reopen_case", "add_outcome"}
        assert "Afsluttet" in panel(screen, "case-panel")


async def test_cancelled_form_changes_nothing(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        before = panel(screen, "case-panel")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert seeded_app.screen is screen
        assert panel(screen, "case-panel") == before


async def test_escape_goes_back_to_the_list(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "Amal K")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(seeded_app.screen, MainScreen)


async def test_paging_down_a_long_history_keeps_the_selected_of_200_meetings_in_view(
    seeded_app: MentorApp,
) -> None:
    casework = seeded_app.casework
    (amal,) = [s for s in casework.repos.cases.summaries() if s.display_label == "Amal K"]
    with casework.repos.atomic():
        for i in range(200):
            casework.add_meeting(
                amal.id, meeting_type="SAMTALE", date=dt.date(2026, 10, 6) + dt.timedelta(i % 40)
            )
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        body = screen.timeline
        view = screen.query_one("#timeline")
        assert body.row_count == 203
        rows = [*range(10, 203, 10), 202]  # a page (ten entries) at a time, down to the oldest
        for row in rows:
            await pilot.press("pagedown")
            await pilot.pause()
            assert body.cursor_row == row
            top = round(view.scroll_y)
            assert top <= body._starts[row] < top + view.scrollable_content_region.height, row
        await pilot.pause()
        assert screen.selected is not None
        assert screen.selected.kind == "referral"
        assert "Henvisning fra" in screen_text(seeded_app)


async def test_a_long_history_draws_only_the_lines_on_screen(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    casework = seeded_app.casework
    (amal,) = [s for s in casework.repos.cases.summaries() if s.display_label == "Amal K"]
    with casework.repos.atomic():
        for i in range(200):
            day = dt.date(2026, 10, 6) + dt.timedelta(days=i % 40)
            casework.add_meeting(amal.id, meeting_type="SAMTALE", date=day)
    drawn: list[int] = []
    render_rows = TimelineBody._render_rows

    def counting(body: TimelineBody, start: int, end: int) -> list[Strip]:
        drawn.extend(range(start, end))
        return render_rows(body, start, end)

    monkeypatch.setattr(TimelineBody, "_render_rows", counting)
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        body = screen.query_one(TimelineBody)
        assert body.row_count == 203  # referral, start, the 3-partssamtale and 200 meetings
        assert len(set(drawn)) <= WINDOW + 1  # a screenful (and the long referral, measured for its height)
        assert len(body._rows) <= WINDOW + 1  # and only those entries were built (styled)
        assert "Henvisning fra" not in screen_text(seeded_app)
        await pilot.press("end")
        await pilot.pause()
        assert "Henvisning fra" in screen_text(seeded_app)  # the oldest entry, at the bottom


async def test_the_next_case_opened_shows_its_own_facts_timeline_and_keys_from_the_top(
    seeded_app: MentorApp,
) -> None:
    # the case list keeps one case screen and fills it with each case opened (issue 12)
    async with seeded_app.run_test(size=SIZE) as pilot:
        amal = await open_case(pilot, "Amal K")
        amal_rows = timeline_rows(amal)
        await pilot.press("down", "down")
        await pilot.pause()
        assert amal.timeline.cursor_row == 2
        assert "add_meeting" in footer_actions(seeded_app)
        await pilot.press("escape")
        await pilot.press("ctrl+u", "escape")
        emil = await open_case(pilot, "Emil S")  # a closed case
        assert emil.detail.person.display_label == "Emil S"
        assert emil.timeline.cursor_row == 0
        assert timeline_rows(emil) != amal_rows
        rows = timeline_rows(emil)
        assert all(f"{e.date:%d-%m-%Y}" in row for e, row in zip(emil.entries, rows, strict=True))
        text = screen_text(seeded_app)
        assert "Emil S" in text
        assert "Amal K" not in text
        assert "reopen_case" in footer_actions(seeded_app)
        assert "add_meeting" not in footer_actions(seeded_app)
        await pilot.press("escape")
        await pilot.press("ctrl+u", "escape")
        again = await open_case(pilot, "Amal K")
        assert timeline_rows(again) == amal_rows
        assert again.timeline.cursor_row == 0


async def test_a_voided_entry_is_struck_through_with_its_reason_in_italics(seeded_app: MentorApp) -> None:
    casework = seeded_app.casework
    (bo,) = [s for s in casework.repos.cases.summaries() if s.display_label == "Bo T"]
    meeting = next(e for e in casework.timeline(bo.id) if e.kind == "meeting" and not e.start_meeting)
    casework.corrections.void(bo.id, meeting, "fejl")
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Bo T")
        body = screen.timeline
        row = next(i for i, e in enumerate(screen.entries) if e.record_id == meeting.record_id)
        assert "(annulleret: fejl)" in body.row_text(row)
        line = body.render_line(body._starts[row])
        struck = "".join(s.text for s in line if s.style is not None and s.style.strike)
        italic = "".join(s.text for s in line if s.style is not None and s.style.italic)
        assert f"{meeting.date:%d-%m-%Y}" in struck
        assert meeting.text() in struck
        assert "(annulleret: fejl)" in italic
        assert "(annulleret" not in struck
        others = [body.render_line(body._starts[i]) for i in range(body.row_count) if i != row]
        assert not any(s.style is not None and s.style.strike for line in others for s in line)


async def test_long_facts_wrap_readably_beside_their_names_at_80x24(seeded_app: MentorApp) -> None:
    reasons = ["HOEJT_FRAVAER", "MISTRIVSEL", "ENSOMHED", "FRAFALDSRISIKO", "TRIVSEL_SUNDHED"]
    seeded_app.casework.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="2026-11-18",
        source="JOBRAADGIVER",
        reasons=reasons,
        display_label="Marie-Louise Kristensen Andersen [b]",
        birth_year=2010,
        birth_month=3,
        area="VOLLSMOSE",
    )
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, "Marie-Louise")
        shown_in = screen.query_one("#case-panel", Static)
        case = plain(shown_in, width=shown_in.content_size.width).splitlines()  # as wide as on screen
        at = next(i for i, line in enumerate(case) if line.startswith("Årsager "))
        indent = case[at].index(case[at].split()[1])  # where the values start
        wrapped = [case[at]] + [line for line in case[at + 1 :] if line.strip()]
        assert len(wrapped) > 1  # too long for one line at 80 columns: wrapped, not cut
        assert all(line[:indent].strip() == "" for line in wrapped[1:])  # under the value, beside the names
        shown = " ".join(line[indent:].strip() for line in wrapped)
        for code in reasons:
            assert ReferralReason(code).label("da") in shown
        person = panel(screen, "person-panel")
        assert "Marie-Louise" in person
        assert "[b]" in person  # a label is shown as typed, never read as markup


async def test_the_case_screen_is_composed_before_the_first_enter(seeded_app: MentorApp) -> None:
    # composed once the start-up work is done, filled with the case under the cursor, not shown;
    # the first Enter fills it with the case chosen (issue 12: composing it made the first
    # opening the slowest). Relies on Textual's private App._get_screen (screens/main.py).
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(40):  # in the user's first pause (app.PREPARE_IDLE)
            if seeded_app.is_screen_installed(CASE_SCREEN):
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert isinstance(seeded_app.screen, MainScreen)
        assert seeded_app.is_screen_installed(CASE_SCREEN)
        kept = seeded_app.get_screen(CASE_SCREEN)
        assert isinstance(kept, CaseDetailScreen)
        assert kept.is_running
        assert kept.query(TimelineBody)  # composed: the first opening does not compose it
        assert kept.case_id == seeded_app.screen.table.current_case_id
        screen = await open_case(pilot, "Emil S")
        assert screen is kept
        assert screen.detail.person.display_label == "Emil S"
        assert timeline_rows(screen)[0].startswith("30-10-2026")
        assert screen.timeline.cursor_row == 0
        assert screen.timeline.has_focus
        assert "Emil S" in screen_text(seeded_app)
        assert "reopen_case" in footer_actions(seeded_app)


async def test_a_theme_changed_while_the_case_screen_was_hidden_shows_when_it_is_opened(
    seeded_app: MentorApp,
) -> None:
    # the kept case screen skips Textual's restyle on coming back when nothing changed (issue 12);
    # a new theme is a change: the screen must come back in it, not in the old one
    async with seeded_app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, "Amal K")
        await pilot.press("escape")
        await pilot.press("ctrl+u", "escape")
        again = await open_case(pilot, "Amal K")  # comes back unchanged: no restyle needed
        assert again is screen
        dark = screen.styles.background
        await pilot.press("escape")
        await pilot.press("ctrl+u", "escape")
        seeded_app.theme = "textual-light"
        await pilot.pause()
        again = await open_case(pilot, "Amal K")
        assert again is screen
        assert screen.styles.background != dark
        assert screen.styles.background == Color.parse(seeded_app.current_theme.background or "")


async def test_the_case_screen_comes_back_looking_as_a_full_restyle_would_make_it(
    seeded_app: MentorApp,
) -> None:
    # the kept screen skips Textual's restyle when nothing changed (issue 12): what it shows must
    # be what the restyle would have shown, on the first opening (composed ahead) and later ones
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(40):  # composed ahead in the user's first pause
            if seeded_app.is_screen_installed(CASE_SCREEN):
                break
            await pilot.pause(0.05)
        for label in ("Amal K", "Bo T"):
            screen = await open_case(pilot, label)
            await pilot.press("down")
            await pilot.pause()
            shown = seeded_app.export_screenshot()
            screen.update_node_styles(animate=False)
            screen.refresh()
            await pilot.pause()
            assert seeded_app.export_screenshot() == shown
            await pilot.press("escape")
            await pilot.press("ctrl+u", "escape")

"""The case list (home screen): filter as you type, quick filters, sorting, opening cases (issue 3)."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from mentor_tui.app import MentorApp
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.dashboard import DashboardScreen
from mentor_tui.screens.export import ExportScreen
from mentor_tui.screens.followups import FollowupsScreen
from mentor_tui.screens.main import MainScreen
from mentor_tui.screens.referral_form import NewReferralScreen
from mentor_tui.storage.case_list import CaseListQuery, CaseListReader, CaseRow
from mentor_tui.widgets.case_table import PAGE
from tests.functional.shell_support import footer_actions, home, labels, plain, press, settle, type_text

SIZE = (100, 30)
NEWEST_FIRST = ["Dana R", "Amal K", "Emil S", "Bo T", "Cem D", "Fatima H"]


async def test_home_lists_every_case_newest_referral_first(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(seeded_app.screen, MainScreen)
        assert await labels(pilot) == NEWEST_FIRST
        assert home(seeded_app).table.border_title == "6 af 6 forløb · 2 forfaldne"
        assert home(seeded_app).table.row_count == 6


async def test_filter_as_you_type_narrows_the_list_by_label(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "a")
        assert await labels(pilot) == ["Dana R", "Amal K", "Fatima H"]
        await type_text(pilot, "m")
        assert await labels(pilot) == ["Amal K"]
        await press(pilot, "backspace", "backspace")
        assert await labels(pilot) == NEWEST_FIRST


async def test_letters_typed_in_the_search_field_are_text_not_commands(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "nsu")
        screen = home(seeded_app)
        assert screen.filter_input.value == "nsu"
        assert seeded_app.screen is screen  # no referral form, no follow-ups view
        assert screen.status is None
        assert "new_referral" not in footer_actions(seeded_app)
        assert "leave_filter" in footer_actions(seeded_app)


async def test_escape_leaves_the_search_field_and_the_letter_keys_work_again(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Bo")
        await pilot.press("escape")
        assert seeded_app.focused is home(seeded_app).table
        assert await labels(pilot) == ["Bo T"]  # the search stays
        await pilot.press("s")
        assert home(seeded_app).status is not None
        assert "new_referral" in footer_actions(seeded_app)


async def test_up_from_the_top_row_goes_to_the_search_field(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "up")
        assert home(seeded_app).table.has_focus
        await pilot.press("up")
        assert home(seeded_app).filter_input.has_focus
        await type_text(pilot, "Cem")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(seeded_app.screen, CaseDetailScreen)
        assert seeded_app.screen.detail.person.display_label == "Cem D"


async def test_status_filter_cycles_referred_active_closed_all(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = home(seeded_app).query_one("#filter-bar", Static)
        await pilot.press("s")
        assert await labels(pilot) == ["Dana R"]
        assert "Status: Henvist" in plain(bar)
        await pilot.press("s")
        assert await labels(pilot) == ["Amal K", "Bo T", "Cem D", "Fatima H"]
        await pilot.press("s")
        assert await labels(pilot) == ["Emil S"]
        await pilot.press("s")
        assert await labels(pilot) == NEWEST_FIRST
        assert "Status: alle" in plain(bar)


async def test_activity_filter_cycles_through_the_case_activities(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")  # A1: nobody in the seeded caseload
        assert await labels(pilot) == []
        assert home(seeded_app).table.border_title == "0 af 6 forløb"
        await pilot.press("a")
        assert await labels(pilot) == ["Fatima H"]  # A2
        await pilot.press("a")
        assert await labels(pilot) == ["Cem D"]  # A3


async def test_area_filter_cycles_through_the_areas(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert await labels(pilot) == ["Amal K"]  # Vollsmose
        await pilot.press("o")
        assert await labels(pilot) == ["Bo T"]  # Korsløkken


async def test_due_filter_shows_overdue_and_this_weeks_follow_ups(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert await labels(pilot) == ["Amal K", "Bo T", "Cem D"]
        await pilot.press("f")
        assert await labels(pilot) == NEWEST_FIRST


async def test_filters_combine_and_x_clears_them_all(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "s", "f")  # active, due
        assert await labels(pilot) == ["Amal K", "Bo T", "Cem D"]
        await pilot.press("slash")
        await type_text(pilot, "c")
        assert await labels(pilot) == ["Cem D"]
        await pilot.press("escape", "x")
        assert await labels(pilot) == NEWEST_FIRST
        assert home(seeded_app).filter_input.value == ""


async def test_overdue_rows_are_marked_with_a_character_as_well_as_colour(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(seeded_app).table
        followups = {
            table.cell_text(row, "label"): table.cell_text(row, "next_followup")
            for row in range(table.row_count)
        }
        assert followups["Amal K"] == "! 13-11-2026 uge 46"
        assert followups["Cem D"] == "! 19-11-2026 uge 47"
        assert followups["Bo T"] == "› 22-11-2026 uge 47"
        assert followups["Fatima H"] == "  15-12-2026 uge 51"
        assert followups["Emil S"] == ""  # closed: no follow-up


async def test_narrow_terminal_shows_activity_codes_and_still_the_weeks(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = home(seeded_app).table
        assert [table.cell_text(0, "label"), table.cell_text(0, "activity")] == ["Dana R", "A8"]
        amal = next(i for i in range(table.row_count) if table.cell_text(i, "label") == "Amal K")
        assert table.cell_text(amal, "next_followup") == "! 13-11-2026 uge 46"


async def test_sort_key_cycles_columns_and_v_reverses(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")  # person
        assert await labels(pilot) == ["Amal K", "Bo T", "Cem D", "Dana R", "Emil S", "Fatima H"]
        await pilot.press("v")
        assert await labels(pilot) == ["Fatima H", "Emil S", "Dana R", "Cem D", "Bo T", "Amal K"]
        await pilot.press("r", "r", "r", "r", "r")  # activity, area, status, last meeting, next follow-up
        assert home(seeded_app).sort == "next_followup"
        # soonest first; cases without a follow-up go last
        assert await labels(pilot) == ["Amal K", "Cem D", "Bo T", "Fatima H", "Dana R", "Emil S"]
        assert home(seeded_app).table.header_text("next_followup").endswith("▲")
        await pilot.press("r")
        assert home(seeded_app).sort is None
        assert await labels(pilot) == NEWEST_FIRST


async def test_sort_by_status_and_last_meeting(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "r", "r", "r")  # status
        assert (await labels(pilot))[0] == "Dana R"  # Henvist first
        assert (await labels(pilot))[-1] == "Emil S"  # Afsluttet last
        await pilot.press("r", "v")  # last meeting, newest first
        assert (await labels(pilot))[:2] == ["Bo T", "Amal K"]
        assert (await labels(pilot))[-1] == "Dana R"  # never met: last


async def test_clicking_a_header_sorts_by_it(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(seeded_app).table
        await pilot.click(table, offset=(3, 1))  # the "Person" header
        assert (await labels(pilot))[0] == "Amal K"
        await pilot.click(table, offset=(3, 1))
        assert (await labels(pilot))[0] == "Fatima H"


async def test_clicking_a_row_puts_the_cursor_on_it_and_a_second_click_opens_the_case(
    seeded_app: MentorApp,
) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(seeded_app).table
        await pilot.click(table, offset=(3, 4))  # border, header, Dana R, Amal K, Emil S
        assert table.current_case_id == table.rows_shown[2].id
        assert isinstance(seeded_app.screen, MainScreen)
        await pilot.click(table, offset=(3, 4))
        await pilot.pause()
        screen = seeded_app.screen
        assert isinstance(screen, CaseDetailScreen)
        assert screen.detail.person.display_label == "Emil S"


class _SlowCounts:
    """Holds back the list's counting (a slow count, as seen from the UI)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        original = CaseListReader.counts

        def counts(reader: CaseListReader, *args: object, **kwargs: object) -> object:
            self.open.wait(10)
            return original(reader, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(CaseListReader, "counts", counts)


async def test_the_rows_follow_each_key_and_filter_before_the_count_is_done(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        slow = _SlowCounts(monkeypatch)
        screen = home(seeded_app)
        table = screen.table
        await pilot.press("slash", "a", "m")  # no waiting for workers: the rows are there
        assert [r.display_label for r in table.rows_shown] == ["Amal K"]
        assert not screen.list_pending
        assert table.border_title == "6 af 6 forløb · 2 forfaldne"  # still counting "am"
        await pilot.press("escape", "s")  # status: referred
        assert [r.display_label for r in table.rows_shown] == []
        await pilot.press("x", "f")  # no search, follow-ups due
        assert {r.display_label for r in table.rows_shown} == {"Amal K", "Cem D", "Bo T"}
        slow.open.set()
        await settle(pilot)
        assert table.border_title == "3 af 6 forløb · 2 forfaldne"
        assert await labels(pilot) == [r.display_label for r in table.rows_shown]


async def test_enter_opens_the_case_under_the_cursor(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = seeded_app.screen
        assert isinstance(screen, CaseDetailScreen)
        assert screen.detail.person.display_label == "Amal K"


async def test_list_shows_changes_when_coming_back_from_a_case(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(seeded_app.screen, CaseDetailScreen)
        seeded_app.casework.register_referral(
            activity="A9_BESKAEFTIGELSESRAADGIVNING",
            received_date="2026-11-19",
            source="JOBRAADGIVER",
            display_label="Gina P",
            birth_year=1995,
            birth_month=3,
            area="RISING",
        )
        await pilot.press("escape")
        await pilot.pause()
        assert (await labels(pilot))[:2] == ["Gina P", "Dana R"]
        assert seeded_app.focused is home(seeded_app).table


async def test_n_opens_the_referral_form_and_a_saved_referral_opens_the_new_case(
    seeded_app: MentorApp,
) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = seeded_app.screen
        assert isinstance(form, NewReferralScreen)
        # what the form does when it has saved: dismiss with the new case's id
        case = seeded_app.casework.register_referral(
            activity="A9_BESKAEFTIGELSESRAADGIVNING",
            received_date="2026-11-19",
            source="JOBRAADGIVER",
            display_label="Gina P",
            birth_year=1995,
            birth_month=3,
            area="RISING",
        )
        form.dismiss(case.id)
        await pilot.pause()
        detail = seeded_app.screen
        assert isinstance(detail, CaseDetailScreen)
        assert detail.case_id == case.id
        await pilot.press("escape")
        await pilot.pause()
        assert "Gina P" in await labels(pilot)


async def test_cancelled_referral_returns_to_the_list(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(seeded_app.screen, NewReferralScreen)
        seeded_app.screen.dismiss(None)
        await pilot.pause()
        assert isinstance(seeded_app.screen, MainScreen)
        assert seeded_app.repos.cases.count() == 6


async def test_u_opens_the_follow_ups_view(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(seeded_app.screen, FollowupsScreen)


async def test_d_and_e_open_the_dashboard_and_the_export_screen(seeded_app: MentorApp) -> None:
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(seeded_app.screen, DashboardScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(seeded_app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(seeded_app.screen, MainScreen)


async def test_empty_database_shows_an_empty_list(app: MentorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await labels(pilot) == []
        assert home(app).table.border_title == "0 af 0 forløb"
        await press(pilot, "enter")  # nothing to open
        assert isinstance(app.screen, MainScreen)


async def test_a_long_list_scrolls_to_its_last_row(app: MentorApp) -> None:
    """Every case is reachable: the table fetches rows page by page as the cursor moves."""
    many = 2 * PAGE + 5
    for i in range(many):
        app.casework.register_referral(
            activity="A8_MENTOR_JOBPARAT",
            received_date="2026-11-02",
            source="JOBRAADGIVER",
            display_label=f"Test {i:03d}",
            birth_year=1990,
            birth_month=1,
            area="VOLLSMOSE",
        )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(app).table
        assert table.border_title == f"{many} af {many} forløb"
        assert table.row_count == many
        await press(pilot, "r")  # by person: Test 000 first
        await press(pilot, "end")
        assert table.cursor_row == many - 1
        assert table.current_case_id is not None
        assert table.cell_text(table.cursor_row, "label") == f"Test {many - 1:03d}"
        await press(pilot, "pageup", "up")
        assert table.cell_text(table.cursor_row, "label") < f"Test {many - 1:03d}"
        await press(pilot, "v")  # descending: the last ones come first, the cursor stays on its case
        assert table.cell_text(0, "label") == f"Test {many - 1:03d}"
        await press(pilot, "slash")
        await type_text(pilot, "Test 20")
        assert await labels(pilot) == [f"Test {i:03d}" for i in range(many - 1, PAGE * 2 - 1, -1)]


class _Reads:
    """Counts the list's reads and can hold them back (a slow disk, as seen from the UI)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.first_pages = 0
        self.open = threading.Event()
        self.open.set()
        original = CaseListReader.first_page

        def first_page(reader: CaseListReader, query: CaseListQuery, limit: int) -> list[CaseRow]:
            self.first_pages += 1
            self.open.wait(10)
            return original(reader, query, limit)

        original_within = CaseListReader.first_page_within

        def first_page_within(
            reader: CaseListReader, query: CaseListQuery, limit: int, seconds: float
        ) -> list[CaseRow] | None:
            if not self.open.is_set():
                return None  # held back: over the UI thread's budget, so a worker reads it
            return original_within(reader, query, limit, seconds)

        monkeypatch.setattr(CaseListReader, "first_page", first_page)
        monkeypatch.setattr(CaseListReader, "first_page_within", first_page_within)


async def test_the_list_is_read_once_at_start_and_not_again_after_only_looking(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _Reads(monkeypatch)
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reads.first_pages == 1
        await press(pilot, "down", "enter")
        assert isinstance(seeded_app.screen, CaseDetailScreen)
        await press(pilot, "escape")
        assert isinstance(seeded_app.screen, MainScreen)
        assert reads.first_pages == 1
        assert home(seeded_app).table.cursor_row == 1  # still on Amal K
        assert (await labels(pilot))[1] == "Amal K"


async def test_a_saved_meeting_shows_in_its_row_at_once_when_coming_back(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _Reads(monkeypatch)
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(seeded_app).table
        await press(pilot, "down", "enter")  # Amal K
        detail = seeded_app.screen
        assert isinstance(detail, CaseDetailScreen)
        seeded_app.casework.add_meeting(detail.case_id, meeting_type="SAMTALE", date="2026-11-20")
        detail.reload()
        reads.open.clear()  # the list's reread is held back: what shows comes from the one-row refresh
        await pilot.press("escape")
        await pilot.pause()
        assert home(seeded_app).list_pending
        assert table.cell_text(1, "label") == "Amal K"
        assert table.cell_text(1, "last_meeting") == "20-11-2026"
        assert table.cursor_row == 1
        reads.open.set()
        await settle(pilot)
        assert not home(seeded_app).list_pending
        assert table.cell_text(1, "last_meeting") == "20-11-2026"
        assert table.current_case_id == detail.case_id


async def test_enter_typed_ahead_of_the_list_opens_the_case_the_search_finds(
    seeded_app: MentorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _Reads(monkeypatch)
    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        reads.open.clear()  # the search is slow to answer ...
        await pilot.press("C", "e", "m", "enter", "enter")  # ... and the user types ahead
        assert isinstance(seeded_app.screen, MainScreen)
        reads.open.set()
        await settle(pilot)
        screen = seeded_app.screen
        assert isinstance(screen, CaseDetailScreen)
        assert screen.detail.person.display_label == "Cem D"


async def test_the_table_holds_only_a_window_of_a_long_list(app: MentorApp) -> None:
    many = 3 * PAGE
    with app.casework.repos.atomic():
        for i in range(many):
            app.casework.register_referral(
                activity="A8_MENTOR_JOBPARAT",
                received_date="2026-11-02",
                source="JOBRAADGIVER",
                display_label=f"Vindue {i:03d}",
                birth_year=1990,
                birth_month=1,
                area="VOLLSMOSE",
            )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = home(app).table
        assert table.row_count == many
        assert len(table.rows_shown) == PAGE  # the first page only, not every case
        await press(pilot, "r", "end")
        assert table.cell_text(table.cursor_row, "label") == f"Vindue {many - 1:03d}"
        assert len(table.rows_shown) <= PAGE
        assert table.rows_shown[-1].display_label == f"Vindue {many - 1:03d}"


async def test_the_footer_follows_the_keys_that_apply_and_keeps_its_keys_when_nothing_changed(
    seeded_app: MentorApp,
) -> None:
    def footer() -> dict[str, FooterKey]:
        return {key.action: key for key in seeded_app.screen.query(FooterKey)}

    async with seeded_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        on_list = footer()
        assert "new_referral" in on_list
        await press(pilot, "down", "enter")  # Amal K: the case's own keys
        assert isinstance(seeded_app.screen, CaseDetailScreen)
        assert "add_meeting" in footer()
        assert "new_referral" not in footer()
        await press(pilot, "escape")
        assert footer() == on_list  # the same keys: nothing changed, nothing composed again
        await press(pilot, "slash")  # in the search field the letter keys are text
        assert "new_referral" not in footer()
        assert "leave_filter" in footer()
        await press(pilot, "escape")
        assert set(footer()) == set(on_list)


async def test_at_80_columns_the_filter_line_breaks_between_keys_never_inside_one(
    seeded_app: MentorApp,
) -> None:
    """Each key stays beside what it does (``r/v`` beside ``Sortér``), however the line wraps."""
    from textual.geometry import Region

    def shown(bar: Static) -> list[str]:
        strips = bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))
        return [strip.text.strip() for strip in strips if strip.text.strip()]

    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = home(seeded_app).query_one("#filter-bar", Static)
        for keys, groups in (
            ((), ["s Status: alle", "f Opfølgning: alle", "r/v Sortér: nyeste ▲"]),
            (
                ("s", "f"),
                ["s Status: Henvist", "f Opfølgning: forfaldne + denne uge", "r/v Sortér: nyeste ▲"],
            ),
        ):
            await press(pilot, *keys)
            lines = shown(bar)
            assert len(lines) == 2
            for group in groups:
                assert any(group in line for line in lines), (group, lines)

"""Home screen: the case list with filter-as-you-type, quick filters and sorting."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Input, Static

from mentor_tui.codes import CASE_ACTIVITIES, Activity, Area, CaseStatus, Code
from mentor_tui.config import Settings
from mentor_tui.dates import format_date, week_label
from mentor_tui.i18n import Catalog, lang
from mentor_tui.keys import key_label
from mentor_tui.storage.case_list import CaseListCounts, CaseListQuery, CaseListReader, CaseRow
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.case_table import PAGE, SORT_COLUMNS, CaseTable, SortColumn
from mentor_tui.widgets.case_table import T as TABLE_T
from mentor_tui.widgets.groups import Groups
from mentor_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from mentor_tui.services.casework.service import CaseworkService
    from mentor_tui.storage.connections import HasConnection

T = Catalog(
    {
        "title": ("Forløb", "Cases"),
        "placeholder": ("Søg på person (tryk / for at søge)", "Search by person (press / to search)"),
        "all": ("alle", "all"),
        "due-only": ("forfaldne + denne uge", "overdue + this week"),
        "mine": ("mine", "mine"),
        "whose": ("Hvis", "Whose"),
        "newest": ("nyeste", "newest"),
        "sort": ("Sortér", "Sort"),
        "follow": ("Opfølgning", "Follow-up"),
        "count": ("{shown} af {total} forløb", "{shown} of {total} cases"),
        "overdue": ("{n} forfaldne", "{n} overdue"),
        "legend": ("! forfalden  › denne uge", "! overdue  › this week"),
        "today": ("I dag {date}, {week}", "Today {date}, {week}"),
    }
)

C = TypeVar("C", bound=Code)

SHOW_AT_ONCE = 0.008
"""Seconds the first page of a search or filter may take on the UI thread before a worker reads
it instead (the index answers in 0.2-3 ms at 50,000 cases; a frame is 16.7 ms)."""


class CaseListHome(Protocol):
    """What the case list needs from the app: the file to read and today's date to show it, and
    the casework service (built on first use, after the list is shown: issue 12)."""

    @property
    def casework(self) -> CaseworkService:
        """The casework service (opening a case, the forms, "mine")."""
        ...

    @property
    def database(self) -> HasConnection:
        """The open file (the calling thread's connection)."""
        ...

    def today(self) -> dt.date:
        """Today (follow-ups are due by it)."""
        ...


_TYPING_HIDDEN = frozenset(
    {
        "new_referral",
        "cycle_status",
        "cycle_activity",
        "cycle_area",
        "toggle_due",
        "toggle_mine",
        "cycle_sort",
        "reverse_sort",
        "clear_filters",
        "followups",
        "dashboard",
        "export",
        "focus_filter",
    }
)
"""Actions bound to plain letters: while the search field has focus those letters are typed."""


def _due_by(today: dt.date) -> dt.date:
    """The follow-up quick filter's limit (:func:`mentor_tui.services.casework.rules.due_by`),
    imported on first use: the rules are not needed to show the list (issue 12: start-up)."""
    from mentor_tui.services.casework.rules import due_by

    return due_by(today)


def _cycle(current: C | None, options: Iterable[C]) -> C | None:
    """Return the option after ``current``; after the last one comes ``None`` (all)."""
    values: list[C | None] = [None, *options]
    return values[(values.index(current) + 1) % len(values)]


def open_new_referral(app: App[Any], casework: CaseworkService) -> None:
    """Push the new-referral form; after a saved referral open the new case.

    Args:
        app: The running app.
        casework: The casework service the form saves through.
    """

    from mentor_tui.screens.referral_form import NewReferralScreen

    def opened(case_id: str | None) -> None:
        if case_id:
            open_case(app, casework, case_id)

    app.push_screen(NewReferralScreen(casework), opened)


CASE_SCREEN = "case-detail"
"""The name the case screen is installed under: it is composed once and filled with each case
opened (composing it took longer than the whole target for opening a case, issue 12)."""


def open_case(app: App[Any], casework: CaseworkService, case_id: str) -> None:
    """Push the case detail of ``case_id`` (the one case screen, filled with this case)."""
    from mentor_tui.screens.case_detail import CaseDetailScreen

    if app.is_screen_installed(CASE_SCREEN):
        kept = app.get_screen(CASE_SCREEN)
        if isinstance(kept, CaseDetailScreen) and kept in app.screen_stack:
            app.push_screen(CaseDetailScreen(casework, case_id))  # already open below: a new one
            return
        if isinstance(kept, CaseDetailScreen) and kept.casework is casework:
            kept.show_case(case_id)
            app.push_screen(kept)
            return
        app.uninstall_screen(CASE_SCREEN)
    screen = CaseDetailScreen(casework, case_id)
    app.install_screen(screen, CASE_SCREEN)
    app.push_screen(screen)


def prepare_case_screen(app: App[Any], casework: CaseworkService, case_id: str) -> bool:
    """Compose the kept case screen ahead, filled with ``case_id``, without showing it; return
    whether it was composed now (not when a case screen is already kept).

    Textual composes a screen when it is first pushed: the first case opened took 10-15 ms
    longer than every later one, the slowest opening of a session (issue 12). The app calls
    this once the start-up work is done, before anyone can press Enter on a case.

    ``App._get_screen`` is Textual's private method behind ``push_screen`` that starts (composes
    and mounts) an installed screen; Textual is pinned exactly, and
    ``tests/functional/test_case_detail.py::test_the_case_screen_is_composed_before_the_first_enter``
    fails if this stops composing the screen.
    """
    from mentor_tui.screens.case_detail import CaseDetailScreen

    if app.is_screen_installed(CASE_SCREEN):
        return False
    screen = CaseDetailScreen(casework, case_id)
    app.install_screen(screen, CASE_SCREEN)
    app._get_screen(CASE_SCREEN)
    return True


def open_followups(app: App[Any], casework: CaseworkService) -> None:
    """Push the follow-ups view."""
    from mentor_tui.screens.followups import FollowupsScreen

    app.push_screen(FollowupsScreen(casework))


def open_dashboard(app: App[Any], casework: CaseworkService, settings: Settings) -> None:
    """Push the dashboard (issue 4)."""
    from mentor_tui.screens.dashboard import DashboardScreen

    app.push_screen(DashboardScreen(casework.repos, settings))


def open_export(app: App[Any], casework: CaseworkService, settings: Settings) -> None:
    """Push the export screen (issue 4)."""
    from mentor_tui.screens.export import ExportScreen

    app.push_screen(ExportScreen(casework.repos, settings))


class MainScreen(MentorScreen[None]):
    """The case list: filter as you type, quick filters, sort; Enter opens the case."""

    HELP_TOPIC: ClassVar[str] = "case-list"
    """Which F1 help text belongs to this screen."""
    AUTO_FOCUS = "CaseTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("n", "new_referral", id="new-referral"),
        binding("slash", "focus_filter", id="focus-filter"),
        binding("s", "cycle_status", id="filter-status", show=False),
        binding("a", "cycle_activity", id="filter-activity", show=False),
        binding("o", "cycle_area", id="filter-area", show=False),
        binding("f", "toggle_due", id="filter-due", show=False),
        binding("m", "toggle_mine", id="filter-mine", show=False),
        binding("r", "cycle_sort", id="sort-column", show=False),
        binding("v", "reverse_sort", id="sort-reverse", show=False),
        binding("x", "clear_filters", id="clear-filters", show=False),
        binding("u", "followups", id="followups"),
        # shown in the key list (?) and the palette; the footer has no room for them at 80 columns
        binding("d", "dashboard", id="open-dashboard", show=False),
        binding("e", "export", id="open-export", show=False),
        binding("escape", "leave_filter", id="leave-filter"),
        binding("down", "leave_filter", id="leave-filter-down", show=False),
    ]

    def __init__(self, home: CaseListHome, settings: Settings | None = None) -> None:
        super().__init__()
        self._home = home
        self.settings = settings or Settings()
        """The app's settings (the dashboard and export screens need them)."""
        self.status: CaseStatus | None = None
        """Quick filter: only this status."""
        self.activity: Activity | None = None
        """Quick filter: only this activity."""
        self.area: Area | None = None
        """Quick filter: only this area."""
        self.due_only = False
        """Quick filter: only follow-ups overdue or due this week."""
        self.mine_only = False
        """Quick filter: only cases whose caseworker is this laptop's user ("mine")."""
        self.sort: SortColumn | None = None
        """The column sorted by (``None``: newest referral first)."""
        self.descending = False
        """Sort the other way round."""
        self.counts: CaseListCounts | None = None
        """How many cases match (and are overdue, and exist at all), once counted."""
        self.list_pending = False
        """From a change of search, filter or sort until the list shows the new rows."""
        self._generation = 0
        self._query = CaseListQuery()
        self._reader: CaseListReader | None = None
        self._loaded_stamp: tuple[int, int] | None = None
        self._loaded_today = dt.date.min
        self._opened_case: str | None = None
        self._open_when_listed = False
        self._key_display: dict[str, str] = {}
        self._settled = False
        self._shown_bar: Text | None = None
        self._shown_title: str | None = None

    @property
    def casework(self) -> CaseworkService:
        """The casework service (built on first use; showing the list does not need it)."""
        return self._home.casework

    class ListLoaded(Message):
        """A worker read the first rows of a query."""

        def __init__(self, generation: int, rows: Sequence[CaseRow]) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows

    class ListSettled(Message):
        """The list shows its first rows and counts (posted once): the app starts its start-up
        work now, so it never delays the first screen (issue 12)."""

    class ListCounted(Message):
        """A worker counted the rows of a query (and found the row to put the cursor on)."""

        def __init__(self, generation: int, counts: CaseListCounts, cursor: int | None) -> None:
            super().__init__()
            self.generation = generation
            self.counts = counts
            self.cursor = cursor

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-bar"):
            yield Input(placeholder=T("placeholder"), id="case-filter")
            yield Static(id="today")
        yield Static(id="filter-bar")
        yield CaseTable(id="case-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the list (once: coming back to the screen reloads only what changed)."""
        self.title = T("title")
        today = self._home.today()
        self.query_one("#today", Static).update(
            T("today", date=format_date(today, lang()), week=week_label(today, lang()))
        )
        self._reader = CaseListReader(self._home.database)
        self._show_filters()
        # called as the key changes the text, so the new rows go out in the key's own frame
        # (``Input.Changed`` arrives after that frame, and the next one is up to 33 ms away)
        self.watch(self.filter_input, "value", self._search_typed, init=False)
        self.reload()

    def on_screen_resume(self) -> None:
        """Show what changed while another screen was on top: the case that was open at once, then
        the whole list again in the background (its order and counts may have changed too).

        Nothing is read when nothing was written (going back after only looking at a case).
        """
        reader = self._reader
        opened, self._opened_case = self._opened_case, None
        if not self.is_mounted or reader is None or self._loaded_stamp is None:
            return
        if reader.change_stamp() == self._loaded_stamp and self._home.today() == self._loaded_today:
            return
        if opened is not None:
            row = reader.row(opened)
            if row is not None:
                self.table.replace_row(row)
        self.reload(keep=opened)

    # -- typed accessors -------------------------------------------------------------------------

    @property
    def table(self) -> CaseTable:
        """The case table."""
        return self.query_one(CaseTable)

    @property
    def filter_input(self) -> Input:
        """The search field."""
        return self.query_one("#case-filter", Input)

    # -- loading ---------------------------------------------------------------------------------

    def _rank(self) -> tuple[str, ...]:
        """The order of the values of a status, activity or area sort (areas by their label)."""
        if self.sort == "status":
            return tuple(s.value for s in CaseStatus)
        if self.sort == "activity":
            return tuple(a.value for a in Activity)
        if self.sort == "area":
            language = lang()
            return tuple(a.value for a in sorted(Area, key=lambda a: a.label(language).casefold()))
        return ()

    def current_query(self) -> CaseListQuery:
        """The query of the search text, quick filters and sort as they are now."""
        today = self._home.today()
        return CaseListQuery(
            status=self.status.value if self.status else None,
            activity=self.activity.value if self.activity else None,
            area=self.area.value if self.area else None,
            due_by=_due_by(today) if self.due_only else None,
            text=self.filter_input.value,
            sort=self.sort,
            descending=self.descending,
            rank=self._rank(),
            staff_id=self._my_staff_id() if self.mine_only else None,
        )

    def prepare_case(self) -> None:
        """Compose the case screen ahead, with the case under the cursor (:func:`prepare_case_screen`)."""
        case_id = self.table.current_case_id if self.is_mounted else None
        if case_id is not None:
            prepare_case_screen(self.app, self.casework, case_id)

    def reload(self, keep: str | None = None) -> None:
        """Show the cases of the current search, filters and sort.

        The first rows are read at once when the index answers within :data:`SHOW_AT_ONCE`
        seconds, so the list changes in the same frame as the key that asked for it (issue 12);
        otherwise, and for the counts, a worker thread reads them.

        Args:
            keep: Keep the cursor on this case, wherever it now is in the list (default: the
                case under the cursor, if it is among the first rows).
        """
        reader = self._reader
        if reader is None:
            return
        self._generation += 1
        self.list_pending = True
        self._show_filters()
        self._query = query = self.current_query()
        self._loaded_stamp = reader.change_stamp()
        self._loaded_today = self._home.today()
        rows = reader.first_page_within(query, PAGE, SHOW_AT_ONCE)
        if rows is None:
            self._load(self._generation, query, self._loaded_today, keep, rows)
        else:
            self._show_rows(rows)
            # count once the rows are painted: a worker started now would compete for the
            # interpreter with the frame that shows them
            self.call_after_refresh(self._load, self._generation, query, self._loaded_today, keep, rows)

    @work(thread=True, group="case-list", exclusive=True, exit_on_error=False)
    def _load(
        self,
        generation: int,
        query: CaseListQuery,
        today: dt.date,
        keep: str | None,
        rows: Sequence[CaseRow] | None,
    ) -> None:
        reader = self._reader
        if reader is None or generation != self._generation:
            return

        def superseded() -> bool:
            return generation != self._generation

        if rows is None:
            rows = reader.first_page(query, PAGE)
            self.post_message(self.ListLoaded(generation, rows))
        try:
            counts = reader.counts(query, today, cancelled=superseded)
            cursor = None
            if keep is not None and all(row.id != keep for row in rows):
                cursor = reader.index_of(query, counts, keep, cancelled=superseded)
        except sqlite3.OperationalError:
            if superseded():
                return  # interrupted: a newer query is on its way
            raise
        self.post_message(self.ListCounted(generation, counts, cursor))

    @on(ListLoaded)
    def _list_loaded(self, message: ListLoaded) -> None:
        if message.generation == self._generation:
            self._show_rows(message.rows)

    def _show_rows(self, rows: Sequence[CaseRow]) -> None:
        """Show the first rows of the current query (the count follows from the worker)."""
        query = self._query
        self.table.show(
            rows,
            self._loaded_today,
            query.sort,
            query.descending,
            count=len(rows) if len(rows) < PAGE else None,
        )
        self.list_pending = False
        if self._open_when_listed:
            self._open_when_listed = False
            self.table.action_select_cursor()

    @on(ListCounted)
    def _list_counted(self, message: ListCounted) -> None:
        if message.generation != self._generation or self._reader is None:
            return
        self.counts = message.counts
        fetch = partial(self._reader.page, self._query, message.counts)
        self.table.set_count(message.counts.matching, fetch, cursor=message.cursor)
        self._show_filters()
        if not self._settled:
            self._settled = True
            self.post_message(self.ListSettled())

    def _key(self, action: str) -> str:
        """Return how the key bound to ``action`` is shown (remapped keys included)."""
        if action not in self._key_display:
            for binding in self._bindings_by_action().get(action, []):
                self._key_display[action] = self.app.get_key_display(binding)
                break
        return self._key_display.get(action, "")

    def _bindings_by_action(self) -> dict[str, list[Binding]]:
        found: dict[str, list[Binding]] = {}
        for active in self.active_bindings.values():
            found.setdefault(active.binding.action, []).append(active.binding)
        return found

    def _show_filters(self) -> None:
        language = lang()
        colour = self.app.theme_variables.get("footer-key-foreground", "")
        key_style = f"bold {colour}" if colour.startswith("#") else "bold magenta"

        def part(action: str, name: str, value: str | None, default: str = T("all")) -> Text:
            return Text.assemble(
                (self._key(action), key_style),
                (f" {name}: ", "dim"),
                (value, "bold reverse") if value else (default, ""),
            )

        sort_text = T("newest") if self.sort is None else TABLE_T(f"col-{self.sort}")
        sort_text += " ▼" if self.descending else " ▲"
        keys = "/".join(k for k in (self._key("cycle_sort"), self._key("reverse_sort")) if k)
        bits = [
            part(
                "cycle_status",
                key_label("filter-status"),
                self.status.label(language) if self.status else None,
            ),
            part(
                "cycle_activity", key_label("filter-activity"), self.activity.short if self.activity else None
            ),
            part("cycle_area", key_label("filter-area"), self.area.label(language) if self.area else None),
            part("toggle_due", T("follow"), T("due-only") if self.due_only else None),
            Text.assemble((keys, key_style), (f" {T('sort')}: ", "dim"), sort_text),
        ]
        if self.mine_only:  # shown only when on: the bar has no room for it at 100 columns
            bits.insert(4, part("toggle_mine", T("whose"), T("mine")))
        # only what changed: each update costs a layout or a redraw of the whole table
        bar = Text("  ").join(bits)
        if bar != self._shown_bar:
            self._shown_bar = bar
            self.query_one("#filter-bar", Static).update(Groups(bits))
        counts = self.counts
        table = self.table
        if counts is not None:
            title = T("count", shown=counts.matching, total=counts.total)
            if counts.overdue:
                title += " · " + T("overdue", n=counts.overdue)
            if title != self._shown_title:
                self._shown_title = table.border_title = title
        legend = T("legend")
        if legend != table.border_subtitle:
            table.border_subtitle = legend

    # -- events ----------------------------------------------------------------------------------

    def _search_typed(self, text: str) -> None:
        """Filter as you type (a slow query runs in a worker; typing never waits for it)."""
        if text != self._query.text:
            self.reload()

    @on(Input.Submitted, "#case-filter")
    def filter_submitted(self) -> None:
        """Enter in the search field goes to the list."""
        self.table.focus()

    @on(CaseTable.Selected, "#case-table")
    def case_selected(self, event: CaseTable.Selected) -> None:
        """Enter on a row opens the case (typed ahead of the list: the case the search finds)."""
        if self.list_pending:
            self._open_when_listed = True
            return
        self._opened_case = event.case_id
        open_case(self.app, self.casework, event.case_id)

    @on(CaseTable.HeaderClicked, "#case-table")
    def header_selected(self, event: CaseTable.HeaderClicked) -> None:
        """Clicking a header sorts by it; clicking it again reverses the order."""
        if event.column == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = event.column, False
        self._sort_changed()

    def _sort_changed(self) -> None:
        self._show_filters()
        self.reload()

    def on_descendant_focus(self) -> None:
        """The letter keys apply only outside the search field: update the footer."""
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        """See :meth:`on_descendant_focus`."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the letter-key actions while the user types in the search field, and vice versa."""
        typing = isinstance(self.focused, Input)
        if action in _TYPING_HIDDEN:
            return not typing
        if action == "leave_filter":
            return typing
        return True

    # -- actions ---------------------------------------------------------------------------------

    def action_new_referral(self) -> None:
        """Register a new referral; the new case opens after saving."""
        open_new_referral(self.app, self.casework)

    def action_followups(self) -> None:
        """Open the follow-ups view."""
        open_followups(self.app, self.casework)

    def action_leave_filter(self) -> None:
        """From the search field back to the list."""
        self.table.focus()

    def action_dashboard(self) -> None:
        """Open the dashboard."""
        open_dashboard(self.app, self.casework, self.settings)

    def action_export(self) -> None:
        """Open the export screen."""
        open_export(self.app, self.casework, self.settings)

    def action_focus_filter(self) -> None:
        """Move to the search field."""
        self.filter_input.focus()

    def action_cycle_status(self) -> None:
        """Next status filter: all, referred, active, closed."""
        self.status = _cycle(self.status, CaseStatus)
        self.reload()

    def action_cycle_activity(self) -> None:
        """Next activity filter (case activities only)."""
        self.activity = _cycle(self.activity, CASE_ACTIVITIES)
        self.reload()

    def action_cycle_area(self) -> None:
        """Next area filter."""
        self.area = _cycle(self.area, Area)
        self.reload()

    def action_toggle_due(self) -> None:
        """Only follow-ups overdue or due this week, or all again."""
        self.due_only = not self.due_only
        self.reload()

    def action_toggle_mine(self) -> None:
        """Only my cases (this laptop's user is the caseworker), or everyone's again."""
        self.mine_only = not self.mine_only
        self.reload()

    def _my_staff_id(self) -> str:
        staff = self.casework.repos.local_staff()
        return staff.id if staff is not None else ""  # nobody set up yet: no case is "mine"

    def action_cycle_sort(self) -> None:
        """Sort by the next column (after the last: newest referral first)."""
        order: list[SortColumn | None] = [None, *SORT_COLUMNS]
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        self.descending = False
        self._sort_changed()

    def action_reverse_sort(self) -> None:
        """Reverse the sort order."""
        self.descending = not self.descending
        self._sort_changed()

    def action_clear_filters(self) -> None:
        """Remove the search text and every quick filter."""
        self.status = None
        self.activity = None
        self.area = None
        self.due_only = False
        self.mine_only = False
        if self.filter_input.value:
            self.filter_input.value = ""  # reloads (see _search_typed)
        else:
            self.reload()

    # -- command palette -------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the command palette."""
        yield key_command("filter-status", self.action_cycle_status)
        yield key_command("filter-activity", self.action_cycle_activity)
        yield key_command("filter-area", self.action_cycle_area)
        yield key_command("filter-due", self.action_toggle_due)
        yield key_command("filter-mine", self.action_toggle_mine)
        yield key_command("sort-column", self.action_cycle_sort)
        yield key_command("sort-reverse", self.action_reverse_sort)
        yield key_command("clear-filters", self.action_clear_filters)

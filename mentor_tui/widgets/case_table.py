"""The case list table: renders only the rows on screen, fetching them a page at a time.

It looks and answers keys like Textual's ``DataTable`` (same component classes, colours and
bindings), but holds no row objects of its own: the screen gives it the first page of a query
and, once counted, the number of rows and a function that fetches any other page. Each frame
builds the few visible lines straight from :class:`~mentor_tui.storage.case_list.CaseRow` tuples,
so a new search costs the same at 50 or 50,000 cases (issue 12).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mentor_tui.codes import Activity, Area, CaseStatus
from mentor_tui.dates import format_date, week_label
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.casework import rules
from mentor_tui.storage.case_list import CLOSED, CaseRow
from mentor_tui.storage.case_list import SortColumn as SortColumn
from mentor_tui.widgets.bindings import binding

T = Catalog(
    {
        "col-label": ("Person", "Person"),
        "col-activity": ("Aktivitet", "Activity"),
        "col-activity-short": ("Akt", "Act"),
        "col-area": ("Område", "Area"),
        "col-status": ("Status", "Status"),
        "col-last_meeting": ("Sidste møde", "Last meeting"),
        "col-next_followup": ("Næste opfølgning", "Next follow-up"),
    }
)

SORT_COLUMNS: tuple[SortColumn, ...] = (
    "label",
    "activity",
    "area",
    "status",
    "last_meeting",
    "next_followup",
)
"""The columns, left to right; the sort key cycles through them in this order."""

PAGE = 100
"""Rows fetched at a time when the view moves past the rows it has."""

OVERDUE_MARK = "!"
"""Marks an overdue follow-up, so it shows without colour too."""

DUE_MARK = "›"
"""Marks a follow-up due later this week."""

_MAX_LABEL = 16
_MAX_AREA = 16
_MIN_AREA = 8
_MIN_LABEL = 10
"""A long label gives up cells down to this before the week of the next follow-up goes (issue 11)."""
_MIN_ACTIVITY_NAME = 12
"""Below this the activity column shows only the short code (A7)."""

RowFetcher = Callable[[int, int], Sequence[CaseRow]]
"""``fetch(offset, limit)``: rows ``offset`` to ``offset + limit`` of the current query."""


class _FollowUpOf(NamedTuple):
    """A row's status and next follow-up as :func:`rules.follow_up` takes them."""

    status: CaseStatus | None
    next_followup_date: dt.date | None


def follow_up(row: CaseRow, today: dt.date) -> rules.FollowUp | None:
    """Return whether the case of ``row`` is overdue or due this week (the plan's rule)."""
    try:
        status: CaseStatus | None = CaseStatus(row.status)
    except ValueError:
        status = None
    when = dt.date.fromisoformat(row.next_followup_date) if row.next_followup_date else None
    return rules.follow_up(_FollowUpOf(status, when), today)  # type: ignore[arg-type]


def clip(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` terminal cells, ending in "…" when cut.

    Measured in cells, not characters: an emoji or a CJK character takes two (issue 11).
    """
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1) + "…"


def _code_label(code_type: type[Activity] | type[Area] | type[CaseStatus], value: str, language: str) -> str:
    try:
        return code_type(value).label(language)  # type: ignore[arg-type]
    except ValueError:
        return value


def _date(text: str | None, language: str) -> str:
    return format_date(dt.date.fromisoformat(text), language) if text else ""  # type: ignore[arg-type]


@dataclass(frozen=True)
class Layout:
    """Column widths for one terminal width."""

    label: int
    activity: int
    area: int
    status: int
    last_meeting: int
    next_followup: int
    activity_names: bool
    """Show the activity's name after its short code."""
    weeks: bool
    """Show the week after the next follow-up date."""


def fit_columns(
    width: int, rows: Sequence[CaseRow], headers: dict[str, str], scrollbar: bool = False
) -> Layout:
    """Return column widths that fit ``width`` cells; the activity name and week go first.

    Args:
        width: The table's content width in cells.
        rows: Rows to size the label and area columns by (the first page is enough).
        headers: Header text by column name (a column is never narrower than its header,
            unless the terminal is very narrow).
        scrollbar: Leave room for a vertical scrollbar.
    """
    language = lang()
    padding = 2 * 6 + (2 if scrollbar else 0)  # one cell each side of six columns
    avail = width - padding
    label = min(max([cell_len(r.display_label) for r in rows] + [cell_len(headers["label"])]), _MAX_LABEL)
    areas = [cell_len(_code_label(Area, r.area, language)) for r in rows]
    area_natural = min(max([*areas, cell_len(headers["area"])]), _MAX_AREA)
    status = max([cell_len(s.label(language)) for s in CaseStatus] + [cell_len(headers["status"])])
    last = max(10, cell_len(headers["last_meeting"]))
    next_short = max(2 + 10, cell_len(headers["next_followup"]))
    next_full = max(2 + 10 + 1 + cell_len(week_label(dt.date(2026, 12, 28), language)), next_short)
    fixed = label + status + last
    rest = avail - fixed - next_full - area_natural
    if rest >= _MIN_ACTIVITY_NAME:
        return Layout(label, rest, area_natural, status, last, next_full, True, True)
    activity = 3  # the short code, A10 at most
    short_of_weeks = fixed + activity + next_full + _MIN_AREA - avail
    if 0 < short_of_weeks <= label - _MIN_LABEL:  # the week matters more than a label's tail
        label -= short_of_weeks
        fixed -= short_of_weeks
    weeks = avail - fixed - activity - next_full >= _MIN_AREA
    next_w = next_full if weeks else next_short
    area = max(_MIN_AREA, min(area_natural, avail - fixed - activity - next_w))
    return Layout(label, activity, area, status, last, next_w, False, weeks)


class CaseTable(ScrollView, can_focus=True):
    """The case list: a header and one line per case, only the visible ones rendered.

    Row 0 is the first case; the cursor is a row index. Enter (or a click on the row under the
    cursor) posts :class:`CaseTable.Selected`; a click on a header posts
    :class:`CaseTable.HeaderClicked`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--cursor",
        "datatable--header",
        "datatable--header-cursor",
        "datatable--odd-row",
        "datatable--even-row",
    }
    """The same component classes as ``DataTable``, so themes style both alike."""

    DEFAULT_CSS = """
    CaseTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }

            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }

        &:dark {
            & > .datatable--even-row {
                background: $surface-darken-1 40%;
            }
        }

        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }

        & > .datatable--odd-row {

        }

        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }

        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }

        & > .datatable--header-cursor {
            background: $accent-darken-1;
            color: $foreground;
        }
    }
    """
    """``DataTable``'s own stylesheet (Textual 8.2.8), for the parts this table uses."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("enter", "select_cursor", id="open-case")]
    """Enter opens the case; the arrows, Page Up/Down, Home and End are ``ScrollView``'s bindings,
    whose actions move the cursor here (they scroll it into view)."""

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)
    """The index of the row under the cursor."""

    class Selected(Message):
        """Enter (or a click) on a case."""

        def __init__(self, table: CaseTable, case_id: str) -> None:
            super().__init__()
            self.table = table
            self.case_id = case_id
            """The id of the chosen case."""

        @property
        def control(self) -> CaseTable:
            """The table."""
            return self.table

    class HeaderClicked(Message):
        """A click on a column header."""

        def __init__(self, table: CaseTable, column: SortColumn) -> None:
            super().__init__()
            self.table = table
            self.column: SortColumn = column
            """The column clicked."""

        @property
        def control(self) -> CaseTable:
            """The table."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self._count = 0
        """Rows in the list (as far as known)."""
        self._offset = 0
        """Index of the first row in :attr:`_rows`."""
        self._rows: list[CaseRow] = []
        """A window of consecutive rows, from :attr:`_offset`."""
        self._fetch: RowFetcher | None = None
        self._today = dt.date.min
        self._sort: SortColumn | None = None
        self._descending = False
        self._layout: Layout | None = None
        self._sizing_rows: list[CaseRow] = []
        self._lines: dict[tuple[Layout, CaseRow | None, int, bool], Strip] = {}
        """Rendered lines by (layout, row, zebra stripe, cursor): a line does not depend on where
        the row is in the list, so lines stay valid from one search to the next."""
        self._styles: dict[object, Style] = {}
        self._cells_cache: dict[tuple[Layout, CaseRow], list[tuple[str, str]]] = {}
        self.generation = 0
        """Bumped whenever the table shows the rows of a new query (benchmarks wait for it)."""

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the list has (as far as counted)."""
        return self._count

    @property
    def rows_shown(self) -> list[CaseRow]:
        """The rows the table holds, in display order (all of them for a short list)."""
        if self._offset == 0:
            return list(self._rows[: self._count])
        return list(self._rows)

    @property
    def current_case_id(self) -> str | None:
        """The id of the case under the cursor, if any."""
        row = self.row_at(self.cursor_row)
        return row.id if row is not None else None

    def show(
        self,
        rows: Sequence[CaseRow],
        today: dt.date,
        sort: SortColumn | None = None,
        descending: bool = False,
        *,
        count: int | None = None,
        fetch: RowFetcher | None = None,
        cursor: int | None = None,
    ) -> None:
        """Show a new query's first rows, keeping the cursor on the same case where it is listed.

        Args:
            rows: The first rows of the query, in display order.
            today: Today's date, for marking overdue follow-ups.
            sort: The column sorted by (``None``: newest referral first), for the header arrow.
            descending: Sorted the other way round.
            count: How many rows the query has, if known (else ``len(rows)`` for now).
            fetch: Fetches other rows of the query (needs the count).
            cursor: Put the cursor on this row (default: the case it was on, else the top).
        """
        keep = self.current_case_id
        if today != self._today:
            self._forget_lines()
        self._today = today
        self._sort = sort
        self._descending = descending
        self._offset = 0
        self._rows = list(rows)
        self._sizing_rows = self._rows[:PAGE]
        self._count = len(self._rows) if count is None else count
        self._fetch = fetch
        self.generation += 1
        self._relayout()
        if cursor is None:
            cursor = next((i for i, r in enumerate(self._rows) if r.id == keep), 0)
        self._set_cursor(cursor, center=False)

    def set_count(self, count: int, fetch: RowFetcher, cursor: int | None = None) -> None:
        """Say how many rows the query has and how to fetch them (after :meth:`show`)."""
        self._count = count
        self._fetch = fetch
        if count < self._offset + len(self._rows):
            self._rows = self._rows[: max(0, count - self._offset)]
        self._relayout()
        if cursor is not None:
            self._set_cursor(cursor, center=True)
        else:
            self._set_cursor(min(self.cursor_row, max(count - 1, 0)), center=False)

    def replace_row(self, row: CaseRow) -> bool:
        """Show new values of one case's row where the table has it; return whether it had it."""
        for i, old in enumerate(self._rows):
            if old.id == row.id:
                self._rows[i] = row
                self.refresh()
                return True
        return False

    def row_at(self, index: int) -> CaseRow | None:
        """Return row ``index`` (fetching its page if needed), or ``None`` past the end."""
        if index < 0 or index >= self._count:
            return None
        if not self._offset <= index < self._offset + len(self._rows):
            if self._fetch is None:
                return None
            start = max(0, index - PAGE // 4)
            fetched = list(self._fetch(start, PAGE))
            if not self._offset <= index < self._offset + len(self._rows):
                self._offset, self._rows = start, fetched
            if not self._offset <= index < self._offset + len(self._rows):
                return None
        return self._rows[index - self._offset]

    def cell_text(self, index: int, column: SortColumn) -> str:
        """Return the text of one cell (tests and screen readers)."""
        row = self.row_at(index)
        if row is None or self._layout is None:
            return ""
        cells = self._cells(row, self._layout)
        return cells[SORT_COLUMNS.index(column)][0]

    def cell_style(self, index: int, column: SortColumn) -> str:
        """Return the style of one cell's text (``""``: the row's own), e.g. ``"bold #b93c5b"``."""
        row = self.row_at(index)
        if row is None or self._layout is None:
            return ""
        return self._cells(row, self._layout)[SORT_COLUMNS.index(column)][1]

    def header_text(self, column: str) -> str:
        """Return the header of one column as shown."""
        for name, text in self._header_cells():
            if name == column:
                return text
        return ""

    # -- layout ----------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {name: T(f"col-{name}") for name in SORT_COLUMNS}

    def _fit(self) -> Layout:
        # before the first layout the table has no size: guess from the terminal (margins, border)
        width = self.content_size.width or self.app.size.width - 4
        height = self.content_size.height or self.app.size.height - 8
        return fit_columns(width, self._sizing_rows, self._headers(), self._count > height - 1)

    def _relayout(self) -> None:
        self._layout = self._fit()
        width = sum(getattr(self._layout, name) + 2 for name in SORT_COLUMNS)
        self.virtual_size = Size(width, self._count + 1)
        self.refresh()

    def _forget_lines(self) -> None:
        """Drop every rendered line (the theme, focus, width or today changed)."""
        self._lines.clear()
        self._cells_cache.clear()
        self._styles.clear()

    def _theme_changed(self) -> None:
        self._forget_lines()
        self._relayout()

    def on_mount(self) -> None:
        """Redraw when the theme changes (overdue rows use its colours)."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._theme_changed())

    def on_resize(self) -> None:
        """Fit the columns again when the terminal size changes."""
        self._lines.clear()
        if self._layout is not None and self._layout != self._fit():
            self._relayout()

    def on_focus(self) -> None:
        """The cursor looks different with focus."""
        self._styles.clear()
        self._lines.clear()
        self.refresh()

    def on_blur(self) -> None:
        """See :meth:`on_focus`."""
        self.on_focus()

    # -- cursor and keys -------------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _set_cursor(self, index: int, *, center: bool) -> None:
        index = max(0, min(index, self._count - 1)) if self._count else 0
        self.cursor_row = index
        top = round(self.scroll_y)
        visible = self._visible_rows
        if center and not top <= index < top + visible:
            self.scroll_to(y=max(0, index - visible // 2), animate=False, immediate=True)
        elif index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + visible:
            self.scroll_to(y=index - visible + 1, animate=False, immediate=True)

    def watch_cursor_row(self) -> None:
        """Redraw the rows whose cursor state changed."""
        self.refresh()

    def action_scroll_up(self) -> None:
        """Move up; from the top row, on to the widget above (the search field)."""
        if self.cursor_row <= 0:
            self.screen.focus_previous()
        else:
            self._set_cursor(self.cursor_row - 1, center=False)

    def action_scroll_down(self) -> None:
        """Move down one row."""
        self._set_cursor(self.cursor_row + 1, center=False)

    def action_page_up(self) -> None:
        """Move up one screen."""
        self._set_cursor(self.cursor_row - self._visible_rows, center=False)

    def action_page_down(self) -> None:
        """Move down one screen."""
        self._set_cursor(self.cursor_row + self._visible_rows, center=False)

    def action_scroll_home(self) -> None:
        """To the first row."""
        self._set_cursor(0, center=False)

    def action_scroll_end(self) -> None:
        """To the last row."""
        self._set_cursor(self._count - 1, center=False)

    def action_select_cursor(self) -> None:
        """Open the case under the cursor."""
        case_id = self.current_case_id
        if case_id is not None:
            self.post_message(self.Selected(self, case_id))

    def _column_at(self, x: int) -> int | None:
        """Return the column under content offset ``x`` (scrolled), or ``None`` past the last."""
        layout = self._layout
        if layout is None:
            return None
        right = 0
        for column, name in enumerate(SORT_COLUMNS):
            right += getattr(layout, name) + 2
            if x < right:
                return column
        return None

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x + round(self.scroll_x))
            if column is not None:
                self.post_message(self.HeaderClicked(self, SORT_COLUMNS[column]))
            return
        row = round(self.scroll_y) + offset.y - 1
        if row >= self._count:
            return
        again = row == self.cursor_row
        self._set_cursor(row, center=False)
        if again:
            self.action_select_cursor()
        event.stop()

    # -- rendering -------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_styles(name).rich_style
            self._styles[name] = style
        return style

    def _line_styles(self, stripe: int, cursor: bool) -> tuple[Style, Style]:
        """The style of a line's cells and of the space after the last column.

        ``stripe`` is -1 for the header, else 0 or 1 (zebra stripes).
        """
        key = ("line", stripe, cursor)
        found = self._styles.get(key)
        extend = self._styles.get(("extend", stripe, cursor))
        if found is None or extend is None:
            if stripe == -1:
                row_style = self._style("datatable--header")
            else:
                row_style = self._style("datatable--odd-row" if stripe else "datatable--even-row")
            component = self._style("datatable--cursor") if cursor else Style()
            post = Style.from_color(color=component.color) if cursor else Style()
            found = self._styles[key] = row_style + component + post
            extend = self._styles[("extend", stripe, cursor)] = row_style + component
        return found, extend

    def _text_style(self, stripe: int, cursor: bool, text_style: str) -> Style:
        """The style of a cell's text with a style of its own (an overdue follow-up)."""
        key = ("text", stripe, cursor, text_style)
        found = self._styles.get(key)
        if found is None:
            line, _extend = self._line_styles(stripe, cursor)
            post = Style.from_color(color=self._style("datatable--cursor").color) if cursor else Style()
            found = self._styles[key] = line + Style.parse(text_style) + post
        return found

    def _header_cells(self) -> list[tuple[SortColumn, str]]:
        layout = self._layout
        if layout is None:
            return []
        headers = self._headers()
        arrow = " ▼" if self._descending else " ▲"
        cells = []
        for name in SORT_COLUMNS:
            header = headers[name]
            if name == "activity" and not layout.activity_names:
                header = T("col-activity-short")
            if name == self._sort:
                header = clip(header, getattr(layout, name) - 2) + arrow
            cells.append((name, header))
        return cells

    def _cells(self, row: CaseRow, layout: Layout) -> list[tuple[str, str]]:
        language = lang()
        state = follow_up(row, self._today)
        overdue = state is rules.FollowUp.OVERDUE
        due = state is rules.FollowUp.THIS_WEEK
        colours = self.app.theme_variables
        style = f"bold {colours.get('text-error', 'red')}" if overdue else ""
        due_style = colours.get("text-warning", "yellow") if due else ""
        try:
            activity_code = Activity(row.activity)
            activity = activity_code.short
            if layout.activity_names:
                activity = f"{activity_code.short} {activity_code.label(language)}"
        except ValueError:
            activity = row.activity
        followup = ""
        if row.next_followup_date is not None and row.status != CLOSED:
            mark = OVERDUE_MARK if overdue else DUE_MARK if due else " "
            followup = f"{mark} {_date(row.next_followup_date, language)}"
            if layout.weeks:
                followup += f" {week_label(dt.date.fromisoformat(row.next_followup_date), language)}"
        return [
            (clip(row.display_label, layout.label), style),
            (clip(activity, layout.activity), ""),
            (clip(_code_label(Area, row.area, language), layout.area), ""),
            (_code_label(CaseStatus, row.status, language), ""),
            (_date(row.last_meeting_date, language), ""),
            (followup, style or due_style),
        ]

    def _strip(self, stripe: int, cells: Sequence[tuple[str, str]], cursor: bool) -> Strip:
        """One line, styled the way ``DataTable`` styles it (so both look the same).

        ``stripe`` is -1 for the header, else 0 or 1. Cells of the same style are joined into one
        segment: a line is a few segments, not one per cell.
        """
        layout = self._layout
        assert layout is not None
        line_style, extend = self._line_styles(stripe, cursor)
        segments: list[Segment] = []
        plain: list[str] = []
        used = 0
        for column, (text, text_style) in enumerate(cells):
            width = getattr(layout, SORT_COLUMNS[column])
            content = set_cell_size(text, width) if cell_len(text) > width else text
            fill = " " * (width - cell_len(content)) + " "
            if text_style and content:
                plain.append(" ")
                segments.append(Segment("".join(plain), line_style))
                segments.append(Segment(content, self._text_style(stripe, cursor, text_style)))
                plain = [fill]
            else:
                plain.append(f" {content}{fill}")
            used += width + 2
        line_width = self.size.width
        rest = " " * max(0, line_width - used)
        if extend == line_style:
            segments.append(Segment("".join(plain) + rest, line_style))
        else:
            segments.append(Segment("".join(plain), line_style))
            segments.append(Segment(rest, extend))
        strip = Strip(segments, used + len(rest))
        return strip if used <= line_width else strip.crop(0, line_width)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, then the rows from the scroll position."""
        width = self.size.width
        layout = self._layout
        if layout is None:
            return Strip.blank(width, self.rich_style)
        if y == 0:
            return self._strip(-1, [(h, "") for _, h in self._header_cells()], False).crop(0, width)
        index = round(self.scroll_y) + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        cursor = index == self.cursor_row
        key = (layout, row, index % 2, cursor)
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 8 * PAGE:  # keep the cache small
                self._lines.clear()
                self._cells_cache.clear()
            cells = self._cells_cache.get((layout, row))
            if cells is None:
                cells = self._cells_cache[(layout, row)] = self._cells(row, layout)
            line = self._lines[key] = self._strip(index % 2, cells, cursor)
        return line

"""A case's timeline: a table of dated events that renders only the lines in view.

The case detail used to put the whole history into one Rich table in a ``Static``, so a case
with 200 meetings was measured and drawn in full before the screen showed (issue 12). This
widget sits in the same scrolling container but uses Textual's line API: its height comes from
each entry's text width (an entry wraps only when it is longer than the event column), and
Textual asks it only for the lines on screen, which it lays out cell by cell as Rich's table
does (an entry that wraps goes through Rich's own table), so it looks exactly as before. The
styled rows are built only for the entries drawn (:meth:`TimelineBody.show`).

It has a cursor (issue 9): ↑↓ (Home/End, PgUp/PgDn) choose an entry, Enter selects it; the
screen corrects or voids the entry under the cursor.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from mentor_tui.widgets.bindings import binding

DATE_WIDTH = 10
"""``dd-mm-åååå``."""

WEEK_WIDTH = 7
"""``uge 47`` / ``week 47``."""

_GAPS = 4
"""Cells between the columns (one each side of the middle column, none at the edges)."""

WINDOW = 40
"""Entries rendered at a time (a screenful or two)."""


class TimelineRow(NamedTuple):
    """One entry: its date and week as shown, and the event (styled)."""

    date: str | Text
    week: str | Text
    event: Text


RowMaker = Callable[[int], TimelineRow]
"""Builds entry ``index`` as shown (called only for the entries drawn)."""


class TimelineBody(Widget, can_focus=True):
    """The timeline table (newest first), as tall as its lines; put it in a scrolling container.

    The entry under the cursor is highlighted while the timeline has focus.
    """

    DEFAULT_CSS = """
    TimelineBody {
        height: auto;
    }
    TimelineBody:focus > .timeline--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    TimelineBody > .timeline--cursor {
        background: $block-cursor-blurred-background;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--cursor"}

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("up", "cursor(-1)", id="timeline-up", show=False),
        binding("down", "cursor(1)", id="timeline-down", show=False),
        binding("pageup", "cursor(-10)", id="timeline-page-up", show=False),
        binding("pagedown", "cursor(10)", id="timeline-page-down", show=False),
        binding("home", "cursor(-1000000)", id="timeline-first", show=False),
        binding("end", "cursor(1000000)", id="timeline-last", show=False),
        binding("enter", "select", id="timeline-select", show=False),
    ]

    class RowHighlighted(Message):
        """The cursor moved to ``row``."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class RowSelected(Message):
        """Enter on the entry ``row``."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self.cursor_row = 0
        """The entry under the cursor (0: the newest)."""
        self._events: Sequence[str] = ()
        """Each entry's event as plain text (all the layout needs)."""
        self._make_row: RowMaker | None = None
        self._rows: dict[int, TimelineRow] = {}
        """The entries built so far, by index."""
        self._headers: tuple[str, str, str] = ("", "", "")
        self._empty = Text("")
        self._width = -1
        self._starts: list[int] = []
        """The line of each entry (line 0 is the header)."""
        self._height = 1
        self._lines: dict[int, list[Strip]] = {}
        """Rendered lines by entry index."""
        self._header_line: Strip | None = None
        self._parsed_styles: dict[str, Style] = {}

    @property
    def row_count(self) -> int:
        """How many entries are shown."""
        return len(self._events)

    def show(
        self, events: Sequence[str], make_row: RowMaker, headers: tuple[str, str, str], empty: Text
    ) -> None:
        """Show the entries (newest first) under ``headers``; ``empty`` when there are none.

        ``events[i]`` is entry ``i``'s event as plain text, as wide as its styled row's event
        (the layout needs only that); ``make_row(i)`` builds the styled row, only for the
        entries drawn: building all 200 of a long history took a third of opening it (issue 12).
        """
        self._events = events
        self._make_row = make_row
        self._rows = {}
        self.cursor_row = min(self.cursor_row, max(0, len(events) - 1))
        self._headers = headers
        self._empty = empty
        self._width = -1
        self._lines.clear()
        self._header_line = None
        self.refresh(layout=True)

    def row(self, index: int) -> TimelineRow:
        """Entry ``index`` as shown (built on first use).

        Raises:
            IndexError: there is no such entry.
        """
        row = self._rows.get(index)
        if row is None:
            if not 0 <= index < len(self._events) or self._make_row is None:
                raise IndexError(index)
            row = self._rows[index] = self._make_row(index)
        return row

    def row_text(self, index: int) -> str:
        """Entry ``index`` as plain text: ``date  week  event``."""
        row = self.row(index)
        return f"{row.date}  {row.week}  {row.event.plain}"  # str() of a Text is its plain text

    # -- the cursor --------------------------------------------------------------------------------

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on entry ``row`` (kept within the entries) and scroll it into view."""
        row = max(0, min(row, len(self._events) - 1))
        if row != self.cursor_row:
            self.cursor_row = row
            self.post_message(self.RowHighlighted(row))
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)

    def action_cursor(self, step: int) -> None:
        """Move the cursor ``step`` entries (negative: newer)."""
        if self._events:
            self.move_cursor(row=self.cursor_row + step)

    def action_select(self) -> None:
        """Enter: select the entry under the cursor."""
        if self._events:
            self.post_message(self.RowSelected(self.cursor_row))

    def _scroll_to_cursor(self) -> None:
        parent = self.parent
        if not self._events or not isinstance(parent, Widget) or self.cursor_row >= len(self._starts):
            return
        start = self._starts[self.cursor_row]
        end = self._starts[self.cursor_row + 1] if self.cursor_row + 1 < len(self._starts) else self._height
        # the header line stays in view above the newest entry
        top = 0 if self.cursor_row == 0 else start
        region = Region(0, top, self.size.width, end - top).translate(self.virtual_region.offset)
        parent.scroll_to_region(region, animate=False, immediate=True)

    def text(self) -> str:
        """Every line as plain text (tests, and a screen reader's copy)."""
        width = self.size.width or 100
        self._layout(width)
        lines = [self.render_line(y).text.rstrip() for y in range(self._height)]
        return "\n".join(lines)

    # -- layout ----------------------------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the container."""
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line for the header and each entry, more for an entry that wraps."""
        self._layout(width)
        return self._height

    def _layout(self, width: int) -> None:
        if width == self._width or width <= 0:
            return
        self._width = width
        self._lines.clear()
        self._header_line = None
        event_width = max(1, width - DATE_WIDTH - WEEK_WIDTH - _GAPS)
        starts = []
        line = 1
        for index, event in enumerate(self._events):
            starts.append(line)
            if cell_len(event) <= event_width:
                line += 1
            else:  # long: lay it out as the table will
                lines = self._render_rows(index, index + 1)
                self._lines[index] = lines
                line += len(lines)
        self._starts = starts
        self._height = line

    # -- rendering -------------------------------------------------------------------------------

    def _rich_table(self, show_header: bool) -> Table:
        table = Table(
            box=None,
            expand=True,
            show_edge=False,
            pad_edge=False,
            header_style="bold",
            show_header=show_header,
        )
        date, week, event = self._headers
        table.add_column(date, no_wrap=True, width=DATE_WIDTH)
        table.add_column(week, no_wrap=True, width=WEEK_WIDTH)
        table.add_column(event, ratio=1)
        return table

    def _strips(self, renderable: Table | Text) -> list[Strip]:
        console = self.app.console
        options = self.app.console_options.update(highlight=False, width=self._width, height=None)
        base = self.rich_style
        segments = console.render(renderable, options)
        return [
            Strip([Segment(text, base + style if style else base) for text, style, _ in line])
            for line in Segment.split_and_crop_lines(
                segments, self._width, include_new_lines=False, pad=False
            )
        ]

    def _render_rows(self, start: int, end: int) -> list[Strip]:
        """Render entries ``start`` to ``end`` (exclusive); return their lines in order.

        An entry that fits on one line (nearly all) is laid out here, cell by cell, the way
        Rich's table lays it out (each cell padded to its column in its own style, two cells
        between columns); only an entry that wraps goes through a Rich table. Rendering a window
        of 40 entries as one Rich table took most of the time of opening a 200-meeting case.
        """
        event_width = max(1, self._width - DATE_WIDTH - WEEK_WIDTH - _GAPS)
        base = self.rich_style
        lines: list[Strip] = []
        for index in range(start, end):
            row = self.row(index)
            line = self._one_line(row, event_width, base)
            if line is not None:
                lines.append(line)
            else:
                table = self._rich_table(show_header=False)
                table.add_row(row.date, row.week, row.event)
                lines += self._strips(table)
        return lines

    def _one_line(self, row: TimelineRow, event_width: int, base: Style) -> Strip | None:
        """Entry ``row`` as one line, or ``None`` when a cell is wider than its column."""
        segments: list[Segment] = []
        cells = ((row.date, DATE_WIDTH), (row.week, WEEK_WIDTH), (row.event, event_width))
        for column, (value, width) in enumerate(cells):
            if column:
                segments.append(Segment("  ", base))
            if not self._cell(value, width, base, segments):
                return None
        used = DATE_WIDTH + WEEK_WIDTH + event_width + _GAPS
        if used < self._width:
            segments.append(Segment(" " * (self._width - used), base))
        return Strip(segments, max(used, self._width))

    def _cell(self, value: str | Text, width: int, base: Style, segments: list[Segment]) -> bool:
        """Add ``value`` padded to ``width`` cells to ``segments``; ``False`` when it does not fit.

        A cell in one style (nearly all: dates, weeks, most events) becomes one segment here; a
        cell with styled parts (a voided entry's reason) is rendered by Rich, as the table would.
        """
        plain = value if isinstance(value, str) else value.plain
        used = cell_len(plain)
        if "\n" in plain or used > width:
            return False
        if isinstance(value, str) or not value.spans:
            own = value.style if isinstance(value, Text) else ""
            style = base + self._style(own) if own else base
            segments.append(Segment(plain + " " * (width - used), style))
            return True
        text = value.copy()
        text.truncate(width, overflow="ellipsis", pad=True)
        if text.style:  # Rich's table gives the whole padded cell the text's own style
            text.stylize_before(text.style)
            text.style = ""
        for segment in text.render(self.app.console, end=""):
            part = segment.style
            segments.append(Segment(segment.text, base + part if part else base))
        return True

    def _style(self, style: str | Style) -> Style:
        """``style`` as a Rich style (parsed once per style name)."""
        if isinstance(style, Style):
            return style
        parsed = self._parsed_styles.get(style)
        if parsed is None:
            parsed = self._parsed_styles[style] = self.app.console.get_style(style)
        return parsed

    def _entry_lines(self, index: int) -> list[Strip]:
        lines = self._lines.get(index)
        if lines is not None:
            return lines
        if len(self._lines) > 8 * WINDOW:
            self._lines.clear()
        end = min(len(self._events), index + WINDOW)
        rendered = self._render_rows(index, end)
        at = 0
        for i in range(index, end):
            height = (self._starts[i + 1] if i + 1 < len(self._starts) else self._height) - self._starts[i]
            self._lines[i] = rendered[at : at + height]
            at += height
        return self._lines[index]

    def render_line(self, y: int) -> Strip:
        """Line ``y``: the header, then the entries (Textual asks only for the lines in view)."""
        self._layout(self.size.width)
        if y == 0:
            if self._header_line is None:
                if self._events:
                    self._header_line = self._strips(self._rich_table(show_header=True))[0]
                else:
                    self._header_line = (self._strips(self._empty) or [Strip.blank(self._width)])[0]
            return self._header_line
        index = bisect_right(self._starts, y) - 1
        if not self._events or index < 0:
            return Strip.blank(self.size.width, self.rich_style)
        lines = self._entry_lines(index)
        offset = y - self._starts[index]
        line = lines[offset] if offset < len(lines) else Strip.blank(self.size.width, self.rich_style)
        if index == self.cursor_row:
            line = self._highlight(line)
        return line

    def _highlight(self, line: Strip) -> Strip:
        cursor = self.get_component_rich_style("timeline--cursor")
        style = Style(bgcolor=cursor.bgcolor, color=cursor.color if self.has_focus else None)
        return Strip([Segment(text, (seg_style or Style()) + style) for text, seg_style, _ in line])

    def on_focus(self) -> None:
        """Show the cursor in its focused colours."""
        self.refresh()

    def on_blur(self) -> None:
        """Show the cursor dimmed."""
        self.refresh()

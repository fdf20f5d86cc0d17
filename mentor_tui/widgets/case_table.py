"""The case list table: one row per case, overdue follow-ups marked, columns fitted to the width."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable

from mentor_tui.codes import Activity, CaseStatus
from mentor_tui.dates import format_date, week_label
from mentor_tui.i18n import Catalog, lang
from mentor_tui.models import CaseSummary
from mentor_tui.services.casework import rules
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

SortColumn = Literal["label", "activity", "area", "status", "last_meeting", "next_followup"]
"""A column the list can be sorted by."""

SORT_COLUMNS: tuple[SortColumn, ...] = (
    "label",
    "activity",
    "area",
    "status",
    "last_meeting",
    "next_followup",
)
"""The sortable columns, in the order the sort key cycles through them."""

MAX_ROWS = 200
"""At most this many rows are put in the table: DataTable measures every cell of every row, so
thousands of rows would make each keystroke in the search field lag. Sorting happens before the
cut, so the rows shown are the first ones in the chosen order; searching or filtering finds the rest."""

OVERDUE_MARK = "!"
"""Marks an overdue follow-up, so it shows without colour too."""

DUE_MARK = "›"
"""Marks a follow-up due later this week."""

_ACTIVITY_ORDER = {a: i for i, a in enumerate(Activity)}
_STATUS_ORDER = {s: i for i, s in enumerate(CaseStatus)}
_MAX_LABEL = 16
_MAX_AREA = 16
_MIN_AREA = 8
_MIN_ACTIVITY_NAME = 12
"""Below this the activity column shows only the short code (A7)."""


def sort_key(column: SortColumn) -> Callable[[CaseSummary], Any]:
    """Return the key function that sorts summaries by ``column`` (missing dates are not keyed)."""
    keys: dict[SortColumn, Callable[[CaseSummary], Any]] = {
        "label": lambda s: s.display_label.casefold(),
        "activity": lambda s: _ACTIVITY_ORDER[s.activity],
        "area": lambda s: s.area.label(lang()).casefold(),
        "status": lambda s: _STATUS_ORDER[s.status],
        "last_meeting": lambda s: s.last_meeting_date,
        "next_followup": lambda s: s.next_followup_date,
    }
    return keys[column]


def sort_summaries(
    rows: Sequence[CaseSummary], column: SortColumn | None, descending: bool = False
) -> list[CaseSummary]:
    """Return ``rows`` sorted by ``column``; empty dates always go last.

    ``None`` keeps the order the rows came in (newest referral first), reversed if
    ``descending``. Ties keep their incoming order, so the result is deterministic.
    """
    if column is None:
        return list(reversed(rows)) if descending else list(rows)
    key = sort_key(column)
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


def clip(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` terminal cells, ending in "…" when cut.

    Measured in cells, not characters: an emoji or a CJK character takes two (issue 11).
    """
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1) + "…"


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
    width: int, rows: Sequence[CaseSummary], headers: dict[str, str], scrollbar: bool = False
) -> Layout:
    """Return column widths that fit ``width`` cells; the activity name and week go first.

    Args:
        width: The table's content width in cells.
        rows: The rows to be shown (for the longest label and area).
        headers: Header text by column name (a column is never narrower than its header,
            unless the terminal is very narrow).
        scrollbar: Leave room for a vertical scrollbar.
    """
    language = lang()
    padding = 2 * 6 + (2 if scrollbar else 0)  # one cell each side of six columns
    avail = width - padding
    label = min(max([cell_len(r.display_label) for r in rows] + [cell_len(headers["label"])]), _MAX_LABEL)
    area_natural = min(
        max([cell_len(r.area.label(language)) for r in rows] + [cell_len(headers["area"])]), _MAX_AREA
    )
    status = max([cell_len(s.label(language)) for s in CaseStatus] + [cell_len(headers["status"])])
    last = max(10, cell_len(headers["last_meeting"]))
    next_short = max(2 + 10, cell_len(headers["next_followup"]))
    next_full = max(2 + 10 + 1 + cell_len(week_label(dt.date(2026, 12, 28), language)), next_short)
    fixed = label + status + last
    rest = avail - fixed - next_full - area_natural
    if rest >= _MIN_ACTIVITY_NAME:
        return Layout(label, rest, area_natural, status, last, next_full, True, True)
    activity = 3  # the short code, A10 at most
    weeks = avail - fixed - activity - next_full >= _MIN_AREA
    next_w = next_full if weeks else next_short
    area = max(_MIN_AREA, min(area_natural, avail - fixed - activity - next_w))
    return Layout(label, activity, area, status, last, next_w, False, weeks)


class CaseTable(DataTable[Text]):
    """The case list. Row keys are case ids; Enter posts :class:`DataTable.RowSelected`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("enter", "select_cursor", id="open-case"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: list[CaseSummary] = []
        self._today = dt.date.min
        self._sort: SortColumn | None = None
        self._descending = False
        self._layout: Layout | None = None

    @property
    def rows_shown(self) -> list[CaseSummary]:
        """The summaries shown, in display order."""
        return list(self._rows)

    @property
    def current_case_id(self) -> str | None:
        """The id of the case under the cursor, if any."""
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= len(self._rows):
            return None
        return self._rows[self.cursor_row].id

    def show(
        self,
        rows: Sequence[CaseSummary],
        today: dt.date,
        sort: SortColumn | None = None,
        descending: bool = False,
        limit: int = MAX_ROWS,
    ) -> None:
        """Show ``rows``, keeping the cursor on the same case where it is still listed.

        Args:
            rows: Summaries in the order the repository gave them.
            today: Today's date, for marking overdue follow-ups.
            sort: The column to sort by (``None``: as given).
            descending: Sort the other way round.
            limit: Show only the first this many rows, after sorting.
        """
        keep = self.current_case_id
        self._today = today
        self._sort = sort
        self._descending = descending
        self._rows = sort_summaries(rows, sort, descending)[:limit]
        self._rebuild(keep)

    def action_cursor_up(self) -> None:
        """Move up; from the top row, on to the widget above (the search field)."""
        if self.cursor_row <= 0:
            self.screen.focus_previous()
        else:
            super().action_cursor_up()

    def on_mount(self) -> None:
        """Recolour overdue rows when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rebuild(self.current_case_id))

    def on_resize(self) -> None:
        """Fit the columns again when the terminal width changes."""
        if self._layout is not None and self._layout != self._fit():
            self._rebuild(self.current_case_id)

    def _headers(self) -> dict[str, str]:
        return {name: T(f"col-{name}") for name in SORT_COLUMNS}

    def _fit(self) -> Layout:
        # before the first layout the table has no size: guess from the terminal (margins, border)
        width = self.content_size.width or self.app.size.width - 4
        height = self.content_size.height or self.app.size.height - 8
        scrollbar = len(self._rows) > height - 1
        return fit_columns(width, self._rows, self._headers(), scrollbar)

    def _rebuild(self, keep: str | None) -> None:
        layout = self._fit()
        self._layout = layout
        headers = self._headers()
        arrow = " ▼" if self._descending else " ▲"
        self.clear(columns=True)
        for name in SORT_COLUMNS:
            header = headers[name]
            if name == "activity" and not layout.activity_names:
                header = T("col-activity-short")
            if name == self._sort:
                header = clip(header, getattr(layout, name) - 2) + arrow
            self.add_column(Text(header), key=name, width=getattr(layout, name))
        for summary in self._rows:
            self.add_row(*self._cells(summary, layout), key=summary.id)
        if keep is not None:
            for index, summary in enumerate(self._rows):
                if summary.id == keep:
                    self.move_cursor(row=index, animate=False)
                    break

    def _cells(self, s: CaseSummary, layout: Layout) -> list[Text]:
        language = lang()
        follow_up = rules.follow_up(s, self._today)
        overdue = follow_up is rules.FollowUp.OVERDUE
        due = follow_up is rules.FollowUp.THIS_WEEK
        colours = self.app.theme_variables
        style = f"bold {colours.get('text-error', 'red')}" if overdue else ""
        due_style = colours.get("text-warning", "yellow") if due else ""
        activity = s.activity.short
        if layout.activity_names:
            activity = f"{s.activity.short} {s.activity.label(language)}"
        followup = ""
        if s.next_followup_date is not None and s.status is not CaseStatus.AFSLUTTET:
            mark = OVERDUE_MARK if overdue else DUE_MARK if due else " "
            followup = f"{mark} {format_date(s.next_followup_date, language)}"
            if layout.weeks:
                followup += f" {week_label(s.next_followup_date, language)}"
        return [
            Text(clip(s.display_label, layout.label), style=style),
            Text(clip(activity, layout.activity)),
            Text(clip(s.area.label(language), layout.area)),
            Text(s.status.label(language)),
            Text(format_date(s.last_meeting_date, language)),
            Text(followup, style=style or due_style),
        ]

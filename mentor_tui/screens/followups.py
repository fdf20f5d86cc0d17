"""Follow-ups: everything due this week and everything overdue, across the caseload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Static

from mentor_tui.dates import format_date, week_end, week_label, week_start
from mentor_tui.i18n import Catalog, lang
from mentor_tui.models import CaseSummary
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.screens.followup_date import FollowupDateScreen
from mentor_tui.screens.meeting_form import MeetingFormScreen
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.case_table import DUE_MARK, OVERDUE_MARK, clip
from mentor_tui.widgets.key_footer import KeyFooter

T = Catalog(
    {
        "title": ("Opfølgninger", "Follow-ups"),
        "summary": (
            "{week}: {start} – {end}.  {overdue} forfaldne, {due} i denne uge.",
            "{week}: {start} – {end}.  {overdue} overdue, {due} this week.",
        ),
        "none": (
            "Ingen opfølgninger forfaldne eller i denne uge.",
            "No follow-ups overdue or due this week.",
        ),
        "col-when": ("Opfølgning", "Follow-up"),
        "col-week": ("Uge", "Week"),
        "col-label": ("Person", "Person"),
        "col-activity": ("Aktivitet", "Activity"),
        "col-activity-short": ("Akt", "Act"),
        "col-status": ("Status", "Status"),
        "col-area": ("Område", "Area"),
        "legend": ("! forfalden  › denne uge  ? ingen dato", "! overdue  › this week  ? no date"),
        "without": (
            "{n} aktive forløb uden næste opfølgning står nederst: f sætter en.",
            "{n} active cases without a next follow-up are at the bottom: f sets one.",
        ),
        "no-date": ("? ingen dato", "? no date"),
    }
)


class FollowupsTable(DataTable[Text]):
    """Follow-ups, oldest first; row keys are case ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("enter", "select_cursor", id="open-case"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)


class FollowupsScreen(MentorScreen[None]):
    """Follow-ups due this week and overdue; Enter opens the case."""

    HELP_TOPIC: ClassVar[str] = "followups"
    """Which F1 help text belongs to this screen."""
    AUTO_FOCUS = "FollowupsTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "back", id="back"),
        binding("m", "add_meeting", id="add-meeting"),
        binding("f", "set_followup", id="set-followup"),
    ]

    def __init__(self, casework: CaseworkService) -> None:
        super().__init__()
        self.casework = casework
        self.rows: list[CaseSummary] = []
        """The follow-ups shown, in order."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="followups-summary")
        yield FollowupsTable(id="followups-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the list; recolour it when the theme changes."""
        self.title = T("title")
        self.reload()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._fill(self.casework.today))

    def on_screen_resume(self) -> None:
        """Show what changed in a case opened from here."""
        if self.is_mounted:
            self.reload()

    @property
    def table(self) -> FollowupsTable:
        """The follow-ups table."""
        return self.query_one(FollowupsTable)

    def reload(self) -> None:
        """Query the follow-ups again and show them."""
        language = lang()
        today = self.casework.today
        due = self.casework.followups_due()
        without = self.casework.open_without_followup()
        self.rows = due + without
        overdue = [r for r in self.rows if rules.follow_up(r, today) is rules.FollowUp.OVERDUE]
        summary = T(
            "summary",
            week=week_label(today, language).capitalize(),
            start=format_date(week_start(today)),
            end=format_date(week_end(today)),
            overdue=len(overdue),
            due=len(due) - len(overdue),
        )
        if not due:
            summary += "  " + T("none")
        if without:
            summary += "\n" + T("without", n=len(without))
        self.query_one("#followups-summary", Static).update(summary)
        self.table.border_subtitle = T("legend")
        self._fill(today)

    def on_resize(self) -> None:
        """Fit the columns to the new width."""
        if self.is_mounted:
            self._fill(self.casework.today)

    def _widths(self) -> dict[str, int]:
        language = lang()
        table = self.table
        width = table.content_size.width or self.app.size.width - 4
        height = table.content_size.height or self.app.size.height - 8
        avail = width - 2 * 6 - (2 if len(self.rows) > height - 1 else 0)
        widths = {
            "when": 12,
            "week": max(cell_len(week_label(dt.date(2026, 12, 28), language)), cell_len(T("col-week"))),
            "label": min(
                max([cell_len(r.display_label) for r in self.rows] + [cell_len(T("col-label"))]), 16
            ),
            "status": max(cell_len(r.status.label(language)) for r in self.rows) if self.rows else 9,
            "area": min(
                max([cell_len(r.area.label(language)) for r in self.rows] + [cell_len(T("col-area"))]), 16
            ),
        }
        widths["status"] = max(widths["status"], cell_len(T("col-status")))
        rest = avail - sum(widths.values())
        if rest >= 12:
            widths["activity"] = rest
        else:
            widths["activity"] = 3
            widths["area"] = max(8, widths["area"] + rest - 3)
        return widths

    def _fill(self, today: dt.date) -> None:
        language = lang()
        table = self.table
        keep = table.cursor_row
        widths = self._widths()
        names = widths["activity"] > 3
        table.clear(columns=True)
        error = f"bold {self.app.theme_variables.get('text-error', 'red')}"
        warning = self.app.theme_variables.get("text-warning", "yellow")
        table.add_column(T("col-when"), key="when", width=widths["when"])
        table.add_column(T("col-week"), key="week", width=widths["week"])
        table.add_column(T("col-label"), key="label", width=widths["label"])
        activity_header = T("col-activity") if names else T("col-activity-short")
        table.add_column(activity_header, key="activity", width=widths["activity"])
        table.add_column(T("col-status"), key="status", width=widths["status"])
        table.add_column(T("col-area"), key="area", width=widths["area"])
        for r in self.rows:
            when = r.next_followup_date
            overdue = rules.follow_up(r, today) is rules.FollowUp.OVERDUE
            style = error if overdue or when is None else warning
            activity = f"{r.activity.short} {r.activity.label(language)}" if names else r.activity.short
            if when is None:
                shown_when = T("no-date")
            else:
                shown_when = f"{OVERDUE_MARK if overdue else DUE_MARK} {format_date(when)}"
            table.add_row(
                Text(shown_when, style=style),
                Text(week_label(when, language) if when else "", style=style),
                Text(clip(r.display_label, widths["label"]), style="bold" if overdue else ""),
                Text(clip(activity, widths["activity"])),
                Text(r.status.label(language)),
                Text(clip(r.area.label(language), widths["area"])),
                key=r.id,
            )
        if self.rows:
            table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1), animate=False)

    @on(DataTable.RowSelected, "#followups-table")
    def case_selected(self, event: DataTable.RowSelected) -> None:
        """Enter opens the case."""
        if event.row_key.value is not None:
            self.app.push_screen(CaseDetailScreen(self.casework, event.row_key.value))

    @property
    def current_case_id(self) -> str | None:
        """The case under the cursor, if there are any rows."""
        if not self.rows:
            return None
        return self.rows[min(max(self.table.cursor_row, 0), len(self.rows) - 1)].id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The case steps need a row to act on."""
        if action in ("add_meeting", "set_followup"):
            return bool(self.rows)
        return True

    def _push(self, screen: ModalScreen[bool]) -> None:
        def saved(result: bool | None) -> None:
            if result:
                self.reload()
                self.refresh_bindings()

        self.app.push_screen(screen, saved)

    def action_add_meeting(self) -> None:
        """Record a meeting on the case under the cursor (straight from the list)."""
        if (case_id := self.current_case_id) is not None:
            self._push(MeetingFormScreen(self.casework, case_id))

    def action_set_followup(self) -> None:
        """Set the next follow-up of the case under the cursor (straight from the list)."""
        if (case_id := self.current_case_id) is not None:
            self._push(FollowupDateScreen(self.casework, case_id))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The steps for the case under the cursor, for the command palette."""
        row = next((r for r in self.rows if r.id == self.current_case_id), None)
        if row is None:
            return
        yield key_command("add-meeting", self.action_add_meeting, about=row.display_label)
        yield key_command("set-followup", self.action_set_followup, about=row.display_label)

    def action_back(self) -> None:
        """Back to the case list."""
        self.dismiss()

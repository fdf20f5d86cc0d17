"""A case's history: who changed what, and when, from the audit trail (issue 9 item 3)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from mentor_tui.dates import format_date
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.bindings import MentorModal, binding

T = Catalog(
    {
        "title": ("Historik: {label}", "History: {label}"),
        "subtitle": (
            "Alle ændringer, nyeste først. Skrevet af databasen selv; kan ikke ændres og eksporteres aldrig.",
            "Every change, newest first. Written by the database itself; "
            "cannot be changed and is never exported.",
        ),
        "col-when": ("Hvornår", "When"),
        "col-who": ("Hvem", "Who"),
        "col-what": ("Hvad", "What"),
        "col-changes": ("Ændring", "Change"),
        "empty": ("Ingen ændringer registreret endnu", "No changes recorded yet"),
    }
)


class CaseHistoryScreen(MentorModal[None]):
    """The audit trail of one case, read-only. Escape closes."""

    DEFAULT_CSS = """
    CaseHistoryScreen { align: center middle; background: $background 60%; }
    CaseHistoryScreen > #history-box {
        width: 100%; max-width: 120; height: 90%; border: round $primary; background: $surface; padding: 0 1;
    }
    CaseHistoryScreen #history-title { text-style: bold; color: $text-primary; }
    CaseHistoryScreen #history-subtitle { color: $text-muted; }
    CaseHistoryScreen DataTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "close", id="back")]

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__()
        self.casework = casework
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        detail = self.casework.detail(self.case_id)
        with Vertical(id="history-box"):
            yield Static(T("title", label=detail.person.display_label), id="history-title")
            yield Static(T("subtitle"), id="history-subtitle")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        self._fill()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        """Wrap the changes to the new width."""
        if self.is_mounted:
            self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        language = lang()
        table = self.query_one(DataTable)
        lines = self.casework.history(self.case_id)
        rows = [
            (
                f"{format_date(line.at.date())} {line.at:%H:%M}",
                line.who,
                Text(line.what.text(language), style="strike dim" if line.action == "void" else ""),
                Text(line.changes.text(language)),
            )
            for line in lines
        ]
        widths = [16, max([len(T("col-who")), *(len(r[1]) for r in rows)])]
        widths.append(min(28, max([len(T("col-what")), *(r[2].cell_len for r in rows)])))
        # the changes take the rest of the width and wrap (no sideways scrolling at 80 columns)
        rest = table.scrollable_content_region.width - sum(widths) - 8 * table.cell_padding - 1
        table.clear(columns=True)
        table.add_column(T("col-when"), key="when", width=widths[0])
        table.add_column(T("col-who"), key="who", width=widths[1])
        table.add_column(T("col-what"), key="what", width=widths[2])
        table.add_column(T("col-changes"), key="changes", width=max(20, rest))
        for i, row in enumerate(rows):
            table.add_row(*row, key=str(i), height=None)
        if not rows:
            table.add_row("", "", T("empty"), "")

    def action_close(self) -> None:
        """Back to the case."""
        self.dismiss(None)

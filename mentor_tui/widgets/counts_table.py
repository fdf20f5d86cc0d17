"""A read-only table of export cells: metric, activity, area, age band, breakdown, value."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Protocol

from rich.cells import cell_len
from textual.widgets import DataTable

from mentor_tui.codes import ALL_CODE_SETS, Code
from mentor_tui.i18n import Catalog, lang

T = Catalog(
    {
        "metric": ("Mål", "Metric"),
        "activity": ("Aktivitet", "Activity"),
        "area": ("Område", "Area"),
        "age_band": ("Alder", "Age band"),
        "breakdown": ("Opdeling", "Breakdown"),
        "value": ("Antal", "Count"),
        "all": ("Alle", "All"),
        "ytd": ("{code} år til dato", "{code} year to date"),
        "REFERRALS": ("Nye henvisninger", "New referrals"),
        "TREPARTSSAMTALER": ("3-partssamtaler", "Tripartite meetings"),
        "CASES_STARTED": ("Startede forløb", "Cases started"),
        "CASES_ACTIVE": ("Aktive forløb", "Active cases"),
        "CASES_CLOSED": ("Afsluttede forløb", "Closed cases"),
        "MEETINGS": ("Møder", "Meetings"),
        "OUTCOMES": ("Resultater", "Outcomes"),
        "E1": ("E1 18-29 år: uddannelse/job", "E1 18-29: education/job"),
        "E2": ("E2 18-29 år: praktik/løntilskud", "E2 18-29: placement/wage subsidy"),
        "E3": ("E3 30-64 år: uddannelse/job", "E3 30-64: education/job"),
        "E4": ("E4 30-64 år: praktik/løntilskud", "E4 30-64: placement/wage subsidy"),
        "E5": ("E5 fritidsjob", "E5 leisure job"),
    }
)

ALL = "ALL"
"""The code export cells use for "every value of this dimension"."""


class CellLike(Protocol):
    """What the table needs from one export cell (the export service's cell type fits)."""

    @property
    def metric(self) -> str: ...
    @property
    def activity(self) -> str: ...
    @property
    def area(self) -> str: ...
    @property
    def age_band(self) -> str: ...
    @property
    def breakdown(self) -> str: ...
    @property
    def value(self) -> int | None: ...
    @property
    def suppressed(self) -> bool: ...


def _code_index() -> dict[str, Code]:
    index: dict[str, Code] = {}
    for code_set in ALL_CODE_SETS:
        for member in code_set:
            index.setdefault(member.value, member)
    return index


_CODES = _code_index()


def code_label(code: str) -> str:
    """Return the label of any domain code in the current language ("Alle" for ``ALL``).

    Unknown codes are shown as they are, so nothing is ever hidden from the user.
    """
    if code == ALL:
        return T("all")
    member = _CODES.get(code)
    return member.label(lang()) if member is not None else code


def metric_label(code: str, *, ytd: bool = False) -> str:
    """Return a short label of a metric code in the current language (the code if unknown).

    Args:
        code: The metric code, e.g. ``REFERRALS`` or ``E1``.
        ytd: The project-year-to-date variant that weekly and quarterly exports carry.
    """
    if ytd:  # short, so the column stays narrow; the period's rows above carry the full label
        return T("ytd", code=code)
    return T(code) if code in T.texts else code


def value_text(value: int | None, suppressed: bool, threshold: int) -> str:
    """Return how a count is shown: the number, or ``<threshold`` when it is suppressed."""
    if suppressed or value is None:
        return f"<{threshold}"
    return str(value)


def fill_table(
    table: DataTable[str],
    columns: Sequence[tuple[str, str]],
    rows: Iterable[tuple[str | None, Sequence[str]]],
) -> int:
    """Replace a table's columns and rows, sizing each column to its widest text.

    Widths are set explicitly: a DataTable measures auto-width columns only when idle, and
    lines it painted before that keep the old, too narrow widths until it gets focus.

    Args:
        table: The table to fill.
        columns: ``(key, heading)`` pairs, in order.
        rows: ``(key, cells)`` pairs; a key may be ``None``.

    Returns:
        The number of rows added.
    """
    materialised = [(row_key, list(cells)) for row_key, cells in rows]
    widths = [cell_len(heading) for _, heading in columns]
    for _, cells in materialised:
        widths = [max(w, cell_len(c)) for w, c in zip(widths, cells, strict=True)]
    table.clear(columns=True)
    for (column_key, heading), width in zip(columns, widths, strict=True):
        table.add_column(heading, key=column_key, width=width)
    for row_key, cells in materialised:
        table.add_row(*cells, key=row_key)
    return len(materialised)


class CountsTable(DataTable[str]):
    """Export cells as rows, labels in the user's language, suppressed counts shown ``<5``.

    Columns: metric, breakdown, count, activity, area, age band.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("metric", "breakdown", "value", "activity", "area", "age_band")
    """Column keys, in display order: the count near its label so it stays on narrow screens."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    def show_cells(
        self,
        cells: Iterable[CellLike],
        *,
        threshold: int,
        ytd_cells: Iterable[CellLike] = (),
    ) -> int:
        """Replace the rows with ``cells``, then ``ytd_cells``; return how many rows are shown.

        Args:
            cells: The cells of the period, in the order given.
            threshold: The suppression threshold, shown as ``<threshold`` for suppressed cells.
            ytd_cells: Project-year-to-date cells, labelled as such.
        """
        rows = [
            (
                None,
                [
                    metric_label(cell.metric, ytd=ytd),
                    code_label(cell.breakdown),
                    value_text(cell.value, cell.suppressed, threshold),
                    code_label(cell.activity),
                    code_label(cell.area),
                    code_label(cell.age_band),
                ],
            )
            for ytd, cell in [(False, c) for c in cells] + [(True, c) for c in ytd_cells]
        ]
        return fill_table(self, [(key, T(key)) for key in self.COLUMNS], rows)

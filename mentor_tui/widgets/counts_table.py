"""A read-only table of published counts: the export's summary, or a list of its cells."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual.widgets import DataTable

from mentor_tui.codes import ALL_CODE_SETS, Code
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.counts.export import MARKER, ExportResult
from mentor_tui.services.counts.tables import SUMMARY_LINES, CellKey, line_label
from mentor_tui.services.counts.tables import code_label as table_code_label

T = Catalog(
    {
        "metric": ("Mål", "Metric"),
        "activity": ("Aktivitet", "Activity"),
        "area": ("Område", "Area"),
        "age_band": ("Alder", "Age band"),
        "breakdown": ("Opdeling", "Breakdown"),
        "value": ("Antal", "Count"),
        "table": ("Tabel", "Table"),
        "what": ("Hvad", "What"),
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


def value_text(value: int | None) -> str:
    """Return how a count is shown: the number, or the export's marker ``x`` when it is hidden."""
    return MARKER if value is None else str(value)


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
    """Published counts as rows, labels in the user's language, hidden counts shown ``x``.

    Two shapes: the summary (one row per headline figure, one column per period) and a list of
    cells (table, what, count).
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    def show_summary(self, result: ExportResult) -> int:
        """Show the summary of ``result``: each headline figure per period column; return the rows."""
        language = lang()
        columns = [("line", T("metric"))] + [
            (f"col-{i}", c.label(language)) for i, c in enumerate(result.columns)
        ]
        cells = {c.key: c for c in result.summary.cells}
        rows: list[tuple[str | None, list[str]]] = []
        for metric, breakdown in SUMMARY_LINES:
            row = [line_label(metric, breakdown).text(language)]
            for column in result.columns:
                key = CellKey(metric, column.period.start, column.period.end, breakdown=breakdown)
                row.append(value_text(cells[key].value))
            rows.append((f"{metric}.{breakdown}", row))
        return fill_table(self, columns, rows)

    def show_nonzero(self, result: ExportResult) -> int:
        """Show every cell of the metric tables that is not 0 (hidden ones too); return the rows."""
        language = lang()
        rows: list[tuple[str | None, list[str]]] = []
        for table in result.tables[1:]:
            spec = table.spec
            assert spec.metric is not None
            for cell in table.cells:
                if cell.value == 0:
                    continue
                what = [table_code_label(spec.metric, d, cell.key.at(d)).text(language) for d in spec.dims]
                rows.append((None, [spec.title().text(language), " · ".join(what), value_text(cell.value)]))
        columns = [("table", T("table")), ("what", T("what")), ("value", T("value"))]
        return fill_table(self, columns, rows)

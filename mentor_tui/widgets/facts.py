"""A two-column list of facts (name in bold, value beside it), as the case detail's panels show.

It looks exactly like the Rich ``Table.grid(padding=(0, 1), pad_edge=False)`` with a bold,
unwrapped name column that the panels used before, segment for segment, at every width: a value
longer than its column wraps under itself, beside the names. But a Rich table measures and
renders every cell through several layers each time it is drawn, and the two panels were drawn
two or three times on every opening of a case (measured, laid out, painted): that was 3-4 ms of
opening a case (issue 12). Here a value that fits on its line (nearly all) becomes one segment;
only a value that wraps is rendered by Rich, as the table would; and anything unusual (a line
break in a value, a terminal too narrow for the names) is drawn by the Rich table itself.

Values are shown as they are: a ``str`` is literal text, never Rich markup (a label such as
``Ali [b]`` keeps its brackets).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

NAME_STYLE = "bold"
"""The style of the name column."""


def _longest_word(text: str) -> int:
    words = text.split()
    return max(cell_len(word) for word in words) if words else cell_len(text)


class Facts:
    """``rows`` of (name, value) as a Rich renderable; see the module docstring.

    Args:
        rows: The facts in the order shown; a value is literal text or a styled :class:`Text`.
    """

    def __init__(self, rows: Sequence[tuple[str, str | Text]]) -> None:
        self.rows = [(Text(name), value if isinstance(value, Text) else Text(value)) for name, value in rows]
        names = [name.plain for name, _ in self.rows]
        values = [value.plain for _, value in self.rows]
        self._simple = bool(self.rows) and not any("\n" in text for text in names + values)
        """Drawn here (else by a Rich table)."""
        self._name_width = max((cell_len(n) for n in names), default=0)
        self._name_min = max((_longest_word(n) for n in names), default=0)
        self._value_width = max((cell_len(v) for v in values), default=0)
        self._value_min = max((_longest_word(v) for v in values), default=0)
        self._grid: Table | None = None

    def table(self) -> Table:
        """The same facts as the Rich table they look like."""
        if self._grid is None:
            table = Table.grid(padding=(0, 1), pad_edge=False)
            table.add_column(style=NAME_STYLE, no_wrap=True)
            table.add_column()
            for name, value in self.rows:
                table.add_row(name, value)
            self._grid = table
        return self._grid

    def _fits(self, width: int) -> bool:
        """Whether ``width`` leaves the values at least one cell beside the names."""
        return self._simple and width >= self._name_width + 2

    def _value_column(self, width: int) -> int:
        """The width of the value column in ``width`` cells, as Rich's table computes it."""
        names = self._name_width + 1
        natural = min(self._value_width, width) or 1
        return natural if names + natural <= width else width - names

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The narrowest and widest the facts can be drawn (as the Rich table measures)."""
        width = options.max_width
        if not self._fits(width):
            return Measurement.get(console, options, self.table())
        names = self._name_width + 1
        table_width = names + self._value_column(width)
        minimum = min(self._name_min + 1, table_width) + min(self._value_min, table_width)
        maximum = min(names, table_width) + min(self._value_width, table_width)
        return Measurement(minimum, maximum)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        """The facts, one line each (more for a value that wraps)."""
        width = options.max_width
        if not self._fits(width):
            yield from console.render(self.table(), options)
            return
        name_style = console.get_style(NAME_STYLE)
        value_width = self._value_column(width)
        wrap_options = options.update(
            width=value_width,
            justify="left",
            no_wrap=False,
            overflow="ellipsis",
            height=None,
            highlight=False,
        )
        gap = Segment(" ", name_style)
        blank_name = Segment(" " * (self._name_width + 1), name_style)
        new_line = Segment.line()
        for name, value in self.rows:
            plain = value.plain
            used = cell_len(plain)
            if used <= value_width and not value.spans:
                own = value.style
                lines = [
                    [Segment(plain + " " * (value_width - used), console.get_style(own) if own else None)]
                ]
            else:
                lines = console.render_lines(value, wrap_options, pad=True)
            yield Segment(set_cell_size(name.plain, self._name_width), name_style)
            yield gap
            for number, line in enumerate(lines):
                if number:
                    yield blank_name
                yield from line
                yield new_line

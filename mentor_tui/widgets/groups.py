"""A line of key groups (``s Status: alle``) that breaks only between groups, never inside one.

Rich wraps text at any space, so at 80 columns the case list's filter line put the sort keys
``r/v`` at the end of one line and their ``Sortér: nyeste`` at the start of the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text


class Groups:
    """Rich renderable: ``parts`` separated by ``gap``, a new line only between two parts.

    A part wider than the whole line is wrapped by Rich as usual (inside itself).
    """

    def __init__(self, parts: Sequence[Text], gap: str = "  ") -> None:
        self.parts = list(parts)
        self.gap = gap

    def lines(self, width: int) -> list[Text]:
        """The parts laid out in lines of at most ``width`` cells (except a part wider than that)."""
        lines: list[Text] = []
        line = Text()
        for part in self.parts:
            if line.cell_len and line.cell_len + len(self.gap) + part.cell_len > width:
                lines.append(line)
                line = Text()
            if line.cell_len:
                line.append(self.gap)
            line.append_text(part)
        lines.append(line)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("\n").join(self.lines(options.max_width))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((part.cell_len for part in self.parts), default=0)
        return Measurement(widest, Text(self.gap).join(self.parts).cell_len)

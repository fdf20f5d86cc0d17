"""The label field: one line of text; a pasted row of cells or several lines is never stored whole.

Textual's ``Input`` keeps the first line of a paste and drops the rest without a word, TABs
included, so a row copied from a spreadsheet ("Åse Ø⇥2001-04⇥Vollsmose") ended up in the label.
Here the first cell of the first line goes in, and :class:`LabelInput.Trimmed` tells the form what
was left out, so it can say so (issue 9 item 6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input

_CELL_BREAK = re.compile(r"[\t\r\n]+")


def split_paste(text: str) -> tuple[str, list[str]]:
    """Return the first cell of pasted ``text`` and the other non-empty cells and lines.

    >>> split_paste("Åse Ø\\t2001-04\\tVollsmose\\n")
    ('Åse Ø', ['2001-04', 'Vollsmose'])
    """
    parts = [p.strip() for p in _CELL_BREAK.split(text)]
    parts = [p for p in parts if p]
    if not parts:
        return "", []
    return parts[0], parts[1:]


class LabelInput(Input):
    """A one-line input whose paste keeps only the first cell and reports the rest."""

    @dataclass
    class Trimmed(Message):
        """A paste held more than one cell or line; ``left_out`` were not inserted."""

        label_input: LabelInput
        kept: str
        left_out: list[str]

        @property
        def control(self) -> LabelInput:
            """The input that was pasted into."""
            return self.label_input

    def _on_paste(self, event: events.Paste) -> None:
        if not _CELL_BREAK.search(event.text):
            return  # one line, one cell: Input's own paste (next in the MRO) inserts it
        event.prevent_default()
        kept, left_out = split_paste(event.text)
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(kept)
        else:
            self.replace(kept, *selection)
        event.stop()
        if left_out:
            self.post_message(self.Trimmed(self, kept, left_out))

"""Issue 11 item 8: widths are measured in terminal cells; a cut label ends in "…"."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from mentor_tui.widgets.case_table import clip


@pytest.mark.parametrize(
    ("text", "width"),
    [("Ali 😀😀😀😀", 8), ("😀😀😀😀😀", 5), ("Åse 山田太郎", 7), ("Sara Kristensen-Nielsen", 12)],
)
def test_a_cut_text_fits_its_cells_and_ends_in_an_ellipsis(text: str, width: int) -> None:
    cut = clip(text, width)
    assert cell_len(cut) == width
    assert cut.endswith("…")


def test_a_text_that_fits_is_left_alone() -> None:
    assert clip("Ali 😀", 6) == "Ali 😀"  # six cells: the emoji takes two
    assert clip("Ali 😀", 5) == "Ali …"  # no half emoji: the cell it would take stays blank

"""A line of key groups breaks between groups, never inside one (the case list's filter line)."""

from __future__ import annotations

from rich.text import Text

from mentor_tui.widgets.groups import Groups

PARTS = [Text("s Status: alle"), Text("a Aktivitet: alle"), Text("r/v Sortér: nyeste ▲")]


def plain(groups: Groups, width: int) -> list[str]:
    return [line.plain for line in groups.lines(width)]


def test_everything_on_one_line_when_it_fits() -> None:
    assert plain(Groups(PARTS), 80) == ["s Status: alle  a Aktivitet: alle  r/v Sortér: nyeste ▲"]


def test_a_group_that_does_not_fit_starts_the_next_line_whole() -> None:
    assert plain(Groups(PARTS), 40) == ["s Status: alle  a Aktivitet: alle", "r/v Sortér: nyeste ▲"]
    assert plain(Groups(PARTS), 20) == ["s Status: alle", "a Aktivitet: alle", "r/v Sortér: nyeste ▲"]


def test_widths_are_terminal_cells_and_styles_are_kept() -> None:
    wide = [Text("ab", style="bold"), Text("日本")]  # 2 + 2 + 4 cells
    assert plain(Groups(wide), 8) == ["ab  日本"]
    assert plain(Groups(wide), 7) == ["ab", "日本"]
    assert Groups(wide).lines(8)[0].spans[0].style == "bold"

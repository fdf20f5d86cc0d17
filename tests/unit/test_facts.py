"""The case detail's facts panels (widgets/facts.py): they look exactly as the Rich grid table
they replace (issue 12: the table cost 3-4 ms of opening a case), long values wrap under
themselves, and a value is shown literally."""

from __future__ import annotations

import itertools

import pytest
from rich.console import Console
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from mentor_tui.widgets.facts import Facts

CONSOLE = Console(width=120, color_system="truecolor", legacy_windows=False, force_terminal=True)

ROWS: list[list[tuple[str, str | Text]]] = [
    [("Status", "Aktiv"), ("Mål aftalt", "ja"), ("Samtykke", "—")],
    [
        ("Status", Text("Annulleret: dobbeltregistreret", style="bold red")),
        ("Næste opfølgning", Text("! 13-11-2026, uge 46 (forfalden)", style="bold red")),
        ("Startet", "05-10-2026, 3-partssamtale"),
        ("Årsager", "Ledighed, Uddannelse, Psykisk sårbarhed, Misbrug, Kriminalitet, Andet"),
    ],
    [("Betegnelse", "Ålborg-Vollsmose-averyveryverylongwordwithoutanyspaces and more"), ("Født", "")],
    [
        ("Betegnelse", "中文字 中文字中文字 ﾊﾝｶｸ"),
        ("Køn", Text.assemble(("struck", "strike"), " ", ("why", "italic"))),
    ],
    [("Label", "two\nlines"), ("A", "b")],
    [("Label", "")],
]


def _render(renderable: object, width: int) -> list[Segment]:
    options = CONSOLE.options.update(width=width, highlight=False)
    return list(CONSOLE.render(renderable, options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rows", "width"), itertools.product(ROWS, [1, 5, 12, 17, 18, 19, 24, 31, 40, 78, 120])
)
def test_facts_draw_and_measure_as_the_rich_grid_table(
    rows: list[tuple[str, str | Text]], width: int
) -> None:
    facts = Facts(rows)
    table = facts.table()
    assert _render(facts, width) == _render(table, width)
    options = CONSOLE.options.update(width=width)
    assert Measurement.get(CONSOLE, options, facts) == Measurement.get(CONSOLE, options, table)


def _lines(facts: Facts, width: int) -> list[str]:
    text = "".join(segment.text for segment in _render(facts, width))
    return [line.rstrip() for line in text.splitlines()]


def test_a_long_value_wraps_under_itself_beside_the_names() -> None:
    facts = Facts([("Status", "Aktiv"), ("Årsager", "Ledighed, Uddannelse, Psykisk sårbarhed, Misbrug")])
    assert _lines(facts, 30) == [
        "Status  Aktiv",
        "Årsager Ledighed, Uddannelse,",
        "        Psykisk sårbarhed,",
        "        Misbrug",
    ]


def test_a_value_is_shown_literally_not_as_markup() -> None:
    assert _lines(Facts([("Betegnelse", "Ali [b]K[/b] :smile:")]), 40) == ["Betegnelse Ali [b]K[/b] :smile:"]

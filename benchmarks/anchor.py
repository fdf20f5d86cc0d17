"""The anchor: a bare Textual app that shows one 40-row DataTable and exits after its first paint.

Run as a new process by ``benchmarks/run.py``, interleaved with the product, so cold start and
peak memory are compared on the same machine at the same moment. Prints one JSON line:
``{"paint": <time.time() of the first painted frame>, "cpu": <CPU seconds by then>, "rss_kib": <peak
RSS>}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import exit_after_first_paint, peak_rss_kib  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

SIZE = (120, 35)
"""Terminal size (columns, lines), the same as the product's."""


class BareApp(App[None]):
    """One DataTable of 40 rows and six columns, like the case list."""

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Person", "Aktivitet", "Område", "Status", "Sidste møde", "Næste opfølgning")
        for i in range(40):
            table.add_row(f"Person {i}", "A8 Mentor", "Vollsmose", "Aktiv", "13-11-2026", "20-11-2026 uge 47")


def main() -> None:
    """Run the bare app headless and print when it first painted its rows."""
    record: dict[str, float] = {}

    def shown(app: App[Any]) -> bool:
        return bool(app.query(DataTable)) and app.query_one(DataTable).row_count == 40

    exit_after_first_paint(shown, record)
    BareApp().run(headless=True, size=SIZE)
    print(json.dumps({"paint": record["paint"], "cpu": record["cpu"], "rss_kib": peak_rss_kib()}))


if __name__ == "__main__":
    main()

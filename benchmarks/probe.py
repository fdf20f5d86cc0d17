"""Child-process measurements of mentor-tui, started by ``benchmarks/run.py``.

``python benchmarks/probe.py start DB``
    Cold start: exactly what ``mentor-tui --db DB`` runs (headless, 120x35), exiting at the first
    frame that shows the case list with its rows. Prints ``{"paint": time.time(), "rss_kib": ...}``.

``python benchmarks/probe.py session DB``
    One scripted session in a fresh process, timing each step from the key event (sent the way a
    terminal sends it) to the first painted frame that shows the result:

    - typing person labels into the search field, key by key, until the list shows the new rows;
    - the quick filters (``s`` status, ``f`` follow-up due) pressed on the list;
    - opening the case with 200 meetings (Enter) and going back to the list (Escape), also after
      saving a meeting on it;
    - saving a meeting through the casework service;
    - typing in the search field while an export of a project year runs in a worker thread, and
      while ``mentor-tui import`` writes a large file from another process;
    - the process's peak RSS at the end.

    Prints one JSON object with the samples in milliseconds.

Synthetic data only (see ``benchmarks/dataset.py``).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import exit_after_first_paint, peak_rss_kib, time_to_paint  # noqa: E402

SIZE = (120, 35)
"""Terminal size (columns, lines), the same as the anchor's."""

IMPORT_PERSONS = 600
"""Persons in the import file written during the session (four rows each)."""

KEY_GAP = 0.06
"""Seconds between a painted result and the next key (a fast typist: about 150 ms per key)."""

FILTER_ROUNDS = 10
"""Rounds of quick filters: each presses ``s`` four times and ``f`` four times (40 samples each)."""

OPEN_CYCLES = 80
"""Openings of the 200-meeting case: every other one goes back after saving a meeting on it, so
the case grows to 240 meetings (80 openings, 40 of each kind of going back). The p95 is taken by
nearest rank: with 40 or more samples it is a 95th percentile, not the single slowest sample
(with 14 samples the nearest-rank p95 is the maximum)."""


def _list_shown(app: Any) -> bool:
    from mentor_tui.screens.main import MainScreen

    screen = app.screen
    return (
        isinstance(screen, MainScreen)
        and bool(screen.table.rows_shown)
        and not getattr(screen, "list_pending", False)
    )


def start(db: str) -> None:
    """Run ``mentor-tui --db DB`` until the case list is painted; print when, and the peak RSS."""
    from textual.app import App

    record: dict[str, float] = {}
    exit_after_first_paint(_list_shown, record)
    run_app = App.run

    def headless_run(self: Any, **kwargs: Any) -> Any:
        return run_app(self, headless=True, size=SIZE)

    App.run = headless_run  # type: ignore[method-assign]
    from mentor_tui.__main__ import run

    code = run(["--db", db])
    print(
        json.dumps(
            {"paint": record.get("paint"), "cpu": record.get("cpu"), "rss_kib": peak_rss_kib(), "code": code}
        )
    )


# -- session ---------------------------------------------------------------------------------------


def _key(char: str) -> tuple[str, str | None]:
    names = {" ": "space", "-": "minus", "/": "slash", ".": "full_stop"}
    return names.get(char, char), char


def _shim_for_older_code() -> None:
    """Give a case table without a ``generation`` counter one (to measure the code before issue 12)."""
    from mentor_tui.widgets.case_table import CaseTable

    if hasattr(CaseTable, "generation"):
        return
    show = CaseTable.show

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        show(self, *args, **kwargs)
        self.generation = getattr(self, "generation", 0) + 1

    CaseTable.show = counted  # type: ignore[method-assign]
    CaseTable.generation = 0  # type: ignore[attr-defined]


def _search_labels(db: str) -> list[str]:
    """Labels to type: persons spread over the file, with æ, ø or å in some (deterministic)."""
    conn = sqlite3.connect(db)
    labels = [r[0] for r in conn.execute("SELECT display_label FROM person ORDER BY id")]
    conn.close()
    rng = random.Random(12)
    plain = [label for label in labels if not any(c in label.lower() for c in "æøå")]
    danish = [label for label in labels if any(c in label.lower() for c in "æøå")]
    return rng.sample(plain, 4) + rng.sample(danish, 2)


def write_import_csv(path: Path, persons: int) -> None:
    """Write a synthetic import file: per person a referral, a 3-partssamtale start and two meetings."""
    rows = ["person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"]
    for i in range(persons):
        ref = f"BENCH-IMP-{i:05d}"
        common = f"{ref};1990-0{1 + i % 9};KVINDE;VOLLSMOSE;A8_MENTOR_JOBPARAT"
        rows += [
            f"{common};henvisning;2026-09-01;JOBRAADGIVER;MJ;;",
            f"{common};opstart;2026-09-08;TREPARTSSAMTALE;MJ;;",
            f"{common};moede;2026-10-06;SAMTALE;MJ;;",
            f"{common};moede;2026-11-03;SAMTALE;MJ;;",
        ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


async def _session(db: str, out: dict[str, Any]) -> None:
    from textual import events

    from mentor_tui.__main__ import make_app
    from mentor_tui.clock import FixedClock
    from mentor_tui.config import Settings
    from mentor_tui.screens.case_detail import CaseDetailScreen
    from mentor_tui.screens.main import MainScreen

    sys.path.insert(0, str(HERE))
    from dataset import BIG_CASE_LABEL, NOW

    _shim_for_older_code()
    app = make_app(db, settings=Settings(), clock=FixedClock(NOW))
    samples: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds * 1000)

    async with app.run_test(headless=True, size=SIZE) as pilot:
        driver = app._driver
        assert driver is not None

        def send(key: str, char: str | None = None) -> Callable[[], None]:
            return lambda: driver.send_message(events.Key(key, char))

        async def settle() -> None:
            await app.workers.wait_for_complete()
            await pilot.pause()

        home = app.screen_stack[0]
        assert isinstance(home, MainScreen)
        table = home.table

        def list_ready(generation: int) -> Callable[[], bool]:
            return lambda: (
                app.screen is home
                and table.generation > generation
                and not getattr(home, "list_pending", False)
            )

        await settle()

        async def type_search(text: str, name: str | None) -> None:
            for char in text:
                key, character = _key(char)
                took = await time_to_paint(send(key, character), list_ready(table.generation))
                if name:
                    note(name, took)
                await asyncio.sleep(KEY_GAP)

        async def clear_search() -> None:
            if not home.filter_input.value:
                return
            await time_to_paint(send("ctrl+u"), list_ready(table.generation))
            await asyncio.sleep(KEY_GAP)

        phase = time.perf_counter()

        def done(step: str) -> None:
            nonlocal phase
            print(
                f"{step}: {time.perf_counter() - phase:.1f} s, peak RSS {peak_rss_kib() / 1024:.0f} MiB",
                file=sys.stderr,
            )
            phase = time.perf_counter()

        # 1. typing in the search field
        await pilot.press("slash")
        await settle()
        for label in _search_labels(db):
            await type_search(label, "keystroke")
            await clear_search()

        done("search")

        # 2. quick filters on the list
        await pilot.press("escape")
        await settle()
        for _ in range(FILTER_ROUNDS):
            for key, name in (("s", "filter_status"),) * 4 + (("f", "filter_due"),) * 4:
                note(name, await time_to_paint(send(key, key), list_ready(table.generation)))
                await asyncio.sleep(KEY_GAP)

        done("filters")

        # 3. open the case with 200 meetings and go back, also after saving a meeting
        await pilot.press("slash")
        await settle()
        await type_search(BIG_CASE_LABEL, None)
        await pilot.press("escape")
        await settle()
        for i in range(OPEN_CYCLES):
            note(
                "open_case_200",
                await time_to_paint(send("enter"), lambda: isinstance(app.screen, CaseDetailScreen)),
            )
            await asyncio.sleep(KEY_GAP)
            detail = app.screen
            assert isinstance(detail, CaseDetailScreen)
            name = "back_to_list"
            if i % 2:
                app.casework.add_meeting(
                    detail.case_id, meeting_type="SAMTALE", date=NOW.date(), participants=["BEBOER"]
                )
                detail.reload()
                await pilot.pause()
                name = "back_after_save"
            before = table.generation
            note(
                name,
                await time_to_paint(
                    send("escape"),
                    lambda: app.screen is home and not getattr(home, "list_pending", False),
                ),
            )
            if table.generation == before and name == "back_after_save":
                raise AssertionError("the list did not show the saved meeting")
            await asyncio.sleep(KEY_GAP)
        await settle()

        done("open/back")

        # 4. saving a meeting (the service call the meeting form makes)
        conn = sqlite3.connect(db)
        active = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM cases WHERE status = 'AKTIV' AND deleted_at IS NULL ORDER BY id LIMIT 40"
            )
        ]
        conn.close()
        for case_id in active[:30]:
            start = time.perf_counter()
            app.casework.add_meeting(
                case_id, meeting_type="SAMTALE", date=NOW.date(), participants=["BEBOER"]
            )
            note("save_meeting", time.perf_counter() - start)

        out["rss_interactive_kib"] = peak_rss_kib()

        done("save")

        # 5. typing while an export runs in a worker thread, and while an import runs elsewhere;
        # the export's code is imported here, as the export screen does on first use, not at the
        # start of the session: the interactive peak above is the app's, without the export's
        # modules (openpyxl, numpy, the disclosure solver: about 15 MiB) that it never loaded
        from mentor_tui.services.counts.export import compute_export
        from mentor_tui.services.counts.periods import parse_period

        await pilot.press("slash")
        await settle()
        letters = "abcdefghijklmnoprstuvy"
        period = parse_period("PY2")

        def export_year() -> None:
            # what the export screen's worker runs (its thread reads on a connection of its own)
            compute_export(app.repos, period)

        for _ in range(2):
            worker = app.run_worker(export_year, thread=True, group="bench-export")
            k = 0
            while not worker.is_finished:
                await type_search(letters[k % len(letters)], "keys_during_export")
                k += 1
                if k % 3 == 0:
                    await clear_search()
            await app.workers.wait_for_complete([worker])
            await clear_search()
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "import.csv"
            write_import_csv(csv, IMPORT_PERSONS)
            proc = subprocess.Popen(
                [sys.executable, "-m", "mentor_tui", "import", str(csv), "--db", db],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "MENTOR_TUI_CONFIG_FILE": str(Path(tmp) / "none.toml")},
            )
            k = 0
            while proc.poll() is None:
                await type_search(letters[k % len(letters)], "keys_during_import")
                k += 1
                if k % 3 == 0:
                    await clear_search()
            out["import_exit_code"] = proc.returncode
        done("export/import")
        await settle()
    out["samples_ms"] = samples
    out["rss_kib"] = peak_rss_kib()


def session(db: str) -> None:
    """Run the scripted session and print its samples as JSON."""
    out: dict[str, Any] = {}
    asyncio.run(_session(db, out))
    print(json.dumps(out))


def main() -> None:
    """``probe.py start|session DB``."""
    mode, db = sys.argv[1], sys.argv[2]
    if mode == "start":
        start(db)
    elif mode == "session":
        session(db)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()

"""Measure every figure of issue 12 beside the bare-app anchor and write ``docs/benchmarks.md``.

For each database size (300, 5,000 and 50,000 cases, built by ``benchmarks/dataset.py``):

1. cold start and peak memory: a new process each time, interleaved anchor, product, anchor,
   product, ... (one warm-up pair first, not counted); the figure is the ratio of the medians;
2. one scripted session in a new process (``benchmarks/probe.py session``): search keystrokes,
   quick filters, opening the case with 200 meetings, back to the list, saving a meeting, keys
   while an export or an import runs; latency from the key event to the painted frame;
3. the export of a project year against hand-written SQL of the same figures
   (``benchmarks/export_sql.py``), interleaved, median of ``--runs``.

The load average (1 minute) is read before and after each figure and printed beside it; the
machine is shared, so a figure measured at a high load is an upper bound.

Usage (from the repository root)::

    python benchmarks/run.py --write docs/benchmarks.md     # the final figures (a quiet moment)
    python benchmarks/run.py --sizes 300 --runs 3           # a short development run
    python benchmarks/run.py --sizes 50000 --only start     # one figure group

Everything runs on a copy of the cached database, so the cache is never changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import DEFAULT_CACHE, ensure_database  # noqa: E402

SIZES = (300, 5000, 50000)
"""Database sizes in cases."""

START_MARK = "<!-- benchmarks/run.py: start -->"
END_MARK = "<!-- benchmarks/run.py: end -->"
"""``docs/benchmarks.md`` keeps everything outside these marks; the runner rewrites what is inside."""


@dataclass
class Figure:
    """One row of the result table."""

    key: str
    name: str
    target: str
    limit: float
    """The target as a number (ratio or milliseconds); measured must be at most this."""
    unit: str
    """``x`` for a ratio to the anchor, ``ms`` for a latency."""
    values: dict[int, float] = field(default_factory=dict)
    detail: dict[int, str] = field(default_factory=dict)
    load: dict[int, str] = field(default_factory=dict)


FIGURES: list[Figure] = [
    Figure("start", "cold start to the case list, ratio to the bare app (median)", "≤ 1.3x", 1.3, "x"),
    Figure("keystroke", "keystroke in the search field to updated list, p95", "≤ 16 ms", 16, "ms"),
    Figure("filter", "quick filter (status / follow-up due) to updated list, p95", "≤ 16 ms", 16, "ms"),
    Figure(
        "back", "back from a case to the list, p95 (viewed / after saving a meeting)", "≤ 16 ms", 16, "ms"
    ),
    Figure("open", "open the case with 200 meetings, p95", "≤ 30 ms", 30, "ms"),
    Figure("memory", "peak memory, ratio to the bare app (median RSS)", "≤ 2.5x", 2.5, "x"),
    Figure("save", "save a meeting, p95", "≤ 10 ms", 10, "ms"),
    Figure("export", "export a project year, ratio to hand-written SQL (median)", "≤ 2x", 2.0, "x"),
    Figure("busy", "keys answered while an export / an import runs, p95", "≤ 100 ms", 100, "ms"),
]


def load() -> float:
    """Return the 1-minute load average."""
    return os.getloadavg()[0]


def p95(samples: list[float]) -> float:
    """Return the 95th percentile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def spread(*groups: list[float]) -> str:
    """Return ``median M, max X, n=N`` for one group of samples, ``/``-separated for several."""
    medians = " / ".join(f"{statistics.median(g):.1f}" for g in groups)
    maxima = " / ".join(f"{max(g):.1f}" for g in groups)
    counts = "/".join(str(len(g)) for g in groups)
    return f"median {medians}, max {maxima}, n={counts}"


def _python() -> str:
    return sys.executable


def _child_env(tmp: Path) -> dict[str, str]:
    # the children import mentor_tui from this checkout, whichever environment runs them (a
    # shared virtualenv's editable install may point at another checkout)
    path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    return {
        **os.environ,
        "PYTHONPATH": path,
        "MENTOR_TUI_CONFIG_FILE": str(tmp / "config.toml"),
        "MENTOR_TUI_DATA_DIR": str(tmp / "data"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _spawn(args: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Run a child that prints a JSON line with ``paint``; return (seconds to paint, its JSON)."""
    start = time.time()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{args[1]} failed ({done.returncode}): {done.stderr[-2000:]}")
    data = json.loads(lines[-1])
    if data.get("paint") is None:
        raise RuntimeError(f"{args[1]} never painted: {done.stderr[-2000:]}")
    return data["paint"] - start, data


def measure_start(db: Path, runs: int, tmp: Path) -> dict[str, Any]:
    """Interleave anchor and product cold starts; return their samples (seconds, KiB)."""
    env = _child_env(tmp)
    anchor = [_python(), str(HERE / "anchor.py")]
    product = [_python(), str(HERE / "probe.py"), "start", str(db)]
    result: dict[str, list[float]] = {
        "anchor_s": [],
        "product_s": [],
        "anchor_cpu_s": [],
        "product_cpu_s": [],
        "anchor_kib": [],
        "product_kib": [],
    }
    for i in range(runs + 1):
        a_time, a = _spawn(anchor, env)
        p_time, p = _spawn(product, env)
        if i == 0:
            continue  # warm-up: file cache, bytecode
        result["anchor_s"].append(a_time)
        result["product_s"].append(p_time)
        result["anchor_cpu_s"].append(a["cpu"])
        result["product_cpu_s"].append(p["cpu"])
        result["anchor_kib"].append(a["rss_kib"])
        result["product_kib"].append(p["rss_kib"])
    return result


def measure_session(db: Path, tmp: Path) -> dict[str, Any]:
    """Run the scripted session in a new process; return its JSON."""
    done = subprocess.run(
        [_python(), str(HERE / "probe.py"), "session", str(db)],
        capture_output=True,
        text=True,
        env=_child_env(tmp),
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"session failed ({done.returncode}): {done.stderr[-4000:]}")
    data: dict[str, Any] = json.loads(lines[-1])
    return data


def measure_export(db: Path, runs: int, tmp: Path) -> dict[str, Any]:
    """Time the product's export of a project year and the hand-written SQL, interleaved."""
    done = subprocess.run(
        [_python(), str(HERE / "export_sql.py"), str(db), "--runs", str(runs), "--json"],
        capture_output=True,
        text=True,
        env=_child_env(tmp),
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"export failed ({done.returncode}): {done.stderr[-4000:]}")
    data: dict[str, Any] = json.loads(lines[-1])
    return data


def _fmt_ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def run_size(
    n: int, runs: int, only: set[str], cache: Path, raw: dict[str, Any], export_runs: int | None = None
) -> None:
    """Measure every figure at one size; fill in :data:`FIGURES` and ``raw``."""
    source = ensure_database(n, cache=cache)
    figures = {f.key: f for f in FIGURES}
    with tempfile.TemporaryDirectory(prefix="mentor-bench-") as name:
        tmp = Path(name)
        db = tmp / "work.db"
        shutil.copyfile(source, db)
        # write the copy out now: otherwise the kernel writes its 830 MB back while the session
        # runs, and a save's fsync waits behind it (saves of 150-360 ms at 50,000 cases)
        os.sync()
        raw[str(n)] = data = {}
        if "start" in only:
            before = load()
            start = measure_start(db, runs, tmp)
            after = load()
            data["start"] = start
            ratio = statistics.median(start["product_s"]) / statistics.median(start["anchor_s"])
            f = figures["start"]
            f.values[n] = ratio
            cpu = statistics.median(start["product_cpu_s"]) / statistics.median(start["anchor_cpu_s"])
            f.detail[n] = (
                f"{statistics.median(start['product_s']) * 1000:.0f} ms vs "
                f"{statistics.median(start['anchor_s']) * 1000:.0f} ms; CPU {cpu:.2f}x"
            )
            f.load[n] = f"{before:.2f} → {after:.2f}"
            anchor_kib = statistics.median(start["anchor_kib"])
            data["anchor_kib"] = anchor_kib
            m = figures["memory"]
            m.values[n] = statistics.median(start["product_kib"]) / anchor_kib
            m.detail[n] = (
                f"start {statistics.median(start['product_kib']) / 1024:.0f} MiB vs "
                f"{anchor_kib / 1024:.0f} MiB"
            )
            m.load[n] = f.load[n]
        if "session" in only:
            before = load()
            session = measure_session(db, tmp)
            after = load()
            data["session"] = session
            s = session["samples_ms"]
            span = f"{before:.2f} → {after:.2f}"

            def put(key: str, value: float, detail: str) -> None:
                figures[key].values[n] = value
                figures[key].detail[n] = detail
                figures[key].load[n] = span

            put(
                "keystroke",
                p95(s["keystroke"]),
                spread(s["keystroke"]),
            )
            status, due = p95(s["filter_status"]), p95(s["filter_due"])
            put(
                "filter",
                max(status, due),
                f"{status:.1f} / {due:.1f}; {spread(s['filter_status'], s['filter_due'])}",
            )
            viewed, saved = p95(s["back_to_list"]), p95(s["back_after_save"])
            put(
                "back",
                max(viewed, saved),
                f"{viewed:.1f} / {saved:.1f}; {spread(s['back_to_list'], s['back_after_save'])}",
            )
            put("open", p95(s["open_case_200"]), spread(s["open_case_200"]))
            put("save", p95(s["save_meeting"]), f"median {statistics.median(s['save_meeting']):.2f}")
            export_keys, import_keys = p95(s["keys_during_export"]), p95(s["keys_during_import"])
            put(
                "busy",
                max(export_keys, import_keys),
                f"{export_keys:.0f} / {import_keys:.0f} (n={len(s['keys_during_export'])}/"
                f"{len(s['keys_during_import'])})",
            )
            if "anchor_kib" in data:
                m = figures["memory"]
                interactive = session["rss_interactive_kib"]
                ratio = interactive / data["anchor_kib"]
                m.values[n] = max(m.values.get(n, 0.0), ratio)
                m.detail[n] += f"; session {interactive / 1024:.0f} MiB"
        if "export" in only:
            before = load()
            export = measure_export(db, export_runs or runs, tmp)
            after = load()
            data["export"] = export
            f = figures["export"]
            f.values[n] = statistics.median(export["product_s"]) / statistics.median(export["sql_s"])
            f.detail[n] = (
                f"{statistics.median(export['product_s']) * 1000:,.0f} ms vs "
                f"{statistics.median(export['sql_s']) * 1000:,.0f} ms"
            )
            f.load[n] = f"{before:.2f} → {after:.2f}"


def machine() -> str:
    """Return a one-line description of this machine and its software."""
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, Textual {textual.__version__}"
    )


def report(sizes: list[int], runs: int, started: str, export_runs: int | None = None) -> str:
    """Return the Markdown for the measured figures."""
    exports = f" --export-runs {export_runs}" if export_runs else ""
    lines = [
        START_MARK,
        f"Measured {started} on {machine()} with `python benchmarks/run.py "
        f"--sizes {' '.join(map(str, sizes))} --runs {runs}{exports}`. Headless, 120x35, warm file cache.",
        "",
        "| figure | target | " + " | ".join(f"{n:,} cases" for n in sizes) + " | verdict at the largest |",
        "|---|---|" + "---|" * len(sizes) + "---|",
    ]
    for f in FIGURES:
        cells = []
        for n in sizes:
            if n in f.values:
                value = f"{f.values[n]:.2f}x" if f.unit == "x" else _fmt_ms(f.values[n])
                cells.append(f"**{value}** ({f.detail[n]}; load {f.load[n]})")
            else:
                cells.append("–")
        largest = max(sizes)
        verdict = "–"
        if largest in f.values:
            verdict = "meets" if f.values[largest] <= f.limit else "**misses**"
        lines.append(f"| {f.name} | {f.target} | " + " | ".join(cells) + f" | {verdict} |")
    lines += ["", END_MARK]
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    """Replace the generated part of ``path`` (between the marks) with ``text``."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if START_MARK in old and END_MARK in old:
        head, rest = old.split(START_MARK, 1)
        tail = rest.split(END_MARK, 1)[1]
        new = head + text + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print (and optionally write) the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    parser.add_argument("--runs", type=int, default=10, help="cold starts and exports per size (median)")
    parser.add_argument(
        "--export-runs", type=int, help="exports per size, if not --runs (a 50,000-case round takes a minute)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=["start", "session", "export"], default=["start", "session", "export"]
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--write", type=Path, metavar="MD", help="update this Markdown file")
    parser.add_argument("--raw", type=Path, metavar="JSON", help="also save every sample here")
    args = parser.parse_args(argv)
    started = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    raw: dict[str, Any] = {}
    # bytecode for the package, as an installed copy has (pip compiles on install); the children
    # run with PYTHONDONTWRITEBYTECODE, so without this every start would compile what changed
    subprocess.run([_python(), "-m", "compileall", "-q", str(HERE.parent / "mentor_tui")], check=True)
    for n in args.sizes:
        print(f"== {n:,} cases (load {load():.2f})", file=sys.stderr)
        run_size(n, args.runs, set(args.only), args.cache, raw, args.export_runs)
    text = report(args.sizes, args.runs, started, args.export_runs)
    print(text)
    if args.write:
        write(args.write, text)
    if args.raw:
        args.raw.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

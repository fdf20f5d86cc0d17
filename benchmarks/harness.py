"""Paint timing for the benchmarks: when did the app last put an update on the screen?

Textual renders changed widgets in ``Screen._on_timer_update``: the compositor renders the dirty
regions and hands the result to ``App._display``, which writes it to the terminal (a headless app
skips only that last write). Wrapping ``App._display`` therefore timestamps the moment a frame is
complete. The same wrapper is used for the product and for the bare-app anchor, so both are
measured to the same point.

Only the standard library and Textual are imported here (the anchor must not load mentor_tui).
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Callable
from typing import Any

from textual.app import App

PaintListener = Callable[[App[Any]], None]
"""Called after every frame the app paints (with the app)."""

_listeners: list[PaintListener] = []
_original_display = App._display


def _display(self: App[Any], screen: Any, renderable: Any) -> None:
    _original_display(self, screen, renderable)
    if renderable is not None and not self._batch_count:
        for listener in list(_listeners):
            listener(self)


App._display = _display  # type: ignore[method-assign]


def on_paint(listener: PaintListener) -> Callable[[], None]:
    """Call ``listener`` after every painted frame; return a function that stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def exit_after_first_paint(predicate: Callable[[App[Any]], bool], record: dict[str, float]) -> None:
    """At the first frame painted while ``predicate(app)`` holds, note the time and exit the app.

    ``record["paint"]`` gets the wall-clock time (``time.time()``, comparable across processes) and
    ``record["cpu"]`` the CPU time the process had used by then (less disturbed by a busy machine).
    """

    def listener(app: App[Any]) -> None:
        if "paint" not in record and predicate(app):
            record["paint"] = time.time()
            record["cpu"] = time.process_time()
            app.exit()

    on_paint(listener)


async def time_to_paint(
    send: Callable[[], None], predicate: Callable[[], bool], timeout: float = 10.0
) -> float:
    """Call ``send()`` and return the seconds until the first frame painted while ``predicate()`` holds.

    Raises:
        TimeoutError: no such frame within ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    painted: asyncio.Future[float] = loop.create_future()

    def listener(_app: App[Any]) -> None:
        if not painted.done() and predicate():
            painted.set_result(time.perf_counter())

    stop = on_paint(listener)
    try:
        start = time.perf_counter()
        send()
        end = await asyncio.wait_for(painted, timeout)
    finally:
        stop()
    return end - start


def peak_rss_kib() -> int:
    """Return the peak resident set size of this process so far, in KiB.

    Linux's ``VmHWM`` (``/proc/self/status``), not ``ru_maxrss``: ``ru_maxrss`` survives
    ``exec``, so a child started by a process that is larger than it reports the parent's size
    (the runner after building the 50,000-case file reported 1,190 MiB for the anchor and the
    app alike). ``ru_maxrss`` only where ``/proc`` is missing.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

"""Python's garbage collector paced between keystrokes, not in the middle of one (issue 12).

Python looks for reference cycles after every N new objects, wherever the program is. In the
app that was in the middle of a key's work about as often as not: a collection of the youngest
objects took 4-8 ms, one of the middle generation 12-26 ms and a full one 30-170 ms at 50,000
cases, added to the key that happened to trigger it (the slowest "back to the list" and quick
filter samples of ``benchmarks/probe.py`` each had one inside). Browsers and game engines do the
same as this module: they collect in the pauses between the user's actions.

:class:`GcPacer` is asked every :data:`CHECK_EVERY` seconds (a timer of the app, stopped while
the app rests, see :data:`REST_AFTER`). When no key,
click or paste came for :data:`IDLE_AFTER` seconds and enough new objects have accumulated, it
collects the youngest generation (or the middle one, every tenth time, as Python would), a few
milliseconds while the user reads the result of the last key. A full collection (everything the
app holds) waits for a longer pause, :data:`FULL_IDLE_AFTER`. Python's own automatic collection
stays on as a backstop (:data:`BACKSTOP`), for long stretches without any pause (a worker thread
that allocates while the user types without a break); it never starts a full collection.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

CHECK_EVERY = 0.05
"""Seconds between two checks (the app's timer)."""

IDLE_AFTER = 0.05
"""Seconds without a key, click or paste before a young collection may run."""

FULL_IDLE_AFTER = 0.5
"""Seconds without a key, click or paste before a full collection may run."""

REST_AFTER = 1.0
"""Seconds without a key, click or paste after which the checks stop until the next one (an idle
app wakes no one: checking every 50 ms cost 0.5% of a CPU)."""

YOUNG_AT = 2_000
"""New container objects (Python's generation-0 count) worth a young collection."""

MIDDLE_EVERY = 10
"""Young collections between two collections of the middle generation (Python's default)."""

FULL_EVERY = 10
"""Middle collections between two full ones (Python's default)."""

FULL_OVERDUE = 4 * FULL_EVERY
"""Middle collections after which a full one runs at the next short pause all the same (memory
must not grow without bound in a session that never pauses for half a second)."""

BACKSTOP = (10_000, 10, 1_000)
"""Python's automatic thresholds while the pacer runs. They trigger only when the pacer could not
keep up (a worker that allocates while the user types without a break): a young collection
then walks at most 10,000 objects (4-8 ms), and a full collection is never started by Python
(1,000 middle collections is never reached: the pacer's own full collections reset the count;
a full collection takes 30-170 ms at 50,000 cases). Python's defaults are 700, 10, 10."""


class GcPacer:
    """Decide when to collect garbage: in the user's pauses.

    Args:
        now: A monotonic clock in seconds (``time.monotonic``; tests pass their own).
        get_count: Python's ``gc.get_count`` (new objects, young and middle collections since).
        collect: Python's ``gc.collect`` (takes the oldest generation to collect: 0, 1 or 2).
    """

    def __init__(
        self,
        now: Callable[[], float] = time.monotonic,
        get_count: Callable[[], tuple[int, int, int]] = gc.get_count,
        collect: Callable[[int], int] = gc.collect,
    ) -> None:
        self._now = now
        self._get_count = get_count
        self._collect = collect
        self._last_input = now()

    def input_seen(self) -> None:
        """A key, click or paste arrived: no collection for the next :data:`IDLE_AFTER` seconds."""
        self._last_input = self._now()

    def idle_for(self) -> float:
        """Seconds since the last key, click or paste (or since the pacer was made)."""
        return self._now() - self._last_input

    def resting(self) -> bool:
        """Whether the checks can stop until the next key: a long pause, nothing left to collect."""
        return self.idle_for() >= REST_AFTER and self._get_count()[0] < YOUNG_AT

    def check(self) -> int | None:
        """Collect if the user has paused and there is enough to collect.

        Returns:
            The generation collected (0 young, 1 middle, 2 full), or ``None`` when nothing ran.
        """
        idle = self.idle_for()
        if idle < IDLE_AFTER:
            return None
        young, middle, full = self._get_count()
        if young < YOUNG_AT:
            return None
        generation = 0
        if middle + 1 >= MIDDLE_EVERY:
            generation = 1
            if full + 1 >= FULL_OVERDUE or (full + 1 >= FULL_EVERY and idle >= FULL_IDLE_AFTER):
                generation = 2
        self._collect(generation)
        return generation


def start_pacing() -> None:
    """Raise Python's automatic thresholds to :data:`BACKSTOP` (the pacer collects instead)."""
    gc.set_threshold(*BACKSTOP)
    if not gc.isenabled():
        gc.enable()

"""The garbage collector runs in the user's pauses, not in the middle of a key (issue 12)."""

from __future__ import annotations

from mentor_tui.gc_pacing import (
    FULL_EVERY,
    FULL_IDLE_AFTER,
    FULL_OVERDUE,
    IDLE_AFTER,
    MIDDLE_EVERY,
    YOUNG_AT,
    GcPacer,
)


class FakeGc:
    """Python's collector as the pacer sees it: a clock, the three counts, and what was collected."""

    def __init__(self) -> None:
        self.time = 100.0
        self.counts = (0, 0, 0)
        self.collected: list[int] = []

    def now(self) -> float:
        return self.time

    def get_count(self) -> tuple[int, int, int]:
        return self.counts

    def collect(self, generation: int) -> int:
        self.collected.append(generation)
        young, middle, full = self.counts
        # what CPython does: the collected generations start again, the next one counts one more
        self.counts = (0, 0, full + 1) if generation == 1 else (0, middle + 1, full)
        if generation == 2:
            self.counts = (0, 0, 0)
        return 0


def pacer() -> tuple[GcPacer, FakeGc]:
    fake = FakeGc()
    return GcPacer(now=fake.now, get_count=fake.get_count, collect=fake.collect), fake


def test_nothing_is_collected_while_the_user_types() -> None:
    p, fake = pacer()
    fake.counts = (YOUNG_AT * 10, MIDDLE_EVERY, FULL_OVERDUE)  # plenty to collect
    for _ in range(20):  # a key every 30 ms
        p.input_seen()
        fake.time += IDLE_AFTER * 0.6
        assert p.check() is None
    assert fake.collected == []


def test_a_pause_collects_the_young_objects_once_there_are_enough() -> None:
    p, fake = pacer()
    p.input_seen()
    fake.time += IDLE_AFTER * 1.5
    fake.counts = (YOUNG_AT - 1, 0, 0)
    assert p.check() is None  # too few new objects to be worth it
    fake.counts = (YOUNG_AT, 0, 0)
    assert p.check() == 0
    assert p.check() is None  # nothing new since
    assert fake.collected == [0]


def test_every_tenth_collection_takes_the_middle_generation_too() -> None:
    p, fake = pacer()
    fake.time += IDLE_AFTER * 1.5
    for _ in range(MIDDLE_EVERY):
        fake.counts = (YOUNG_AT, fake.counts[1], fake.counts[2])
        p.check()
    assert fake.collected == [0] * (MIDDLE_EVERY - 1) + [1]


def test_a_full_collection_waits_for_a_longer_pause() -> None:
    p, fake = pacer()
    p.input_seen()
    fake.time += IDLE_AFTER * 1.5
    fake.counts = (YOUNG_AT, MIDDLE_EVERY - 1, FULL_EVERY - 1)  # a full one is due
    assert p.check() == 1  # a short pause: only the middle generation
    fake.time += FULL_IDLE_AFTER * 1.5
    fake.counts = (YOUNG_AT, MIDDLE_EVERY - 1, FULL_EVERY - 1)
    assert p.check() == 2  # a long pause: everything


def test_an_overdue_full_collection_runs_at_the_next_short_pause() -> None:
    """A session without half a second's pause still frees its cycles (memory stays bounded)."""
    p, fake = pacer()
    p.input_seen()
    fake.time += IDLE_AFTER * 1.5
    fake.counts = (YOUNG_AT, MIDDLE_EVERY - 1, FULL_OVERDUE - 1)
    assert p.check() == 2


def test_the_checks_rest_after_a_long_pause_with_nothing_to_collect() -> None:
    from mentor_tui.gc_pacing import REST_AFTER

    p, fake = pacer()
    p.input_seen()
    fake.counts = (YOUNG_AT - 1, 0, 0)
    fake.time += REST_AFTER * 0.5
    assert not p.resting()  # a short pause: the user may go on
    fake.time += REST_AFTER
    assert p.resting()
    fake.counts = (YOUNG_AT, 0, 0)
    assert not p.resting()  # something to collect first


def test_the_pause_so_far_counts_from_the_last_key() -> None:
    # the app composes the case screen ahead only in such a pause (app.PREPARE_IDLE)
    p, fake = pacer()
    fake.time += 2.0
    assert p.idle_for() == 2.0  # no key yet: since the start
    p.input_seen()
    assert p.idle_for() == 0.0
    fake.time += 0.25
    assert p.idle_for() == 0.25

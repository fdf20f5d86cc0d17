"""Synthetic demo data (issue 2 item 5). Stub: the generator is being written."""

from __future__ import annotations

import datetime as dt

from mentor_tui.storage.repositories import Repositories

DEMO_SEED = 2024
"""Default seed: the same seed and day give the same data."""


def populate_demo(repos: Repositories, *, today: dt.date, seed: int = DEMO_SEED, n_cases: int = 300) -> None:
    """Fill an empty database with synthetic cases spread over the 18 months before ``today``."""

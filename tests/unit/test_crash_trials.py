"""Crash trials in the suite (issue 10 item 7): 50 writers killed with SIGKILL at random moments;
every commit they reported is in the file and ``integrity_check`` is ok after each. The
1,000-trial run is ``benchmarks/crash_trials.py``."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "crash_trials.py"


def _crash_trials() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_trials", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_trials"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork and SIGKILL")
def test_fifty_killed_writers_lose_no_reported_commit_and_break_nothing(tmp_path: Path) -> None:
    outcome = _crash_trials().run_trials(tmp_path / "crash.db", 50, seed=20261130, max_ms=120)
    assert outcome.trials == 50
    assert outcome.reported > 0  # the writers did commit between the kills
    assert outcome.killed_mid_save > 0  # and were killed mid-save too
    assert outcome.open_failures == []
    assert outcome.integrity_failures == []
    assert outcome.missing == []

"""``mentor-tui export``: write anonymised counts to CSV, XLSX or JSON (issue 4)."""

from __future__ import annotations

import argparse

from mentor_tui.config import Settings
from mentor_tui.storage.repositories import Repositories


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export options to ``parser``."""
    parser.add_argument("--period", help="2026-W47, PY1, PY1-Q1 (default: last complete ISO week)")
    parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
    parser.add_argument("--out", help="output file or directory (default: current directory)")
    parser.add_argument("--internal", action="store_true", help="exact counts, no suppression")


def run(args: argparse.Namespace, repos: Repositories, settings: Settings) -> int:
    """Run the export; return the process exit code."""
    raise NotImplementedError("export is not implemented yet")

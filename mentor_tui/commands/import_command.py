"""``mentor-tui import FILE``: bring spreadsheet registrations in (issue 4)."""

from __future__ import annotations

import argparse

from mentor_tui.config import Settings
from mentor_tui.storage.repositories import Repositories


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the import options to ``parser``."""
    parser.add_argument("file", help="CSV or XLSX file with a header row")


def run(args: argparse.Namespace, repos: Repositories, settings: Settings) -> int:
    """Run the import; return the process exit code."""
    raise NotImplementedError("import is not implemented yet")

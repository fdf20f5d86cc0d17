"""``mentor-tui import FILE``: bring spreadsheet registrations in (issue 4 item 8).

The file format is described in ``docs/import.md``. Every row is checked first; when any row is
bad nothing is imported and each bad row is listed with its line number (exit code 2). Otherwise
all rows are written in one transaction and a summary is printed (exit code 0). Importing the
same file again adds nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from mentor_tui.config import Settings
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.importing.importer import (
    PROGRESS_MIN_BYTES,
    Importer,
    ImportResult,
    RowProblem,
    Stage,
)
from mentor_tui.services.importing.reader import ImportFileError
from mentor_tui.storage.repositories import Repositories

T = Catalog(
    {
        "progress": ("Importerer", "Importing"),
        "stage:read": ("Læser og tjekker rækker", "Reading and checking rows"),
        "stage:check": ("Tjekker forløb", "Checking cases"),
        "stage:write": ("Skriver", "Writing"),
        "first_problems": (
            "Fejl fundet (intet bliver importeret); læser videre for at finde resten:",
            "Problems found (nothing will be imported); reading on to find the rest:",
        ),
        "encoding": ("  Tegnkodning: {encoding}", "  Encoding: {encoding}"),
        "imported": (
            "Importeret fra {file}: {rows} rækker",
            "Imported from {file}: {rows} rows",
        ),
        "checked": (
            "Tjekket {file}: {rows} rækker er i orden (intet skrevet, --dry-run)",
            "Checked {file}: {rows} rows are fine (nothing written, --dry-run)",
        ),
        "counts": (
            "  personer {persons}, forløb {cases}, henvisninger {referrals}, opstarter {starts}, "
            "møder {meetings}, resultater {outcomes}, afslutninger {closures}, "
            "samtykker {consents}, medarbejdere {staff}",
            "  persons {persons}, cases {cases}, referrals {referrals}, starts {starts}, "
            "meetings {meetings}, outcomes {outcomes}, closures {closures}, "
            "consents {consents}, staff {staff}",
        ),
        "skipped": (
            "  {n} rækker fandtes allerede (fra en tidligere import eller som startmødet) og blev "
            "sprunget over",
            "  {n} rows were already there (from an earlier import, or as the start meeting) and "
            "were skipped",
        ),
        "nothing_new": ("  Intet nyt at importere.", "  Nothing new to import."),
        "warnings": ("Advarsler (blokerer ikke):", "Warnings (not blocking):"),
        "bad": (
            "Intet importeret: {n} fejl i {file}. Ret rækkerne og importér igen:",
            "Nothing imported: {n} problems in {file}. Fix the rows and import again:",
        ),
        "error": ("mentor-tui import: {message}", "mentor-tui import: {message}"),
    }
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the import options to ``parser``."""
    parser.add_argument("file", help="CSV or XLSX file with a header row (see docs/import.md)")
    parser.add_argument(
        "--dry-run", action="store_true", help="check and count only; write nothing to the database"
    )


class TextProgress:
    """A one-line text progress bar, redrawn on ``stream`` whenever the percentage changes."""

    def __init__(self, stream: TextIO, *, label: str, width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        """Draw ``done`` of ``total``; ends the line when ``done`` reaches ``total``."""
        if total <= 0:
            return
        percent = done * 100 // total
        if percent == self._last:
            return
        self._last = percent
        filled = self.width * done // total
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} ({percent}%)")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


EARLY_PROBLEMS = 10
"""How many problems the CLI prints the moment they are found, before the full list at the end."""


def run(args: argparse.Namespace, repos: Repositories, settings: Settings) -> int:
    """Run the import; return the process exit code (0 imported or nothing new, 2 problems).

    Progress goes to stderr for files over :data:`PROGRESS_MIN_BYTES`; the first
    :data:`EARLY_PROBLEMS` problems are printed to stderr as soon as they are found.
    """
    path = Path(args.file).expanduser()
    importer = Importer(repos, a3_max_age=settings.a3_max_age)
    dry_run = bool(getattr(args, "dry_run", False))
    big = path.is_file() and path.stat().st_size > PROGRESS_MIN_BYTES
    bars: dict[str, TextProgress] = {}
    early: list[RowProblem] = []

    def progress(stage: Stage, done: int, total: int) -> None:
        if big and total > 0:
            bar = bars.setdefault(stage, TextProgress(sys.stderr, label=T(f"stage:{stage}")))
            bar(done, total)

    def on_problem(problem: RowProblem) -> None:
        if len(early) < EARLY_PROBLEMS:
            if not early:
                sys.stderr.write(("\n" if bars else "") + T("first_problems") + "\n")
            early.append(problem)
            sys.stderr.write(f"  {problem.text(lang())}\n")
            sys.stderr.flush()

    try:
        result = importer.import_file(
            path, progress=progress, on_problem=on_problem if big else None, dry_run=dry_run
        )
    except ImportFileError as exc:
        print(T("error", message=exc.text(lang())), file=sys.stderr)
        return 2
    return report(result, path, sys.stdout, sys.stderr, dry_run=dry_run)


def report(result: ImportResult, path: Path, out: TextIO, err: TextIO, *, dry_run: bool = False) -> int:
    """Print the summary (to ``out``) or the bad rows (to ``err``); return the exit code."""
    language = lang()
    if not result.ok:
        print(T("bad", n=len(result.problems), file=path.name), file=err)
        for problem in result.problems:
            print(f"  {problem.text(language)}", file=err)
        return 2
    c = result.counts
    key = "checked" if dry_run else "imported"
    print(T(key, file=path.name, rows=result.rows), file=out)
    if result.encoding is not None:
        print(T("encoding", encoding=result.encoding), file=out)
    if any(
        (c.persons, c.staff, c.cases, c.referrals, c.consents, c.meetings, c.outcomes, c.closures, c.starts)
    ):
        print(
            T(
                "counts",
                persons=c.persons,
                cases=c.cases,
                referrals=c.referrals,
                starts=c.starts,
                meetings=c.meetings,
                outcomes=c.outcomes,
                closures=c.closures,
                consents=c.consents,
                staff=c.staff,
            ),
            file=out,
        )
    else:
        print(T("nothing_new"), file=out)
    if c.skipped_rows:
        print(T("skipped", n=c.skipped_rows), file=out)
    if result.warnings:
        print(T("warnings"), file=out)
        for warning in result.warnings:
            print(f"  {warning.text(language)}", file=out)
    return 0

"""``mentor-tui export``: write anonymised counts to CSV, XLSX or JSON (issue 4).

Examples::

    mentor-tui export                              # last complete ISO week, CSV, current directory
    mentor-tui export --period PY1-Q1 --format xlsx --out rapporter/
    mentor-tui export --from 01-01-2026 --to 31-03-2026 --format json
    mentor-tui export --period 2026-W47 --internal  # exact counts, file name says INTERNAL
    mentor-tui export --period PY3-Q1 --out kvartal.xlsx --force   # overwrite kvartal.xlsx

Errors (a bad period, a period that has not ended, an existing file without ``--force``, a
database as the target, a threshold below 3, a file that cannot be written) are raised as
:class:`~mentor_tui.errors.MentorError`; ``mentor_tui.__main__`` prints them in the user's
language and exits with code 2. Nothing is half-written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import cast

from mentor_tui.config import Settings
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.counts.export import (
    FORMATS,
    ExportFormat,
    compute_export,
    metadata_path,
    name_warnings,
    output_path,
    save_export,
)
from mentor_tui.services.counts.periods import Period, date_range, last_complete_week, parse_period
from mentor_tui.storage.repositories import Repositories

T = Catalog(
    {
        "written": ("Skrev {path}", "Wrote {path}"),
        "incomplete": (
            "UFULDSTÆNDIG: perioden er ikke slut; talt til og med {day}",
            "INCOMPLETE: the period has not ended; counted up to and including {day}",
        ),
        "internal": (
            "INTERN: eksakte tal uden diskretionering; må ikke deles",
            "INTERNAL: exact counts without suppression; do not share",
        ),
        "period_and_range": (
            "Brug enten --period eller --from/--to, ikke begge",
            "Use either --period or --from/--to, not both",
        ),
        "range_half": (
            "--from og --to skal bruges sammen",
            "--from and --to must be given together",
        ),
        "format_suffix": (
            "Filnavnet {name} passer ikke til formatet {fmt}",
            "The file name {name} does not match the format {fmt}",
        ),
    }
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export options to ``parser``."""
    parser.add_argument(
        "--period",
        help="2026-W47 (ISO week), PY1 (project year from 1 Oct), PY1-Q1 (project quarter) "
        "or 2026-01-01..2026-03-31 (default: the last complete ISO week)",
    )
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="first day (dd-mm-yyyy or ISO)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day, included")
    parser.add_argument(
        "--format",
        choices=list(FORMATS),
        default=None,
        help="file format (default: from the --out suffix, else csv)",
    )
    parser.add_argument("--out", metavar="PATH", help="output file or directory (default: current directory)")
    parser.add_argument(
        "--internal",
        action="store_true",
        help="exact counts without suppression; the file is marked INTERNAL",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite an existing export file (never a database, not even with --force)",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="export a period that has not ended, counted up to today; the file says it is incomplete",
    )
    parser.add_argument(
        "--threshold",
        type=int,
        metavar="N",
        help="suppress counts from 1 to N-1 (default: suppression_threshold in the config, 5; at least 3)",
    )


def choose_period(args: argparse.Namespace, repos: Repositories) -> Period:
    """Return the period the arguments ask for (default: the last complete ISO week).

    Raises:
        MentorError: both ``--period`` and ``--from/--to``, only one of ``--from``/``--to``, or
            a period that cannot be read.
    """
    date_from = getattr(args, "date_from", None)
    date_to = getattr(args, "date_to", None)
    if args.period and (date_from or date_to):
        raise MentorError(T.bilingual("period_and_range"))
    if bool(date_from) != bool(date_to):
        raise MentorError(T.bilingual("range_half"))
    if date_from and date_to:
        return date_range(date_from, date_to)
    if args.period:
        return parse_period(args.period)
    return last_complete_week(repos.clock.today())


def choose_format(args: argparse.Namespace) -> ExportFormat:
    """Return ``--format``, else the ``--out`` suffix if it is a known format, else ``csv``.

    Raises:
        MentorError: ``--format`` and the ``--out`` suffix disagree.
    """
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    if args.format:
        if suffix in FORMATS and suffix != args.format:
            raise MentorError(T.bilingual("format_suffix", name=Path(args.out).name, fmt=args.format))
        return cast(ExportFormat, args.format)
    return suffix if suffix in FORMATS else "csv"


def run(args: argparse.Namespace, repos: Repositories, settings: Settings) -> int:
    """Run the export, record it in ``export_run`` and print the written path; return 0.

    Raises:
        MentorError: bad arguments or the file cannot be written (exit code 2 from the CLI).
    """
    period = choose_period(args, repos)
    fmt = choose_format(args)
    threshold = (
        args.threshold if getattr(args, "threshold", None) is not None else settings.suppression_threshold
    )
    result = compute_export(
        repos,
        period,
        threshold=threshold,
        internal=args.internal,
        allow_incomplete=getattr(args, "allow_incomplete", False),
    )
    path = output_path(args.out, period, fmt, internal=args.internal, complete=result.complete)
    for warning in name_warnings(path, internal=args.internal):
        print(warning.text(lang()), file=sys.stderr)
    save_export(repos, result, fmt, path, force=getattr(args, "force", False))
    print(T("written", path=path))
    if fmt == "csv":
        print(T("written", path=metadata_path(path)))
    if args.internal:
        print(T("internal"))
    if not result.complete:
        print(T("incomplete", day=result.window.end.isoformat()))
    return 0

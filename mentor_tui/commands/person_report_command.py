"""``mentor-tui person-report``: everything stored about one person (issue 13 item 5, right of access).

Examples::

    mentor-tui person-report "Amal K"                  # text in the UI language
    mentor-tui person-report "Amal K" --lang en
    mentor-tui person-report "Amal K" --format json > amal.json
    mentor-tui person-report --id 3f2c9a1e             # one of several with the same label

The label is compared as the app's search does (case, accents as typed and extra spaces do not
matter) but must match whole: "Amal" does not find "Amal K". Several persons with the label are
listed (label, birth month, area, cases, id) and nothing is printed about any of them until one is
chosen with ``--id``. The report is printed to the terminal; redirecting it to a file makes a file
with personal data: keep it as safe as the database and delete it when it has been handed over.
"""

from __future__ import annotations

import argparse
import sys

from mentor_tui.i18n import lang
from mentor_tui.services.security.person_report import (
    AmbiguousLabelError,
    build_report,
    describe_candidate,
    find_person,
    render_json,
    render_text,
)
from mentor_tui.storage.repositories import Repositories


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``person-report``."""
    parser.add_argument("label", nargs="?", default="", help="the person's label, whole (as in the app)")
    parser.add_argument(
        "--id",
        dest="person_id",
        metavar="ID",
        help="the person's id, or its first characters (when several persons share a label)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or JSON")


def run(args: argparse.Namespace, repos: Repositories) -> int:
    """Print the report; return 0, or 2 when several persons match (they are listed).

    Raises:
        PersonNotFoundError: nobody has the label or id (nothing is printed about anyone).
    """
    try:
        person_id = find_person(repos, args.label, args.person_id)
    except AmbiguousLabelError as exc:
        print(exc.text(), file=sys.stderr)
        for candidate in exc.candidates:
            print(f"  {describe_candidate(candidate).text()}", file=sys.stderr)
        return 2
    report = build_report(repos, person_id)
    current = lang()
    sys.stdout.write(render_json(report, current) if args.format == "json" else render_text(report, current))
    return 0

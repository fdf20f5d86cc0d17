"""``mentor-tui retention``: anonymise the persons whose cases were closed long enough ago (issue 13 item 4).

Examples::

    mentor-tui retention --dry-run   # who would be anonymised; nothing is written
    mentor-tui retention             # lists them, asks, then anonymises them
    mentor-tui retention --yes       # no question (a scheduled run)

The period is ``retention_months`` in the config file (default 24; the DPO's to set). The
listing shows the labels: it is the user's own data, on the laptop where the app shows the same
labels, printed to their own terminal and never logged or written to a file. The audit trail
records the run (when, the cut-off day, how many persons, who), never a label.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from mentor_tui.codes import CaseStatus
from mentor_tui.config import Settings
from mentor_tui.dates import format_date
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.services.security import retention
from mentor_tui.services.security.retention import DuePerson, RetentionPlan
from mentor_tui.storage.repositories import Repositories

T = Catalog(
    {
        "none": (
            "Ingen personer skal anonymiseres: alle har et åbent forløb eller en registrering efter "
            "{cutoff} ({months} måneder før i dag).",
            "No persons are due for anonymisation: each has an open case or a record after {cutoff} "
            "({months} months before today).",
        ),
        "heading": (
            "{n} person(er) uden åbent forløb og uden registreringer efter {cutoff} ({months} måneder "
            "før i dag). Kaldenavn, fødselsmåned, køn, ydelse, parathed, annulleringsbegrundelser og "
            "genåbningsnoter slettes; forløbene tælles fortsat med uden at kunne knyttes til nogen:",
            "{n} person(s) with no open case and no record after {cutoff} ({months} months before "
            "today). Label, birth month, gender, benefit, readiness, void reasons and reopening notes "
            "are removed; the cases are still counted but can no longer be linked to anyone:",
        ),
        "person": (
            "{n:>3}. {label} · født {born} · {area}{voided} · sidste registrering {last}",
            "{n:>3}. {label} · born {born} · {area}{voided} · last record {last}",
        ),
        "voided-person": (" · annulleret", " · voided"),
        "case-closed": ("afsluttet {date}", "closed {date}"),
        "case-voided": ("annulleret", "voided"),
        "dry-run": (
            "Prøvekørsel: intet er ændret. Kør «mentor-tui retention» for at anonymisere.",
            "Dry run: nothing was changed. Run “mentor-tui retention” to anonymise.",
        ),
        "confirm": (
            "Anonymisér {n} person(er)? Det kan ikke fortrydes. Skriv ja for at fortsætte: ",
            "Anonymise {n} person(s)? This cannot be undone. Type yes to go on: ",
        ),
        "cancelled": ("Afbrudt: intet er ændret.", "Cancelled: nothing was changed."),
        "done": (
            "{n} person(er) anonymiseret ({cases} forløb). {trail} rækker i revisionssporet er renset "
            "for værdier. Filen er skrevet om, så de gamle værdier ikke ligger tilbage i den.",
            "{n} person(s) anonymised ({cases} cases). {trail} audit trail rows had their values "
            "redacted. The file was rewritten so the old values are not left in it.",
        ),
        "wal-busy": (
            "Et andet program har databasen åben, så dens -wal-fil kunne ikke tømmes endnu; det sker, "
            "når programmet lukker. Luk mentor-tui og kør kommandoen igen for at være sikker.",
            "Another program has the database open, so its -wal file could not be emptied yet; that "
            "happens when it closes. Close mentor-tui and run the command again to be sure.",
        ),
        "backups": (
            "Sikkerhedskopier fra før i dag indeholder stadig de gamle værdier, indtil de roteres ud "
            "(de {keep} nyeste gemmes). Se docs/security.md.",
            "Backups from before today still hold the old values until they rotate out (the newest "
            "{keep} are kept). See docs/security.md.",
        ),
    }
)

NEEDS_YES = Bilingual(
    "Der er ingen terminal at spørge i: tilføj --yes for at anonymisere uden at blive spurgt "
    "(se først hvem med --dry-run).",
    "There is no terminal to ask in: add --yes to anonymise without a question (see who first "
    "with --dry-run).",
)

YES_WORDS = frozenset({"ja", "j", "yes", "y"})
"""Answers that confirm (either language)."""

Confirm = Callable[[str], str]
"""Asks a question on the terminal and returns the answer (``input``)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``retention``."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="only list who would be anonymised; nothing is written",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before anonymising")


def _person_lines(n: int, person: DuePerson) -> list[str]:
    lines = [
        T(
            "person",
            n=n,
            label=person.label,
            born=person.birth_ym,
            area=person.area.label,
            voided=T.bilingual("voided-person") if person.voided else "",
            last=format_date(person.last_day),
        )
    ]
    for case in person.cases:
        if case.voided:
            state = T("case-voided")
        elif case.status is CaseStatus.AFSLUTTET and case.closed is not None:
            state = T("case-closed", date=format_date(case.closed))
        else:
            state = case.status.label()
        lines.append(f"       - {case.activity.label()} ({state})")
    return lines


def listing(plan: RetentionPlan) -> str:
    """The persons of ``plan`` as the command prints them."""
    values = {"n": len(plan.persons), "cutoff": format_date(plan.cutoff), "months": plan.months}
    if not plan.persons:
        return T("none", **values)
    lines = [T("heading", **values)]
    for n, person in enumerate(plan.persons, 1):
        lines += _person_lines(n, person)
    return "\n".join(lines)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def run(
    args: argparse.Namespace,
    repos: Repositories,
    settings: Settings,
    *,
    confirm: Confirm = input,
    interactive: bool | None = None,
) -> int:
    """List who is due; unless ``--dry-run``, ask (or take ``--yes``) and anonymise them. Returns 0.

    Raises:
        MentorError: no terminal to ask in and no ``--yes``; a write failed (nothing written).
    """
    plan = retention.plan(repos, settings.retention_months)
    print(listing(plan))
    if not plan.persons:
        return 0
    if args.dry_run:
        print(T("dry-run"))
        return 0
    if not args.yes:
        if not (_interactive() if interactive is None else interactive):
            raise MentorError(NEEDS_YES)
        answer = confirm(T("confirm", n=len(plan.persons)))
        if answer.strip().casefold() not in YES_WORDS:
            print(T("cancelled"))
            return 1
    result = retention.run(repos, plan)
    print(T("done", n=result.persons, cases=result.cases, trail=result.trail_rows))
    if not result.wal_emptied:
        print(T("wal-busy"), file=sys.stderr)
    print(T("backups", keep=settings.backup_keep))
    return 0

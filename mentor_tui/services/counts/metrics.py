"""The metrics: their stable codes and labels, their dimensions and tables, and how they are counted.

Counting runs one grouped SQL query per metric and period (:mod:`mentor_tui.storage.counts`),
never one per cell; this module adds every ``ALL`` margin. Definitions (DOMAIN.md 3.3, 3.6 and
7.3 rule 8; for users in ``docs/export.md``):

- activity is the case's activity, area the case's ``area`` snapshot, and the age band the
  person's age on the date of the counted event (birthday = the 1st of the birth month; for a
  person anonymised by retention, the band kept for that date, ``person.kept_age_bands``);
- E1-E5 count distinct persons with a qualifying outcome dated in the period;
- REFERRALS, CASES_STARTED, MEETINGS, CASES_CLOSED and OUTCOMES count events in the period;
- CASES_ACTIVE counts cases active on at least one day of the period (age on its last day).

Voided rows never count. Rows whose activity, area, age band or breakdown code is not one of the
export's codes are left out entirely, so that every total equals the sum of its parts (for the
event metrics).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Literal

from mentor_tui.ages import person_age_band
from mentor_tui.codes import (
    CASE_ACTIVITIES,
    AgeBand,
    Area,
    ClosureReason,
    Code,
    Lang,
    MeetingType,
    OutcomeType,
    ReferralSource,
    StartMode,
)
from mentor_tui.i18n import Bilingual
from mentor_tui.storage import counts as queries

if TYPE_CHECKING:
    from sqlite_utils import Database

ALL = "ALL"
"""The code of a dimension's total."""

Key = tuple[str, str, str, str]
"""A cell's coordinates: ``(activity, area, age_band, breakdown)``, each a code or ``ALL``."""

Counts = dict[Key, int]
"""Non-zero counts of one metric, every margin included."""

Dim = Literal["activity", "area", "age_band", "breakdown"]
"""A dimension of the counts."""

DIMS: tuple[Dim, ...] = ("activity", "area", "age_band", "breakdown")
"""The dimensions in key order."""

ACTIVITY_CODES: tuple[str, ...] = tuple(a.value for a in CASE_ACTIVITIES)
"""Activities in the export: the case activities."""

AREA_CODES: tuple[str, ...] = tuple(a.value for a in Area)
"""Areas in the export: the six plan areas and ``UDEN_FOR_OMRAADE``."""

AGE_BAND_CODES: tuple[str, ...] = tuple(b.value for b in AgeBand)
"""Age bands in the export."""

DIM_NAMES: dict[Dim, Bilingual] = {
    "activity": Bilingual("Aktivitet", "Activity"),
    "area": Bilingual("Område", "Area"),
    "age_band": Bilingual("Aldersgruppe", "Age band"),
    "breakdown": Bilingual("Opdeling", "Breakdown"),
}
"""The name of each dimension (a metric names its breakdown itself)."""

TOTAL_LABEL = Bilingual("I alt", "Total")
"""How a dimension's total (``ALL``) is labelled."""

Unit = Literal["persons", "events", "cases"]
"""What a metric counts: distinct persons, events on a date, or cases active during the period."""


@dataclass(frozen=True)
class Metric:
    """One exported count, with a stable code and labels in both languages."""

    code: str
    title: Bilingual
    """What it counts, in a sentence."""
    short: Bilingual
    """The line of the summary."""
    unit: Unit
    breakdown: type[Code] | None = None
    """The code list of the breakdown dimension, or ``None``."""
    breakdown_name: Bilingual | None = None
    """What the breakdown is (e.g. "Henvisningskilde")."""
    age_table: bool = True
    """Whether the file has a table by age band (E1-E4 are defined by their age band)."""
    area_cross: bool = True
    """Whether the file has the activity × area table (the delivery counts per activity)."""

    def label(self, lang: Lang = "da") -> str:
        """Return the title in ``lang``."""
        return self.title.text(lang)

    @property
    def distinct_persons(self) -> bool:
        """True when the metric counts distinct persons: its parts may add up to more than its total."""
        return self.unit == "persons"

    @property
    def breakdown_codes(self) -> tuple[str, ...]:
        """The breakdown values besides ``ALL``."""
        return tuple(c.value for c in self.breakdown) if self.breakdown else ()

    def codes(self, dim: Dim) -> tuple[str, ...]:
        """Return the codes of ``dim`` (without ``ALL``), in file order."""
        if dim == "activity":
            return ACTIVITY_CODES
        if dim == "area":
            return AREA_CODES
        if dim == "age_band":
            return AGE_BAND_CODES
        return self.breakdown_codes

    def dim_name(self, dim: Dim) -> Bilingual:
        """Return the name of ``dim`` for this metric (the breakdown's own name)."""
        if dim == "breakdown" and self.breakdown_name is not None:
            return self.breakdown_name
        return DIM_NAMES[dim]

    @property
    def one_way(self) -> tuple[Dim, ...]:
        """The dimensions this metric has a one-way table of, in file order."""
        dims: list[Dim] = ["activity", "area"]
        if self.age_table:
            dims.append("age_band")
        if self.breakdown is not None:
            dims.append("breakdown")
        return tuple(dims)

    @property
    def two_way(self) -> tuple[tuple[Dim, Dim], ...]:
        """The two-way tables: activity × breakdown and activity × area (issue 7 item 1c)."""
        pairs: list[tuple[Dim, Dim]] = []
        if self.breakdown is not None:
            pairs.append(("activity", "breakdown"))
        if self.area_cross:
            pairs.append(("activity", "area"))
        return tuple(pairs)


INDICATOR_RULES: dict[str, tuple[frozenset[OutcomeType], AgeBand | None]] = {
    "E1": (frozenset({OutcomeType.UDDANNELSE_STARTET, OutcomeType.ORDINAERT_JOB}), AgeBand.B18_29),
    "E2": (frozenset({OutcomeType.PRAKTIKPLADS, OutcomeType.LOENTILSKUD}), AgeBand.B18_29),
    "E3": (frozenset({OutcomeType.UDDANNELSE_STARTET, OutcomeType.ORDINAERT_JOB}), AgeBand.B30_64),
    "E4": (frozenset({OutcomeType.PRAKTIKPLADS, OutcomeType.LOENTILSKUD}), AgeBand.B30_64),
    "E5": (frozenset({OutcomeType.FRITIDSJOB}), None),
}
"""The outcome types and the age band (on the outcome date) of each indicator (DOMAIN.md 7.3 rule 8)."""

INDICATORS: tuple[str, ...] = tuple(INDICATOR_RULES)
"""The distinct-person indicators E1-E5."""


def _indicator(code: str, title: Bilingual, short: Bilingual, *, age_table: bool) -> Metric:
    return Metric(code, title, short, "persons", age_table=age_table, area_cross=False)


METRICS: tuple[Metric, ...] = (
    _indicator(
        "E1",
        Bilingual(
            "Personer 18-29 år, der er startet i uddannelse eller har fået ordinært job",
            "Persons aged 18-29 who started education or got an ordinary job",
        ),
        Bilingual("E1 18-29 år: uddannelse eller ordinært job", "E1 18-29: education or ordinary job"),
        age_table=False,
    ),
    _indicator(
        "E2",
        Bilingual(
            "Personer 18-29 år, der har opnået praktikplads eller løntilskud",
            "Persons aged 18-29 who obtained a work placement or a wage-subsidy job",
        ),
        Bilingual("E2 18-29 år: praktikplads eller løntilskud", "E2 18-29: placement or wage subsidy"),
        age_table=False,
    ),
    _indicator(
        "E3",
        Bilingual(
            "Personer 30-64 år, der har opnået ordinært arbejde eller påbegyndt uddannelse",
            "Persons aged 30-64 who got ordinary work or started education",
        ),
        Bilingual("E3 30-64 år: ordinært arbejde eller uddannelse", "E3 30-64: ordinary work or education"),
        age_table=False,
    ),
    _indicator(
        "E4",
        Bilingual(
            "Personer 30-64 år, der har opnået praktikplads eller løntilskud",
            "Persons aged 30-64 who obtained a work placement or a wage-subsidy job",
        ),
        Bilingual("E4 30-64 år: praktikplads eller løntilskud", "E4 30-64: placement or wage subsidy"),
        age_table=False,
    ),
    _indicator(
        "E5",
        Bilingual("Unge, der har fået fritidsjob", "Young people who got a leisure job"),
        Bilingual("E5 unge: fritidsjob", "E5 young people: leisure job"),
        age_table=True,
    ),
    Metric(
        "REFERRALS",
        Bilingual("Modtagne henvisninger", "Referrals received"),
        Bilingual("Henvisninger", "Referrals"),
        "events",
        ReferralSource,
        Bilingual("Henvisningskilde", "Referral source"),
    ),
    Metric(
        "CASES_STARTED",
        Bilingual("Startede forløb", "Cases started"),
        Bilingual("Startede forløb", "Cases started"),
        "events",
        StartMode,
        Bilingual("Opstartsform", "Start mode"),
    ),
    Metric(
        "CASES_ACTIVE",
        Bilingual(
            "Forløb aktive på mindst én dag i perioden", "Cases active on at least one day of the period"
        ),
        Bilingual("Aktive forløb", "Active cases"),
        "cases",
    ),
    Metric(
        "CASES_CLOSED",
        Bilingual("Afsluttede forløb", "Cases closed"),
        Bilingual("Afsluttede forløb", "Cases closed"),
        "events",
        ClosureReason,
        Bilingual("Afslutningsårsag", "Closure reason"),
    ),
    Metric(
        "MEETINGS",
        Bilingual("Afholdte møder (planlagte tælles ikke)", "Meetings held (planned ones do not count)"),
        Bilingual("Afholdte møder", "Meetings held"),
        "events",
        MeetingType,
        Bilingual("Mødetype", "Meeting type"),
    ),
    Metric(
        "OUTCOMES",
        Bilingual("Resultater", "Outcomes"),
        Bilingual("Resultater", "Outcomes"),
        "events",
        OutcomeType,
        Bilingual("Resultattype", "Outcome type"),
    ),
)
"""Every metric, in the order the files list them."""

METRIC_BY_CODE: dict[str, Metric] = {m.code: m for m in METRICS}
"""The metrics by code."""


# -- margins ----------------------------------------------------------------------------------


def margins(key: Key) -> Iterator[Key]:
    """Yield ``key`` and every key made from it by replacing coordinates with ``ALL``."""
    for k in product(*(((v, ALL) if v != ALL else (ALL,)) for v in key)):
        yield (k[0], k[1], k[2], k[3])


def _valid(metric: Metric, key: Key) -> bool:
    return all(v == ALL or v in metric.codes(dim) for v, dim in zip(key, DIMS, strict=True))


def _expand(metric: Metric, groups: Iterable[tuple[Key, int]]) -> Counts:
    counts: Counts = defaultdict(int)
    for key, n in groups:
        if n and _valid(metric, key):
            for k in margins(key):
                counts[k] += n
    return dict(counts)


# -- counting ---------------------------------------------------------------------------------


def active_during(
    start: dt.date, events: Sequence[tuple[dt.date, bool]], first: dt.date, last: dt.date
) -> bool:
    """Return whether a case started on ``start`` was active on some day of ``first``..``last``.

    Args:
        start: the case's start date.
        events: ``(date, is_closure)`` in the order they happened: closures (``True``) and
            reopenings (``False``). Events before ``start`` belong to the referral phase
            (a referred case closed and reopened before it started) and are ignored.
        first: the period's first day.
        last: the period's last day.

    A case is active from its start until it is closed (the closing day counts), and again from
    each reopening. So a case closed before the period but reopened in it counts, and a case
    closed on the period's first day counts too.
    """
    if start > last:
        return False
    active_since: dt.date | None = start
    for day, is_closure in events:
        if day < start:
            continue
        if is_closure and active_since is not None:
            if active_since <= last and day >= first:
                return True
            active_since = None
        elif not is_closure and active_since is None:
            active_since = day
    return active_since is not None and active_since <= last


def count_metric(
    db: Database, metric: Metric, start: dt.date, end: dt.date, *, staff_id: str | None = None
) -> Counts:
    """Count ``metric`` over ``start``..``end`` (both included), every margin included.

    Args:
        db: the database.
        metric: the metric.
        start: first day.
        end: last day.
        staff_id: only the cases of this case worker (the dashboard's "my cases"); ``None``: all.
    """
    if metric.unit == "persons":
        return count_indicators(db, start, end, staff_id=staff_id)[metric.code]
    if metric.unit == "cases":
        return count_active(db, start, end, staff_id=staff_id)
    rows = queries.event_counts(db, metric.code, start, end, staff_id=staff_id)
    return _expand(metric, (((a, ar, b, code), n) for a, ar, b, code, n in rows))


def count_active(db: Database, start: dt.date, end: dt.date, *, staff_id: str | None = None) -> Counts:
    """Count CASES_ACTIVE: cases active on at least one day of ``start``..``end``, by age on ``end``."""
    metric = METRIC_BY_CODE["CASES_ACTIVE"]
    groups: dict[Key, int] = defaultdict(int)
    for case in queries.started_cases(db, end, staff_id=staff_id):
        if active_during(case.start, case.events, start, end):
            band = person_age_band(case.birth_year, case.birth_month, case.kept_age_bands, end).value
            groups[(case.activity, case.area, band, ALL)] += 1
    return _expand(metric, groups.items())


def count_indicators(
    db: Database, start: dt.date, end: dt.date, *, staff_id: str | None = None
) -> dict[str, Counts]:
    """Count E1-E5: distinct persons with a qualifying outcome dated in ``start``..``end``.

    A person counts once in a cell however many qualifying outcomes they have there; a person with
    cases in two activities counts in each activity's cell and once in the total.
    """
    types = sorted({t.value for wanted, _ in INDICATOR_RULES.values() for t in wanted})
    rows = queries.indicator_rows(db, start, end, types, staff_id=staff_id)
    persons: dict[str, dict[Key, set[str]]] = {code: defaultdict(set) for code in INDICATORS}
    for activity, area, band, outcome_type, person in rows:
        key: Key = (activity, area, band, ALL)
        for code, (wanted, wanted_band) in INDICATOR_RULES.items():
            qualifies = outcome_type in wanted and (wanted_band is None or band == wanted_band.value)
            if qualifies and _valid(METRIC_BY_CODE[code], key):
                for k in margins(key):
                    persons[code][k].add(person)
    return {code: {k: len(v) for k, v in cells.items()} for code, cells in persons.items()}

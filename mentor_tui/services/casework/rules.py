"""The plan's rules and the consistency rules of a case's dates, as pure functions (no database,
no Textual).

Each plan rule cites the line of ``../shared/DOMAIN.md`` it comes from (and through it the plan,
``[002:line]``). Eligibility rules give *warnings*: the adviser may know better, and the plan
says to warn, not block (DOMAIN.md 7.3 rule 1, "warn, do not block"). The consent gate, the
allowed start modes and the closure requirements are *errors*: the case cannot be saved that way.

The consistency rules (issue 9 item 4) are errors too, and this module is their one home: the
forms, the casework service (new records and corrections alike) and the spreadsheet import all
call them. Each refusal says what is wrong and which dates would be accepted:

- a birth month is not in the future and gives an age of 0-100 years;
- nothing happens before the referral or before the birth month;
- nothing is dated after today, except planned meetings and follow-ups (at most two years ahead);
- a closure is not before the start, the last held meeting or the last outcome;
- a reopening is not before the closure it reopens; a next follow-up is not in the past.

Also here, so that screens ask instead of deciding: which step each case status allows
(:data:`STEPS_BY_STATUS`, :func:`step_problems`), when a follow-up is overdue or due this week
(:func:`follow_up`, :func:`due_by`), and what the forms propose (:func:`default_start_mode`,
:func:`default_roles`, :func:`default_meeting_type`). New rules (consistency of edits, say) go
here too, each with its source and a test in ``tests/unit/test_rules.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from mentor_tui.ages import age_on
from mentor_tui.codes import (
    PLAN_AREAS,
    Activity,
    Area,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    MeetingType,
    ParticipantRole,
    ReferralSource,
    StartMode,
    StatusAtClosure,
)
from mentor_tui.dates import format_date, week_end
from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual

DEFAULT_A3_MAX_AGE = 17
"""Ungerådgivning targets 13-17 [002:718] (DOMAIN.md 7.3 rule 1); 24 if extended [002:765]."""


@dataclass(frozen=True)
class ActivityRules:
    """What the plan says about one case activity."""

    min_age: int | None = None
    max_age: int | None = None
    allowed_areas: frozenset[Area] = frozenset(PLAN_AREAS)
    start_modes: frozenset[StartMode] = frozenset(StartMode)
    consent_from: frozenset[ConsentGiver] = frozenset()
    """Consent required before the case may start (all of these)."""
    closure_needs_status: bool = False
    closure_needs_joint_decision: bool = False
    source: str = ""
    """Where in DOMAIN.md these rules come from."""
    notes: tuple[str, ...] = field(default=())


_ALL_MODES = frozenset(StartMode)

ACTIVITY_RULES: dict[Activity, ActivityRules] = {
    # DOMAIN.md 2.1 / 2.10: A1 starts by bridging or an afklaringssamtale [002:610]; no closure rule.
    Activity.A1_FREMSKUDT_TRIVSEL: ActivityRules(
        start_modes=frozenset(
            {
                StartMode.AFKLARINGSSAMTALE,
                StartMode.FLERPARTS_OPSTARTSMOEDE,
                StartMode.TREPARTSSAMTALE,
            }
        ),
        source="DOMAIN.md 2.1, 2.10 [002:590, 610]",
    ),
    # DOMAIN.md 2.2: multi-party start meeting [002:678]; self-referral [002:668].
    Activity.A2_FORAELDRERAADGIVNING: ActivityRules(
        start_modes=frozenset(
            {
                StartMode.FLERPARTS_OPSTARTSMOEDE,
                StartMode.TREPARTSSAMTALE,
                StartMode.AFKLARINGSSAMTALE,
            }
        ),
        source="DOMAIN.md 2.2 [002:668, 678]",
    ),
    # DOMAIN.md 7.3 rules 1, 3, 4: 13-17 [002:718]; consent from youth AND parent [002:761];
    # starts with a meeting with and about the young person [002:761]; joint closure [002:736].
    Activity.A3_UNGERAADGIVNING: ActivityRules(
        min_age=13,
        max_age=DEFAULT_A3_MAX_AGE,
        start_modes=frozenset({StartMode.MOEDE_MED_OG_OM_DEN_UNGE, StartMode.TREPARTSSAMTALE}),
        consent_from=frozenset({ConsentGiver.UNG, ConsentGiver.FORAELDER}),
        closure_needs_joint_decision=True,
        source="DOMAIN.md 7.3 rules 1, 3, 4; 2.3 [002:718, 736, 761]",
    ),
    # DOMAIN.md 7.3 rules 1, 4, 5: 18-29 [002:1026]; 3-partssamtale [002:1056, 1074];
    # joint closure on education/job status [002:1078].
    Activity.A6_FREMSKUDT_UDD_BESK: ActivityRules(
        min_age=18,
        max_age=29,
        start_modes=frozenset({StartMode.TREPARTSSAMTALE}),
        closure_needs_status=True,
        closure_needs_joint_decision=True,
        source="DOMAIN.md 7.3 rules 1, 4, 5 [002:1026, 1056, 1078]",
    ),
    # DOMAIN.md 7.3 rules 1, 4, 5: 18-64 [002:1093]; 3-partssamtale or BSH contacts [002:1168].
    Activity.A7_MENTOR_AKTIVITETSPARAT: ActivityRules(
        min_age=18,
        max_age=64,
        start_modes=frozenset(
            {
                StartMode.TREPARTSSAMTALE,
                StartMode.BSH_KONTAKTER_BEBOER,
                StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER,
            }
        ),
        closure_needs_status=True,
        closure_needs_joint_decision=True,
        source="DOMAIN.md 7.3 rules 1, 4, 5 [002:1093, 1146, 1168]",
    ),
    # DOMAIN.md 7.3 rules 1, 4, 5: 18-64 [002:1183]; as A7 [002:1253].
    Activity.A8_MENTOR_JOBPARAT: ActivityRules(
        min_age=18,
        max_age=64,
        start_modes=frozenset(
            {
                StartMode.TREPARTSSAMTALE,
                StartMode.BSH_KONTAKTER_BEBOER,
                StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER,
            }
        ),
        closure_needs_status=True,
        closure_needs_joint_decision=True,
        source="DOMAIN.md 7.3 rules 1, 4, 5 [002:1183, 1237, 1253]",
    ),
    # DOMAIN.md 7.3 rule 1: 18-64 [002:1266]; contact by advice conversation [002:1310, 1312].
    Activity.A9_BESKAEFTIGELSESRAADGIVNING: ActivityRules(
        min_age=18,
        max_age=64,
        start_modes=frozenset({StartMode.RAADGIVNINGSSAMTALE, StartMode.TREPARTSSAMTALE}),
        source="DOMAIN.md 7.3 rule 1; 2.6 A9 [002:1266, 1310]",
    ),
    # DOMAIN.md 7.3 rule 1: 13-17 [002:1445]; open advice, outreach or school referral [002:1465, 1467].
    Activity.A10_FRITIDSJOB: ActivityRules(
        min_age=13,
        max_age=17,
        start_modes=frozenset(
            {
                StartMode.RAADGIVNINGSSAMTALE,
                StartMode.MOEDE_MED_OG_OM_DEN_UNGE,
                StartMode.TREPARTSSAMTALE,
            }
        ),
        source="DOMAIN.md 7.3 rule 1; 2.7 [002:1445, 1465, 1467]",
    ),
    # DOMAIN.md 7.3 rule 2: A12 only in Ejerslykke, Rising, Vollsmose [002:1625];
    # A13 only in Rising and Ejerslykke [002:1684-1686]. Not case activities, kept for area checks.
    Activity.A12_MEDBORGERSKAB: ActivityRules(
        allowed_areas=frozenset({Area.EJERSLYKKE, Area.RISING, Area.VOLLSMOSE}),
        source="DOMAIN.md 7.3 rule 2 [002:1625]",
    ),
    Activity.A13_BAEREDYGTIGHED: ActivityRules(
        allowed_areas=frozenset({Area.RISING, Area.EJERSLYKKE}),
        source="DOMAIN.md 7.3 rule 2 [002:1684-1686]",
    ),
}
"""Rules per activity. Activities not listed have no rules beyond the defaults."""


def rules_for(activity: Activity, *, a3_max_age: int = DEFAULT_A3_MAX_AGE) -> ActivityRules:
    """Return the rules of ``activity`` (A3's upper age limit is configurable [002:765])."""
    rules = ACTIVITY_RULES.get(activity, ActivityRules(start_modes=_ALL_MODES))
    if activity is Activity.A3_UNGERAADGIVNING and a3_max_age != rules.max_age:
        from dataclasses import replace

        rules = replace(rules, max_age=a3_max_age)
    return rules


# -- eligibility (warnings) -------------------------------------------------------------------


def eligibility_warnings(
    activity: Activity,
    *,
    birth_year: int,
    birth_month: int,
    area: Area,
    on: date,
    a3_max_age: int = DEFAULT_A3_MAX_AGE,
) -> list[Problem]:
    """Return warnings (never errors) about age and area for a referral on ``on``.

    DOMAIN.md 7.3 rule 1 (age, "warn, do not block") and rule 2 (area).
    """
    rules = rules_for(activity, a3_max_age=a3_max_age)
    warnings: list[Problem] = []
    age = age_on(birth_year, birth_month, on)
    if rules.min_age is not None and age < rules.min_age:
        warnings.append(
            Problem(
                "birth_year",
                Bilingual(
                    "Alder {age} er under målgruppen for {activity} ({low}-{high} år)",
                    "Age {age} is below the target group of {activity} ({low}-{high})",
                ).format(age=age, activity=activity.label, low=rules.min_age, high=rules.max_age),
                "age_below",
            )
        )
    if rules.max_age is not None and age > rules.max_age:
        warnings.append(
            Problem(
                "birth_year",
                Bilingual(
                    "Alder {age} er over målgruppen for {activity} ({low}-{high} år)",
                    "Age {age} is above the target group of {activity} ({low}-{high})",
                ).format(age=age, activity=activity.label, low=rules.min_age, high=rules.max_age),
                "age_above",
            )
        )
    if area not in rules.allowed_areas:
        if area is Area.UDEN_FOR_OMRAADE:
            warnings.append(
                Problem(
                    "area",
                    Bilingual(
                        "Personen bor uden for boligområderne; målgruppen er områdernes beboere",
                        "The person lives outside the areas; the target group is their residents",
                    ),
                    "area_outside",
                )
            )
        else:
            warnings.append(
                Problem(
                    "area",
                    Bilingual(
                        "{activity} tilbydes ikke i {area}", "{activity} is not offered in {area}"
                    ).format(activity=activity.label, area=area.label),
                    "area_not_offered",
                )
            )
    return warnings


# -- starting a case (errors) -----------------------------------------------------------------


def start_problems(
    activity: Activity,
    start_mode: StartMode | None,
    consents: Iterable[ConsentGiver],
    *,
    start_date: date | None,
    received_date: date | None,
    today: date,
    dates: CaseDates | None = None,
) -> list[Problem]:
    """Return what stops a case from starting (or its start from being corrected).

    - the start mode must be one the plan allows for the activity (DOMAIN.md 7.3 rule 4);
    - A3 needs consent from the young person **and** a parent (DOMAIN.md 7.3 rule 3, [002:761]);
    - the start date may not precede the referral nor lie in the future;
    - with the case's other ``dates``: not before the birth month, not after an outcome or a
      closure (issue 9 item 4).
    """
    rules = rules_for(activity)
    problems: list[Problem] = []
    if start_mode is None:
        problems.append(
            Problem("start_mode", Bilingual("Vælg en opstartsform", "Choose a start mode"), "missing")
        )
    elif start_mode not in rules.start_modes:
        allowed = Bilingual.join(", ", (m.label for m in StartMode if m in rules.start_modes))
        problems.append(
            Problem(
                "start_mode",
                Bilingual(
                    "{activity} kan ikke starte med «{mode}». Tilladt: {allowed}",
                    "{activity} cannot start with “{mode}”. Allowed: {allowed}",
                ).format(activity=activity.label, mode=start_mode.label, allowed=allowed),
                "start_mode_not_allowed",
            )
        )
    missing = rules.consent_from - set(consents)
    if missing:
        who = Bilingual.join(
            Bilingual(" og ", " and "), (g.label.lower() for g in ConsentGiver if g in missing)
        )
        problems.append(
            Problem(
                "consent",
                Bilingual(
                    "{activity} kræver samtykke fra den unge og en forælder; mangler: {who}",
                    "{activity} needs consent from the young person and a parent; missing: {who}",
                ).format(activity=activity.label, who=who),
                "consent_missing",
            )
        )
    if start_date is None:
        problems.append(
            Problem("start_date", Bilingual("Startdato skal udfyldes", "Start date is required"), "missing")
        )
    else:
        problems += _past("start_date", start_date, START, today)
        if received_date is not None and start_date < received_date:
            problems.append(
                Problem(
                    "start_date",
                    Bilingual(
                        f"Startdatoen ligger før henvisningen blev modtaget ({_d(received_date)}); "
                        f"vælg en dato fra {_d(received_date)}",
                        f"The start date is before the referral was received ({_d(received_date)}); "
                        f"choose a date from {_d(received_date)}",
                    ),
                    "start_before_referral",
                )
            )
        if dates is not None:
            if received_date is None or start_date >= received_date:
                problems += _before_birth("start_date", start_date, START, dates)
            latest = _earliest(
                (dates.first_outcome, Bilingual("resultatet", "the outcome")),
                (dates.first_closure, Bilingual("afslutningen", "the closure")),
            )
            if latest is not None and start_date > latest[0]:
                day, what = latest
                problems.append(
                    Problem(
                        "start_date",
                        Bilingual(
                            f"Startdatoen ligger efter {what.da} {_d(day)}; "
                            f"vælg en dato til og med {_d(day)}",
                            f"The start date is after {what.en} on {_d(day)}; choose a date up to {_d(day)}",
                        ),
                        "start_after_event",
                    )
                )
    return problems


# -- closing a case (errors) ------------------------------------------------------------------


def closure_problems(
    activity: Activity,
    *,
    reason: ClosureReason | None,
    status_at_closure: StatusAtClosure | None,
    joint_decision: bool,
    closure_date: date | None,
    start_date: date | None,
    today: date,
    dates: CaseDates | None = None,
) -> list[Problem]:
    """Return what stops a case from being closed (or a closure from being corrected).

    DOMAIN.md 7.3 rule 5: closure requires a reason; A6/A7/A8 also require the status at closure
    and a joint decision [002:1078, 1168, 1253]; A3 is closed by joint assessment [002:736].
    With the case's other ``dates`` (issue 9 item 4): not before the referral, the last held
    meeting or the last outcome, and not after a reopening of this closure.
    """
    rules = rules_for(activity)
    problems: list[Problem] = []
    if reason is None:
        problems.append(
            Problem("reason", Bilingual("Vælg en afslutningsårsag", "Choose a closure reason"), "missing")
        )
    if rules.closure_needs_status and status_at_closure is None:
        problems.append(
            Problem(
                "status_at_closure",
                Bilingual(
                    "{activity}: angiv status ift. uddannelse og job ved afslutning",
                    "{activity}: give the education/job status at closure",
                ).format(activity=activity.label),
                "status_required",
            )
        )
    if rules.closure_needs_joint_decision and not joint_decision:
        problems.append(
            Problem(
                "joint_decision",
                Bilingual(
                    "{activity} afsluttes kun efter fælles beslutning med beboeren",
                    "{activity} is closed only by a joint decision with the resident",
                ).format(activity=activity.label),
                "joint_decision_required",
            )
        )
    if closure_date is None:
        problems.append(
            Problem("date", Bilingual("Afslutningsdato skal udfyldes", "Closure date is required"), "missing")
        )
    else:
        problems += _past("date", closure_date, CLOSURE, today)
        # one message, naming the latest date the closure may not precede
        bounds: list[tuple[date | None, Bilingual, str]] = [
            (start_date, Bilingual("forløbets start", "the case started"), "closure_before_start"),
        ]
        if dates is not None:
            bounds += [
                (
                    dates.last_held_meeting,
                    Bilingual("det sidste afholdte møde", "the last held meeting"),
                    "closure_before_meeting",
                ),
                (
                    dates.last_outcome,
                    Bilingual("det sidste resultat", "the last outcome"),
                    "closure_before_outcome",
                ),
                (
                    dates.received,
                    Bilingual("henvisningen blev modtaget", "the referral was received"),
                    "before_referral",
                ),
            ]
        known = [(day, what, code) for day, what, code in bounds if day is not None]
        if known:
            latest = max(day for day, _, _ in known)
            day, what, code = next(b for b in known if b[0] == latest)
            assert day is not None
            if closure_date < day:
                problems.append(
                    Problem(
                        "date",
                        Bilingual(
                            f"Afslutningsdatoen ligger før {what.da} ({_d(day)}); vælg en dato fra {_d(day)}",
                            f"The closure date is before {what.en} ({_d(day)}); choose a date from {_d(day)}",
                        ),
                        code,
                    )
                )
        if dates is not None and dates.reopened_on is not None and closure_date > dates.reopened_on:
            day = dates.reopened_on
            problems.append(
                Problem(
                    "date",
                    Bilingual(
                        f"Forløbet blev genåbnet {_d(day)}; afslutningen skal ligge til og med {_d(day)}",
                        f"The case was reopened on {_d(day)}; the closure must be on or before {_d(day)}",
                    ),
                    "closure_after_reopening",
                )
            )
    return problems


def not_in_future(field_name: str, value: date | None, today: date) -> list[Problem]:
    """Return a problem when a date that must have happened lies after ``today``."""
    if value is None:
        return []
    return _past(field_name, value, Bilingual("Datoen", "The date"), today)


# -- consistency of a case's dates (issue 9 item 4) -------------------------------------------

PLAN_AHEAD = timedelta(days=730)
"""Planned meetings and follow-ups may lie at most two years ahead (issue 9 item 4)."""

MAX_AGE = 100
"""A birth month giving an age over this is a typing mistake (issue 9 item 4: age 0-100)."""

START = Bilingual("Startdatoen", "The start date")
MEETING = Bilingual("Mødet", "The meeting")
OUTCOME = Bilingual("Resultatet", "The outcome")
CLOSURE = Bilingual("Afslutningen", "The closure")
REOPENING = Bilingual("Genåbningen", "The reopening")
REFERRAL = Bilingual("Henvisningen", "The referral")
FOLLOWUP = Bilingual("Næste opfølgning", "The next follow-up")


@dataclass(frozen=True)
class CaseDates:
    """What a new or corrected record of a case is checked against: the case's *other* dates.

    Built by the casework service from the case's live records, leaving out the record being
    corrected (so a record is never compared with its own old values).
    """

    birth_year: int
    birth_month: int
    received: date | None = None
    """When the referral was received."""
    start: date | None = None
    first_event: date | None = None
    """The earliest start, meeting, outcome, closure or reopening (a referral may not be later)."""
    first_outcome: date | None = None
    first_closure: date | None = None
    last_held_meeting: date | None = None
    """The last held meeting before the closure in question (or of the case, when open)."""
    last_outcome: date | None = None
    """The last outcome recorded while the case was open (outcomes after a closure are allowed)."""
    closed_on: date | None = None
    """The date of the closure in force, when the case is closed now."""
    reopened_on: date | None = None
    """The reopening of the closure being corrected, if it was reopened."""

    @property
    def birth_day(self) -> date:
        """The first day of the birth month (the birthday, issue 4)."""
        return date(self.birth_year, self.birth_month, 1)


def _d(day: date) -> str:
    return format_date(day)


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _earliest(*candidates: tuple[date | None, Bilingual]) -> tuple[date, Bilingual] | None:
    found = [(day, what) for day, what in candidates if day is not None]
    return min(found, key=lambda c: c[0]) if found else None


def _before_birth(field_name: str, when: date, what: Bilingual, dates: CaseDates) -> list[Problem]:
    if when >= dates.birth_day:
        return []
    ym, first = _ym(dates.birth_year, dates.birth_month), _d(dates.birth_day)
    return [
        Problem(
            field_name,
            Bilingual(
                f"{what.da} ligger før personens fødselsmåned ({ym}); vælg en dato fra {first}",
                f"{what.en} is before the person's birth month ({ym}); choose a date from {first}",
            ),
            "before_birth",
        )
    ]


def _before_referral(field_name: str, when: date, what: Bilingual, dates: CaseDates) -> list[Problem]:
    if dates.received is None or when >= dates.received:
        return []
    day = _d(dates.received)
    return [
        Problem(
            field_name,
            Bilingual(
                f"{what.da} ligger før henvisningen blev modtaget ({day}); vælg en dato fra {day}",
                f"{what.en} is before the referral was received ({day}); choose a date from {day}",
            ),
            "before_referral",
        )
    ]


def _too_early(field_name: str, when: date, what: Bilingual, dates: CaseDates) -> list[Problem]:
    """Before the referral, or else before the birth month: one message, the latest bound."""
    return _before_referral(field_name, when, what, dates) or _before_birth(field_name, when, what, dates)


def _past(field_name: str, when: date, what: Bilingual, today: date) -> list[Problem]:
    if when <= today:
        return []
    return [
        Problem(
            field_name,
            Bilingual(
                f"{what.da} ligger i fremtiden ({_d(when)}); vælg i dag ({_d(today)}) eller tidligere",
                f"{what.en} is in the future ({_d(when)}); choose today ({_d(today)}) or earlier",
            ),
            "date_future",
        )
    ]


def _within_plan_ahead(field_name: str, when: date, what: Bilingual, today: date) -> list[Problem]:
    limit = today + PLAN_AHEAD
    if when <= limit:
        return []
    return [
        Problem(
            field_name,
            Bilingual(
                f"{what.da} ligger mere end to år frem ({_d(when)}); vælg en dato til og med {_d(limit)}",
                f"{what.en} is more than two years ahead ({_d(when)}); choose a date up to {_d(limit)}",
            ),
            "too_far_ahead",
        )
    ]


def birth_problems(
    birth_year: int, birth_month: int, *, today: date, first_event: date | None = None
) -> list[Problem]:
    """Return what is wrong with a birth year-month (issue 9 item 4).

    Not in the future, an age of at most :data:`MAX_AGE` years today, and not after the person's
    first referral or other event (``first_event``). The activity's target ages are warnings
    (:func:`eligibility_warnings`).
    """
    problems: list[Problem] = []
    ym = _ym(birth_year, birth_month)
    if (birth_year, birth_month) > (today.year, today.month):
        now = _ym(today.year, today.month)
        problems.append(
            Problem(
                "birth_month",
                Bilingual(
                    f"Fødselsmåneden {ym} ligger i fremtiden; skriv en måned til og med {now}",
                    f"The birth month {ym} is in the future; type a month up to {now}",
                ),
                "birth_future",
            )
        )
    elif age_on(birth_year, birth_month, today) > MAX_AGE:
        earliest = date(today.year - MAX_AGE - 1, today.month, 1) + timedelta(days=31)
        first = _ym(earliest.year, earliest.month)
        age = age_on(birth_year, birth_month, today)
        problems.append(
            Problem(
                "birth_month",
                Bilingual(
                    f"Fødselsmåneden {ym} giver en alder på {age} år; "
                    f"skriv en måned fra {first} (højst {MAX_AGE} år)",
                    f"The birth month {ym} gives an age of {age}; "
                    f"type a month from {first} (at most {MAX_AGE})",
                ),
                "birth_implausible",
            )
        )
    elif first_event is not None and (birth_year, birth_month) > (first_event.year, first_event.month):
        last = _ym(first_event.year, first_event.month)
        problems.append(
            Problem(
                "birth_month",
                Bilingual(
                    f"Fødselsmåneden {ym} ligger efter henvisningen eller et møde ({_d(first_event)}); "
                    f"skriv en måned til og med {last}",
                    f"The birth month {ym} is after the referral or a meeting ({_d(first_event)}); "
                    f"type a month up to {last}",
                ),
                "birth_after_event",
            )
        )
    return problems


def referral_problems(received: date, *, today: date, dates: CaseDates) -> list[Problem]:
    """Return what is wrong with a referral's received date: not in the future, not before the
    birth month, and not after anything else that happened in the case (issue 9 item 4)."""
    problems = _past("received_date", received, REFERRAL, today)
    problems += _before_birth("received_date", received, REFERRAL, dates)
    if dates.first_event is not None and received > dates.first_event:
        day = _d(dates.first_event)
        problems.append(
            Problem(
                "received_date",
                Bilingual(
                    f"Henvisningen ligger efter forløbets første hændelse ({day}); "
                    f"vælg en dato til og med {day}",
                    f"The referral is after the case's first event ({day}); choose a date up to {day}",
                ),
                "referral_after_event",
            )
        )
    return problems


def meeting_problems(
    *, day: date, held: bool, next_followup: date | None, today: date, dates: CaseDates
) -> list[Problem]:
    """Return what is wrong with a meeting's dates (issue 9 item 4).

    A held meeting is not in the future and not after the closure in force; a planned one is at
    most two years ahead; neither is before the referral or the birth month. Its next
    follow-up is not before the meeting, not in the past and at most two years ahead.
    """
    problems: list[Problem] = []
    if held and day > today:
        problems.append(
            Problem(
                "date",
                Bilingual(
                    f"Et afholdt møde kan ikke ligge i fremtiden ({_d(day)}); vælg i dag ({_d(today)}) "
                    "eller tidligere, eller markér mødet som planlagt",
                    f"A held meeting cannot be in the future ({_d(day)}); choose today ({_d(today)}) "
                    "or earlier, or mark it as planned",
                ),
                "date_future",
            )
        )
    elif not held:
        problems += _within_plan_ahead("date", day, MEETING, today)
    problems += _too_early("date", day, MEETING, dates)
    if held and dates.closed_on is not None and day > dates.closed_on:
        closed = _d(dates.closed_on)
        problems.append(
            Problem(
                "date",
                Bilingual(
                    f"Mødet ligger efter afslutningen {closed}; vælg en dato til og med {closed}, "
                    "eller genåbn forløbet først",
                    f"The meeting is after the closure on {closed}; choose a date up to {closed}, "
                    "or reopen the case first",
                ),
                "after_closure",
            )
        )
    if next_followup is not None:
        if next_followup < day:
            problems.append(
                Problem(
                    "next_followup_date",
                    Bilingual(
                        f"Næste opfølgning ligger før mødet; vælg en dato fra {_d(max(day, today))}",
                        f"The next follow-up is before the meeting; choose a date from {_d(max(day, today))}",
                    ),
                    "followup_before_meeting",
                )
            )
        else:
            problems += followup_problems("next_followup_date", next_followup, today=today)
    return problems


def outcome_problems(day: date, *, today: date, dates: CaseDates) -> list[Problem]:
    """Return what is wrong with an outcome's date: not in the future, not before the start, the
    referral or the birth month (it may come after the closure, DOMAIN.md 7.3 rule 6)."""
    problems = _past("date", day, OUTCOME, today)
    if dates.start is not None and day < dates.start:
        start = _d(dates.start)
        problems.append(
            Problem(
                "date",
                Bilingual(
                    f"Resultatet ligger før forløbets start ({start}); vælg en dato fra {start}",
                    f"The outcome is before the case started ({start}); choose a date from {start}",
                ),
                "before_start",
            )
        )
    problems += _too_early("date", day, OUTCOME, dates)
    return problems


def reopening_problems(day: date, *, today: date, closed_on: date | None) -> list[Problem]:
    """Return what is wrong with a reopening's date: not in the future and not before the closure
    it reopens (issue 9 item 4)."""
    problems = _past("date", day, REOPENING, today)
    if closed_on is not None and day < closed_on:
        closed = _d(closed_on)
        problems.append(
            Problem(
                "date",
                Bilingual(
                    f"Genåbningen ligger før afslutningen den {closed}, som den genåbner; "
                    f"vælg en dato fra {closed}",
                    f"The reopening is before the closure on {closed} it reopens; "
                    f"choose a date from {closed}",
                ),
                "reopening_before_closure",
            )
        )
    return problems


def followup_problems(field_name: str, day: date, *, today: date) -> list[Problem]:
    """Return what is wrong with a next follow-up date: not in the past, at most two years ahead."""
    if day < today:
        return [
            Problem(
                field_name,
                Bilingual(
                    f"Næste opfølgning ({_d(day)}) ligger i fortiden; vælg i dag ({_d(today)}) eller senere",
                    f"The next follow-up ({_d(day)}) is in the past; choose today ({_d(today)}) or later",
                ),
                "followup_past",
            )
        ]
    return _within_plan_ahead(field_name, day, FOLLOWUP, today)


def new_problems(proposed: list[Problem], current: list[Problem]) -> list[Problem]:
    """Return the problems of ``proposed`` values that the ``current`` ones do not already have.

    A correction is refused only for what it makes wrong: a record saved before a rule existed
    (a follow-up now in the past, say) can still have its other fields corrected.
    """
    known = {(p.field, p.code) for p in current}
    return [p for p in proposed if (p.field, p.code) not in known]


# -- which step a case allows in which status (errors) -----------------------------------------


class Step(StrEnum):
    """A step of the case lifecycle (docs/ARCHITECTURE.md, "Case lifecycle")."""

    START = "start"
    MEETING = "meeting"
    OUTCOME = "outcome"
    FOLLOWUP = "followup"
    CLOSE = "close"
    REOPEN = "reopen"


STEPS_BY_STATUS: dict[CaseStatus, frozenset[Step]] = {
    # a referral starts (or is closed without starting); meetings may come before the start
    CaseStatus.HENVIST: frozenset({Step.START, Step.MEETING, Step.FOLLOWUP, Step.CLOSE}),
    CaseStatus.AKTIV: frozenset({Step.MEETING, Step.OUTCOME, Step.FOLLOWUP, Step.CLOSE}),
    # outcomes are dated when they occur, also after the closure (DOMAIN.md 7.3 rule 6)
    CaseStatus.AFSLUTTET: frozenset({Step.OUTCOME, Step.REOPEN}),
}
"""The steps each status allows: the detail screen offers these and the service refuses the others."""


def step_allowed(step: Step, status: CaseStatus) -> bool:
    """Return whether a case in ``status`` allows ``step`` (see :data:`STEPS_BY_STATUS`)."""
    return step in STEPS_BY_STATUS[status]


def step_problems(step: Step, status: CaseStatus) -> list[Problem]:
    """Return why a case in ``status`` does not allow ``step`` (nothing when it does)."""
    if step_allowed(step, status):
        return []
    if step is Step.START:
        message = Bilingual(
            "Forløbet er {status} og kan ikke startes igen",
            "The case is {status} and cannot be started again",
        ).format(status=status.label.lower())
        return [Problem("status", message, "not_referred")]
    if step is Step.OUTCOME:
        message = Bilingual(
            "Forløbet er ikke startet; start det før du registrerer resultater",
            "The case has not started; start it before recording outcomes",
        )
        return [Problem("status", message, "not_started")]
    if step is Step.REOPEN:
        message = Bilingual("Kun afsluttede forløb kan genåbnes", "Only closed cases can be reopened")
        return [Problem("status", message, "not_closed")]
    message = Bilingual("Forløbet er afsluttet; genåbn det først", "The case is closed; reopen it first")
    return [Problem("status", message, "closed")]


# -- follow-ups --------------------------------------------------------------------------------


class FollowUp(StrEnum):
    """Where an open case's next follow-up stands today."""

    OVERDUE = "overdue"
    """Its date has passed."""
    THIS_WEEK = "this_week"
    """From today to the end of the current ISO week (Sunday)."""


class _HasFollowUp(Protocol):
    @property
    def status(self) -> CaseStatus: ...

    @property
    def next_followup_date(self) -> date | None: ...


def follow_up(case: _HasFollowUp, today: date) -> FollowUp | None:
    """Return whether ``case`` (a case or a case-list row) must be followed up soon.

    A closed case, and a case without a next follow-up date, needs none; a later date is not yet
    due. The follow-ups view and the case list's filter show the cases this says are due:
    ``CaseRepository.summaries(followup_due_by=due_by(today))`` asks the database the same.
    """
    when = case.next_followup_date
    if case.status is CaseStatus.AFSLUTTET or when is None:
        return None
    if when < today:
        return FollowUp.OVERDUE
    if when <= week_end(today):
        return FollowUp.THIS_WEEK
    return None


def due_by(today: date) -> date:
    """Return the last date a follow-up may have to count as due today: this ISO week's Sunday."""
    return week_end(today)


# -- what the forms propose --------------------------------------------------------------------

DEFAULT_START_MODE: dict[Activity, StartMode] = {
    Activity.A1_FREMSKUDT_TRIVSEL: StartMode.AFKLARINGSSAMTALE,
    Activity.A2_FORAELDRERAADGIVNING: StartMode.FLERPARTS_OPSTARTSMOEDE,
    Activity.A3_UNGERAADGIVNING: StartMode.MOEDE_MED_OG_OM_DEN_UNGE,
    Activity.A9_BESKAEFTIGELSESRAADGIVNING: StartMode.RAADGIVNINGSSAMTALE,
    Activity.A10_FRITIDSJOB: StartMode.RAADGIVNINGSSAMTALE,
}
"""The usual start mode where it is not the 3-partssamtale (see :data:`ACTIVITY_RULES`' sources)."""

REFERRER_ROLE: dict[ReferralSource, ParticipantRole] = {
    ReferralSource.FOLKESKOLE: ParticipantRole.LAERER,
    ReferralSource.UUO: ParticipantRole.UU_VEJLEDER,
    ReferralSource.PPR: ParticipantRole.PPR,
    ReferralSource.PAEDAGOG_DAGINSTITUTION: ParticipantRole.PAED_LEDER,
    ReferralSource.SUNDHEDSPLEJE: ParticipantRole.SUNDHEDSPLEJERSKE,
    ReferralSource.FAMILIEBEHANDLER: ParticipantRole.FAMILIEBEHANDLER,
    ReferralSource.SOCIALRAADGIVER: ParticipantRole.SAGSBEHANDLER,
    ReferralSource.BOERN_UNGE_SAGSBEHANDLER: ParticipantRole.SAGSBEHANDLER,
    ReferralSource.UDDANNELSESRAADGIVER_CFU: ParticipantRole.UDDANNELSESRAADGIVER,
    ReferralSource.JOBRAADGIVER: ParticipantRole.JOBRAADGIVER,
    ReferralSource.JOBMENTOR_BSF: ParticipantRole.JOBKONSULENT,
}
"""The role a referring professional has at the start meeting."""

_MULTI_PARTY_FOLLOW_UP = frozenset(
    {Activity.A6_FREMSKUDT_UDD_BESK, Activity.A7_MENTOR_AKTIVITETSPARAT, Activity.A8_MENTOR_JOBPARAT}
)


def default_start_mode(activity: Activity, allowed: frozenset[StartMode]) -> StartMode | None:
    """Return the usual start mode of ``activity`` (3-partssamtale unless the plan says otherwise)."""
    usual = DEFAULT_START_MODE.get(activity, StartMode.TREPARTSSAMTALE)
    if usual in allowed:
        return usual
    return next((m for m in StartMode if m in allowed), None)


def default_roles(activity: Activity, source: ReferralSource | None) -> list[ParticipantRole]:
    """Return the roles usually present at a meeting: the resident side and the referrer.

    A 3-partssamtale is resident + referring professional + BSH [002:1056]; A3 meets with and
    about the young person and the parents [002:761]; A2 advises parents, A10 the young person.
    """
    if activity is Activity.A3_UNGERAADGIVNING:
        roles = [ParticipantRole.UNG, ParticipantRole.FORAELDER]
    elif activity is Activity.A10_FRITIDSJOB:
        roles = [ParticipantRole.UNG]
    elif activity is Activity.A2_FORAELDRERAADGIVNING:
        roles = [ParticipantRole.FORAELDER]
    else:
        roles = [ParticipantRole.BEBOER]
    referrer = REFERRER_ROLE.get(source) if source is not None else None
    if referrer is not None and referrer not in roles:
        roles.append(referrer)
    return roles


def default_meeting_type(activity: Activity) -> MeetingType:
    """Return the usual follow-up meeting of ``activity``: multi-party for the mentor activities
    [002:1144, 1237], otherwise a one-to-one conversation."""
    return MeetingType.OPFOELGNING_FLERPART if activity in _MULTI_PARTY_FOLLOW_UP else MeetingType.SAMTALE


# -- the follow-up rhythm: what the start and reopen forms propose (issue 11 item 6) -------------

FOLLOWUP_RHYTHM_DAYS: dict[Activity, int] = {
    # mentoring (A6-A8): "jævnlig opfølgning ved møder" with the adviser [002:1064, 1146] and
    # flerparts-opfølgninger [002:1237] (DOMAIN.md 2.5-2.7, lines 238, 253, 266)
    Activity.A6_FREMSKUDT_UDD_BESK: 14,
    Activity.A7_MENTOR_AKTIVITETSPARAT: 14,
    Activity.A8_MENTOR_JOBPARAT: 14,
    # youth advice: "møder, samtaler og opfølgning på forløb" [002:736] (DOMAIN.md 2.3, line 194)
    Activity.A3_UNGERAADGIVNING: 14,
    # parent advice: conversations and the parents' meetings and follow-ups [002:674] (line 155)
    Activity.A2_FORAELDRERAADGIVNING: 21,
    # advice given as needed, and the fritidsjob advice kept open after the job starts
    # [002:1312, 1453] (DOMAIN.md 2.10 table, lines 325-326)
}
"""Days from a start or reopening to the next follow-up that the forms propose, by activity.

[INFERRED] The plan asks for "jævnlig opfølgning" (regular follow-up) but names no interval;
these are proposals the user changes freely: two weeks where the plan describes regular
follow-up meetings, three for parent advice, four (:data:`DEFAULT_FOLLOWUP_RHYTHM_DAYS`) where
advice is given as needed.
"""

DEFAULT_FOLLOWUP_RHYTHM_DAYS = 28
"""The proposal for an activity not in :data:`FOLLOWUP_RHYTHM_DAYS` ([INFERRED], as above)."""


def proposed_followup(activity: Activity, from_date: date) -> date:
    """Return the next follow-up to propose for a case of ``activity`` started (or reopened) on
    ``from_date``: ``from_date`` plus the activity's rhythm (:data:`FOLLOWUP_RHYTHM_DAYS`)."""
    return from_date + timedelta(days=FOLLOWUP_RHYTHM_DAYS.get(activity, DEFAULT_FOLLOWUP_RHYTHM_DAYS))

"""The plan's rules, as pure functions (no database, no Textual).

Each rule cites the line of ``../shared/DOMAIN.md`` it comes from (and through it the plan,
``[002:line]``). Eligibility rules give *warnings*: the adviser may know better, and the plan
says to warn, not block (DOMAIN.md 7.3 rule 1, "warn, do not block"). The consent gate, the
allowed start modes and the closure requirements are *errors*: the case cannot be saved that way.

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
from mentor_tui.dates import week_end
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
) -> list[Problem]:
    """Return what stops a case from starting.

    - the start mode must be one the plan allows for the activity (DOMAIN.md 7.3 rule 4);
    - A3 needs consent from the young person **and** a parent (DOMAIN.md 7.3 rule 3, [002:761]);
    - the start date may not precede the referral nor lie in the future.
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
        if start_date > today:
            problems.append(
                Problem(
                    "start_date",
                    Bilingual("Startdatoen ligger i fremtiden", "The start date is in the future"),
                    "date_future",
                )
            )
        if received_date is not None and start_date < received_date:
            problems.append(
                Problem(
                    "start_date",
                    Bilingual(
                        "Startdatoen ligger før henvisningen blev modtaget",
                        "The start date is before the referral was received",
                    ),
                    "start_before_referral",
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
) -> list[Problem]:
    """Return what stops a case from being closed.

    DOMAIN.md 7.3 rule 5: closure requires a reason; A6/A7/A8 also require the status at closure
    and a joint decision [002:1078, 1168, 1253]; A3 is closed by joint assessment [002:736].
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
        if closure_date > today:
            problems.append(
                Problem(
                    "date",
                    Bilingual("Afslutningsdatoen ligger i fremtiden", "The closure date is in the future"),
                    "date_future",
                )
            )
        if start_date is not None and closure_date < start_date:
            problems.append(
                Problem(
                    "date",
                    Bilingual(
                        "Afslutningsdatoen ligger før forløbets start",
                        "The closure date is before the case started",
                    ),
                    "closure_before_start",
                )
            )
    return problems


def not_in_future(field_name: str, value: date | None, today: date) -> list[Problem]:
    """Return a problem when a date that must have happened lies after ``today``."""
    if value is not None and value > today:
        return [
            Problem(
                field_name, Bilingual("Datoen ligger i fremtiden", "The date is in the future"), "date_future"
            )
        ]
    return []


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

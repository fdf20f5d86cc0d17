"""Every plan rule in ``services/casework/rules.py``, each test citing its line of ../shared/DOMAIN.md.

Citations are ``DOMAIN.md:<line>`` (the line in DOMAIN.md) and, where DOMAIN.md gives one,
the plan line ``[002:<line>]``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_tui.ages import age_band, age_band_on, age_on
from mentor_tui.codes import (
    CASE_ACTIVITIES,
    PLAN_AREAS,
    Activity,
    AgeBand,
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
from mentor_tui.errors import DomainValidationError, Problem
from mentor_tui.models import Case
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.rules import (
    DEFAULT_A3_MAX_AGE,
    closure_problems,
    eligibility_warnings,
    not_in_future,
    rules_for,
    start_problems,
)
from mentor_tui.services.casework.service import CaseworkService

D = dt.date
A = Activity
TODAY = D(2026, 11, 20)
RECEIVED = D(2026, 11, 2)
START = D(2026, 11, 10)
STARTED = D(2026, 6, 1)
CLOSED = D(2026, 11, 15)


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def _bilingual(problems: list[Problem]) -> None:
    for p in problems:
        assert p.message.da.strip()
        assert p.message.en.strip()
        assert p.message.da != p.message.en


def _born_aged(age: int, on: dt.date = TODAY) -> tuple[int, int]:
    """Birth year and month of someone exactly ``age`` on ``on`` (born in that month)."""
    return on.year - age, on.month


# -- age: whole years, birthday on the 1st of the birth month -------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        # the birthday counts from the 1st of the birth month (issue 4; DOMAIN.md:534 stores year+month)
        ((2008, 11), D(2026, 11, 1), 18),
        ((2008, 11), D(2026, 10, 31), 17),
        ((2008, 11), D(2026, 11, 30), 18),
        # January: a birthday on 1 January; the day before is still the old age
        ((2000, 1), D(2026, 1, 1), 26),
        ((2000, 1), D(2025, 12, 31), 25),
        # December: not yet a year older until 1 December
        ((2008, 12), D(2026, 11, 30), 17),
        ((2008, 12), D(2026, 12, 1), 18),
        # the birth month itself, same year
        ((2026, 11), D(2026, 11, 20), 0),
    ],
)
def test_age_on_counts_from_the_first_of_the_birth_month(
    born: tuple[int, int], on: dt.date, age: int
) -> None:
    """DOMAIN.md:534 (year + month only); age is whole years at the date (DOMAIN.md:954)."""
    assert age_on(*born, on) == age


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.B0_12),
        (12, AgeBand.B0_12),
        (13, AgeBand.B13_17),
        (17, AgeBand.B13_17),
        (18, AgeBand.B18_29),
        (29, AgeBand.B18_29),
        (30, AgeBand.B30_64),
        (64, AgeBand.B30_64),
        (65, AgeBand.B65_PLUS),
        (99, AgeBand.B65_PLUS),
    ],
)
def test_age_band_edges(age: int, band: AgeBand) -> None:
    """DOMAIN.md:698-700: 13_17 [002:718], 18_29 and 30_64 [002:986-991]; computed, never entered."""
    assert age_band(age) is band


def test_age_band_on_a_date_moves_at_the_birth_month() -> None:
    """DOMAIN.md:955 (E1 uses the age band on the outcome date): 29 → 30 on the 1st of the month."""
    assert age_band_on(1996, 6, D(2026, 5, 31)) is AgeBand.B18_29
    assert age_band_on(1996, 6, D(2026, 6, 1)) is AgeBand.B30_64


# -- eligibility: warnings, never errors ---------------------------------------------------------


def _age_warnings(activity: Activity, age: int, *, a3_max_age: int = DEFAULT_A3_MAX_AGE) -> list[str]:
    year, month = _born_aged(age)
    return _codes(
        eligibility_warnings(
            activity, birth_year=year, birth_month=month, area=Area.VOLLSMOSE, on=TODAY, a3_max_age=a3_max_age
        )
    )


@pytest.mark.parametrize(
    ("activity", "lo", "hi", "line"),
    [
        (A.A3_UNGERAADGIVNING, 13, 17, "DOMAIN.md:941 [002:718]"),
        (A.A10_FRITIDSJOB, 13, 17, "DOMAIN.md:941 [002:1445]"),
        (A.A6_FREMSKUDT_UDD_BESK, 18, 29, "DOMAIN.md:942 [002:1026]"),
        (A.A7_MENTOR_AKTIVITETSPARAT, 18, 64, "DOMAIN.md:943 [002:1093]"),
        (A.A8_MENTOR_JOBPARAT, 18, 64, "DOMAIN.md:943 [002:1183]"),
        (A.A9_BESKAEFTIGELSESRAADGIVNING, 18, 64, "DOMAIN.md:943 [002:1266]"),
    ],
)
def test_age_eligibility_warns_outside_the_target_group(
    activity: Activity, lo: int, hi: int, line: str
) -> None:
    """DOMAIN.md:940 "Age eligibility (warn, do not block)", per activity as cited in ``line``."""
    assert _age_warnings(activity, lo - 1) == ["age_below"], line
    assert _age_warnings(activity, lo) == [], line
    assert _age_warnings(activity, hi) == [], line
    assert _age_warnings(activity, hi + 1) == ["age_above"], line


@pytest.mark.parametrize("activity", [A.A1_FREMSKUDT_TRIVSEL, A.A2_FORAELDRERAADGIVNING])
@pytest.mark.parametrize("age", [16, 25, 70])
def test_parent_activities_have_no_age_limit(activity: Activity, age: int) -> None:
    """DOMAIN.md:125, 145, 684-685: A1/A2 serve parents of children 0-17; no limit on the parent's age."""
    assert _age_warnings(activity, age) == []


def test_a3_upper_age_is_configurable_up_to_24() -> None:
    """DOMAIN.md:941: "allow up to 24 if ungeraadgivning_max_age config = 24" [002:765]."""
    assert DEFAULT_A3_MAX_AGE == 17
    assert _age_warnings(A.A3_UNGERAADGIVNING, 20) == ["age_above"]
    assert _age_warnings(A.A3_UNGERAADGIVNING, 24, a3_max_age=24) == []
    assert _age_warnings(A.A3_UNGERAADGIVNING, 25, a3_max_age=24) == ["age_above"]
    assert rules_for(A.A3_UNGERAADGIVNING, a3_max_age=24).max_age == 24
    # A10 shares A3's 13-17 but not the extension
    assert rules_for(A.A10_FRITIDSJOB, a3_max_age=24).max_age == 17


def test_age_warning_is_taken_on_the_referral_date() -> None:
    """DOMAIN.md:941 "13-17 at referral date": turning 18 later does not matter."""
    problems = eligibility_warnings(
        A.A3_UNGERAADGIVNING, birth_year=2008, birth_month=12, area=Area.RISING, on=D(2026, 11, 30)
    )
    assert problems == []
    late = eligibility_warnings(
        A.A3_UNGERAADGIVNING, birth_year=2008, birth_month=12, area=Area.RISING, on=D(2026, 12, 1)
    )
    assert _codes(late) == ["age_above"]
    _bilingual(late)
    assert "18" in late[0].message.da
    assert "18" in late[0].message.en
    assert late[0].field == "birth_year"


@pytest.mark.parametrize("activity", CASE_ACTIVITIES)
def test_living_outside_the_areas_gives_a_warning(activity: Activity) -> None:
    """DOMAIN.md:59-70: the plan's target groups are the six areas' residents."""
    year, month = _born_aged(rules_for(activity).min_age or 40)
    warnings = eligibility_warnings(
        activity, birth_year=year, birth_month=month, area=Area.UDEN_FOR_OMRAADE, on=TODAY
    )
    assert _codes(warnings) == ["area_outside"]
    assert warnings[0].field == "area"
    _bilingual(warnings)


@pytest.mark.parametrize("activity", CASE_ACTIVITIES)
@pytest.mark.parametrize("area", PLAN_AREAS)
def test_case_activities_are_offered_in_all_six_areas(activity: Activity, area: Area) -> None:
    """DOMAIN.md:684-693: every case activity covers all areas."""
    year, month = _born_aged(rules_for(activity).min_age or 40)
    assert eligibility_warnings(activity, birth_year=year, birth_month=month, area=area, on=TODAY) == []


@pytest.mark.parametrize(
    ("activity", "allowed"),
    [
        (A.A12_MEDBORGERSKAB, {Area.EJERSLYKKE, Area.RISING, Area.VOLLSMOSE}),
        (A.A13_BAEREDYGTIGHED, {Area.RISING, Area.EJERSLYKKE}),
    ],
)
def test_area_restricted_activities_warn_elsewhere(activity: Activity, allowed: set[Area]) -> None:
    """DOMAIN.md:945 rule 2: A12 only Ejerslykke/Rising/Vollsmose [002:1625], A13 only Rising/Ejerslykke
    [002:1684-1686]."""
    for area in PLAN_AREAS:
        warnings = eligibility_warnings(activity, birth_year=1980, birth_month=1, area=area, on=TODAY)
        if area in allowed:
            assert warnings == [], area
        else:
            assert _codes(warnings) == ["area_not_offered"], area
            assert area.label.da in warnings[0].message.da
            assert area.label.en in warnings[0].message.en


def test_age_and_area_warnings_come_together() -> None:
    warnings = eligibility_warnings(
        A.A6_FREMSKUDT_UDD_BESK, birth_year=1990, birth_month=1, area=Area.UDEN_FOR_OMRAADE, on=TODAY
    )
    assert _codes(warnings) == ["age_above", "area_outside"]


# -- start: allowed start modes and the A3 consent gate (errors) --------------------------------

ALLOWED_START: dict[Activity, set[StartMode]] = {
    # DOMAIN.md:948 "A6 requires start_mode TREPARTSSAMTALE" [002:1056, 1074]
    A.A6_FREMSKUDT_UDD_BESK: {StartMode.TREPARTSSAMTALE},
    # DOMAIN.md:949 A7/A8 allow TREPARTSSAMTALE | BSH_KONTAKTER_BEBOER | EGEN_HENVENDELSE_KONTAKT_RAADGIVER
    A.A7_MENTOR_AKTIVITETSPARAT: {
        StartMode.TREPARTSSAMTALE,
        StartMode.BSH_KONTAKTER_BEBOER,
        StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER,
    },
    A.A8_MENTOR_JOBPARAT: {
        StartMode.TREPARTSSAMTALE,
        StartMode.BSH_KONTAKTER_BEBOER,
        StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER,
    },
    # DOMAIN.md:950 "A3 expects MOEDE_MED_OG_OM_DEN_UNGE" [002:761]; a 3-partssamtale is also accepted
    A.A3_UNGERAADGIVNING: {StartMode.MOEDE_MED_OG_OM_DEN_UNGE, StartMode.TREPARTSSAMTALE},
    # DOMAIN.md:319 (table 2.10): A1 bridging or afklaringssamtale [002:610]
    A.A1_FREMSKUDT_TRIVSEL: {
        StartMode.AFKLARINGSSAMTALE,
        StartMode.FLERPARTS_OPSTARTSMOEDE,
        StartMode.TREPARTSSAMTALE,
    },
    # DOMAIN.md:320: A2 multi-party start meeting [002:678]
    A.A2_FORAELDRERAADGIVNING: {
        StartMode.FLERPARTS_OPSTARTSMOEDE,
        StartMode.TREPARTSSAMTALE,
        StartMode.AFKLARINGSSAMTALE,
    },
    # DOMAIN.md:325: A9 rådgivningssamtale [002:1312]
    A.A9_BESKAEFTIGELSESRAADGIVNING: {StartMode.RAADGIVNINGSSAMTALE, StartMode.TREPARTSSAMTALE},
    # DOMAIN.md:290-296, 326: A10 open advice, outreach, school referral [002:1465, 1467]
    A.A10_FRITIDSJOB: {
        StartMode.RAADGIVNINGSSAMTALE,
        StartMode.MOEDE_MED_OG_OM_DEN_UNGE,
        StartMode.TREPARTSSAMTALE,
    },
}


def _start(
    activity: Activity,
    mode: StartMode | None,
    consents: tuple[ConsentGiver, ...] = (ConsentGiver.UNG, ConsentGiver.FORAELDER),
    *,
    start: dt.date | None = START,
    received: dt.date | None = RECEIVED,
) -> list[Problem]:
    return start_problems(activity, mode, consents, start_date=start, received_date=received, today=TODAY)


@pytest.mark.parametrize("activity", CASE_ACTIVITIES)
@pytest.mark.parametrize("mode", list(StartMode))
def test_allowed_start_modes_per_activity(activity: Activity, mode: StartMode) -> None:
    """DOMAIN.md:947-950 rule 4 (and the table at DOMAIN.md:317-326 for the others)."""
    problems = _start(activity, mode)
    if mode in ALLOWED_START[activity]:
        assert problems == []
    else:
        assert _codes(problems) == ["start_mode_not_allowed"]
        assert problems[0].field == "start_mode"
        _bilingual(problems)
        for allowed in ALLOWED_START[activity]:
            assert allowed.label.da in problems[0].message.da
            assert allowed.label.en in problems[0].message.en


def test_every_case_activity_has_start_rules() -> None:
    assert set(ALLOWED_START) == set(CASE_ACTIVITIES)
    for activity, modes in ALLOWED_START.items():
        assert rules_for(activity).start_modes == modes


def test_a_start_mode_is_required() -> None:
    problems = _start(A.A8_MENTOR_JOBPARAT, None)
    assert _codes(problems) == ["missing"]
    assert problems[0].field == "start_mode"
    _bilingual(problems)


@pytest.mark.parametrize(
    ("consents", "missing_da", "missing_en"),
    [
        ((), "den unge og forælder", "the young person and parent"),
        ((ConsentGiver.UNG,), "forælder", "parent"),
        ((ConsentGiver.FORAELDER,), "den unge", "the young person"),
        ((ConsentGiver.FORAELDER, ConsentGiver.BEBOER), "den unge", "the young person"),
    ],
)
def test_a3_needs_consent_from_youth_and_parent(
    consents: tuple[ConsentGiver, ...], missing_da: str, missing_en: str
) -> None:
    """DOMAIN.md:946 rule 3: A3 cannot go active without consent from UNG and FORAELDER [002:761]."""
    problems = _start(A.A3_UNGERAADGIVNING, StartMode.MOEDE_MED_OG_OM_DEN_UNGE, consents)
    assert _codes(problems) == ["consent_missing"]
    assert problems[0].field == "consent"
    assert problems[0].message.da.endswith(f"mangler: {missing_da}")
    assert problems[0].message.en.endswith(f"missing: {missing_en}")


def test_a3_with_both_consents_may_start() -> None:
    """DOMAIN.md:946 rule 3."""
    both = (ConsentGiver.UNG, ConsentGiver.FORAELDER)
    assert _start(A.A3_UNGERAADGIVNING, StartMode.MOEDE_MED_OG_OM_DEN_UNGE, both) == []


@pytest.mark.parametrize("activity", [a for a in CASE_ACTIVITIES if a is not A.A3_UNGERAADGIVNING])
def test_other_activities_start_without_consent(activity: Activity) -> None:
    """DOMAIN.md:946: for other activities consent is recommended but not blocking."""
    mode = sorted(ALLOWED_START[activity])[0]
    assert _start(activity, mode, ()) == []


def test_start_date_is_required_and_neither_future_nor_before_the_referral() -> None:
    mode = StartMode.TREPARTSSAMTALE
    assert _codes(_start(A.A6_FREMSKUDT_UDD_BESK, mode, start=None)) == ["missing"]
    assert _codes(_start(A.A6_FREMSKUDT_UDD_BESK, mode, start=D(2026, 11, 21))) == ["date_future"]
    assert _start(A.A6_FREMSKUDT_UDD_BESK, mode, start=TODAY) == []
    before = _start(A.A6_FREMSKUDT_UDD_BESK, mode, start=D(2026, 11, 1))
    assert _codes(before) == ["start_before_referral"]
    _bilingual(before)
    assert _start(A.A6_FREMSKUDT_UDD_BESK, mode, start=D(2026, 11, 2)) == []  # same day is fine


def test_every_start_problem_is_reported_at_once() -> None:
    problems = _start(A.A3_UNGERAADGIVNING, StartMode.BSH_KONTAKTER_BEBOER, (), start=D(2027, 1, 1))
    assert _codes(problems) == ["start_mode_not_allowed", "consent_missing", "date_future"]


# -- closure requirements (errors) ---------------------------------------------------------------


def _close(
    activity: Activity,
    *,
    reason: ClosureReason | None = ClosureReason.MAAL_NAAET_BEHOV_OPFYLDT,
    status: StatusAtClosure | None = None,
    joint: bool = False,
    day: dt.date | None = CLOSED,
    start: dt.date | None = STARTED,
) -> list[str]:
    problems = closure_problems(
        activity,
        reason=reason,
        status_at_closure=status,
        joint_decision=joint,
        closure_date=day,
        start_date=start,
        today=TODAY,
    )
    _bilingual(problems)
    return _codes(problems)


@pytest.mark.parametrize(
    "activity", [A.A6_FREMSKUDT_UDD_BESK, A.A7_MENTOR_AKTIVITETSPARAT, A.A8_MENTOR_JOBPARAT]
)
def test_mentor_closure_needs_status_and_joint_decision(activity: Activity) -> None:
    """DOMAIN.md:951 rule 5: A6/A7/A8 need status_at_closure and a joint decision [002:1078, 1168, 1253]."""
    assert _close(activity) == ["status_required", "joint_decision_required"]
    assert _close(activity, joint=True) == ["status_required"]
    assert _close(activity, status=StatusAtClosure.I_UDDANNELSE) == ["joint_decision_required"]
    assert _close(activity, status=StatusAtClosure.I_UDDANNELSE, joint=True) == []


def test_a3_closure_needs_a_joint_decision_only() -> None:
    """DOMAIN.md:200 and table DOMAIN.md:321: A3 ends by joint assessment [002:736]."""
    assert _close(A.A3_UNGERAADGIVNING) == ["joint_decision_required"]
    assert _close(A.A3_UNGERAADGIVNING, joint=True) == []


@pytest.mark.parametrize(
    "activity",
    [A.A1_FREMSKUDT_TRIVSEL, A.A2_FORAELDRERAADGIVNING, A.A9_BESKAEFTIGELSESRAADGIVNING, A.A10_FRITIDSJOB],
)
def test_other_closures_need_only_a_reason(activity: Activity) -> None:
    """DOMAIN.md:951 rule 5: closure requires closure_reason; A2 ends when parents feel secure
    (DOMAIN.md:164 [002:678]) with no further requirement."""
    assert _close(activity) == []
    assert _close(activity, reason=None) == ["missing"]


def test_closure_date_is_required_and_neither_future_nor_before_start() -> None:
    assert _close(A.A2_FORAELDRERAADGIVNING, day=None) == ["missing"]
    assert _close(A.A2_FORAELDRERAADGIVNING, day=D(2026, 11, 21)) == ["date_future"]
    assert _close(A.A2_FORAELDRERAADGIVNING, day=D(2026, 5, 31)) == ["closure_before_start"]
    assert _close(A.A2_FORAELDRERAADGIVNING, day=D(2026, 6, 1)) == []
    # a referred case that never started can be closed at any past date
    assert _close(A.A2_FORAELDRERAADGIVNING, day=D(2020, 1, 1), start=None) == []


def test_not_in_future() -> None:
    assert not_in_future("date", TODAY, TODAY) == []
    assert not_in_future("date", None, TODAY) == []
    (problem,) = not_in_future("received_date", TODAY + dt.timedelta(days=1), TODAY)
    assert problem.field == "received_date"
    assert problem.code == "date_future"
    _bilingual([problem])


# -- properties over all dates -------------------------------------------------------------------

_days = st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31))


@given(born=_days, on=_days)
def test_age_on_agrees_with_a_birthday_on_the_first_of_the_month(born: dt.date, on: dt.date) -> None:
    """Issue 4 / DOMAIN.md:534: with only year+month known, the birthday is the 1st of the month."""
    birthday_this_year = D(on.year, born.month, 1)
    expected = on.year - born.year - (1 if on < birthday_this_year else 0)
    assert age_on(born.year, born.month, on) == expected


@given(year=st.integers(1950, 2090), month=st.integers(1, 12), day=_days)
def test_age_never_decreases_and_bands_follow_the_age(year: int, month: int, day: dt.date) -> None:
    """DOMAIN.md:698-700: the band is a function of the age alone, and ages only grow."""
    later = day + dt.timedelta(days=1)
    assert age_on(year, month, later) >= age_on(year, month, day)
    assert age_band_on(year, month, day) is age_band(age_on(year, month, day))


# -- what the forms propose ---------------------------------------------------------------------


def test_usual_start_mode_is_one_the_plan_allows() -> None:
    for activity in CASE_ACTIVITIES:
        allowed = rules.rules_for(activity).start_modes
        assert rules.default_start_mode(activity, allowed) in allowed, activity
    assert rules.default_start_mode(
        Activity.A6_FREMSKUDT_UDD_BESK, rules.rules_for(Activity.A6_FREMSKUDT_UDD_BESK).start_modes
    ) is (StartMode.TREPARTSSAMTALE)


def test_start_meeting_roles_are_resident_side_and_referrer() -> None:
    assert rules.default_roles(Activity.A6_FREMSKUDT_UDD_BESK, ReferralSource.UDDANNELSESRAADGIVER_CFU) == [
        ParticipantRole.BEBOER,
        ParticipantRole.UDDANNELSESRAADGIVER,
    ]
    assert rules.default_roles(Activity.A3_UNGERAADGIVNING, ReferralSource.FOLKESKOLE) == [
        ParticipantRole.UNG,
        ParticipantRole.FORAELDER,
        ParticipantRole.LAERER,
    ]
    assert rules.default_roles(Activity.A8_MENTOR_JOBPARAT, ReferralSource.EGEN_HENVENDELSE) == [
        ParticipantRole.BEBOER
    ]


def test_mentor_activities_follow_up_in_a_multi_party_meeting() -> None:
    assert rules.default_meeting_type(Activity.A7_MENTOR_AKTIVITETSPARAT) is MeetingType.OPFOELGNING_FLERPART
    assert rules.default_meeting_type(Activity.A3_UNGERAADGIVNING) is MeetingType.SAMTALE


# -- which step in which status --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (CaseStatus.HENVIST, {"start", "meeting", "followup", "close"}),
        (CaseStatus.AKTIV, {"meeting", "outcome", "followup", "close"}),
        (CaseStatus.AFSLUTTET, {"outcome", "reopen"}),
    ],
)
def test_each_status_allows_its_steps_and_says_why_not_the_others(
    status: CaseStatus, allowed: set[str]
) -> None:
    for step in rules.Step:
        problems = rules.step_problems(step, status)
        assert rules.step_allowed(step, status) is (step in allowed)
        assert (problems == []) is (step in allowed), step
        for p in problems:
            assert p.field == "status"
            assert p.message.da.strip()
            assert p.message.en.strip()


def test_the_service_refuses_exactly_the_steps_the_status_does_not_allow(casework: CaseworkService) -> None:
    """The detail screen offers what rules.STEPS_BY_STATUS allows; the service must agree."""
    referred = casework.register_referral(
        activity="A7_MENTOR_AKTIVITETSPARAT",
        received_date="2026-10-01",
        source="JOBRAADGIVER",
        display_label="Step Test",
        birth_year=1990,
        birth_month=5,
        area="RISING",
    )
    with pytest.raises(DomainValidationError) as info:
        casework.add_outcome(referred.id, outcome_type="ORDINAERT_JOB", date="2026-10-02")
    assert [p.code for p in info.value.problems] == ["not_started"]
    casework.start_case(referred.id, start_mode="TREPARTSSAMTALE", start_date="2026-10-02")
    casework.close_case(
        referred.id,
        date="2026-10-20",
        reason="MAAL_NAAET_BEHOV_OPFYLDT",
        status_at_closure="I_ORDINAERT_JOB",
        joint_decision=True,
    )
    # closed: an outcome that happened later may still be recorded (DOMAIN.md 7.3 rule 6)
    casework.add_outcome(referred.id, outcome_type="ORDINAERT_JOB", date="2026-11-02")
    for refused in (
        lambda: casework.add_meeting(referred.id, meeting_type="SAMTALE", date="2026-11-02"),
        lambda: casework.set_next_followup(referred.id, "2026-12-01"),
        lambda: casework.close_case(referred.id, date="2026-11-02", reason="MAAL_NAAET_BEHOV_OPFYLDT"),
    ):
        with pytest.raises(DomainValidationError) as info:
            refused()
        assert info.value.problems[0] == rules.step_problems(rules.Step.MEETING, CaseStatus.AFSLUTTET)[0]


# -- follow-ups -----------------------------------------------------------------------------------

FRIDAY = D(2026, 11, 20)


@pytest.mark.parametrize(
    ("status", "when", "expected"),
    [
        (CaseStatus.AKTIV, D(2026, 11, 19), rules.FollowUp.OVERDUE),
        (CaseStatus.AKTIV, FRIDAY, rules.FollowUp.THIS_WEEK),
        (CaseStatus.AKTIV, D(2026, 11, 22), rules.FollowUp.THIS_WEEK),  # Sunday ends the ISO week
        (CaseStatus.AKTIV, D(2026, 11, 23), None),
        (CaseStatus.HENVIST, D(2026, 11, 1), rules.FollowUp.OVERDUE),
        (CaseStatus.AFSLUTTET, D(2026, 11, 1), None),
        (CaseStatus.AKTIV, None, None),
    ],
)
def test_follow_up_due(status: CaseStatus, when: dt.date | None, expected: rules.FollowUp | None) -> None:
    case = Case(person_id="p", activity=Activity.A7_MENTOR_AKTIVITETSPARAT, area=Area.RISING, status=status)
    case.next_followup_date = when
    assert rules.follow_up(case, FRIDAY) is expected
    assert rules.due_by(FRIDAY) == D(2026, 11, 22)


def test_the_follow_ups_list_holds_exactly_the_cases_the_rule_says_are_due(seeded: CaseworkService) -> None:
    today = seeded.today
    listed = {s.id for s in seeded.followups_due()}
    everything = seeded.repos.cases.summaries()
    assert listed == {s.id for s in everything if rules.follow_up(s, today) is not None}
    assert listed

"""The measured flow of issue 3: a new referral and its 3-partssamtale, then closing a case, by keys only.

Issue 3 asks for the number of key presses that are not typed text in the referral +
3-partssamtale flow (target: 15 or fewer). Tab, Enter, arrows, space, ctrl+s and the ``n`` that
opens the form count; the letters and digits typed into fields do not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mentor_tui.app import MentorApp
from mentor_tui.codes import (
    Activity,
    Area,
    CaseStatus,
    ClosureReason,
    MeetingType,
    ParticipantRole,
    ReferralSource,
    StartMode,
    StatusAtClosure,
)
from mentor_tui.screens.case_detail import CaseDetailScreen
from mentor_tui.services.casework.rules import default_start_mode
from tests.functional.forms_support import Keys

REFERRAL_AND_START_BUDGET = 15
"""Issue 3: "target: 15 or fewer" non-text key presses."""

MEASURED = 9
"""The number reported in the README for A6 (issue 3, re-counted in issue 11 with the proposed
follow-up); a change to the forms that changes it must say so."""


async def test_referral_and_three_party_meeting_then_closure_by_keys_only(seeded_app: MentorApp) -> None:
    app = seeded_app
    cases_before = app.repos.cases.count()
    async with app.run_test(size=(120, 35)) as pilot:
        keys = Keys(pilot)
        await pilot.pause()
        # -- the measured part: referral + 3-partssamtale ------------------------------------
        await keys.press("n")  # from the case list
        await keys.type("Sara K")
        await keys.press("tab")
        await keys.type("200304")  # birth year-month
        await keys.press("tab")
        await keys.type("vol")  # area: Vollsmose
        await keys.press("tab")
        await keys.type("a6")  # activity: A6
        await keys.press("tab")
        await keys.type("udd")  # referred by: Uddannelsesrådgiver (CFU)
        await keys.press("ctrl+s")  # saves; the start dialog opens by itself
        await pilot.pause()
        # start dialog: 3-partssamtale, roles (resident + education adviser) and the next
        # follow-up (two weeks, A6's rhythm) are proposed
        await keys.press("tab", "space")  # -> goals agreed: tick
        await keys.press("ctrl+s")
        await pilot.pause()
        measured = keys.count
        print(f"\nissue 3: referral + 3-partssamtale took {measured} non-text key presses: {keys.pressed}")
        assert measured <= REFERRAL_AND_START_BUDGET
        assert measured == MEASURED
        assert isinstance(app.screen, CaseDetailScreen)

        # -- then close the case, keys only --------------------------------------------------
        await keys.press("a")  # close
        await keys.type("behov")  # reason: Behov opfyldt / mål nået
        await keys.press("tab")
        await keys.type("i udd")  # status at closure: I uddannelse
        await keys.press("tab", "space")  # joint decision
        await keys.press("ctrl+s", "enter")  # check, then confirm
        await pilot.pause()
        assert isinstance(app.screen, CaseDetailScreen)

    assert app.repos.cases.count() == cases_before + 1
    (summary,) = [s for s in app.repos.cases.summaries() if s.display_label == "Sara K"]
    case = app.repos.cases.get(summary.id)
    person = app.repos.persons.get(case.person_id)
    referral = app.repos.referrals.get(case.referral_id or "")
    assert (person.birth_year, person.birth_month, person.area) == (2003, 4, Area.VOLLSMOSE)
    assert case.activity is Activity.A6_FREMSKUDT_UDD_BESK
    assert referral.source is ReferralSource.UDDANNELSESRAADGIVER_CFU
    assert referral.received_date == dt.date(2026, 11, 20)
    assert case.start_mode is StartMode.TREPARTSSAMTALE
    assert case.start_date == dt.date(2026, 11, 20)
    assert case.goals_agreed
    (meeting,) = app.repos.meetings.for_case(case.id)
    assert meeting.meeting_type is MeetingType.TREPARTSSAMTALE
    assert meeting.held
    assert meeting.participants == [ParticipantRole.BEBOER, ParticipantRole.UDDANNELSESRAADGIVER]
    assert meeting.next_followup_date == dt.date(2026, 12, 4)
    assert case.status is CaseStatus.AFSLUTTET
    (closure,) = app.repos.closures.for_case(case.id)
    assert closure.reason is ClosureReason.MAAL_NAAET_BEHOV_OPFYLDT
    assert closure.status_at_closure is StatusAtClosure.I_UDDANNELSE
    assert closure.joint_decision


# -- issue 11 item 9: every activity, every start mode it allows, consent where it is needed -----

FLOWS: dict[Activity, tuple[str, str]] = {
    # activity: (birth year-month typed, referred by typed)
    Activity.A1_FREMSKUDT_TRIVSEL: ("198805", "famil"),
    Activity.A2_FORAELDRERAADGIVNING: ("198703", "sundh"),
    Activity.A3_UNGERAADGIVNING: ("201103", "folke"),
    Activity.A6_FREMSKUDT_UDD_BESK: ("200304", "udd"),
    Activity.A7_MENTOR_AKTIVITETSPARAT: ("199002", "jobr"),
    Activity.A8_MENTOR_JOBPARAT: ("198507", "jobr"),
    Activity.A9_BESKAEFTIGELSESRAADGIVNING: ("198001", "jobr"),
    Activity.A10_FRITIDSJOB: ("201006", "folke"),
}
"""The case activities that start (A4, A5, A11-A13 are group and community activities)."""

TYPED_MODE: dict[StartMode, str] = {
    StartMode.TREPARTSSAMTALE: "3-parts",
    StartMode.BSH_KONTAKTER_BEBOER: "bsh",
    StartMode.MOEDE_MED_OG_OM_DEN_UNGE: "møde med",
    StartMode.FLERPARTS_OPSTARTSMOEDE: "opstartsm",
    StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER: "egen",
    StartMode.AFKLARINGSSAMTALE: "afklar",
    StartMode.RAADGIVNINGSSAMTALE: "rådgivn",
}
"""What a user types to choose a start mode other than the proposed one (text: not counted)."""

MEASURED_WITH_CONSENT = 13
"""The README's figure where the activity needs consent before it starts (A3): four keys more."""

KEY_COUNTS: dict[tuple[Activity, StartMode], int] = {}
"""Filled by the test below: the figures of the README's table."""


@pytest.mark.parametrize("activity", list(FLOWS), ids=lambda a: a.short)
async def test_referral_and_start_for_every_start_mode_within_budget(
    app: MentorApp, activity: Activity
) -> None:
    """Referral + start by keys only, for each start mode the plan allows the activity, with the
    consent the activity needs (A3: the young person and a parent) and goals agreed; the next
    follow-up is the proposed one. The README's table lists these counts."""
    birth, source = FLOWS[activity]
    rules = app.casework.closure_requirements(activity)
    modes = [m for m in StartMode if m in rules.start_modes]
    proposed_mode = default_start_mode(activity, rules.start_modes)
    counts: dict[StartMode, int] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        for n, mode in enumerate(modes):
            keys = Keys(pilot)
            label = f"Test {activity.short} {n}"
            await keys.press("n")
            await keys.type(label)
            await keys.press("tab")
            await keys.type(birth)
            await keys.press("tab")
            await keys.type("vol")
            await keys.press("tab")
            await keys.type(activity.short.lower())
            await keys.press("tab")
            await keys.type(source)
            await keys.press("ctrl+s")  # saved; the start dialog opens
            await pilot.pause()
            if mode is not proposed_mode:
                await keys.type(TYPED_MODE[mode])
            if rules.consent_from:
                await keys.press("tab", "space", "down", "space")  # the young person, a parent
            await keys.press("tab", "space")  # goals agreed
            await keys.press("ctrl+s")
            await pilot.pause()
            counts[mode] = keys.count
            assert keys.count <= REFERRAL_AND_START_BUDGET, (mode, keys.pressed)
            assert keys.count == (MEASURED_WITH_CONSENT if rules.consent_from else MEASURED), mode
            (summary,) = [s for s in app.repos.cases.summaries() if s.display_label == label]
            case = app.repos.cases.get(summary.id)
            assert case.status is CaseStatus.AKTIV, mode
            assert case.start_mode is mode
            assert case.goals_agreed
            assert case.next_followup_date == app.casework.proposed_followup(activity)
            given = {c.given_by for c in app.repos.consents.for_case(case.id, order_by="given_date")}
            assert given >= set(rules.consent_from)
            await keys.press("escape")  # back to the list for the next one
            await pilot.pause()
    KEY_COUNTS.update({(activity, mode): count for mode, count in counts.items()})
    print(f"\nissue 11: {activity.short}: " + ", ".join(f"{m.value} {c}" for m, c in counts.items()))

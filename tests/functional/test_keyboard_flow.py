"""The measured flow of issue 3: a new referral and its 3-partssamtale, then closing a case, by keys only.

Issue 3 asks for the number of key presses that are not typed text in the referral +
3-partssamtale flow (target: 15 or fewer). Tab, Enter, arrows, space, ctrl+s and the ``n`` that
opens the form count; the letters and digits typed into fields do not.
"""

from __future__ import annotations

import datetime as dt

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
from tests.functional.forms_support import Keys

REFERRAL_AND_START_BUDGET = 15
"""Issue 3: "target: 15 or fewer" non-text key presses."""

MEASURED = 11
"""The number reported for issue 3 (README); a change to the forms that changes it must say so."""


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
        # start dialog: 3-partssamtale and roles (resident + education adviser) are preselected
        await keys.press("tab", "tab", "space")  # -> roles -> goals agreed: tick
        await keys.press("tab")  # -> next follow-up
        await keys.type("+2u")  # in two weeks
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

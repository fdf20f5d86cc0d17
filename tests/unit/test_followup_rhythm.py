"""Issue 11 item 6: follow-ups cannot be forgotten (the rhythm rule and the service)."""

from __future__ import annotations

import datetime as dt

import pytest

from mentor_tui.codes import Activity, CaseStatus
from mentor_tui.errors import DomainValidationError
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("activity", "days"),
    [
        (Activity.A6_FREMSKUDT_UDD_BESK, 14),
        (Activity.A7_MENTOR_AKTIVITETSPARAT, 14),
        (Activity.A8_MENTOR_JOBPARAT, 14),
        (Activity.A3_UNGERAADGIVNING, 14),
        (Activity.A2_FORAELDRERAADGIVNING, 21),
        (Activity.A9_BESKAEFTIGELSESRAADGIVNING, 28),
        (Activity.A10_FRITIDSJOB, 28),
    ],
)
def test_the_proposal_follows_the_activitys_rhythm(activity: Activity, days: int) -> None:
    assert rules.proposed_followup(activity, TODAY) == TODAY + dt.timedelta(days=days)


def _closed_case(casework: CaseworkService) -> str:
    case = casework.register_referral(
        activity="A10_FRITIDSJOB",
        received_date="2026-09-01",
        source="FOLKESKOLE",
        display_label="Jon V",
        birth_year=2010,
        birth_month=3,
        area="VOLLSMOSE",
    )
    casework.start_case(case.id, start_mode="RAADGIVNINGSSAMTALE", start_date="2026-09-02")
    casework.close_case(case.id, date="2026-10-30", reason="MAAL_NAAET_BEHOV_OPFYLDT")
    return case.id


def test_reopening_sets_the_next_follow_up_in_the_same_step(casework: CaseworkService) -> None:
    case_id = _closed_case(casework)
    casework.reopen_case(case_id, note="mistede jobbet", next_followup_date="04-12-2026")
    case = casework.repos.cases.get(case_id)
    assert case.status is CaseStatus.AKTIV
    assert case.next_followup_date == dt.date(2026, 12, 4)


def test_a_follow_up_before_the_reopening_is_refused_and_nothing_is_written(
    casework: CaseworkService,
) -> None:
    case_id = _closed_case(casework)
    with pytest.raises(DomainValidationError) as info:
        casework.reopen_case(case_id, note="igen", next_followup_date="2026-11-01")
    assert [p.field for p in info.value.problems] == ["next_followup_date"]
    assert casework.repos.cases.get(case_id).status is CaseStatus.AFSLUTTET
    assert casework.repos.reopenings.count() == 0


def test_active_cases_without_a_follow_up_are_listed(casework: CaseworkService) -> None:
    case_id = _closed_case(casework)
    assert casework.open_without_followup() == []
    casework.reopen_case(case_id, note="igen")  # no follow-up given
    (row,) = casework.open_without_followup()
    assert row.id == case_id
    casework.set_next_followup(case_id, "2026-12-01")
    assert casework.open_without_followup() == []

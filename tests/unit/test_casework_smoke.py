"""The headline flow through the service layer: refer, start with a 3-partssamtale, close."""

from __future__ import annotations

from mentor_tui.codes import CaseStatus, MeetingType
from mentor_tui.services.casework.service import CaseworkService


def test_refer_start_close_round_trip(casework: CaseworkService) -> None:
    case = casework.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="02-11-2026",
        source="UDDANNELSESRAADGIVER_CFU",
        display_label="Testperson A",
        birth_year=2001,
        birth_month=5,
        area="RISING",
    )
    casework.start_case(
        case.id,
        start_mode="TREPARTSSAMTALE",
        start_date="03-11-2026",
        goals_agreed=True,
        participants=["BEBOER", "UDDANNELSESRAADGIVER"],
    )
    casework.close_case(
        case.id,
        date="12-11-2026",
        reason="MAAL_NAAET_BEHOV_OPFYLDT",
        status_at_closure="I_UDDANNELSE",
        joint_decision=True,
    )
    detail = casework.detail(case.id)
    assert detail.case.status is CaseStatus.AFSLUTTET
    assert [m.meeting_type for m in detail.meetings] == [MeetingType.TREPARTSSAMTALE]
    assert detail.closures[0].joint_decision is True

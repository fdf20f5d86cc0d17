"""CaseworkService: the lifecycle, and refusals that write nothing and say why in both languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from mentor_tui.clock import FixedClock
from mentor_tui.codes import Activity, Area, CaseStatus, ConsentGiver, MeetingType, Team
from mentor_tui.errors import DomainValidationError
from mentor_tui.models import Case
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW

TABLES = ["staff", "person", "referral", "cases", "consent", "meeting", "outcome", "closure", "reopening"]


def _snapshot(repos: Repositories) -> dict[str, list[dict[str, Any]]]:
    return {t: list(repos.db.query(f"SELECT * FROM {t} ORDER BY id")) for t in TABLES}


@pytest.fixture
def refuses(casework: CaseworkService) -> Callable[..., DomainValidationError]:
    """``refuses(fn, *codes)``: calling fn raises with exactly those rule codes and writes nothing."""

    def check(fn: Callable[..., object], *codes: str, **kwargs: Any) -> DomainValidationError:
        before = _snapshot(casework.repos)
        with pytest.raises(DomainValidationError) as info:
            fn(**kwargs)
        assert _snapshot(casework.repos) == before, "a refused call must write nothing"
        err = info.value
        assert [p.code for p in err.problems] == list(codes)
        for p in err.problems:
            assert p.message.da.strip()
            assert p.message.en.strip()
            assert p.message.da != p.message.en, p
        assert err.text("da") != err.text("en")
        return err

    return check


def _refer(casework: CaseworkService, **overrides: Any) -> Case:
    data: dict[str, Any] = {
        "activity": "A6_FREMSKUDT_UDD_BESK",
        "received_date": "02-11-2026",
        "source": "UDDANNELSESRAADGIVER_CFU",
        "display_label": "Testperson A",
        "birth_year": 2001,
        "birth_month": 5,
        "area": "RISING",
    }
    data.update(overrides)
    return casework.register_referral(**data)


def _start(casework: CaseworkService, case: Case, **overrides: Any) -> Case:
    data: dict[str, Any] = {
        "start_mode": "TREPARTSSAMTALE",
        "start_date": "03-11-2026",
        "goals_agreed": True,
        "participants": ["BEBOER", "UDDANNELSESRAADGIVER"],
    }
    data.update(overrides)
    return casework.start_case(case.id, **data)


def _close(casework: CaseworkService, case: Case, **overrides: Any) -> None:
    data: dict[str, Any] = {
        "date": "12-11-2026",
        "reason": "MAAL_NAAET_BEHOV_OPFYLDT",
        "status_at_closure": "I_UDDANNELSE",
        "joint_decision": True,
    }
    data.update(overrides)
    casework.close_case(case.id, **data)


# -- register ---------------------------------------------------------------------------------


def test_register_creates_person_referral_and_referred_case(casework: CaseworkService) -> None:
    me = casework.ensure_local_staff("ØK", Team.TEAM_BESKAEFTIGELSE)
    case = _refer(casework, reasons=["UDDANNELSE_MAAL"], gender="KVINDE")
    detail = casework.detail(case.id)
    assert detail.case.status is CaseStatus.HENVIST
    assert detail.case.staff_id == me.id  # the local user is the case worker by default
    assert detail.case.area.value == "RISING"
    assert detail.person.display_label == "Testperson A"
    assert detail.person.birth_ym == "2001-05"
    assert detail.referral is not None
    assert detail.referral.received_date == dt.date(2026, 11, 2)
    assert [r.value for r in detail.referral.reasons] == ["UDDANNELSE_MAAL"]


@pytest.mark.parametrize(
    ("overrides", "codes", "fields"),
    [
        ({"display_label": "  "}, ["string_too_short"], ["display_label"]),
        ({"display_label": None}, ["string_type"], ["display_label"]),
        ({"birth_month": 13}, ["less_than_equal"], ["birth_month"]),
        ({"birth_year": "nitten"}, ["int_parsing"], ["birth_year"]),
        ({"area": "MARS"}, ["enum"], ["area"]),
        ({"activity": None}, ["enum"], ["activity"]),
        ({"source": ""}, ["enum"], ["source"]),
        ({"received_date": "31-02-2026"}, ["value_error"], ["received_date"]),
        ({"received_date": None}, ["date_type"], ["received_date"]),
        ({"received_date": "21-11-2026"}, ["date_future"], ["received_date"]),
        ({"activity": "A12_MEDBORGERSKAB"}, ["not_case_activity"], ["activity"]),
        ({"birth_month": 0, "area": "X"}, ["greater_than_equal", "enum"], ["birth_month", "area"]),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(
    casework: CaseworkService,
    refuses: Callable[..., DomainValidationError],
    overrides: dict[str, Any],
    codes: list[str],
    fields: list[str],
) -> None:
    err = refuses(lambda: _refer(casework, **overrides), *codes)
    assert [p.field for p in err.problems] == fields


def test_bad_date_message_names_the_field_in_both_languages(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    err = refuses(lambda: _refer(casework, received_date="31-02-2026"), "value_error")
    (problem,) = err.for_field("received_date")
    assert "findes ikke i kalenderen" in problem.message.da
    assert "is not a calendar date" in problem.message.en


def test_duplicate_open_case_for_same_person_and_activity_is_refused(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    first = _refer(casework)
    again: dict[str, Any] = {
        "activity": "A6_FREMSKUDT_UDD_BESK",
        "received_date": "10-11-2026",
        "source": "EGEN_HENVENDELSE",
    }
    err = refuses(
        lambda: casework.register_referral(person_id=first.person_id, **again), "duplicate_open_case"
    )
    assert "Testperson A har allerede et åbent forløb" in err.text("da")
    assert "already has an open case" in err.text("en")
    # another activity for the same person is fine
    other = casework.register_referral(
        person_id=first.person_id,
        activity="A9_BESKAEFTIGELSESRAADGIVNING",
        received_date="10-11-2026",
        source="EGEN_HENVENDELSE",
    )
    assert other.person_id == first.person_id
    # and once the first case is closed, the same activity may be referred again
    _start(casework, first)
    _close(casework, first)
    second = casework.register_referral(person_id=first.person_id, **again)
    assert second.status is CaseStatus.HENVIST
    assert casework.repos.persons.count() == 1


def test_find_persons_shows_open_cases(casework: CaseworkService) -> None:
    case = _refer(casework)
    _refer(casework, display_label="Anden person", birth_year=1980)
    (match,) = casework.find_persons("testperson", birth_year=2001)
    assert match.person.id == case.person_id
    assert [s.id for s in match.open_cases] == [case.id]
    assert casework.find_persons("%") == []  # LIKE wildcards are literal
    assert casework.find_persons("") == []


# -- start -------------------------------------------------------------------------------------


def test_start_with_a_3_partssamtale_records_the_meeting(casework: CaseworkService) -> None:
    case = _refer(casework)
    started = _start(casework, case, next_followup_date="24-11-2026")
    assert started.status is CaseStatus.AKTIV
    detail = casework.detail(case.id)
    (meeting,) = detail.meetings
    assert meeting.meeting_type is MeetingType.TREPARTSSAMTALE
    assert meeting.date == dt.date(2026, 11, 3)
    assert meeting.held
    assert [p.value for p in meeting.participants] == ["BEBOER", "UDDANNELSESRAADGIVER"]
    assert detail.case.next_followup_date == dt.date(2026, 11, 24)
    assert detail.case.goals_agreed


def test_a_non_meeting_start_mode_records_no_meeting(casework: CaseworkService) -> None:
    case = _refer(casework, activity="A7_MENTOR_AKTIVITETSPARAT", source="JOBRAADGIVER", birth_year=1980)
    _start(casework, case, start_mode="BSH_KONTAKTER_BEBOER")
    assert casework.detail(case.id).meetings == []


def test_a3_start_stores_both_consents(casework: CaseworkService) -> None:
    case = _refer(casework, activity="A3_UNGERAADGIVNING", source="FOLKESKOLE", birth_year=2011)
    _start(casework, case, start_mode="MOEDE_MED_OG_OM_DEN_UNGE", consents=["UNG", "FORAELDER", "UNG"])
    consents = casework.detail(case.id).consents
    assert sorted(c.given_by for c in consents) == sorted([ConsentGiver.UNG, ConsentGiver.FORAELDER])
    assert all(c.given_date == dt.date(2026, 11, 3) for c in consents)


def test_a3_without_parent_consent_cannot_start(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    """DOMAIN.md:946 rule 3: the consent gate blocks, and nothing is written."""
    case = _refer(casework, activity="A3_UNGERAADGIVNING", source="FOLKESKOLE", birth_year=2011)
    refuses(
        lambda: _start(casework, case, start_mode="MOEDE_MED_OG_OM_DEN_UNGE", consents=["UNG"]),
        "consent_missing",
    )
    assert casework.repos.cases.get(case.id).status is CaseStatus.HENVIST


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"start_mode": "BSH_KONTAKTER_BEBOER"}, ["start_mode_not_allowed"]),
        ({"start_mode": None}, ["enum"]),
        ({"start_date": "21-11-2026"}, ["date_future"]),
        ({"start_date": "01-11-2026"}, ["start_before_referral"]),
        ({"start_date": "igår"}, ["value_error"]),
        ({"next_followup_date": "01-11-2026", "start_date": "03-11-2026"}, ["followup_before_meeting"]),
        ({"participants": ["BORGMESTER"]}, ["enum"]),
    ],
)
def test_start_refuses_and_writes_nothing(
    casework: CaseworkService,
    refuses: Callable[..., DomainValidationError],
    overrides: dict[str, Any],
    codes: list[str],
) -> None:
    case = _refer(casework)
    refuses(lambda: _start(casework, case, **overrides), *codes)


def test_starting_twice_is_refused(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _refer(casework)
    _start(casework, case)
    err = refuses(lambda: _start(casework, case, start_date="05-11-2026"), "not_referred")
    assert "kan ikke startes igen" in err.text("da")
    assert "cannot be started again" in err.text("en")


# -- meetings, outcomes, follow-ups --------------------------------------------------------------


def test_meetings_move_the_next_follow_up(casework: CaseworkService) -> None:
    case = _refer(casework)
    _start(casework, case)
    casework.add_meeting(
        case.id,
        meeting_type="OPFOELGNING_FLERPART",
        date="10-11-2026",
        participants=["BEBOER"],
        next_followup_date="24-11-2026",
        channel="TELEFON",
    )
    assert casework.repos.cases.get(case.id).next_followup_date == dt.date(2026, 11, 24)
    # a planned meeting earlier than the follow-up becomes the next thing to follow up
    casework.add_meeting(case.id, meeting_type="SAMTALE", date="23-11-2026", held=False)
    assert casework.repos.cases.get(case.id).next_followup_date == dt.date(2026, 11, 23)
    summary = casework.repos.cases.summaries()[0]
    assert summary.last_meeting_date == dt.date(2026, 11, 10)  # planned meetings are not "held"


def test_followups_due_lists_overdue_and_this_week(casework: CaseworkService, clock: FixedClock) -> None:
    clock.at = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)  # set last week, overdue now
    overdue = _refer(casework)
    _start(casework, overdue, next_followup_date="13-11-2026")
    closed = _refer(casework, display_label="Testperson D")
    _start(casework, closed, next_followup_date="10-11-2026")
    clock.at = FROZEN_NOW
    _close(casework, closed)
    this_week = _refer(casework, display_label="Testperson B")
    _start(casework, this_week, next_followup_date="22-11-2026")
    later = _refer(casework, display_label="Testperson C")
    _start(casework, later, next_followup_date="23-11-2026")
    assert [s.id for s in casework.followups_due()] == [overdue.id, this_week.id]


def test_set_next_followup_sets_and_clears(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _refer(casework)
    _start(casework, case)
    casework.set_next_followup(case.id, "01-12-2026")
    assert casework.repos.cases.get(case.id).next_followup_date == dt.date(2026, 12, 1)
    refuses(lambda: casework.set_next_followup(case.id, "32-12-2026"), "value_error")
    casework.set_next_followup(case.id, None)
    assert casework.repos.cases.get(case.id).next_followup_date is None


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"date": "21-11-2026"}, ["date_future"]),
        ({"next_followup_date": "09-11-2026"}, ["followup_before_meeting"]),
        ({"meeting_type": "KAFFE"}, ["enum"]),
        ({"date": ""}, ["date_type"]),
    ],
)
def test_meeting_refusals_write_nothing(
    casework: CaseworkService,
    refuses: Callable[..., DomainValidationError],
    overrides: dict[str, Any],
    codes: list[str],
) -> None:
    case = _refer(casework)
    _start(casework, case)
    data: dict[str, Any] = {"meeting_type": "SAMTALE", "date": "10-11-2026"}
    data.update(overrides)
    refuses(lambda: casework.add_meeting(case.id, **data), *codes)


def test_a_planned_meeting_may_lie_in_the_future(casework: CaseworkService) -> None:
    case = _refer(casework)
    _start(casework, case)
    meeting = casework.add_meeting(case.id, meeting_type="SAMTALE", date="01-12-2026", held=False)
    assert not meeting.held


def test_outcome_before_start_is_refused(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _refer(casework)
    refuses(
        lambda: casework.add_outcome(case.id, outcome_type="UDDANNELSE_STARTET", date="05-11-2026"),
        "not_started",
    )
    _start(casework, case)
    refuses(
        lambda: casework.add_outcome(case.id, outcome_type="UDDANNELSE_STARTET", date="02-11-2026"),
        "before_start",
    )
    refuses(
        lambda: casework.add_outcome(case.id, outcome_type="UDDANNELSE_STARTET", date="21-11-2026"),
        "date_future",
    )
    refuses(lambda: casework.add_outcome(case.id, outcome_type=None, date="05-11-2026"), "enum")


def test_outcome_after_closure_is_allowed(casework: CaseworkService) -> None:
    """DOMAIN.md:952 rule 6: outcomes are dated when they occur, not at closure."""
    case = _refer(casework)
    _start(casework, case)
    _close(casework, case)
    outcome = casework.add_outcome(case.id, outcome_type="ORDINAERT_JOB", date="19-11-2026")
    assert casework.detail(case.id).outcomes == [outcome]


# -- close and reopen ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"status_at_closure": None}, ["status_required"]),
        ({"joint_decision": False}, ["joint_decision_required"]),
        ({"reason": None}, ["missing"]),
        ({"date": "21-11-2026"}, ["date_future"]),
        ({"date": "02-11-2026"}, ["closure_before_start"]),
        ({"date": None}, ["missing"]),
    ],
)
def test_closure_refusals_write_nothing(
    casework: CaseworkService,
    refuses: Callable[..., DomainValidationError],
    overrides: dict[str, Any],
    codes: list[str],
) -> None:
    """DOMAIN.md:951 rule 5 through the service."""
    case = _refer(casework)
    _start(casework, case)
    refuses(lambda: _close(casework, case, **overrides), *codes)
    assert casework.repos.cases.get(case.id).status is CaseStatus.AKTIV


def test_a_bad_closure_reason_is_the_only_problem_reported(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    """The user typed a valid date and status; only the reason is wrong, so only it is flagged."""
    case = _refer(casework)
    _start(casework, case)
    err = refuses(lambda: _close(casework, case, reason="KEDEDE_SIG"), "enum")
    assert [p.field for p in err.problems] == ["reason"]


def test_a2_closes_with_a_reason_only(casework: CaseworkService) -> None:
    case = _refer(casework, activity="A2_FORAELDRERAADGIVNING", source="SUNDHEDSPLEJE", birth_year=1988)
    _start(casework, case, start_mode="FLERPARTS_OPSTARTSMOEDE", participants=["FORAELDER"])
    casework.close_case(case.id, date="12-11-2026", reason="FORAELDRE_TRYGGE_SELV")
    assert casework.repos.cases.get(case.id).status is CaseStatus.AFSLUTTET


def test_closing_twice_is_refused(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _refer(casework)
    _start(casework, case, next_followup_date="20-11-2026")
    _close(casework, case)
    closed = casework.repos.cases.get(case.id)
    assert closed.status is CaseStatus.AFSLUTTET
    assert closed.end_date == dt.date(2026, 11, 12)
    assert closed.next_followup_date is None
    err = refuses(lambda: _close(casework, case, date="13-11-2026"), "closed")
    assert "genåbn" in err.text("da")
    assert "reopen" in err.text("en")
    # a closed case takes no meetings either
    refuses(lambda: casework.add_meeting(case.id, meeting_type="SAMTALE", date="14-11-2026"), "closed")


def test_a_referred_case_can_be_closed_without_starting(casework: CaseworkService) -> None:
    case = _refer(casework, activity="A9_BESKAEFTIGELSESRAADGIVNING", source="EGEN_HENVENDELSE")
    casework.close_case(case.id, date="10-11-2026", reason="KONTAKT_OPHOERT")
    assert casework.repos.cases.get(case.id).status is CaseStatus.AFSLUTTET


def test_reopen_needs_a_note_and_keeps_the_old_closure(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _refer(casework)
    _start(casework, case)
    refuses(lambda: casework.reopen_case(case.id, note="Igen"), "not_closed")
    _close(casework, case)
    refuses(lambda: casework.reopen_case(case.id, note=None), "string_type")
    refuses(lambda: casework.reopen_case(case.id, note="   "), "string_too_short")
    refuses(lambda: casework.reopen_case(case.id, note="Igen", date="21-11-2026"), "date_future")
    reopening = casework.reopen_case(case.id, note="Ny henvendelse fra beboeren")
    detail = casework.detail(case.id)
    assert detail.case.status is CaseStatus.AKTIV
    assert detail.case.end_date is None
    assert reopening.date == dt.date(2026, 11, 20)  # today by default
    assert reopening.closure_id == detail.closures[0].id
    assert len(detail.closures) == 1
    # it can be closed again; both closures stay in the history
    _close(casework, case, date="20-11-2026")
    assert len(casework.detail(case.id).closures) == 2


def test_timeline_is_newest_first(casework: CaseworkService) -> None:
    case = _refer(casework)
    _start(casework, case)
    casework.add_outcome(case.id, outcome_type="UDDANNELSE_STARTET", date="10-11-2026")
    _close(casework, case)
    kinds = [e.kind for e in casework.timeline(case.id)]
    assert kinds == ["closure", "outcome", "meeting", "start", "referral"]
    texts = casework.timeline(case.id)
    assert texts[-1].text("da").startswith("Henvisning fra")
    assert texts[-1].text("en").startswith("Referral from")


def test_ensure_local_staff_is_idempotent(casework: CaseworkService) -> None:
    first = casework.ensure_local_staff("AB")
    assert casework.ensure_local_staff("CD") == first
    assert casework.repos.staff.count() == 1


def test_referral_warnings_follow_the_configured_a3_age(repos: Repositories) -> None:
    """DOMAIN.md:941: A3 may be extended to 24 by configuration [002:765]; warnings never block."""
    kwargs: dict[str, Any] = {
        "birth_year": 2006,
        "birth_month": 1,
        "area": Area.VOLLSMOSE,
        "received_date": dt.date(2026, 11, 2),
    }
    default = CaseworkService(repos)
    extended = CaseworkService(repos, a3_max_age=24)
    assert [w.code for w in default.referral_warnings(Activity.A3_UNGERAADGIVNING, **kwargs)] == ["age_above"]
    assert extended.referral_warnings(Activity.A3_UNGERAADGIVNING, **kwargs) == []
    assert extended.closure_requirements(Activity.A3_UNGERAADGIVNING).max_age == 24
    # the warning does not stop the registration
    case = default.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="02-11-2026",
        source="UUO",
        display_label="Testperson 20",
        **{k: v for k, v in kwargs.items() if k != "received_date"},
    )
    assert case.status is CaseStatus.HENVIST

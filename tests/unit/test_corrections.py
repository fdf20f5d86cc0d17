"""Correcting a mistake (issue 9 items 1, 2, 5, 7): edit and void every record, ctrl+z, one person
one record. Every refusal writes nothing, not even an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from mentor_tui.codes import CaseStatus, ConsentGiver, MeetingType, StartMode, Team
from mentor_tui.errors import DomainValidationError, MentorError
from mentor_tui.models import Case
from mentor_tui.services.casework.service import CaseworkService, TimelineEntry
from mentor_tui.storage.repositories import Repositories
from tests.unit.test_casework import TABLES, _close, _refer, _start

D = dt.date


def _state(repos: Repositories) -> dict[str, list[dict[str, Any]]]:
    return {t: list(repos.db.query(f"SELECT * FROM {t} ORDER BY id")) for t in [*TABLES, "audit_log"]}


@pytest.fixture
def refuses(casework: CaseworkService) -> Callable[..., DomainValidationError]:
    """``refuses(fn, *codes)``: fn raises with exactly those codes, and nothing is written at all."""

    def check(fn: Callable[[], object], *codes: str) -> DomainValidationError:
        before = _state(casework.repos)
        changes = len(casework.undo_stack.changes)
        with pytest.raises(DomainValidationError) as info:
            fn()
        assert _state(casework.repos) == before, "a refused correction must write nothing"
        assert len(casework.undo_stack.changes) == changes
        assert [p.code for p in info.value.problems] == list(codes)
        for p in info.value.problems:
            assert p.message.da != p.message.en
        return info.value

    return check


@pytest.fixture
def me(casework: CaseworkService) -> str:
    """This laptop's user ("ØK"), the session's staff member."""
    return casework.ensure_local_staff("ØK", Team.TEAM_BESKAEFTIGELSE).id


def _entry(casework: CaseworkService, case: Case, kind: str, **match: Any) -> TimelineEntry:
    return next(
        e
        for e in casework.timeline(case.id)
        if e.kind == kind and all(getattr(e, k) == v for k, v in match.items())
    )


def _started(casework: CaseworkService) -> Case:
    case = _refer(casework)
    _start(casework, case)
    return case


# -- edit ------------------------------------------------------------------------------------------


def test_a_meeting_is_corrected_with_the_rules_of_a_new_one(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _started(casework)
    meeting = casework.add_meeting(case.id, meeting_type="SAMTALE", date="10-11-2026")
    fixed = casework.corrections.edit_meeting(
        meeting.id, meeting_type="OPFOELGNING_FLERPART", date="09-11-2026", participants=["BEBOER"]
    )
    assert fixed.id == meeting.id
    assert casework.repos.meetings.get(meeting.id).meeting_type is MeetingType.OPFOELGNING_FLERPART
    # the same rules as a new meeting (issue 9 item 4): not before the referral, not in the future
    err = refuses(
        lambda: casework.corrections.edit_meeting(meeting.id, meeting_type="SAMTALE", date="01-01-1900"),
        "before_referral",
    )
    assert "02-11-2026" in err.text("da")  # says which dates would be accepted
    refuses(
        lambda: casework.corrections.edit_meeting(meeting.id, meeting_type="SAMTALE", date="21-11-2026"),
        "date_future",
    )
    refuses(
        lambda: casework.corrections.edit_meeting(meeting.id, meeting_type="KAFFE", date="09-11-2026"), "enum"
    )


def test_a_corrected_planned_meeting_keeps_being_the_next_followup(casework: CaseworkService) -> None:
    case = _started(casework)
    planned = casework.add_meeting(case.id, meeting_type="SAMTALE", date="01-12-2026", held=False)
    assert casework.repos.cases.get(case.id).next_followup_date == D(2026, 12, 1)
    casework.corrections.edit_meeting(planned.id, meeting_type="SAMTALE", date="03-12-2026", held=False)
    assert casework.repos.cases.get(case.id).next_followup_date == D(2026, 12, 3)


def test_an_old_record_can_be_corrected_although_it_breaks_a_newer_rule(casework: CaseworkService) -> None:
    """A follow-up now in the past was fine when it was set: correcting the type is still allowed."""
    case = _started(casework)
    meeting = casework.add_meeting(case.id, meeting_type="SAMTALE", date="10-11-2026")
    casework.repos.db.execute(
        "UPDATE meeting SET next_followup_date = '2026-11-15' WHERE id = ?", [meeting.id]
    )
    casework.corrections.edit_meeting(
        meeting.id, meeting_type="AFKLARENDE_MOEDE", date="10-11-2026", next_followup_date="15-11-2026"
    )
    assert casework.repos.meetings.get(meeting.id).meeting_type is MeetingType.AFKLARENDE_MOEDE


def test_the_start_is_corrected_with_its_consents_and_start_meeting(casework: CaseworkService) -> None:
    case = _refer(casework, activity="A7_MENTOR_AKTIVITETSPARAT", source="JOBRAADGIVER", birth_year=1980)
    _start(casework, case, consents=["BEBOER"])
    (start_meeting,) = casework.detail(case.id).meetings
    assert start_meeting.is_start
    casework.corrections.edit_start(
        case.id, start_mode="BSH_KONTAKTER_BEBOER", start_date="04-11-2026", goals_agreed=False, consents=[]
    )
    detail = casework.detail(case.id)
    assert detail.case.start_mode is StartMode.BSH_KONTAKTER_BEBOER
    assert detail.case.start_date == D(2026, 11, 4)
    assert not detail.case.goals_agreed
    assert detail.meetings == []  # not a meeting-type start any more: its meeting is voided
    assert detail.consents == []
    assert casework.repos.meetings.get(start_meeting.id).deleted_at is not None
    casework.corrections.edit_start(
        case.id,
        start_mode="TREPARTSSAMTALE",
        start_date="05-11-2026",
        goals_agreed=True,
        consents=["BEBOER"],
        participants=["BEBOER", "JOBRAADGIVER"],
    )
    (again,) = casework.detail(case.id).meetings
    assert (again.is_start, again.date, again.meeting_type) == (
        True,
        D(2026, 11, 5),
        MeetingType.TREPARTSSAMTALE,
    )
    assert [c.given_by for c in casework.detail(case.id).consents] == [ConsentGiver.BEBOER]


def test_a_start_cannot_move_after_an_outcome_nor_lose_a3_consent(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _started(casework)
    casework.add_outcome(case.id, outcome_type="ORDINAERT_JOB", date="06-11-2026")
    err = refuses(
        lambda: casework.corrections.edit_start(
            case.id, start_mode="TREPARTSSAMTALE", start_date="07-11-2026", goals_agreed=True
        ),
        "start_after_event",
    )
    assert "til og med 06-11-2026" in err.text("da")
    a3 = _refer(
        casework, activity="A3_UNGERAADGIVNING", source="FOLKESKOLE", birth_year=2011, display_label="Ung"
    )
    _start(casework, a3, start_mode="MOEDE_MED_OG_OM_DEN_UNGE", consents=["UNG", "FORAELDER"])
    refuses(
        lambda: casework.corrections.edit_start(
            a3.id,
            start_mode="MOEDE_MED_OG_OM_DEN_UNGE",
            start_date="03-11-2026",
            goals_agreed=True,
            consents=["UNG"],
        ),
        "consent_missing",
    )


def test_the_person_and_referral_are_corrected_together(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _refer(casework)
    fields: dict[str, Any] = {
        "display_label": "Testperson Å",
        "birth_year": 2001,
        "birth_month": 6,
        "area": "VOLLSMOSE",
        "gender": "KVINDE",
        "activity": "A6_FREMSKUDT_UDD_BESK",
        "received_date": "01-11-2026",
        "source": "UUO",
        "reasons": ["UDDANNELSE_MAAL"],
    }
    casework.corrections.edit_referral(case.id, **fields)
    detail = casework.detail(case.id)
    assert (detail.person.display_label, detail.person.label_key) == ("Testperson Å", "testperson å")
    assert detail.person.birth_month == 6
    assert detail.case.area.value == "VOLLSMOSE"  # the case's area snapshot follows the correction
    assert detail.referral is not None
    assert detail.referral.received_date == D(2026, 11, 1)
    refuses(
        lambda: casework.corrections.edit_referral(case.id, **{**fields, "birth_year": 2027}), "birth_future"
    )
    refuses(
        lambda: casework.corrections.edit_referral(case.id, **{**fields, "display_label": "a\tb"}),
        "label_tab",
    )
    _start(casework, case)
    refuses(
        lambda: casework.corrections.edit_referral(
            case.id, **{**fields, "activity": "A7_MENTOR_AKTIVITETSPARAT"}
        ),
        "activity_after_start",
    )
    refuses(
        lambda: casework.corrections.edit_referral(case.id, **{**fields, "received_date": "04-11-2026"}),
        "referral_after_event",
    )


def test_closure_and_reopening_are_corrected(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _started(casework)
    casework.add_meeting(case.id, meeting_type="SAMTALE", date="10-11-2026")
    _close(casework, case)
    (closure,) = casework.detail(case.id).closures
    casework.corrections.edit_closure(
        closure.id,
        date="11-11-2026",
        reason="KONTAKT_OPHOERT",
        status_at_closure="UKENDT",
        joint_decision=True,
    )
    assert casework.repos.cases.get(case.id).end_date == D(2026, 11, 11)
    err = refuses(
        lambda: casework.corrections.edit_closure(
            closure.id,
            date="09-11-2026",
            reason="KONTAKT_OPHOERT",
            status_at_closure="UKENDT",
            joint_decision=True,
        ),
        "closure_before_meeting",
    )
    assert "fra 10-11-2026" in err.text("da")
    reopening = casework.reopen_case(case.id, note="ny henvendelse", date="15-11-2026")
    casework.corrections.edit_reopening(reopening.id, note="ny henvendelse fra UU", date="14-11-2026")
    assert casework.repos.reopenings.get(reopening.id).note == "ny henvendelse fra UU"
    refuses(
        lambda: casework.corrections.edit_reopening(reopening.id, note="x", date="10-11-2026"),
        "reopening_before_closure",
    )


def test_a_case_is_handed_over(casework: CaseworkService, me: str) -> None:
    case = _refer(casework)
    assert casework.repos.cases.get(case.id).staff_id == me  # registered by me: my case
    casework.corrections.hand_over_to_new(case.id, initials="kv", team=Team.TEAM_BESKAEFTIGELSE)
    kv = casework.repos.cases.get(case.id).staff_id
    assert casework.staff_initials(kv) == "KV"
    assert [s.id for s in casework.repos.cases.summaries(staff_id=me)] == []
    casework.corrections.hand_over(case.id, me)
    assert [s.id for s in casework.repos.cases.summaries(staff_id=me)] == [case.id]
    (update,) = [
        e
        for e in casework.repos.audit_trail([case.id])
        if e.action == "update" and e.new_values.get("staff_id") == me
    ]
    assert update.staff_id == me  # who handed it over, in the audit trail


# -- void ------------------------------------------------------------------------------------------


def test_a_voided_meeting_leaves_the_lists_and_stays_in_the_history(
    casework: CaseworkService, me: str, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _started(casework)
    meeting = casework.add_meeting(case.id, meeting_type="SAMTALE", date="10-11-2026")
    entry = _entry(casework, case, "meeting", record_id=meeting.id)
    refuses(lambda: casework.corrections.void(case.id, entry, "   "), "missing")  # a reason is required
    casework.corrections.void(case.id, entry, "registreret på forkert forløb")
    stored = casework.repos.meetings.get(meeting.id)  # a tombstone, not deleted
    assert stored.deleted_at == "2026-11-20T10:00:00.000+00:00"
    assert (stored.deleted_reason, stored.deleted_by) == ("registreret på forkert forløb", me)
    assert meeting.id not in [m.id for m in casework.detail(case.id).meetings]
    assert casework.repos.cases.summaries()[0].last_meeting_date == D(2026, 11, 3)  # the start meeting
    marked = _entry(casework, case, "meeting", record_id=meeting.id)
    assert marked.voided == "registreret på forkert forløb"
    refuses(lambda: casework.corrections.void(case.id, marked, "igen"), "already_voided")


def test_voiding_the_referral_voids_the_whole_case_and_the_person(casework: CaseworkService) -> None:
    case = _started(casework)
    casework.add_outcome(case.id, outcome_type="ORDINAERT_JOB", date="10-11-2026")
    casework.corrections.void(case.id, _entry(casework, case, "referral"), "dobbeltregistreret")
    assert casework.repos.cases.summaries() == []
    assert casework.followups_due() == []
    assert casework.find_persons("Testperson") == []
    detail = casework.detail(case.id, voided=True)
    assert detail.case.deleted_at is not None
    assert detail.person.deleted_at is not None
    assert all(r.deleted_at is not None for r in (*detail.meetings, *detail.outcomes))
    # the same person can be registered again: the tombstone does not block it
    _refer(casework)


def test_voiding_a_closure_reopens_the_case(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _started(casework)
    _close(casework, case)
    casework.reopen_case(case.id, note="igen", date="13-11-2026")
    _close(casework, case, date="14-11-2026")
    first, second = sorted(casework.detail(case.id).closures, key=lambda c: c.date)
    refuses(
        lambda: casework.corrections.void(
            case.id, _entry(casework, case, "closure", record_id=first.id), "x"
        ),
        "closure_reopened",
    )
    casework.corrections.void(
        case.id, _entry(casework, case, "closure", record_id=second.id), "lukket ved en fejl"
    )
    reopened = casework.repos.cases.get(case.id)
    assert (reopened.status, reopened.end_date) == (CaseStatus.AKTIV, None)


def test_voiding_a_reopening_closes_the_case_again(casework: CaseworkService) -> None:
    case = _started(casework)
    _close(casework, case)
    reopening = casework.reopen_case(case.id, note="igen", date="13-11-2026")
    casework.corrections.void(case.id, _entry(casework, case, "reopening", record_id=reopening.id), "fejl")
    closed = casework.repos.cases.get(case.id)
    assert (closed.status, closed.end_date) == (CaseStatus.AFSLUTTET, D(2026, 11, 12))


def test_voiding_the_start_needs_nothing_after_it(
    casework: CaseworkService, refuses: Callable[..., DomainValidationError]
) -> None:
    case = _started(casework)
    meeting = casework.add_meeting(case.id, meeting_type="SAMTALE", date="10-11-2026")
    refuses(
        lambda: casework.corrections.void(case.id, _entry(casework, case, "start"), "x"), "start_has_events"
    )
    casework.corrections.void(case.id, _entry(casework, case, "meeting", record_id=meeting.id), "fejl")
    casework.corrections.void(case.id, _entry(casework, case, "start"), "ikke startet endnu")
    referred = casework.repos.cases.get(case.id)
    assert (referred.status, referred.start_date, referred.start_mode) == (CaseStatus.HENVIST, None, None)
    assert casework.detail(case.id).meetings == []


# -- undo ------------------------------------------------------------------------------------------


def test_ctrl_z_undoes_the_last_change_and_is_audited(casework: CaseworkService, me: str) -> None:
    case = _started(casework)
    meeting = casework.add_meeting(case.id, meeting_type="SAMTALE", date="10-11-2026")
    casework.corrections.edit_meeting(meeting.id, meeting_type="SAMTALE", date="09-11-2026")
    undone = casework.undo()
    assert undone is not None
    assert undone.label.text("da") == "Møde rettet 09-11-2026: Testperson A"
    assert casework.repos.meetings.get(meeting.id).date == D(2026, 11, 10)
    casework.corrections.void(case.id, _entry(casework, case, "meeting", record_id=meeting.id), "fejl")
    casework.undo()
    assert casework.repos.meetings.get(meeting.id).deleted_at is None
    casework.undo()  # the meeting itself: a registration undone becomes a tombstone
    assert casework.repos.meetings.get(meeting.id).deleted_reason == "Fortrudt med ctrl+z"
    actions = [e.action for e in casework.repos.audit_trail([meeting.id])]
    assert actions == ["insert", "update", "update", "void", "restore", "void"]


def test_undo_is_refused_when_it_would_make_two_open_cases(casework: CaseworkService) -> None:
    case = _refer(casework)
    casework.corrections.void(case.id, _entry(casework, case, "referral"), "fejl")
    # meanwhile another open case of the same person and activity arrives (a merged laptop, say)
    casework.repos.cases.add(Case(person_id=case.person_id, activity=case.activity, area=case.area))
    with pytest.raises(MentorError, match="open case"):
        casework.undo()
    assert casework.repos.cases.get(case.id).deleted_at is not None
    assert casework.undo_stack.last is not None  # still undoable later


def test_nothing_to_undo(casework: CaseworkService) -> None:
    assert casework.undo() is None

"""Correcting a mistake: edit or void any record a mentor registered (issue 9 items 1-2, 7).

Every correction is checked with the same rules as when the record was created (the model's
validation, the plan's rules and the consistency rules of :mod:`~mentor_tui.services.casework.rules`)
and written in one transaction, remembered for ctrl+z. A correction is refused only for what it
makes wrong: a record saved before a rule existed can still have its other fields corrected
(:func:`~mentor_tui.services.casework.rules.new_problems`). When it is refused nothing is written.

Voiding never deletes: the record becomes a tombstone (``deleted_at``, the reason, who), leaves
every list and count and stays in the case history, marked. Voiding keeps the case consistent:

- the referral voids the whole case (everything registered on it, and the person when they have
  no other case): the case was registered by mistake;
- the start returns the case to "referred" (with its consents and start meeting), when nothing
  but the start has happened yet;
- a closure reopens the case, when it is the closure in force (not reopened since);
- a reopening closes the case again, when nothing was registered after it;
- a meeting or an outcome is simply voided.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mentor_tui.codes import (
    CASE_ACTIVITIES,
    Activity,
    Area,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    ParticipantRole,
    ReferralReason,
    ReferralSource,
    StartMode,
    StatusAtClosure,
    Team,
)
from mentor_tui.dates import format_date
from mentor_tui.errors import DomainValidationError, Problem
from mentor_tui.i18n import Bilingual
from mentor_tui.models import Case, Closure, Consent, Meeting, Outcome, Person, Referral, Reopening, Staff
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import (
    CaseDetail,
    _ClosureInput,
    _fail_if,
    _parse_each,
    _StartInput,
    build,
    start_meeting,
)

if TYPE_CHECKING:
    from mentor_tui.services.casework.service import CaseworkService, TimelineEntry

REASON_MAX_LENGTH = 500
"""The longest void reason (characters)."""

VOIDABLE_KINDS: frozenset[str] = frozenset(
    {"referral", "start", "meeting", "planned", "outcome", "closure", "reopening"}
)
"""Timeline entry kinds that can be voided."""


def _refuse(proposed: list[Problem], current: list[Problem]) -> None:
    _fail_if(rules.new_problems(proposed, current))


class Corrections:
    """Edit and void the records of cases, through one :class:`CaseworkService`."""

    def __init__(self, service: CaseworkService) -> None:
        self.service = service
        self.repos = service.repos

    @property
    def today(self) -> dt.date:
        """Today, from the repositories' clock."""
        return self.service.today

    def _label(self, da: str, en: str, detail: CaseDetail, day: dt.date | None = None) -> Bilingual:
        when = f" {format_date(day)}" if day is not None else ""
        return Bilingual(da + when + ": {label}", en + when + ": {label}").format(
            label=detail.person.display_label
        )

    # -- person and referral -----------------------------------------------------------------------

    def edit_referral(
        self,
        case_id: str,
        *,
        display_label: str | None,
        birth_year: int | str | None,
        birth_month: int | str | None,
        area: Area | str | None,
        gender: Gender | str | None,
        activity: Activity | str | None,
        received_date: dt.date | str | None,
        source: ReferralSource | str | None,
        reasons: Iterable[ReferralReason | str] = (),
    ) -> Case:
        """Correct the person and the referral of a case (the new-referral form, filled in).

        The activity can change only while the case is referred (its rules decide how a case
        starts and closes). Correcting the person's area also corrects the area of their cases
        registered with the old one (the case's area is a snapshot of the person's).

        Raises:
            DomainValidationError: as when registering (label, birth month, dates, duplicate
                open case), or the activity of a started case was changed.
        """
        detail = self.service.detail(case_id)
        case, person, referral = detail.case, detail.person, detail.referral
        if referral is None:
            raise DomainValidationError(
                [
                    Problem(
                        "form",
                        Bilingual("Forløbet har ingen henvisning", "The case has no referral"),
                        "no_referral",
                    )
                ]
            )
        problems: list[Problem] = []
        new_person: Person | None = None
        try:
            new_person = build(
                Person,
                **{
                    **person.model_dump(),
                    "display_label": display_label,
                    "birth_year": birth_year,
                    "birth_month": birth_month,
                    "area": area,
                    "gender": gender or None,
                },
            )
        except DomainValidationError as exc:
            problems += exc.problems
        new_referral: Referral | None = None
        try:
            new_referral = build(
                Referral,
                **{
                    **referral.model_dump(),
                    "activity": activity,
                    "received_date": received_date,
                    "source": source,
                    "reasons": list(reasons),
                },
            )
        except DomainValidationError as exc:
            problems += exc.problems
        current = self._referral_problems(detail, person, referral)
        if new_person is not None and new_referral is not None:
            problems += self._referral_problems(detail, new_person, new_referral)
            if new_referral.activity is not referral.activity:
                if case.status is not CaseStatus.HENVIST:
                    problems.append(
                        Problem(
                            "activity",
                            Bilingual(
                                "Aktiviteten kan kun rettes før forløbet er startet; "
                                "annullér henvisningen og "
                                "registrér den igen i den rigtige aktivitet",
                                "The activity can only be corrected before the case starts; "
                                "void the referral "
                                "and register it again in the right activity",
                            ),
                            "activity_after_start",
                        )
                    )
                if new_referral.activity not in CASE_ACTIVITIES:
                    problems.append(
                        Problem(
                            "activity",
                            Bilingual(
                                "{activity} registreres ikke som forløb",
                                "{activity} is not registered as a case",
                            ).format(activity=new_referral.activity.label),
                            "not_case_activity",
                        )
                    )
                problems += self.service.duplicate_open_case(
                    new_person, new_referral.activity, exclude_id=case.id
                )
        _refuse(problems, current)
        assert new_person is not None
        assert new_referral is not None
        label = self._label("Henvisning rettet", "Referral corrected", detail)
        with self.service.changing(label, case.id):
            if new_person != person:
                self.repos.persons.update(new_person)
                if new_person.area is not person.area:
                    for other in self.repos.cases.live_for_person(person.id):
                        if other.area is person.area:
                            other.area = new_person.area
                            self.repos.cases.update(other)
            if new_referral != referral:
                self.repos.referrals.update(new_referral)
            if new_referral.activity is not case.activity:
                case = self.repos.cases.get(case.id)
                case.activity = new_referral.activity
                self.repos.cases.update(case)
        return self.repos.cases.get(case.id)

    def _referral_problems(self, detail: CaseDetail, person: Person, referral: Referral) -> list[Problem]:
        others = self.service.case_dates(detail, exclude={referral.id})
        dates = dataclasses.replace(others, birth_year=person.birth_year, birth_month=person.birth_month)
        first = [d for d in (referral.received_date, self._first_event_of_person(person.id, detail)) if d]
        problems = rules.birth_problems(
            person.birth_year, person.birth_month, today=self.today, first_event=min(first, default=None)
        )
        problems += [
            p
            for p in rules.referral_problems(referral.received_date, today=self.today, dates=dates)
            if p.code != "before_birth"  # said at the birth month
        ]
        return problems

    def _first_event_of_person(self, person_id: str, detail: CaseDetail) -> dt.date | None:
        """The earliest referral or event of the person's other cases (the birth month must precede it)."""
        days: list[dt.date] = []
        for other in self.repos.cases.live_for_person(person_id):
            if other.id == detail.case.id:
                continue
            other_detail = self.service.detail(other.id)
            dates = self.service.case_dates(other_detail)
            days += [d for d in (dates.received, dates.first_event) if d is not None]
        return min(days, default=None)

    # -- start ------------------------------------------------------------------------------------

    def edit_start(
        self,
        case_id: str,
        *,
        start_mode: StartMode | str | None,
        start_date: dt.date | str | None,
        goals_agreed: bool,
        consents: Iterable[ConsentGiver | str] = (),
        participants: Iterable[ParticipantRole | str] = (),
    ) -> Case:
        """Correct how a case started: mode, date, goals, consent and the roles at the start meeting.

        Consents no longer given are voided, new ones recorded; the start meeting follows the
        start mode (recorded, moved or voided).

        Raises:
            DomainValidationError: as when starting (allowed modes, A3 consent, dates), or the
                case has not started.
        """
        detail = self.service.detail(case_id)
        case = detail.case
        if case.start_date is None or case.start_mode is None:
            raise DomainValidationError(
                [
                    Problem(
                        "status",
                        Bilingual(
                            "Forløbet er ikke startet; start det i stedet",
                            "The case has not started; start it instead",
                        ),
                        "not_started",
                    )
                ]
            )
        current_start = next((m for m in detail.meetings if m.is_start), None)
        problems: list[Problem] = []
        fields: dict[str, Any] = {}
        try:
            fields = build(
                _StartInput,
                start_mode=start_mode,
                start_date=start_date,
                consents=list(consents),
                participants=list(participants),
            ).model_dump()
        except DomainValidationError as exc:
            problems += exc.problems
            _fail_if(problems)
        exclude = {case.id} | ({current_start.id} if current_start else set())
        dates = self.service.case_dates(detail, exclude=exclude)
        received = detail.referral.received_date if detail.referral else None
        live_consents = [c.given_by for c in detail.consents]

        def check(mode: StartMode | None, day: dt.date | None, givers: list[ConsentGiver]) -> list[Problem]:
            return rules.start_problems(
                case.activity,
                mode,
                givers,
                start_date=day,
                received_date=received,
                today=self.today,
                dates=dates,
            )

        _refuse(
            problems + check(fields["start_mode"], fields["start_date"], fields["consents"]),
            check(case.start_mode, case.start_date, live_consents),
        )
        mode: StartMode = fields["start_mode"]
        day: dt.date = fields["start_date"]
        givers: list[ConsentGiver] = list(dict.fromkeys(fields["consents"]))
        reason = Bilingual("Rettet ved opstarten", "Corrected at the start").text()
        staff_id = self.repos.session_staff_id()
        label = self._label("Opstart rettet", "Start corrected", detail)
        with self.service.changing(label, case.id):
            for consent in detail.consents:
                if consent.given_by not in givers:
                    self.repos.consents.void(consent, reason=reason, staff_id=staff_id)
                elif consent.given_date == case.start_date and day != case.start_date:
                    consent.given_date = day
                    self.repos.consents.update(consent)
            for giver in givers:
                if giver not in live_consents:
                    self.repos.consents.add(Consent(case_id=case.id, given_by=giver, given_date=day))
            wanted = start_meeting(case.id, mode, day, fields["participants"])
            if wanted is None and current_start is not None:
                self.repos.meetings.void(current_start, reason=reason, staff_id=staff_id)
            elif wanted is not None and current_start is not None:
                current_start.meeting_type = wanted.meeting_type
                current_start.date = day
                current_start.participants = wanted.participants
                self.repos.meetings.update(current_start)
            elif wanted is not None:
                self.repos.meetings.add(wanted)
            case.start_mode = mode
            case.start_date = day
            case.goals_agreed = goals_agreed
            self.repos.cases.update(case)
        return case

    # -- meetings and outcomes ---------------------------------------------------------------------

    def edit_meeting(
        self,
        meeting_id: str,
        *,
        meeting_type: MeetingType | str | None,
        date: dt.date | str | None,
        participants: Iterable[ParticipantRole | str] = (),
        held: bool = True,
        next_followup_date: dt.date | str | None = None,
    ) -> Meeting:
        """Correct a meeting; a changed next follow-up also goes on the case (as when adding one).

        Raises:
            DomainValidationError: as when adding a meeting, or it is the start meeting (correct
                the start instead).
        """
        meeting = self.repos.meetings.get(meeting_id)
        detail = self.service.detail(meeting.case_id)
        if meeting.is_start:
            raise DomainValidationError(
                [
                    Problem(
                        "form",
                        Bilingual(
                            "Mødet er forløbets opstart; ret det under opstarten",
                            "The meeting is the case's start; correct it through the start",
                        ),
                        "start_meeting",
                    )
                ]
            )
        problems: list[Problem] = []
        new: Meeting | None = None
        try:
            new = build(
                Meeting,
                **{
                    **meeting.model_dump(),
                    "meeting_type": meeting_type,
                    "date": date,
                    "participants": list(participants),
                    "held": held,
                    "next_followup_date": next_followup_date or None,
                },
            )
        except DomainValidationError as exc:
            problems += exc.problems
        dates = self.service.case_dates(detail, exclude={meeting.id})

        def check(m: Meeting) -> list[Problem]:
            return rules.meeting_problems(
                day=m.date, held=m.held, next_followup=m.next_followup_date, today=self.today, dates=dates
            )

        _refuse(problems + (check(new) if new is not None else []), check(meeting))
        assert new is not None
        case = detail.case
        label = self._label("Møde rettet", "Meeting corrected", detail, new.date)
        with self.service.changing(label, case.id):
            self.repos.meetings.update(new)
            follow = case.next_followup_date
            if new.next_followup_date is not None and new.next_followup_date != meeting.next_followup_date:
                follow = new.next_followup_date
            elif not meeting.held and follow == meeting.date and new.date != meeting.date:
                follow = new.date if not new.held else follow  # the planned meeting was the follow-up
            if follow != case.next_followup_date and case.status is not CaseStatus.AFSLUTTET:
                case.next_followup_date = follow
                self.repos.cases.update(case)
        return new

    def edit_outcome(
        self, outcome_id: str, *, outcome_type: OutcomeType | str | None, date: dt.date | str | None
    ) -> Outcome:
        """Correct an outcome's type or date.

        Raises:
            DomainValidationError: as when adding an outcome.
        """
        outcome = self.repos.outcomes.get(outcome_id)
        detail = self.service.detail(outcome.case_id)
        problems: list[Problem] = []
        new: Outcome | None = None
        try:
            new = build(Outcome, **{**outcome.model_dump(), "outcome_type": outcome_type, "date": date})
        except DomainValidationError as exc:
            problems += exc.problems
        dates = self.service.case_dates(detail, exclude={outcome.id})
        proposed = rules.outcome_problems(new.date, today=self.today, dates=dates) if new else []
        _refuse(problems + proposed, rules.outcome_problems(outcome.date, today=self.today, dates=dates))
        assert new is not None
        with self.service.changing(
            self._label("Resultat rettet", "Outcome corrected", detail, new.date), detail.case.id
        ):
            self.repos.outcomes.update(new)
        return new

    # -- closure and reopening ---------------------------------------------------------------------

    def edit_closure(
        self,
        closure_id: str,
        *,
        date: dt.date | str | None,
        reason: ClosureReason | str | None,
        status_at_closure: StatusAtClosure | str | None = None,
        joint_decision: bool = False,
    ) -> Closure:
        """Correct a closure: date, reason, status at closure, joint decision.

        Raises:
            DomainValidationError: as when closing (the activity's closure rules, dates).
        """
        closure = self.repos.closures.get(closure_id)
        detail = self.service.detail(closure.case_id)
        case = detail.case
        given, problems = _parse_each(
            _ClosureInput,
            date=date,
            reason=reason or None,
            status_at_closure=status_at_closure or None,
            joint_decision=joint_decision,
        )
        dates = self.service.case_dates(detail, exclude={closure.id}, closure=closure)

        def check(c: _ClosureInput) -> list[Problem]:
            return rules.closure_problems(
                case.activity,
                reason=c.reason,
                status_at_closure=c.status_at_closure,
                joint_decision=c.joint_decision,
                closure_date=c.date,
                start_date=case.start_date,
                today=self.today,
                dates=dates,
            )

        current = _ClosureInput(
            date=closure.date,
            reason=closure.reason,
            status_at_closure=closure.status_at_closure,
            joint_decision=closure.joint_decision,
        )
        rule_problems = [p for p in check(given) if not any(q.field == p.field for q in problems)]
        _refuse(problems + rule_problems, check(current))
        assert given.date is not None
        assert given.reason is not None
        new = closure.model_copy(
            update={
                "date": given.date,
                "reason": given.reason,
                "status_at_closure": given.status_at_closure,
                "joint_decision": given.joint_decision,
            }
        )
        in_force = case.status is CaseStatus.AFSLUTTET and self._closure_in_force(detail) == closure.id
        with self.service.changing(
            self._label("Afslutning rettet", "Closure corrected", detail, new.date), case.id
        ):
            self.repos.closures.update(new)
            if in_force and case.end_date != new.date:
                case.end_date = new.date
                self.repos.cases.update(case)
        return new

    def edit_reopening(self, reopening_id: str, *, note: str | None, date: dt.date | str | None) -> Reopening:
        """Correct a reopening's note or date.

        Raises:
            DomainValidationError: the note is empty, or the date is before the closure it
                reopens, after a later closure, or in the future.
        """
        reopening = self.repos.reopenings.get(reopening_id)
        detail = self.service.detail(reopening.case_id)
        problems: list[Problem] = []
        new: Reopening | None = None
        try:
            new = build(Reopening, **{**reopening.model_dump(), "note": note, "date": date})
        except DomainValidationError as exc:
            problems += exc.problems
        reopened = next((c for c in detail.closures if c.id == reopening.closure_id), None)
        later = [c.date for c in detail.closures if c.created_at > reopening.created_at]

        def check(r: Reopening) -> list[Problem]:
            found = rules.reopening_problems(
                r.date, today=self.today, closed_on=reopened.date if reopened else None
            )
            if later and r.date > min(later):
                day = format_date(min(later))
                found.append(
                    Problem(
                        "date",
                        Bilingual(
                            f"Forløbet blev afsluttet igen {day}; genåbningen skal ligge til og med {day}",
                            f"The case was closed again on {day}; the reopening must be on or before {day}",
                        ),
                        "reopening_after_closure",
                    )
                )
            return found

        _refuse(problems + (check(new) if new else []), check(reopening))
        assert new is not None
        with self.service.changing(
            self._label("Genåbning rettet", "Reopening corrected", detail, new.date), reopening.case_id
        ):
            self.repos.reopenings.update(new)
        return new

    # -- caseworker --------------------------------------------------------------------------------

    def hand_over(self, case_id: str, staff_id: str | None) -> Case:
        """Make ``staff_id`` the case's caseworker (a handover; the audit trail shows who and when).

        Raises:
            DomainValidationError: no such staff member (or voided).
        """
        detail = self.service.detail(case_id)
        case = detail.case
        staff = next((s for s in self.service.staff_members() if s.id == staff_id), None)
        if staff is None:
            raise DomainValidationError(
                [
                    Problem(
                        "staff_id",
                        Bilingual("Vælg en medarbejder på listen", "Choose a staff member from the list"),
                        "missing",
                    )
                ]
            )
        if case.staff_id == staff.id:
            return case
        case.staff_id = staff.id
        label = Bilingual("Overdraget til {initials}: {label}", "Handed over to {initials}: {label}").format(
            initials=staff.initials, label=detail.person.display_label
        )
        with self.service.changing(label, case.id):
            return self.repos.cases.update(case)

    def hand_over_to_new(self, case_id: str, *, initials: str | None, team: Team | str | None) -> Case:
        """Hand the case over to a colleague not yet known on this laptop (created as a staff member).

        Initials that match a known staff member hand over to them.

        Raises:
            DomainValidationError: the initials or the team are missing or invalid.
        """
        wanted = (initials or "").strip().upper()
        known = next((s for s in self.service.staff_members() if s.initials.upper() == wanted), None)
        if known is not None and wanted:
            return self.hand_over(case_id, known.id)
        staff = build(Staff, initials=wanted, team=team)
        detail = self.service.detail(case_id)
        case = detail.case
        case.staff_id = staff.id
        label = Bilingual("Overdraget til {initials}: {label}", "Handed over to {initials}: {label}").format(
            initials=staff.initials, label=detail.person.display_label
        )
        with self.service.changing(label, case.id):
            self.repos.staff.add(staff)
            return self.repos.cases.update(case)

    # -- voiding -----------------------------------------------------------------------------------

    def void(self, case_id: str, entry: TimelineEntry, reason: str | None) -> None:
        """Void the record of a timeline entry, registered by mistake, with a required reason.

        See the module docstring for what voiding each kind of record does to the case.

        Raises:
            DomainValidationError: the reason is missing, the record is already voided, or
                voiding it now would leave the case inconsistent (the message says what to void
                first).
        """
        text = " ".join((reason or "").split())
        problems: list[Problem] = []
        if not text:
            problems.append(
                Problem(
                    "reason",
                    Bilingual(
                        "Skriv kort hvorfor posten annulleres, fx «registreret på forkert person»",
                        "Say briefly why the record is voided, e.g. “registered on the wrong person”",
                    ),
                    "missing",
                )
            )
        elif len(text) > REASON_MAX_LENGTH:
            problems.append(
                Problem(
                    "reason",
                    Bilingual(
                        f"Begrundelsen er {len(text)} tegn; højst {REASON_MAX_LENGTH}",
                        f"The reason is {len(text)} characters; at most {REASON_MAX_LENGTH}",
                    ),
                    "too_long",
                )
            )
        if entry.voided is not None:
            problems.append(
                Problem(
                    "form",
                    Bilingual("Posten er allerede annulleret", "The record is already voided"),
                    "already_voided",
                )
            )
        if entry.kind not in VOIDABLE_KINDS:
            problems.append(
                Problem("form", Bilingual("Kan ikke annulleres", "Cannot be voided"), "not_voidable")
            )
        _fail_if(problems)
        detail = self.service.detail(case_id)
        kind = "start" if entry.start_meeting else entry.kind
        staff_id = self.repos.session_staff_id()
        void = getattr(self, f"_void_{kind if kind != 'planned' else 'meeting'}")
        void(detail, entry, text, staff_id)

    def _void_referral(
        self, detail: CaseDetail, entry: TimelineEntry, reason: str, staff_id: str | None
    ) -> None:
        case = detail.case
        label = self._label("Henvisning annulleret", "Referral voided", detail)
        with self.service.changing(label, case.id):
            for reopening in detail.reopenings:
                self.repos.reopenings.void(reopening, reason=reason, staff_id=staff_id)
            for closure in detail.closures:
                self.repos.closures.void(closure, reason=reason, staff_id=staff_id)
            for outcome in detail.outcomes:
                self.repos.outcomes.void(outcome, reason=reason, staff_id=staff_id)
            for meeting in detail.meetings:
                self.repos.meetings.void(meeting, reason=reason, staff_id=staff_id)
            for consent in detail.consents:
                self.repos.consents.void(consent, reason=reason, staff_id=staff_id)
            if detail.referral is not None and detail.referral.deleted_at is None:
                self.repos.referrals.void(detail.referral, reason=reason, staff_id=staff_id)
            self.repos.cases.void(case, reason=reason, staff_id=staff_id)
            if not self.repos.cases.live_for_person(detail.person.id):
                self.repos.persons.void(detail.person, reason=reason, staff_id=staff_id)

    def _void_start(
        self, detail: CaseDetail, entry: TimelineEntry, reason: str, staff_id: str | None
    ) -> None:
        case = detail.case
        later = [m for m in detail.meetings if not m.is_start] + detail.outcomes + detail.closures
        if later:
            raise DomainValidationError(
                [
                    Problem(
                        "form",
                        Bilingual(
                            "Der er registreret møder, resultater eller en afslutning efter opstarten; "
                            "annullér dem først, eller ret opstarten i stedet",
                            "Meetings, outcomes or a closure were registered after the start; void them "
                            "first, or correct the start instead",
                        ),
                        "start_has_events",
                    )
                ]
            )
        label = self._label("Opstart annulleret", "Start voided", detail)
        with self.service.changing(label, case.id):
            for consent in detail.consents:
                self.repos.consents.void(consent, reason=reason, staff_id=staff_id)
            for meeting in detail.meetings:
                self.repos.meetings.void(meeting, reason=reason, staff_id=staff_id)
            case.status = CaseStatus.HENVIST
            case.start_date = None
            case.start_mode = None
            case.goals_agreed = False
            self.repos.cases.update(case)

    def _void_meeting(
        self, detail: CaseDetail, entry: TimelineEntry, reason: str, staff_id: str | None
    ) -> None:
        meeting = next(m for m in detail.meetings if m.id == entry.record_id)
        label = self._label("Møde annulleret", "Meeting voided", detail, meeting.date)
        with self.service.changing(label, detail.case.id):
            self.repos.meetings.void(meeting, reason=reason, staff_id=staff_id)

    def _void_outcome(
        self, detail: CaseDetail, entry: TimelineEntry, reason: str, staff_id: str | None
    ) -> None:
        outcome = next(o for o in detail.outcomes if o.id == entry.record_id)
        label = self._label("Resultat annulleret", "Outcome voided", detail, outcome.date)
        with self.service.changing(label, detail.case.id):
            self.repos.outcomes.void(outcome, reason=reason, staff_id=staff_id)

    def _void_closure(
        self, detail: CaseDetail, entry: TimelineEntry, reason: str, staff_id: str | None
    ) -> None:
        case = detail.case
        closure = next(c for c in detail.closures if c.id == entry.record_id)
        reopening = next((r for r in detail.reopenings if r.closure_id == closure.id), None)
        if reopening is not None:
            day = format_date(reopening.date)
            raise DomainValidationError(
                [
                    Problem(
                        "form",
                        Bilingual(
                            f"Afslutningen blev genåbnet {day}; annullér genåbningen først",
                            f"The closure was reopened on {day}; void the reopening first",
                        ),
                        "closure_reopened",
                    )
                ]
            )
        in_force = case.status is CaseStatus.AFSLUTTET and self._closure_in_force(detail) == closure.id
        problems: list[Problem] = []
        if in_force:
            problems += self.service.duplicate_open_case(detail.person, case.activity, exclude_id=case.id)
        _fail_if(problems)
        label = self._label("Afslutning annulleret", "Closure voided", detail, closure.date)
        with self.service.changing(label, case.id):
            self.repos.closures.void(closure, reason=reason, staff_id=staff_id)
            if in_force:
                case.status = CaseStatus.AKTIV if case.start_date else CaseStatus.HENVIST
                case.end_date = None
                self.repos.cases.update(case)

    def _void_reopening(
        self, detail: CaseDetail, entry: TimelineEntry, reason: str, staff_id: str | None
    ) -> None:
        case = detail.case
        reopening = next(r for r in detail.reopenings if r.id == entry.record_id)
        after = [
            r
            for r in (*detail.meetings, *detail.outcomes, *detail.closures, *detail.reopenings)
            if r.created_at > reopening.created_at
        ]
        if after or case.status is CaseStatus.AFSLUTTET:
            raise DomainValidationError(
                [
                    Problem(
                        "form",
                        Bilingual(
                            "Der er registreret noget efter genåbningen; annullér det først",
                            "Records were registered after the reopening; void them first",
                        ),
                        "reopening_has_events",
                    )
                ]
            )
        closure = next((c for c in detail.closures if c.id == reopening.closure_id), None)
        label = self._label("Genåbning annulleret", "Reopening voided", detail, reopening.date)
        with self.service.changing(label, case.id):
            self.repos.reopenings.void(reopening, reason=reason, staff_id=staff_id)
            case.status = CaseStatus.AFSLUTTET
            case.end_date = closure.date if closure is not None else reopening.date
            case.next_followup_date = None
            self.repos.cases.update(case)

    @staticmethod
    def _closure_in_force(detail: CaseDetail) -> str | None:
        """The id of the latest live closure (the one that closed the case, when it is closed)."""
        if not detail.closures:
            return None
        return max(detail.closures, key=lambda c: (c.date, c.created_at)).id

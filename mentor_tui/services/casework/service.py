"""Casework use-cases: register a referral, start, meet, record outcomes, close, reopen.

This is what the screens (and the importer, and tests) call. It runs without Textual. Every
method validates first and writes afterwards, inside one transaction: when it raises
:class:`~mentor_tui.errors.DomainValidationError` nothing has been written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mentor_tui.codes import (
    CASE_ACTIVITIES,
    START_MODE_MEETING,
    Activity,
    Area,
    CaseStatus,
    Channel,
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
from mentor_tui.errors import DomainValidationError, Problem, from_pydantic
from mentor_tui.i18n import Bilingual, Lang
from mentor_tui.models import (
    Case,
    CaseSummary,
    Closure,
    Consent,
    Date,
    Meeting,
    Outcome,
    Person,
    Referral,
    Reopening,
    Staff,
    label_key,
)
from mentor_tui.services.casework import rules
from mentor_tui.storage.repositories import Repositories

B = TypeVar("B", bound=BaseModel)


def build(model: type[B], **data: Any) -> B:
    """Construct ``model`` from ``data``, turning pydantic errors into bilingual ones."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_pydantic(exc) from exc


def _parse_each(model: type[B], **data: Any) -> tuple[B, list[Problem]]:
    """Validate each field of an all-optional ``model`` separately.

    Returns the model with the fields that parsed (the others left at their defaults) and the
    problems of those that did not.
    """
    good: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in data.items():
        try:
            model.model_validate({name: value})
            good[name] = value
        except ValidationError as exc:
            problems.extend(from_pydantic(exc).problems)
    return model.model_validate(good), problems


def _fail_if(problems: list[Problem]) -> None:
    if problems:
        raise DomainValidationError(problems)


@dataclass(frozen=True)
class PersonMatch:
    """An existing person that matches a search, with their open cases."""

    person: Person
    open_cases: list[CaseSummary]


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's history."""

    date: dt.date
    kind: str
    """``referral``, ``start``, ``meeting``, ``planned``, ``outcome``, ``closure`` or ``reopening``."""
    message: Bilingual
    """What happened."""
    record_id: str

    def text(self, lang: Lang | None = None) -> str:
        """Return the entry's text in ``lang`` (default: the UI language)."""
        return self.message.text(lang)


@dataclass
class CaseDetail:
    """Everything about one case, for the detail screen."""

    case: Case
    person: Person
    referral: Referral | None
    consents: list[Consent] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    reopenings: list[Reopening] = field(default_factory=list)


class CaseworkService:
    """Casework operations over one set of repositories."""

    def __init__(self, repos: Repositories, *, a3_max_age: int = rules.DEFAULT_A3_MAX_AGE) -> None:
        self.repos = repos
        self.a3_max_age = a3_max_age

    @property
    def today(self) -> dt.date:
        """Today, from the repositories' clock."""
        return self.repos.clock.today()

    # -- staff ---------------------------------------------------------------------------------

    def ensure_local_staff(self, initials: str, team: Team = Team.TEAM_UDD_KRIM) -> Staff:
        """Return this laptop's user, creating the record on first use."""
        existing = self.repos.local_staff()
        if existing is not None:
            return existing
        staff = build(Staff, initials=initials, team=team, is_local_user=True)
        with self.repos.atomic():
            return self.repos.staff.add(staff)

    # -- persons -------------------------------------------------------------------------------

    def find_persons(
        self, label: str, birth_year: int | None = None, birth_month: int | None = None, limit: int = 20
    ) -> list[PersonMatch]:
        """Return persons whose label contains ``label`` (and birth year/month, when given).

        The label is compared by its ``label_key`` (NFC, case-folded: "åse" finds "Åse"); voided
        persons are left out. Used before creating a person so that duplicates are avoided.
        """
        label = label.strip()
        if not label and birth_year is None:
            return []
        persons = self.repos.persons.search(label_key(label), birth_year, birth_month, limit=limit)
        matches = []
        for person in persons:
            open_cases = [
                s
                for s in self.repos.cases.summaries(person_id=person.id)
                if s.status is not CaseStatus.AFSLUTTET
            ]
            matches.append(PersonMatch(person, open_cases))
        return matches

    # -- referral ------------------------------------------------------------------------------

    def referral_warnings(
        self, activity: Activity, *, birth_year: int, birth_month: int, area: Area, received_date: dt.date
    ) -> list[Problem]:
        """Return the plan's age/area warnings for a referral (they never block saving)."""
        return rules.eligibility_warnings(
            activity,
            birth_year=birth_year,
            birth_month=birth_month,
            area=area,
            on=received_date,
            a3_max_age=self.a3_max_age,
        )

    def register_referral(
        self,
        *,
        activity: Activity | str | None,
        received_date: dt.date | str | None,
        source: ReferralSource | str | None,
        reasons: Iterable[ReferralReason | str] = (),
        person_id: str | None = None,
        display_label: str | None = None,
        birth_year: int | str | None = None,
        birth_month: int | str | None = None,
        area: Area | str | None = None,
        gender: Gender | str | None = None,
        staff_id: str | None = None,
        new_person_id: str | None = None,
        referral_id: str | None = None,
        case_id: str | None = None,
    ) -> Case:
        """Register a referral for an existing person (``person_id``) or a new one.

        Creates the person (if new), the referral and a case in status HENVIST, in one
        transaction. ``new_person_id``, ``referral_id`` and ``case_id`` fix the new records'
        ids (the spreadsheet importer derives them from the file so a re-import adds nothing);
        by default they are random.

        Raises:
            DomainValidationError: a field is missing or invalid, the date lies in the future,
                the activity is not a case activity, or the person already has an open case in
                that activity.
        """
        problems: list[Problem] = []
        person: Person | None = None
        new_person = person_id is None
        if new_person:
            try:
                person = build(
                    Person,
                    **_given_id(new_person_id),
                    display_label=display_label,
                    birth_year=birth_year,
                    birth_month=birth_month,
                    area=area,
                    gender=gender or None,
                )
            except DomainValidationError as exc:
                problems.extend(exc.problems)
        else:
            assert person_id is not None
            person = self.repos.persons.get(person_id)
        referral: Referral | None = None
        try:
            referral = build(
                Referral,
                **_given_id(referral_id),
                person_id=person.id if person else "?",
                activity=activity,
                received_date=received_date,
                source=source,
                reasons=list(reasons),
            )
        except DomainValidationError as exc:
            problems.extend(exc.problems)
        if referral is not None:
            problems += rules.not_in_future("received_date", referral.received_date, self.today)
            if referral.activity not in CASE_ACTIVITIES:
                problems.append(
                    Problem(
                        "activity",
                        Bilingual(
                            "{activity} registreres ikke som forløb", "{activity} is not registered as a case"
                        ).format(activity=referral.activity.label),
                        "not_case_activity",
                    )
                )
            if person is not None and not new_person:
                open_same = [
                    s
                    for s in self.repos.cases.summaries(person_id=person.id, activity=referral.activity)
                    if s.status is not CaseStatus.AFSLUTTET
                ]
                if open_same:
                    problems.append(
                        Problem(
                            "activity",
                            Bilingual(
                                "{label} har allerede et åbent forløb i {activity}",
                                "{label} already has an open case in {activity}",
                            ).format(label=person.display_label, activity=referral.activity.label),
                            "duplicate_open_case",
                        )
                    )
        _fail_if(problems)
        assert person is not None
        assert referral is not None
        if staff_id is None:
            local = self.repos.local_staff()
            staff_id = local.id if local else None
        case = Case(
            **_given_id(case_id),
            person_id=person.id,
            referral_id=referral.id,
            activity=referral.activity,
            area=person.area,
            staff_id=staff_id,
            status=CaseStatus.HENVIST,
        )
        with self.repos.atomic():
            if new_person:
                self.repos.persons.add(person)
            self.repos.referrals.add(referral)
            self.repos.cases.add(case)
        return case

    # -- start ---------------------------------------------------------------------------------

    def start_case(
        self,
        case_id: str,
        *,
        start_mode: StartMode | str | None,
        start_date: dt.date | str | None,
        goals_agreed: bool = False,
        consents: Iterable[ConsentGiver | str] = (),
        participants: Iterable[ParticipantRole | str] = (),
        next_followup_date: dt.date | str | None = None,
    ) -> Case:
        """Start a referred case (HENVIST → AKTIV).

        Records the consents given, and the start meeting itself when the start mode is a
        meeting (a 3-partssamtale is stored as a held meeting on the start date with the roles
        present), all in one transaction.

        Raises:
            DomainValidationError: the case is not referred, the start mode is not allowed for
                the activity, A3 lacks consent from the young person and a parent, or a date is
                wrong.
        """
        case = self.repos.cases.get(case_id)
        problems = rules.step_problems(rules.Step.START, case.status)
        fields: dict[str, Any] = {}
        try:
            fields = build(
                _StartInput,
                start_mode=start_mode,
                start_date=start_date,
                consents=list(consents),
                participants=list(participants),
                next_followup_date=next_followup_date,
            ).model_dump()
        except DomainValidationError as exc:
            problems.extend(exc.problems)
            _fail_if(problems)
        referral = self.repos.referrals.get(case.referral_id) if case.referral_id else None
        problems += rules.start_problems(
            case.activity,
            fields["start_mode"],
            fields["consents"],
            start_date=fields["start_date"],
            received_date=referral.received_date if referral else None,
            today=self.today,
        )
        nf = fields["next_followup_date"]
        if nf is not None and fields["start_date"] is not None and nf < fields["start_date"]:
            problems.append(_followup_before())
        _fail_if(problems)
        start_mode_v: StartMode = fields["start_mode"]
        start: dt.date = fields["start_date"]
        case.status = CaseStatus.AKTIV
        case.start_mode = start_mode_v
        case.start_date = start
        case.goals_agreed = goals_agreed
        case.next_followup_date = nf
        with self.repos.atomic():
            for giver in dict.fromkeys(fields["consents"]):
                self.repos.consents.add(Consent(case_id=case.id, given_by=giver, given_date=start))
            meeting_type = START_MODE_MEETING.get(start_mode_v)
            if meeting_type is not None:
                self.repos.meetings.add(
                    Meeting(
                        case_id=case.id,
                        meeting_type=meeting_type,
                        date=start,
                        participants=fields["participants"],
                        held=True,
                        next_followup_date=nf,
                    )
                )
            self.repos.cases.update(case)
        return case

    # -- meetings, outcomes, follow-up ---------------------------------------------------------

    def add_meeting(
        self,
        case_id: str,
        *,
        meeting_type: MeetingType | str | None,
        date: dt.date | str | None,
        participants: Iterable[ParticipantRole | str] = (),
        held: bool = True,
        next_followup_date: dt.date | str | None = None,
        channel: Channel | str | None = None,
        meeting_id: str | None = None,
    ) -> Meeting:
        """Add a held or planned meeting; a next follow-up date also goes on the case.

        ``meeting_id`` fixes the new meeting's id (default: random).

        Raises:
            DomainValidationError: the case is closed, a held meeting lies in the future, or
                the follow-up date is before the meeting.
        """
        case = self.repos.cases.get(case_id)
        problems = rules.step_problems(rules.Step.MEETING, case.status)
        meeting: Meeting | None = None
        try:
            meeting = build(
                Meeting,
                **_given_id(meeting_id),
                case_id=case.id,
                meeting_type=meeting_type,
                date=date,
                participants=list(participants),
                held=held,
                next_followup_date=next_followup_date or None,
                channel=channel or None,
            )
        except DomainValidationError as exc:
            problems.extend(exc.problems)
        if meeting is not None:
            if meeting.held:
                problems += [
                    Problem(
                        "date",
                        Bilingual(
                            "Et afholdt møde kan ikke ligge i fremtiden; markér det som planlagt",
                            "A held meeting cannot be in the future; mark it as planned",
                        ),
                        "date_future",
                    )
                    for _ in rules.not_in_future("date", meeting.date, self.today)
                ]
            if meeting.next_followup_date is not None and meeting.next_followup_date < meeting.date:
                problems.append(_followup_before())
        _fail_if(problems)
        assert meeting is not None
        with self.repos.atomic():
            self.repos.meetings.add(meeting)
            if meeting.next_followup_date is not None:
                case.next_followup_date = meeting.next_followup_date
                self.repos.cases.update(case)
            elif not meeting.held and (
                case.next_followup_date is None or meeting.date < case.next_followup_date
            ):
                # a planned meeting is itself the next thing to follow up
                case.next_followup_date = meeting.date
                self.repos.cases.update(case)
        return meeting

    def add_outcome(
        self,
        case_id: str,
        *,
        outcome_type: OutcomeType | str | None,
        date: dt.date | str | None,
        outcome_id: str | None = None,
    ) -> Outcome:
        """Record an outcome, dated when it happened (it may come after closure, DOMAIN.md 7.3 rule 6).

        ``outcome_id`` fixes the new outcome's id (default: random).

        Raises:
            DomainValidationError: the case never started, or the date is in the future or
                before the start.
        """
        case = self.repos.cases.get(case_id)
        problems = rules.step_problems(rules.Step.OUTCOME, case.status)
        outcome: Outcome | None = None
        try:
            outcome = build(
                Outcome, **_given_id(outcome_id), case_id=case.id, outcome_type=outcome_type, date=date
            )
        except DomainValidationError as exc:
            problems.extend(exc.problems)
        if outcome is not None:
            problems += rules.not_in_future("date", outcome.date, self.today)
            if case.start_date is not None and outcome.date < case.start_date:
                problems.append(
                    Problem(
                        "date",
                        Bilingual(
                            "Resultatet ligger før forløbets start", "The outcome is before the case started"
                        ),
                        "before_start",
                    )
                )
        _fail_if(problems)
        assert outcome is not None
        with self.repos.atomic():
            return self.repos.outcomes.add(outcome)

    def set_next_followup(self, case_id: str, date: dt.date | str | None) -> Case:
        """Set (or clear, with ``None``) the case's next follow-up date."""
        case = self.repos.cases.get(case_id)
        problems = rules.step_problems(rules.Step.FOLLOWUP, case.status)
        parsed: dt.date | None = None
        if date not in (None, ""):
            try:
                parsed = build(_DateInput, next_followup_date=date).next_followup_date
            except DomainValidationError as exc:
                problems.extend(exc.problems)
        _fail_if(problems)
        case.next_followup_date = parsed
        with self.repos.atomic():
            return self.repos.cases.update(case)

    # -- close / reopen ------------------------------------------------------------------------

    def closure_requirements(self, activity: Activity) -> rules.ActivityRules:
        """Return the rules that decide which closure fields are required."""
        return rules.rules_for(activity, a3_max_age=self.a3_max_age)

    def close_case(
        self,
        case_id: str,
        *,
        date: dt.date | str | None,
        reason: ClosureReason | str | None,
        status_at_closure: StatusAtClosure | str | None = None,
        joint_decision: bool = False,
        closure_id: str | None = None,
    ) -> Closure:
        """Close a referred or active case.

        ``closure_id`` fixes the new closure's id (default: random).

        Raises:
            DomainValidationError: the case is already closed, or the activity's closure rules
                are not met (DOMAIN.md 7.3 rule 5).
        """
        case = self.repos.cases.get(case_id)
        problems = rules.step_problems(rules.Step.CLOSE, case.status)
        # parse each field on its own, so one bad field does not make the others look missing
        given, parse_problems = _parse_each(
            _ClosureInput,
            date=date,
            reason=reason or None,
            status_at_closure=status_at_closure or None,
            joint_decision=joint_decision,
        )
        problems += parse_problems
        rule_problems = rules.closure_problems(
            case.activity,
            reason=given.reason,
            status_at_closure=given.status_at_closure,
            joint_decision=joint_decision,
            closure_date=given.date,
            start_date=case.start_date,
            today=self.today,
        )
        # a field that failed to parse already has its message; don't add "is required" too
        problems += [p for p in rule_problems if not any(q.field == p.field for q in problems)]
        _fail_if(problems)
        assert given.reason is not None
        assert given.date is not None
        closure = Closure(
            **_given_id(closure_id),
            case_id=case.id,
            date=given.date,
            reason=given.reason,
            status_at_closure=given.status_at_closure,
            joint_decision=given.joint_decision,
        )
        case.status = CaseStatus.AFSLUTTET
        case.end_date = closure.date
        case.next_followup_date = None
        with self.repos.atomic():
            self.repos.closures.add(closure)
            self.repos.cases.update(case)
        return closure

    def reopen_case(
        self,
        case_id: str,
        *,
        note: str | None,
        date: dt.date | str | None = None,
        next_followup_date: dt.date | str | None = None,
    ) -> Reopening:
        """Reopen a closed case; the note saying why is required and kept in the history.

        ``next_followup_date`` is set on the case in the same transaction (the reopen form
        proposes one, :func:`rules.proposed_followup`), so a reopened case is not forgotten.

        Raises:
            DomainValidationError: the case is not closed, the note is empty, or the follow-up
                is not a date or lies before the reopening.
        """
        case = self.repos.cases.get(case_id)
        problems = rules.step_problems(rules.Step.REOPEN, case.status)
        closures = self.repos.closures.for_case(case.id)
        reopening: Reopening | None = None
        try:
            reopening = build(
                Reopening,
                case_id=case.id,
                date=date or self.today,
                note=note,
                closure_id=closures[-1].id if closures else None,
            )
        except DomainValidationError as exc:
            problems.extend(exc.problems)
        if reopening is not None:
            problems += rules.not_in_future("date", reopening.date, self.today)
        followup: dt.date | None = None
        if next_followup_date:
            try:
                followup = build(_DateInput, next_followup_date=next_followup_date).next_followup_date
            except DomainValidationError as exc:
                problems.extend(exc.problems)
            if followup is not None and reopening is not None and followup < reopening.date:
                problems.append(
                    Problem(
                        "next_followup_date",
                        Bilingual(
                            "Næste opfølgning ligger før genåbningen",
                            "The next follow-up is before the reopening",
                        ),
                        "followup_before_reopening",
                    )
                )
        _fail_if(problems)
        assert reopening is not None
        case.status = CaseStatus.AKTIV if case.start_date else CaseStatus.HENVIST
        case.end_date = None
        case.next_followup_date = followup
        with self.repos.atomic():
            self.repos.reopenings.add(reopening)
            self.repos.cases.update(case)
        return reopening

    # -- reading -------------------------------------------------------------------------------

    def detail(self, case_id: str) -> CaseDetail:
        """Return the case with its person and history."""
        case = self.repos.cases.get(case_id)
        return CaseDetail(
            case=case,
            person=self.repos.persons.get(case.person_id),
            referral=self.repos.referrals.get(case.referral_id) if case.referral_id else None,
            # consents given together share a date and a second: list them in the code list's order
            consents=sorted(
                self.repos.consents.for_case(case.id),
                key=lambda c: (c.given_date, list(ConsentGiver).index(c.given_by)),
            ),
            meetings=self.repos.meetings.for_case(case.id),
            outcomes=self.repos.outcomes.for_case(case.id),
            closures=self.repos.closures.for_case(case.id),
            reopenings=self.repos.reopenings.for_case(case.id),
        )

    def timeline(self, case_id: str, detail: CaseDetail | None = None) -> list[TimelineEntry]:
        """Return the case's history, newest first (from ``detail`` when it is already loaded)."""
        d = detail if detail is not None else self.detail(case_id)
        entries: list[TimelineEntry] = []
        if d.referral is not None:
            r = d.referral
            what = Bilingual("Henvisning fra {source} til {activity}", "Referral from {source} to {activity}")
            entries.append(
                TimelineEntry(
                    r.received_date,
                    "referral",
                    what.format(source=r.source.label, activity=r.activity.label),
                    r.id,
                )
            )
        if d.case.start_date is not None and d.case.start_mode is not None:
            what = Bilingual("Forløb startet: {mode}; ", "Case started: {mode}; ").format(
                mode=d.case.start_mode.label
            )
            what += (
                Bilingual("mål aftalt", "goals agreed")
                if d.case.goals_agreed
                else Bilingual("mål ikke aftalt", "no goals agreed")
            )
            if d.consents:
                consents = Bilingual.join(", ", (c.given_by.label.lower() for c in d.consents))
                what += Bilingual("; samtykke: {who}", "; consent: {who}").format(who=consents)
            entries.append(TimelineEntry(d.case.start_date, "start", what, d.case.id))
        for m in d.meetings:
            what = m.meeting_type.label
            if not m.held:
                what += Bilingual(" (planlagt)", " (planned)")
            if m.participants:
                what = Bilingual.join(": ", [what, Bilingual.join(", ", (p.label for p in m.participants))])
            entries.append(TimelineEntry(m.date, "meeting" if m.held else "planned", what, m.id))
        for o in d.outcomes:
            what = Bilingual("Resultat: {outcome}", "Outcome: {outcome}").format(outcome=o.outcome_type.label)
            entries.append(TimelineEntry(o.date, "outcome", what, o.id))
        for c in d.closures:
            what = Bilingual("Afsluttet: {reason}", "Closed: {reason}").format(reason=c.reason.label)
            if c.status_at_closure:
                what += Bilingual("; status: {status}", "; status: {status}").format(
                    status=c.status_at_closure.label
                )
            if c.joint_decision:
                what += Bilingual("; fælles beslutning", "; joint decision")
            entries.append(TimelineEntry(c.date, "closure", what, c.id))
        for ro in d.reopenings:
            what = Bilingual("Genåbnet: {note}", "Reopened: {note}").format(note=ro.note)
            entries.append(TimelineEntry(ro.date, "reopening", what, ro.id))
        order = {
            "referral": 0,
            "start": 1,
            "meeting": 2,
            "planned": 2,
            "outcome": 3,
            "closure": 4,
            "reopening": 5,
        }
        entries.sort(key=lambda e: (e.date, order[e.kind]), reverse=True)
        return entries

    def followups_due(self, today: dt.date | None = None) -> list[CaseSummary]:
        """Return open cases whose next follow-up is overdue or falls in the current ISO week."""
        today = today or self.today
        due_by = rules.due_by(today)
        rows = self.repos.cases.summaries(followup_due_by=due_by)
        return sorted(rows, key=lambda s: (s.next_followup_date or due_by, s.display_label))

    def open_without_followup(self) -> list[CaseSummary]:
        """Return the active cases that have no next follow-up, by label (issue 11 item 6: the
        follow-ups view lists them, so no case is forgotten)."""
        rows = self.repos.cases.summaries(status=CaseStatus.AKTIV)
        return sorted(
            (r for r in rows if r.next_followup_date is None), key=lambda s: s.display_label.casefold()
        )

    def proposed_followup(self, activity: Activity, from_date: dt.date | None = None) -> dt.date:
        """Return the next follow-up to propose for ``activity`` from ``from_date`` (default:
        today), by the activity's rhythm (:func:`rules.proposed_followup`)."""
        return rules.proposed_followup(activity, from_date or self.today)


def _given_id(record_id: str | None) -> dict[str, str]:
    """Return ``{"id": record_id}`` when an id is given, else nothing (the model draws one)."""
    return {} if record_id is None else {"id": record_id}


def _followup_before() -> Problem:
    return Problem(
        "next_followup_date",
        Bilingual("Næste opfølgning ligger før mødet", "The next follow-up is before the meeting"),
        "followup_before_meeting",
    )


class _StartInput(BaseModel):
    start_mode: StartMode
    start_date: Date
    consents: list[ConsentGiver] = []
    participants: list[ParticipantRole] = []
    next_followup_date: Date | None = None


class _DateInput(BaseModel):
    next_followup_date: Date


class _ClosureInput(BaseModel):
    date: Date | None = None
    reason: ClosureReason | None = None
    status_at_closure: StatusAtClosure | None = None
    joint_decision: bool = False

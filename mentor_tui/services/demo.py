"""Synthetic demo data (issue 2 item 5): about 300 invented cases over the last 18 months.

Nothing here is about real people: labels look like ``Demo 001 AK`` with random letters, staff
initials are made up, and birth months are drawn at random. Every record goes through
:class:`~mentor_tui.services.casework.service.CaseworkService`, so the plan's rules hold for the demo
data exactly as for real registrations (start modes, the A3 consent gate, closure
requirements, no future dates).

Reproducible: the same ``seed`` and ``today`` give identical rows, ids included. Ids come from
a seeded generator (:func:`mentor_tui.models.deterministic_ids`) and the record stamps from a
:class:`~mentor_tui.clock.FixedClock` that is moved through the events' days in date order, so
``created_at`` of a referral is (a moment on) the day it was received. Only the database's
device id differs between two files.

Shape of the data (see the tables below): areas weighted by residents (DOMAIN.md 1.2), each
case activity with its plan target ages (a few outside, which the app warns about), plausible
referral sources and start modes (3-partssamtaler for A6-A8, youth and parent consent for A3),
follow-ups of which some are overdue, some due this week and some later, outcomes that feed the
E1-E5 indicators, closures and a few reopenings and A9 → mentor escalations (DOMAIN.md 7.3
rule 7).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from mentor_tui.clock import FixedClock
from mentor_tui.codes import (
    Activity,
    Area,
    ClosureReason,
    ConsentGiver,
    Gender,
    MeetingType,
    OutcomeType,
    Parathed,
    ParticipantRole,
    ReferralReason,
    ReferralSource,
    StaffRole,
    StartMode,
    StatusAtClosure,
    Team,
    Ydelsestype,
)
from mentor_tui.dates import week_end
from mentor_tui.models import Staff, deterministic_ids
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage.repositories import Repositories

DEMO_SEED = 2024
"""Default seed: the same seed and day give the same data."""

SPAN_DAYS = 548
"""Referrals are spread over the 18 months (about 548 days) before ``today``."""

AREA_WEIGHTS: dict[Area, int] = {
    Area.VOLLSMOSE: 5888,
    Area.KORSLOEKKEN: 2559,
    Area.RISING: 1195,
    Area.EJERSLYKKE: 1148,
    Area.HOEJEMARKSVEJ: 897,
    Area.STADIONVEJ_SKJOLDSPARKEN: 342,
    Area.UDEN_FOR_OMRAADE: 250,
}
"""Residents per area on 1.1.2023 (DOMAIN.md 1.2); a few people live outside the areas."""

_Pick = TypeVar("_Pick")
Weighted = tuple[tuple[_Pick, int], ...]


@dataclass(frozen=True)
class _Followup:
    meeting_type: MeetingType
    participants: tuple[ParticipantRole, ...]
    weight: int = 1


@dataclass(frozen=True)
class ActivityProfile:
    """How demo cases of one activity look (DOMAIN.md 2.1-2.7 and 2.10)."""

    weight: int
    """Relative number of cases."""
    ages: tuple[int, int]
    """Age range at referral (the target group; about 3 % fall outside on purpose)."""
    sources: Weighted[ReferralSource]
    reasons: tuple[ReferralReason, ...]
    start_modes: Weighted[StartMode]
    start_participants: tuple[ParticipantRole, ...]
    extra_participants: tuple[ParticipantRole, ...]
    """One of these may join the start meeting as well."""
    followups: tuple[_Followup, ...]
    meeting_every: tuple[int, int]
    """Days between meetings."""
    duration: tuple[int, int]
    """Days from start to closure."""
    outcomes: Weighted[OutcomeType]
    outcome_share: float
    closure_reasons: Weighted[ClosureReason]
    consents: tuple[ConsentGiver, ...]
    staff_role: StaffRole


_R = ParticipantRole
_S = ReferralSource
_O = OutcomeType
_C = ClosureReason

_MENTOR_FOLLOWUPS_EDU = (
    _Followup(MeetingType.OPFOELGNING_FLERPART, (_R.BEBOER, _R.UDDANNELSESRAADGIVER), 3),
    _Followup(MeetingType.SAMTALE, (_R.BEBOER,), 4),
    _Followup(MeetingType.VIRKSOMHEDSBESOEG, (_R.BEBOER,), 1),
)
_MENTOR_FOLLOWUPS_JOB = (
    _Followup(MeetingType.OPFOELGNING_FLERPART, (_R.BEBOER, _R.JOBRAADGIVER), 3),
    _Followup(MeetingType.FLERPARTSSAMTALE, (_R.BEBOER, _R.JOBRAADGIVER, _R.JOBKONSULENT), 1),
    _Followup(MeetingType.SAMTALE, (_R.BEBOER,), 4),
    _Followup(MeetingType.VIRKSOMHEDSBESOEG, (_R.BEBOER,), 1),
)
_MENTOR_CLOSURES: Weighted[ClosureReason] = (
    (_C.MAAL_NAAET_BEHOV_OPFYLDT, 6),
    (_C.KONTAKT_OPHOERT, 2),
    (_C.BROBYGGET_ANDEN_INSTANS, 1),
    (_C.FRAFLYTTET, 1),
    (_C.ANDET, 1),
)

PROFILES: dict[Activity, ActivityProfile] = {
    # A1: bridged by municipal professionals, or self-referral to an afklaringssamtale [002:590, 610]
    Activity.A1_FREMSKUDT_TRIVSEL: ActivityProfile(
        weight=20,
        ages=(24, 52),
        sources=(
            (_S.FAMILIEBEHANDLER, 3),
            (_S.SOCIALRAADGIVER, 3),
            (_S.SUNDHEDSPLEJE, 3),
            (_S.EGEN_HENVENDELSE, 2),
        ),
        reasons=(
            ReferralReason.EFTER_KOMMUNALT_FORLOEB,
            ReferralReason.PASSER_IKKE_KOMMUNALT_TILBUD,
            ReferralReason.SIDELOEBENDE_ANDET_EMNE,
            ReferralReason.TRIVSEL_SUNDHED,
        ),
        start_modes=((StartMode.AFKLARINGSSAMTALE, 3), (StartMode.FLERPARTS_OPSTARTSMOEDE, 2)),
        start_participants=(_R.FORAELDER,),
        extra_participants=(_R.FAMILIEBEHANDLER, _R.SAGSBEHANDLER, _R.SUNDHEDSPLEJERSKE),
        followups=(
            _Followup(MeetingType.SAMTALE, (_R.FORAELDER,), 3),
            _Followup(MeetingType.SPARRINGSMOEDE_FAGPERSONER, (_R.FAMILIEBEHANDLER,), 1),
        ),
        meeting_every=(14, 35),
        duration=(30, 130),
        outcomes=(),
        outcome_share=0.0,
        closure_reasons=((_C.BROBYGGET_ANDEN_INSTANS, 3), (_C.MAAL_NAAET_BEHOV_OPFYLDT, 3), (_C.ANDET, 1)),
        consents=(ConsentGiver.FORAELDER,),
        staff_role=StaffRole.FORAELDRERAADGIVER,
    ),
    # A2: many professional referrers and self-referral [002:668]; multi-party start [002:678]
    Activity.A2_FORAELDRERAADGIVNING: ActivityProfile(
        weight=40,
        ages=(22, 55),
        sources=(
            (_S.SUNDHEDSPLEJE, 3),
            (_S.PAEDAGOG_DAGINSTITUTION, 3),
            (_S.FOLKESKOLE, 4),
            (_S.DAGPLEJE, 1),
            (_S.PPR, 1),
            (_S.BOERN_UNGE_SAGSBEHANDLER, 2),
            (_S.FAMILIEBEHANDLER, 1),
            (_S.JOBRAADGIVER, 1),
            (_S.LAEGE, 1),
            (_S.EGEN_HENVENDELSE, 3),
        ),
        reasons=(
            ReferralReason.FORAELDREROLLE,
            ReferralReason.SKOLESAMARBEJDE,
            ReferralReason.HOEJT_FRAVAER,
            ReferralReason.TRIVSEL_SUNDHED,
        ),
        start_modes=(
            (StartMode.FLERPARTS_OPSTARTSMOEDE, 6),
            (StartMode.AFKLARINGSSAMTALE, 2),
            (StartMode.TREPARTSSAMTALE, 1),
        ),
        start_participants=(_R.FORAELDER,),
        extra_participants=(_R.LAERER, _R.PAED_LEDER, _R.SUNDHEDSPLEJERSKE, _R.PPR),
        followups=(
            _Followup(MeetingType.SAMTALE, (_R.FORAELDER,), 4),
            _Followup(MeetingType.MOEDE_MED_AKTOER, (_R.FORAELDER, _R.LAERER), 2),
            _Followup(MeetingType.OPFOELGNING_FLERPART, (_R.FORAELDER, _R.PAED_LEDER), 1),
        ),
        meeting_every=(14, 42),
        duration=(60, 300),
        outcomes=(),
        outcome_share=0.0,
        closure_reasons=(
            (_C.FORAELDRE_TRYGGE_SELV, 6),
            (_C.MAAL_NAAET_BEHOV_OPFYLDT, 2),
            (_C.BROBYGGET_ANDEN_INSTANS, 1),
            (_C.KONTAKT_OPHOERT, 1),
            (_C.FRAFLYTTET, 1),
        ),
        consents=(ConsentGiver.FORAELDER,),
        staff_role=StaffRole.FORAELDRERAADGIVER,
    ),
    # A3: 13-17 [002:718]; school, UUO and youth/parents [002:736, 755-759]; consent [002:761]
    Activity.A3_UNGERAADGIVNING: ActivityProfile(
        weight=45,
        ages=(13, 17),
        sources=(
            (_S.FOLKESKOLE, 6),
            (_S.UUO, 3),
            (_S.UNGODENSE, 1),
            (_S.UNGDOMSUDDANNELSE, 2),
            (_S.PAEDAGOG_DAGINSTITUTION, 1),
            (_S.BOERN_UNGE_SAGSBEHANDLER, 1),
            (_S.EGEN_HENVENDELSE, 2),
        ),
        reasons=(
            ReferralReason.HOEJT_FRAVAER,
            ReferralReason.MANGLENDE_DELTAGELSE_FAELLESSKAB,
            ReferralReason.MISTRIVSEL,
            ReferralReason.LAVE_KARAKTERER_UDD_PARATHED,
            ReferralReason.BEKYMRENDE_ADFAERD,
            ReferralReason.FRAFALDSRISIKO,
        ),
        start_modes=((StartMode.MOEDE_MED_OG_OM_DEN_UNGE, 5), (StartMode.TREPARTSSAMTALE, 1)),
        start_participants=(_R.UNG, _R.FORAELDER),
        extra_participants=(_R.LAERER, _R.UU_VEJLEDER, _R.PAED_LEDER),
        followups=(
            _Followup(MeetingType.SAMTALE, (_R.UNG,), 4),
            _Followup(MeetingType.MOEDE_MED_AKTOER, (_R.UNG, _R.LAERER), 2),
            _Followup(MeetingType.AFKLARENDE_MOEDE, (_R.UNG, _R.FORAELDER, _R.UU_VEJLEDER), 1),
        ),
        meeting_every=(10, 35),
        duration=(60, 280),
        outcomes=((_O.UDDANNELSE_STARTET, 1),),
        outcome_share=0.12,
        closure_reasons=(
            (_C.FAELLES_VURDERING_AFSLUT, 5),
            (_C.MAAL_NAAET_BEHOV_OPFYLDT, 2),
            (_C.SAMTYKKE_TRUKKET, 1),
            (_C.KONTAKT_OPHOERT, 1),
        ),
        consents=(ConsentGiver.UNG, ConsentGiver.FORAELDER),
        staff_role=StaffRole.UNGERAADGIVER,
    ),
    # A6: 18-29 [002:1026]; CFU referral and a 3-partssamtale [002:1056, 1074]
    Activity.A6_FREMSKUDT_UDD_BESK: ActivityProfile(
        weight=35,
        ages=(18, 29),
        sources=((_S.UDDANNELSESRAADGIVER_CFU, 9), (_S.EGEN_HENVENDELSE, 1)),
        reasons=(ReferralReason.UDDANNELSE_MAAL, ReferralReason.JOB_MAAL),
        start_modes=((StartMode.TREPARTSSAMTALE, 1),),
        start_participants=(_R.BEBOER, _R.UDDANNELSESRAADGIVER),
        extra_participants=(),
        followups=_MENTOR_FOLLOWUPS_EDU,
        meeting_every=(14, 35),
        duration=(120, 420),
        outcomes=(
            (_O.UDDANNELSE_STARTET, 4),
            (_O.ORDINAERT_JOB, 2),
            (_O.PRAKTIKPLADS, 2),
            (_O.LOENTILSKUD, 1),
        ),
        outcome_share=0.45,
        closure_reasons=_MENTOR_CLOSURES,
        consents=(ConsentGiver.BEBOER,),
        staff_role=StaffRole.MENTOR,
    ),
    # A7: aktivitetsparate 18-64 [002:1093]; 3-partssamtale or BSH contacts the resident [002:1168]
    Activity.A7_MENTOR_AKTIVITETSPARAT: ActivityProfile(
        weight=45,
        ages=(18, 62),
        sources=(
            (_S.JOBRAADGIVER, 5),
            (_S.JOBMENTOR_BSF, 2),
            (_S.JOB_INTEGRATIONSHUS, 2),
            (_S.UUO, 1),
            (_S.EGEN_HENVENDELSE, 2),
        ),
        reasons=(ReferralReason.JOB_MAAL, ReferralReason.UDDANNELSE_MAAL, ReferralReason.TRIVSEL_SUNDHED),
        start_modes=(
            (StartMode.TREPARTSSAMTALE, 6),
            (StartMode.BSH_KONTAKTER_BEBOER, 3),
            (StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER, 1),
        ),
        start_participants=(_R.BEBOER, _R.JOBRAADGIVER),
        extra_participants=(_R.JOBKONSULENT,),
        followups=_MENTOR_FOLLOWUPS_JOB,
        meeting_every=(14, 35),
        duration=(120, 450),
        outcomes=(
            (_O.PRAKTIKPLADS, 3),
            (_O.LOENTILSKUD, 3),
            (_O.ORDINAERE_TIMER, 2),
            (_O.JOBPARAT_FRA_AKTIVITETSPARAT, 2),
            (_O.ORDINAERT_JOB, 1),
            (_O.UDDANNELSE_STARTET, 1),
        ),
        outcome_share=0.4,
        closure_reasons=_MENTOR_CLOSURES,
        consents=(ConsentGiver.BEBOER,),
        staff_role=StaffRole.MENTOR,
    ),
    # A8: jobparate 18-64 [002:1183]; as A7 [002:1237, 1253]
    Activity.A8_MENTOR_JOBPARAT: ActivityProfile(
        weight=35,
        ages=(18, 62),
        sources=((_S.JOBRAADGIVER, 7), (_S.JOB_INTEGRATIONSHUS, 1), (_S.EGEN_HENVENDELSE, 2)),
        reasons=(ReferralReason.JOB_MAAL, ReferralReason.UDDANNELSE_MAAL),
        start_modes=(
            (StartMode.TREPARTSSAMTALE, 6),
            (StartMode.BSH_KONTAKTER_BEBOER, 2),
            (StartMode.EGEN_HENVENDELSE_KONTAKT_RAADGIVER, 1),
        ),
        start_participants=(_R.BEBOER, _R.JOBRAADGIVER),
        extra_participants=(_R.JOBKONSULENT,),
        followups=_MENTOR_FOLLOWUPS_JOB,
        meeting_every=(14, 35),
        duration=(90, 360),
        outcomes=(
            (_O.ORDINAERT_JOB, 5),
            (_O.UDDANNELSE_STARTET, 2),
            (_O.LAEREPLADS, 1),
            (_O.PRAKTIKPLADS, 1),
            (_O.IGU, 1),
        ),
        outcome_share=0.5,
        closure_reasons=_MENTOR_CLOSURES,
        consents=(ConsentGiver.BEBOER,),
        staff_role=StaffRole.MENTOR,
    ),
    # A9: 18-64 not employed [002:1266]; advice conversations, jobrådgivere refer [002:1310, 1337]
    Activity.A9_BESKAEFTIGELSESRAADGIVNING: ActivityProfile(
        weight=45,
        ages=(18, 63),
        sources=((_S.EGEN_HENVENDELSE, 5), (_S.JOBRAADGIVER, 3), (_S.INTERN_BSH, 1), (_S.ANDEN_FAGPERSON, 1)),
        reasons=(ReferralReason.JOB_MAAL, ReferralReason.UDDANNELSE_MAAL),
        start_modes=((StartMode.RAADGIVNINGSSAMTALE, 8), (StartMode.TREPARTSSAMTALE, 1)),
        start_participants=(_R.BEBOER,),
        extra_participants=(),
        followups=(
            _Followup(MeetingType.SAMTALE, (_R.BEBOER,), 4),
            _Followup(MeetingType.VIRKSOMHEDSBESOEG, (_R.BEBOER,), 1),
        ),
        meeting_every=(7, 28),
        duration=(20, 120),
        outcomes=(
            (_O.ORDINAERT_JOB, 3),
            (_O.PRAKTIKPLADS, 2),
            (_O.LOENTILSKUD, 1),
            (_O.BYG_TIL_VAEKST_FORLOEB, 1),
            (_O.UDDANNELSE_STARTET, 1),
        ),
        outcome_share=0.3,
        closure_reasons=(
            (_C.MAAL_NAAET_BEHOV_OPFYLDT, 4),
            (_C.OVERGANG_MENTORFORLOEB, 2),
            (_C.KONTAKT_OPHOERT, 2),
        ),
        consents=(),
        staff_role=StaffRole.MENTOR,
    ),
    # A10: 13-17, mostly 15-17 [002:1445, 1451]; schools, UU, outreach, self [002:1455-1467]
    Activity.A10_FRITIDSJOB: ActivityProfile(
        weight=35,
        ages=(14, 17),
        sources=(
            (_S.FOLKESKOLE, 3),
            (_S.UUO, 2),
            (_S.OPSOEGENDE, 3),
            (_S.EGEN_HENVENDELSE, 3),
            (_S.INTERN_BSH, 1),
        ),
        reasons=(ReferralReason.FRITIDSJOB_MAAL,),
        start_modes=(
            (StartMode.RAADGIVNINGSSAMTALE, 5),
            (StartMode.MOEDE_MED_OG_OM_DEN_UNGE, 2),
            (StartMode.TREPARTSSAMTALE, 1),
        ),
        start_participants=(_R.UNG,),
        extra_participants=(_R.FORAELDER, _R.UU_VEJLEDER),
        followups=(
            _Followup(MeetingType.SAMTALE, (_R.UNG,), 4),
            _Followup(MeetingType.VIRKSOMHEDSBESOEG, (_R.UNG,), 1),
        ),
        meeting_every=(10, 30),
        duration=(45, 200),
        outcomes=((_O.FRITIDSJOB, 1),),
        outcome_share=0.55,
        closure_reasons=((_C.MAAL_NAAET_BEHOV_OPFYLDT, 5), (_C.KONTAKT_OPHOERT, 2), (_C.ALDERSGRAENSE, 1)),
        consents=(ConsentGiver.UNG,),
        staff_role=StaffRole.FRITIDSJOB,
    ),
}
"""One profile per case activity (``mentor_tui.codes.CASE_ACTIVITIES``)."""

DEMO_STAFF: tuple[tuple[str, Team, StaffRole], ...] = (
    ("DM", Team.TEAM_BESKAEFTIGELSE, StaffRole.MENTOR),
    ("KV", Team.TEAM_BESKAEFTIGELSE, StaffRole.MENTOR),
    ("ØJ", Team.TEAM_BESKAEFTIGELSE, StaffRole.MENTOR),
    ("UR", Team.TEAM_UDD_KRIM, StaffRole.UNGERAADGIVER),
    ("FR", Team.TEAM_UDD_KRIM, StaffRole.FORAELDRERAADGIVER),
    ("FJ", Team.TEAM_UDD_KRIM, StaffRole.FRITIDSJOB),
)
"""Invented staff initials; the first is the demo laptop's local user."""

_STATUS_AFTER: dict[OutcomeType, StatusAtClosure] = {
    OutcomeType.UDDANNELSE_STARTET: StatusAtClosure.I_UDDANNELSE,
    OutcomeType.LAEREPLADS: StatusAtClosure.I_UDDANNELSE,
    OutcomeType.ORDINAERT_JOB: StatusAtClosure.I_ORDINAERT_JOB,
    OutcomeType.ORDINAERE_TIMER: StatusAtClosure.I_ORDINAERT_JOB,
    OutcomeType.IGU: StatusAtClosure.I_ORDINAERT_JOB,
    OutcomeType.PRAKTIKPLADS: StatusAtClosure.I_PRAKTIK,
    OutcomeType.LOENTILSKUD: StatusAtClosure.I_LOENTILSKUD,
}

_LETTERS = "ABDEFGHIJKLMNOPRSTUVY"
_REOPEN_NOTES = (
    "Beboeren henvendte sig igen med nyt behov (demo)",
    "Ny henvendelse fra samarbejdspartner (demo)",
    "Afsluttet for tidligt; genoptaget efter aftale (demo)",
)


def _pick(rng: random.Random, options: Weighted[_Pick]) -> _Pick:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


@dataclass
class _Run:
    """One synthetic case being played through the service."""

    index: int
    activity: Activity
    person_from: _Run | None = None
    """Set for a follow-on case of the same person (A9 → mentor escalation)."""
    person_id: str = ""
    case_id: str = ""


@dataclass(order=True)
class _Step:
    day: dt.date
    run_index: int
    seq: int
    action: Callable[[], object] = field(compare=False)


@dataclass
class _Planner:
    """Draws each case's story and turns it into dated service calls."""

    rng: random.Random
    today: dt.date
    service: CaseworkService
    staff_by_role: dict[StaffRole, list[str]]
    n_target: int
    """How many cases to make in all (follow-on cases count too)."""
    steps: list[_Step] = field(default_factory=list)
    runs: list[_Run] = field(default_factory=list)

    @property
    def week_end(self) -> dt.date:
        return week_end(self.today)

    def days(self, lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(lo, hi))

    def add(self, run: _Run, day: dt.date, action: Callable[[], object]) -> None:
        # the global counter keeps each case's steps in the order they were planned
        self.steps.append(_Step(day, run.index, len(self.steps), action))

    # -- one case ------------------------------------------------------------------------------

    def plan(self, run: _Run, received: dt.date) -> None:
        rng = self.rng
        profile = PROFILES[run.activity]
        self._plan_referral(run, profile, received)
        age_days = (self.today - received).days
        never_starts = rng.random() < (0.5 if age_days <= 28 else 0.03)
        if never_starts:
            if age_days > 75:
                self._plan_closure(run, profile, received + self.days(30, 70), start=None, outcome=None)
            return
        start = min(received + self.days(0, 21), self.today)
        self._plan_active_life(run, profile, start)

    def _plan_referral(self, run: _Run, profile: ActivityProfile, received: dt.date) -> None:
        rng = self.rng
        source = _pick(rng, profile.sources)
        if run.person_from is not None:
            source = ReferralSource.INTERN_BSH
        reasons = rng.sample(profile.reasons, k=min(len(profile.reasons), rng.randint(1, 2)))
        staff = self.staff_by_role[profile.staff_role]
        staff_id = staff[run.index % len(staff)]
        if run.person_from is None:
            lo, hi = profile.ages
            # a few fall outside the target group: the app warns about them, never blocks
            outside = rng.random() < 0.03
            age = rng.choice((lo - 1, hi + 1, hi + 2)) if outside else rng.randint(lo, hi)
            month = rng.randint(1, 12)
            year = received.year - age - (1 if received.month < month else 0)
            area = _pick(rng, tuple(AREA_WEIGHTS.items()))
            label = f"Demo {run.index + 1:03d} {rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
            gender = rng.choice((Gender.KVINDE, Gender.MAND, Gender.KVINDE, Gender.MAND, None))
            benefit = self._benefit(run.activity, age)

            def register() -> None:
                case = self.service.register_referral(
                    activity=run.activity,
                    received_date=received,
                    source=source,
                    reasons=reasons,
                    display_label=label,
                    birth_year=year,
                    birth_month=month,
                    area=area,
                    gender=gender,
                    staff_id=staff_id,
                )
                run.case_id, run.person_id = case.id, case.person_id
                if benefit is not None:
                    person = self.service.repos.persons.get(case.person_id)
                    person.ydelsestype, person.parathed = benefit
                    self.service.repos.persons.update(person)

        else:
            parent = run.person_from

            def register() -> None:
                case = self.service.register_referral(
                    activity=run.activity,
                    received_date=received,
                    source=source,
                    reasons=reasons,
                    person_id=parent.person_id,
                    staff_id=staff_id,
                )
                run.case_id, run.person_id = case.id, case.person_id

        self.add(run, received, register)

    def _benefit(self, activity: Activity, age: int) -> tuple[Ydelsestype, Parathed] | None:
        rng = self.rng
        if activity is Activity.A6_FREMSKUDT_UDD_BESK:
            return Ydelsestype.UDDANNELSESHJAELP, rng.choice(
                (Parathed.UDDANNELSESPARAT, Parathed.AKTIVITETSPARAT)
            )
        if activity in (Activity.A7_MENTOR_AKTIVITETSPARAT, Activity.A8_MENTOR_JOBPARAT):
            young = age < 30
            benefit = rng.choice(
                (
                    Ydelsestype.UDDANNELSESHJAELP if young else Ydelsestype.KONTANTHJAELP,
                    Ydelsestype.KONTANTHJAELP,
                    Ydelsestype.SHO_YDELSE,
                )
            )
            parathed = (
                Parathed.AKTIVITETSPARAT
                if activity is Activity.A7_MENTOR_AKTIVITETSPARAT
                else Parathed.JOBPARAT
            )
            return benefit, parathed
        if activity is Activity.A9_BESKAEFTIGELSESRAADGIVNING:
            return (
                rng.choice(
                    (
                        Ydelsestype.KONTANTHJAELP,
                        Ydelsestype.ANDEN_UDEN_BESKAEFTIGELSE,
                        Ydelsestype.INGEN_OPLYST,
                    )
                ),
                rng.choice((Parathed.JOBPARAT, Parathed.UKENDT)),
            )
        return None

    def _plan_active_life(self, run: _Run, profile: ActivityProfile, start: dt.date) -> None:
        rng = self.rng
        today = self.today
        planned_end = start + self.days(*profile.duration)
        end = planned_end if planned_end < today else None
        # when is the next follow-up of a case that is still open? (relative to today)
        target: dt.date | None = None
        if end is None:
            kind = _pick(rng, (("overdue", 22), ("week", 13), ("later", 60), ("none", 5)))
            if kind == "overdue":
                target = today - self.days(1, 30)
                if target < start + dt.timedelta(days=1):
                    kind = "later"
            if kind == "week":
                target = today + dt.timedelta(days=rng.randint(0, (self.week_end - today).days))
            if kind == "later":
                target = self.week_end + self.days(1, 45)
        horizon = end if end is not None else min(today, target - dt.timedelta(days=3)) if target else today
        meetings: list[dt.date] = []
        day = start
        while True:
            day = day + self.days(*profile.meeting_every)
            if day > horizon:
                break
            meetings.append(day)
        first_followup = meetings[0] if meetings else target if end is None else None
        mode = _pick(rng, profile.start_modes)
        participants = list(profile.start_participants)
        if profile.extra_participants and rng.random() < 0.6:
            participants.append(rng.choice(profile.extra_participants))
        consents = (
            list(profile.consents)
            if rng.random() < 0.9 or run.activity is Activity.A3_UNGERAADGIVNING
            else []
        )
        goals = rng.random() < 0.85

        def start_case() -> None:
            self.service.start_case(
                run.case_id,
                start_mode=mode,
                start_date=start,
                goals_agreed=goals,
                consents=consents,
                participants=participants,
                next_followup_date=first_followup,
            )

        self.add(run, start, start_case)
        for i, meeting_day in enumerate(meetings):
            follow = _pick(rng, tuple((f, f.weight) for f in profile.followups))
            nxt = meetings[i + 1] if i + 1 < len(meetings) else target if end is None else None
            channel = "TELEFON" if rng.random() < 0.15 else "FYSISK"
            self._plan_meeting(run, meeting_day, follow, nxt, channel)
        if end is None and target is not None and target > today and rng.random() < 0.4:
            # the next follow-up is already booked as a planned meeting
            follow = profile.followups[0]

            def plan_meeting() -> None:
                self.service.add_meeting(
                    run.case_id,
                    meeting_type=follow.meeting_type,
                    date=target,
                    participants=follow.participants,
                    held=False,
                )

            self.add(run, today, plan_meeting)
        outcome: OutcomeType | None = None
        last_day = end if end is not None else today
        if profile.outcomes and rng.random() < profile.outcome_share and (last_day - start).days >= 21:
            outcome = _pick(rng, profile.outcomes)
            outcome_day = start + self.days(21, (last_day - start).days)
            chosen = outcome

            def add_outcome() -> None:
                self.service.add_outcome(run.case_id, outcome_type=chosen, date=outcome_day)

            self.add(run, outcome_day, add_outcome)
        if end is not None:
            self._plan_closure(run, profile, end, start=start, outcome=outcome)

    def _plan_meeting(
        self, run: _Run, day: dt.date, follow: _Followup, nxt: dt.date | None, channel: str
    ) -> None:
        def add_meeting() -> None:
            self.service.add_meeting(
                run.case_id,
                meeting_type=follow.meeting_type,
                date=day,
                participants=follow.participants,
                next_followup_date=nxt,
                channel=channel,
            )

        self.add(run, day, add_meeting)

    def _plan_closure(
        self,
        run: _Run,
        profile: ActivityProfile,
        day: dt.date,
        *,
        start: dt.date | None,
        outcome: OutcomeType | None,
    ) -> None:
        rng = self.rng
        needs = rules.rules_for(run.activity)
        if start is None:
            reason = ClosureReason.KONTAKT_OPHOERT
        elif outcome is not None:
            reason = ClosureReason.MAAL_NAAET_BEHOV_OPFYLDT
        else:
            reason = _pick(rng, profile.closure_reasons)
        status: StatusAtClosure | None = None
        if needs.closure_needs_status or run.activity is Activity.A9_BESKAEFTIGELSESRAADGIVNING:
            status = _STATUS_AFTER.get(outcome) if outcome else None
            status = status or rng.choice((StatusAtClosure.PAA_YDELSE_UAENDRET, StatusAtClosure.UKENDT))
        joint = needs.closure_needs_joint_decision or rng.random() < 0.7

        def close() -> None:
            self.service.close_case(
                run.case_id, date=day, reason=reason, status_at_closure=status, joint_decision=joint
            )

        self.add(run, day, close)
        if start is None:
            return
        if reason is ClosureReason.OVERGANG_MENTORFORLOEB and len(self.runs) < self.n_target:
            # DOMAIN.md 7.3 rule 7: an A9 contact may spawn an internal referral to A7/A8
            follow_on = _Run(
                len(self.runs),
                rng.choice((Activity.A7_MENTOR_AKTIVITETSPARAT, Activity.A8_MENTOR_JOBPARAT)),
                person_from=run,
            )
            self.runs.append(follow_on)
            self.plan(follow_on, min(day + self.days(0, 10), self.today))
        elif rng.random() < 0.02 and (self.today - day).days > 20:
            self._plan_reopening(run, profile, day + self.days(7, min(60, (self.today - day).days)))

    def _plan_reopening(self, run: _Run, profile: ActivityProfile, day: dt.date) -> None:
        rng = self.rng
        note = rng.choice(_REOPEN_NOTES)
        follow = profile.followups[0]
        nxt = day + self.days(14, 35)

        def reopen() -> None:
            self.service.reopen_case(run.case_id, note=note, date=day)

        self.add(run, day, reopen)
        self._plan_meeting(run, day, follow, nxt, "FYSISK")


def populate_demo(repos: Repositories, *, today: dt.date, seed: int = DEMO_SEED, n_cases: int = 300) -> None:
    """Fill an empty database with synthetic cases spread over the 18 months before ``today``.

    Everything is written in one transaction, through the casework service, with stamps from a
    fixed clock walking through the days; see the module docstring.

    Args:
        repos: repositories over the database to fill (their clock is not used).
        today: the day the demo data ends; follow-ups are overdue or due relative to it.
        seed: the random seed; the same seed and ``today`` give identical rows.
        n_cases: how many cases to create.
    """
    rng = random.Random(seed)
    clock = FixedClock(dt.datetime.combine(today - dt.timedelta(days=SPAN_DAYS + 1), dt.time(7), dt.UTC))
    demo_repos = Repositories(repos.db, clock)
    service = CaseworkService(demo_repos)
    with deterministic_ids(random.Random(f"mentor-tui-demo-ids-{seed}")), demo_repos.atomic():
        staff_by_role: dict[StaffRole, list[str]] = {}
        for i, (initials, team, role) in enumerate(DEMO_STAFF):
            staff = demo_repos.staff.add(Staff(initials=initials, team=team, role=role, is_local_user=i == 0))
            if i == 0:
                demo_repos.start_session(staff.id)  # the demo's history names its local user
            staff_by_role.setdefault(role, []).append(staff.id)
        planner = _Planner(rng, today, service, staff_by_role, n_cases)
        activities = list(PROFILES)
        weights = [PROFILES[a].weight for a in activities]
        while len(planner.runs) < n_cases:
            run = _Run(len(planner.runs), rng.choices(activities, weights=weights)[0])
            planner.runs.append(run)
            planner.plan(run, today - dt.timedelta(days=rng.randint(0, SPAN_DAYS)))
        _play(sorted(planner.steps), clock)


def _play(steps: Sequence[_Step], clock: FixedClock) -> None:
    """Run the steps in date order, moving the clock so each record is stamped on its day."""
    per_day: dict[dt.date, int] = {}
    for step in steps:
        n = per_day.get(step.day, 0)
        per_day[step.day] = n + 1
        clock.at = dt.datetime.combine(step.day, dt.time(7), dt.UTC) + dt.timedelta(seconds=7 * n)
        step.action()

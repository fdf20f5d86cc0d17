"""Stable ASCII codes for every enumeration of the domain, with Danish and English labels.

The codes are what the database stores and what exports contain; they never change once
released. Labels are what the user sees and may be reworded freely. Sources are cited as
``[002:line]`` into the plan (see ``../shared/DOMAIN.md`` section 7.1).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from mentor_tui.i18n import LANGS as LANGS
from mentor_tui.i18n import Bilingual
from mentor_tui.i18n import Lang as Lang


class Code(StrEnum):
    """A coded value with a Danish and an English label.

    Members are declared as ``NAME = "CODE", "dansk", "english"``. ``member.label`` is the
    :class:`~mentor_tui.i18n.Bilingual` label: ``member.label("en")`` gives the English text,
    ``member.label()`` the text in the UI language, and it goes into a bilingual message as is
    (``Bilingual("{a} ...", "{a} ...").format(a=member.label)``).
    """

    label: Bilingual

    def __new__(cls, code: str, da: str = "", en: str = "") -> Self:
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label = Bilingual(da or code, en or da or code)
        return obj

    @classmethod
    def choices(cls, lang: Lang | None = None) -> list[tuple[str, Self]]:
        """Return ``(label, member)`` pairs in declaration order, for select widgets."""
        return [(m.label(lang), m) for m in cls]


class Area(Code):
    """Boligområde [002:96-152]."""

    VOLLSMOSE = "VOLLSMOSE", "Vollsmose", "Vollsmose"
    KORSLOEKKEN = "KORSLOEKKEN", "Korsløkken", "Korsløkken"
    RISING = "RISING", "Rising", "Rising"
    EJERSLYKKE = "EJERSLYKKE", "Ejerslykke", "Ejerslykke"
    HOEJEMARKSVEJ = "HOEJEMARKSVEJ", "Højemarksvej-kvarteret", "Højemarksvej area"
    STADIONVEJ_SKJOLDSPARKEN = (
        "STADIONVEJ_SKJOLDSPARKEN",
        "Stadionvej/Skjoldsparken",
        "Stadionvej/Skjoldsparken",
    )
    UDEN_FOR_OMRAADE = "UDEN_FOR_OMRAADE", "Uden for boligområderne", "Outside the areas"


PLAN_AREAS: tuple[Area, ...] = tuple(a for a in Area if a is not Area.UDEN_FOR_OMRAADE)
"""The six areas of the plan [002:96-152]."""


class Indsatsomraade(Code):
    """Indsatsområde; one delaftale each [002:311]."""

    UDD_LIVSCHANCER = "UDD_LIVSCHANCER", "Uddannelse og livschancer", "Education and life chances"
    BESKAEFTIGELSE = "BESKAEFTIGELSE", "Beskæftigelse", "Employment"
    KRIMINALITETSFOREBYGGELSE = (
        "KRIMINALITETSFOREBYGGELSE",
        "Kriminalitetsforebyggelse",
        "Crime prevention",
    )
    SAMMENHAENGSKRAFT = (
        "SAMMENHAENGSKRAFT",
        "Sammenhængskraft og medborgerskab",
        "Cohesion and citizenship",
    )


class Team(Code):
    """The three teams [002:217-225]."""

    TEAM_UDD_KRIM = (
        "TEAM_UDD_KRIM",
        "Team Uddannelse & livschancer og Kriminalitetsforebyggelse",
        "Team Education, life chances and crime prevention",
    )
    TEAM_BESKAEFTIGELSE = "TEAM_BESKAEFTIGELSE", "Team Beskæftigelse", "Team Employment"
    TEAM_SAMMENHAENGSKRAFT = (
        "TEAM_SAMMENHAENGSKRAFT",
        "Team Sammenhængskraft og medborgerskab",
        "Team Cohesion and citizenship",
    )


class StaffRole(Code):
    """Frontline and management roles [002:214, 217, 761, 1056, 1455, 1503]."""

    BOLIGSOCIAL_MEDARBEJDER = (
        "BOLIGSOCIAL_MEDARBEJDER",
        "Boligsocial medarbejder",
        "Housing-social worker",
    )
    UNGERAADGIVER = "UNGERAADGIVER", "Ungerådgiver", "Youth adviser"
    MENTOR = "MENTOR", "Uddannelses- og beskæftigelsesmentor", "Education and employment mentor"
    FORAELDRERAADGIVER = "FORAELDRERAADGIVER", "Forældrerådgiver", "Parent adviser"
    FRITIDSJOB = "FRITIDSJOB", "Fritidsjob-medarbejder", "Leisure-job worker"
    TRYGHEDSRAADGIVER = "TRYGHEDSRAADGIVER", "Tryghedsrådgiver", "Safety adviser"
    LEDER = "LEDER", "Leder", "Lead"
    STAB = "STAB", "Stabsmedarbejder", "Staff officer"


class Activity(Code):
    """Activities of the plan (DOMAIN.md section 2). Only the case activities are used for cases."""

    A1_FREMSKUDT_TRIVSEL = (
        "A1_FREMSKUDT_TRIVSEL",
        "Fremskudt trivsels- og forebyggelsesindsats",
        "Outposted wellbeing and prevention",
    )
    A2_FORAELDRERAADGIVNING = (
        "A2_FORAELDRERAADGIVNING",
        "Forældrerådgivning",
        "Parent advice",
    )
    A3_UNGERAADGIVNING = "A3_UNGERAADGIVNING", "Ungerådgivning", "Youth advice"
    A4_BYDELSLOEFTER_K = (
        "A4_BYDELSLOEFTER_K",
        "Bydelsløftere for kvinder",
        "Community leaders (women)",
    )
    A5_BYDELSLOEFTER_M = "A5_BYDELSLOEFTER_M", "Bydelsløftere for mænd", "Community leaders (men)"
    A6_FREMSKUDT_UDD_BESK = (
        "A6_FREMSKUDT_UDD_BESK",
        "Fremskudt uddannelses- og beskæftigelsesindsats",
        "Outposted education and employment",
    )
    A7_MENTOR_AKTIVITETSPARAT = (
        "A7_MENTOR_AKTIVITETSPARAT",
        "Mentor for aktivitetsparate",
        "Mentor (activity-ready)",
    )
    A8_MENTOR_JOBPARAT = "A8_MENTOR_JOBPARAT", "Mentor for jobparate", "Mentor (job-ready)"
    A9_BESKAEFTIGELSESRAADGIVNING = (
        "A9_BESKAEFTIGELSESRAADGIVNING",
        "Beskæftigelsesrådgivning",
        "Employment advice",
    )
    A10_FRITIDSJOB = "A10_FRITIDSJOB", "Fritidsjobrådgivning", "Leisure-job advice"
    A11_CKS_TRYGHED = "A11_CKS_TRYGHED", "Kriminalitetsforebyggelse i netværk", "Crime prevention network"
    A12_MEDBORGERSKAB = "A12_MEDBORGERSKAB", "Medborgerskab og frivillighed", "Citizenship and volunteering"
    A13_BAEREDYGTIGHED = (
        "A13_BAEREDYGTIGHED",
        "Fælles om social bæredygtighed",
        "Social sustainability together",
    )

    @property
    def short(self) -> str:
        """The short code shown in narrow columns, e.g. ``A7``."""
        return self.value.split("_", 1)[0]


CASE_ACTIVITIES: tuple[Activity, ...] = (
    Activity.A1_FREMSKUDT_TRIVSEL,
    Activity.A2_FORAELDRERAADGIVNING,
    Activity.A3_UNGERAADGIVNING,
    Activity.A6_FREMSKUDT_UDD_BESK,
    Activity.A7_MENTOR_AKTIVITETSPARAT,
    Activity.A8_MENTOR_JOBPARAT,
    Activity.A9_BESKAEFTIGELSESRAADGIVNING,
    Activity.A10_FRITIDSJOB,
)
"""Activities run as individual cases (DOMAIN.md section 2, "core" and "case-like")."""


class AgeBand(Code):
    """Age bands used in rules and exports; computed, never entered [002:718, 986-991]."""

    B0_12 = "0_12", "0-12 år", "0-12 years"
    B13_17 = "13_17", "13-17 år", "13-17 years"
    B18_29 = "18_29", "18-29 år", "18-29 years"
    B30_64 = "30_64", "30-64 år", "30-64 years"
    B65_PLUS = "65_PLUS", "65+ år", "65+ years"


class ReferralSource(Code):
    """Henvisningskilde (DOMAIN.md 7.1 referral_source_type)."""

    EGEN_HENVENDELSE = "EGEN_HENVENDELSE", "Egen henvendelse", "Self-referral"
    FOLKESKOLE = "FOLKESKOLE", "Folkeskole / lærer", "Primary school / teacher"
    UUO = "UUO", "UU-vejledning (UUO)", "Youth guidance (UUO)"
    UNGODENSE = "UNGODENSE", "UngOdense / ungdomsskolen", "UngOdense / youth school"
    UNGDOMSUDDANNELSE = "UNGDOMSUDDANNELSE", "Ungdomsuddannelse (inkl. FGU)", "Youth education (incl. FGU)"
    PAEDAGOG_DAGINSTITUTION = (
        "PAEDAGOG_DAGINSTITUTION",
        "Pædagog / daginstitution",
        "Pedagogue / day care",
    )
    DAGPLEJE = "DAGPLEJE", "Dagpleje", "Childminder"
    SUNDHEDSPLEJE = "SUNDHEDSPLEJE", "Sundhedsplejerske", "Health visitor"
    PPR = "PPR", "PPR", "Educational psychology (PPR)"
    FAMILIEBEHANDLER = "FAMILIEBEHANDLER", "Familiebehandler", "Family therapist"
    SOCIALRAADGIVER = "SOCIALRAADGIVER", "Socialrådgiver", "Social worker"
    BOERN_UNGE_SAGSBEHANDLER = (
        "BOERN_UNGE_SAGSBEHANDLER",
        "Børn- og ungesagsbehandler",
        "Child and youth caseworker",
    )
    FRITIDSVEJLEDER = "FRITIDSVEJLEDER", "Fritidsvejleder", "Leisure guide"
    LAEGE = "LAEGE", "Læge", "Doctor"
    UDDANNELSESRAADGIVER_CFU = (
        "UDDANNELSESRAADGIVER_CFU",
        "Uddannelsesrådgiver (CFU)",
        "Education adviser (CFU)",
    )
    JOBRAADGIVER = "JOBRAADGIVER", "Jobrådgiver (Jobcenter/BSF)", "Job adviser (job centre)"
    JOBMENTOR_BSF = "JOBMENTOR_BSF", "Jobmentor (BSF)", "Job mentor (BSF)"
    JOB_INTEGRATIONSHUS = "JOB_INTEGRATIONSHUS", "Job- og Integrationshuset", "Job and Integration House"
    FRIVILLIG_ORG_BEBOERFAELLESSKAB = (
        "FRIVILLIG_ORG_BEBOERFAELLESSKAB",
        "Frivillig organisation / beboerfællesskab",
        "Voluntary organisation / residents' group",
    )
    DRIFTSPERSONALE = "DRIFTSPERSONALE", "Drifts-/ejendomspersonale", "Property staff"
    OPSOEGENDE = "OPSOEGENDE", "Opsøgende arbejde (BSH)", "Outreach (BSH)"
    INTERN_BSH = "INTERN_BSH", "Intern henvisning (BSH)", "Internal referral (BSH)"
    ANDEN_FAGPERSON = "ANDEN_FAGPERSON", "Anden samarbejdspartner", "Other partner"


class ReferralReason(Code):
    """Henvisningsårsag (multi-select) [002:594-596, 736, 757, 761, 1001, 1148]."""

    HOEJT_FRAVAER = "HOEJT_FRAVAER", "Højt fravær", "High absence"
    MANGLENDE_DELTAGELSE_FAELLESSKAB = (
        "MANGLENDE_DELTAGELSE_FAELLESSKAB",
        "Manglende deltagelse i fællesskaber",
        "Not taking part in communities",
    )
    MISTRIVSEL = "MISTRIVSEL", "Tegn på mistrivsel", "Signs of poor wellbeing"
    LAVE_KARAKTERER_UDD_PARATHED = (
        "LAVE_KARAKTERER_UDD_PARATHED",
        "Lave karakterer / uddannelsesparathed",
        "Low grades / education readiness",
    )
    BEKYMRENDE_ADFAERD = "BEKYMRENDE_ADFAERD", "Bekymrende adfærd", "Worrying behaviour"
    DAARLIGE_FAELLESSKABER = "DAARLIGE_FAELLESSKABER", "Dårlige fællesskaber", "Bad peer groups"
    ENSOMHED = "ENSOMHED", "Ensomhed", "Loneliness"
    OVERGANG_UNGDOMSUDDANNELSE = (
        "OVERGANG_UNGDOMSUDDANNELSE",
        "Svær overgang til ungdomsuddannelse",
        "Difficult move to youth education",
    )
    FRAFALDSRISIKO = "FRAFALDSRISIKO", "Risiko for frafald", "Risk of dropping out"
    TRIVSEL_SUNDHED = "TRIVSEL_SUNDHED", "Trivsel/sundhed (generelt)", "Wellbeing/health (general)"
    EFTER_KOMMUNALT_FORLOEB = (
        "EFTER_KOMMUNALT_FORLOEB",
        "Efter afsluttet kommunalt forløb",
        "After a municipal programme",
    )
    PASSER_IKKE_KOMMUNALT_TILBUD = (
        "PASSER_IKKE_KOMMUNALT_TILBUD",
        "Passer ikke til kommunale tilbud",
        "Does not fit municipal offers",
    )
    SIDELOEBENDE_ANDET_EMNE = (
        "SIDELOEBENDE_ANDET_EMNE",
        "Sideløbende rådgivning om andet emne",
        "Parallel advice on another topic",
    )
    FORAELDREROLLE = "FORAELDREROLLE", "Støtte i forælderrollen", "Support in the parent role"
    SKOLESAMARBEJDE = "SKOLESAMARBEJDE", "Samarbejde med skole/institution", "Working with school/day care"
    UDDANNELSE_MAAL = "UDDANNELSE_MAAL", "Mål: uddannelse", "Goal: education"
    JOB_MAAL = "JOB_MAAL", "Mål: job", "Goal: job"
    FRITIDSJOB_MAAL = "FRITIDSJOB_MAAL", "Mål: fritidsjob", "Goal: leisure job"


class StartMode(Code):
    """Opstartsform (DOMAIN.md 7.1 start_mode)."""

    TREPARTSSAMTALE = "TREPARTSSAMTALE", "3-partssamtale", "Tripartite meeting"
    BSH_KONTAKTER_BEBOER = (
        "BSH_KONTAKTER_BEBOER",
        "BSH kontakter beboeren",
        "BSH contacts the resident",
    )
    MOEDE_MED_OG_OM_DEN_UNGE = (
        "MOEDE_MED_OG_OM_DEN_UNGE",
        "Møde med og om den unge",
        "Meeting with and about the young person",
    )
    FLERPARTS_OPSTARTSMOEDE = (
        "FLERPARTS_OPSTARTSMOEDE",
        "Opstartsmøde med fagperson og familie",
        "Start meeting with professional and family",
    )
    EGEN_HENVENDELSE_KONTAKT_RAADGIVER = (
        "EGEN_HENVENDELSE_KONTAKT_RAADGIVER",
        "Egen henvendelse, fælles kontakt til rådgiver",
        "Self-referral, joint contact to adviser",
    )
    AFKLARINGSSAMTALE = "AFKLARINGSSAMTALE", "Afklaringssamtale", "Clarifying conversation"
    RAADGIVNINGSSAMTALE = "RAADGIVNINGSSAMTALE", "Rådgivningssamtale", "Advice conversation"


class MeetingType(Code):
    """Mødetype / kontakttype (DOMAIN.md 7.1 meeting_type)."""

    TREPARTSSAMTALE = "TREPARTSSAMTALE", "3-partssamtale", "Tripartite meeting"
    FLERPARTSSAMTALE = "FLERPARTSSAMTALE", "Flerpartssamtale", "Multi-party meeting"
    OPFOELGNING_FLERPART = (
        "OPFOELGNING_FLERPART",
        "Opfølgningsmøde (flerpart)",
        "Follow-up meeting (multi-party)",
    )
    AFKLARENDE_MOEDE = "AFKLARENDE_MOEDE", "Afklarende møde", "Clarifying meeting"
    MOEDE_MED_AKTOER = "MOEDE_MED_AKTOER", "Møde med aktør (fx skole)", "Meeting with partner (e.g. school)"
    SAMTALE = "SAMTALE", "Individuel samtale", "One-to-one conversation"
    AFKLARINGSSAMTALE = "AFKLARINGSSAMTALE", "Afklaringssamtale", "Clarifying conversation"
    TRYGHEDSSAMTALE = "TRYGHEDSSAMTALE", "Tryghedssamtale", "Safety conversation"
    VIRKSOMHEDSBESOEG = "VIRKSOMHEDSBESOEG", "Virksomhedsbesøg", "Company visit"
    SPARRINGSMOEDE_FAGPERSONER = (
        "SPARRINGSMOEDE_FAGPERSONER",
        "Sparringsmøde mellem fagpersoner",
        "Professionals' sparring meeting",
    )


FOLLOWUP_MEETING_TYPES: frozenset[MeetingType] = frozenset(
    {MeetingType.OPFOELGNING_FLERPART, MeetingType.SAMTALE, MeetingType.FLERPARTSSAMTALE}
)
"""Meeting types that normally are follow-ups [002:1064, 1144, 1146, 1237]."""


class ParticipantRole(Code):
    """Roles present at a meeting: roles, never names [002:761, 1056, 1144, 1237]."""

    BEBOER = "BEBOER", "Beboer", "Resident"
    UNG = "UNG", "Ung", "Young person"
    FORAELDER = "FORAELDER", "Forælder", "Parent"
    LAERER = "LAERER", "Lærer", "Teacher"
    PPR = "PPR", "PPR", "PPR"
    PAED_LEDER = "PAED_LEDER", "Pædagogisk leder", "Head of pedagogy"
    UU_VEJLEDER = "UU_VEJLEDER", "UU-vejleder", "Youth guidance counsellor"
    JOBRAADGIVER = "JOBRAADGIVER", "Jobrådgiver", "Job adviser"
    JOBKONSULENT = "JOBKONSULENT", "Jobkonsulent", "Job consultant"
    UDDANNELSESRAADGIVER = "UDDANNELSESRAADGIVER", "Uddannelsesrådgiver", "Education adviser"
    SAGSBEHANDLER = "SAGSBEHANDLER", "Sagsbehandler", "Caseworker"
    FAMILIEBEHANDLER = "FAMILIEBEHANDLER", "Familiebehandler", "Family therapist"
    SUNDHEDSPLEJERSKE = "SUNDHEDSPLEJERSKE", "Sundhedsplejerske", "Health visitor"
    ANDEN = "ANDEN", "Anden", "Other"


class Channel(Code):
    """How a contact took place [002:1457, 1465, 1505] (value set inferred)."""

    FYSISK = "FYSISK", "Fysisk møde", "In person"
    TELEFON = "TELEFON", "Telefon", "Phone"
    SMS = "SMS", "SMS", "Text message"
    VIDEO = "VIDEO", "Video", "Video"
    SOCIALE_MEDIER = "SOCIALE_MEDIER", "Sociale medier", "Social media"


class OutcomeType(Code):
    """Resultat (DOMAIN.md 7.1 outcome_type)."""

    UDDANNELSE_STARTET = "UDDANNELSE_STARTET", "Påbegyndt uddannelse", "Started education"
    ORDINAERT_JOB = "ORDINAERT_JOB", "Ordinært job", "Ordinary job"
    PRAKTIKPLADS = "PRAKTIKPLADS", "Praktikplads", "Work placement"
    LOENTILSKUD = "LOENTILSKUD", "Løntilskud", "Wage-subsidy job"
    ORDINAERE_TIMER = "ORDINAERE_TIMER", "Ordinære timer", "Ordinary hours"
    LAEREPLADS = "LAEREPLADS", "Læreplads", "Apprenticeship"
    BYG_TIL_VAEKST_FORLOEB = (
        "BYG_TIL_VAEKST_FORLOEB",
        "Startet forløb i Byg til Vækst",
        "Started Byg til Vækst course",
    )
    IGU = "IGU", "IGU", "Basic integration training (IGU)"
    FRITIDSJOB = "FRITIDSJOB", "Fået fritidsjob", "Got a leisure job"
    FASTHOLDT = "FASTHOLDT", "Fastholdt ved opfølgning", "Retained at follow-up"
    FRIVILLIG_ENGAGERET = (
        "FRIVILLIG_ENGAGERET",
        "Engageret i frivilligt arbejde",
        "Engaged in volunteering",
    )
    KURSUS_GENNEMFOERT = "KURSUS_GENNEMFOERT", "Gennemført kursus (diplom)", "Completed course"
    JOBPARAT_FRA_AKTIVITETSPARAT = (
        "JOBPARAT_FRA_AKTIVITETSPARAT",
        "Vurderet jobparat",
        "Assessed job-ready",
    )


class ClosureReason(Code):
    """Afslutningsårsag (DOMAIN.md 7.1 closure_reason)."""

    MAAL_NAAET_BEHOV_OPFYLDT = (
        "MAAL_NAAET_BEHOV_OPFYLDT",
        "Behov opfyldt / mål nået",
        "Need met / goal reached",
    )
    FORAELDRE_TRYGGE_SELV = (
        "FORAELDRE_TRYGGE_SELV",
        "Forældre trygge ved selv at arbejde videre",
        "Parents confident to carry on",
    )
    FAELLES_VURDERING_AFSLUT = (
        "FAELLES_VURDERING_AFSLUT",
        "Fælles vurdering: afslut",
        "Joint assessment: close",
    )
    OVERGANG_MENTORFORLOEB = "OVERGANG_MENTORFORLOEB", "Overgået til mentorforløb", "Moved to mentoring"
    BROBYGGET_ANDEN_INSTANS = (
        "BROBYGGET_ANDEN_INSTANS",
        "Brobygget til anden instans",
        "Bridged to another service",
    )
    SAMTYKKE_TRUKKET = "SAMTYKKE_TRUKKET", "Samtykke trukket tilbage", "Consent withdrawn"
    FRAFLYTTET = "FRAFLYTTET", "Fraflyttet boligområdet", "Moved out of the area"
    KONTAKT_OPHOERT = "KONTAKT_OPHOERT", "Kontakt ophørt / ikke mødt", "Contact lost / no-show"
    ALDERSGRAENSE = "ALDERSGRAENSE", "Over aldersgrænsen", "Past the age limit"
    ANDET = "ANDET", "Andet", "Other"


class StatusAtClosure(Code):
    """Status ift. uddannelse og job ved afslutning [002:1078, 1168, 1253]."""

    I_ORDINAERT_JOB = "I_ORDINAERT_JOB", "I ordinært job", "In ordinary job"
    I_UDDANNELSE = "I_UDDANNELSE", "I uddannelse", "In education"
    I_PRAKTIK = "I_PRAKTIK", "I praktik", "In work placement"
    I_LOENTILSKUD = "I_LOENTILSKUD", "I løntilskud", "In wage-subsidy job"
    I_SKOLE_GRUNDSKOLE = "I_SKOLE_GRUNDSKOLE", "I grundskole", "In primary school"
    PAA_YDELSE_UAENDRET = "PAA_YDELSE_UAENDRET", "På ydelse, uændret", "On benefits, unchanged"
    UKENDT = "UKENDT", "Ukendt", "Unknown"


class BridgeTarget(Code):
    """Brobygning / outgoing referral [002:686, 1505, 610, 1310, 1331, 1641]."""

    PRAKTISERENDE_LAEGE = "PRAKTISERENDE_LAEGE", "Praktiserende læge", "GP"
    FAMILIEBEHANDLER = "FAMILIEBEHANDLER", "Familiebehandler", "Family therapist"
    BOERN_UNGE_SAGSBEHANDLER = (
        "BOERN_UNGE_SAGSBEHANDLER",
        "Børn- og ungesagsbehandler",
        "Child and youth caseworker",
    )
    FAMILIERETSHUSET = "FAMILIERETSHUSET", "Familieretshuset", "Family Law House"
    PPR = "PPR", "PPR", "PPR"
    FYNS_POLITI = "FYNS_POLITI", "Fyns Politi", "Funen Police"
    BUF = "BUF", "Børn- og Ungeforvaltningen", "Children and Youth Dept."
    SUNDHEDSPLEJERSKE = "SUNDHEDSPLEJERSKE", "Sundhedsplejerske", "Health visitor"
    SOCIALRAADGIVER = "SOCIALRAADGIVER", "Socialrådgiver", "Social worker"
    BYG_TIL_VAEKST = "BYG_TIL_VAEKST", "Byg til Vækst", "Byg til Vækst"
    SPROGUNDERVISNING = "SPROGUNDERVISNING", "Sprogundervisning", "Language teaching"
    FRIVILLIG_ORGANISATION_FORENING = (
        "FRIVILLIG_ORGANISATION_FORENING",
        "Frivillig organisation / forening",
        "Voluntary organisation / club",
    )
    FRITIDSAKTIVITET = "FRITIDSAKTIVITET", "Fritidsaktivitet", "Leisure activity"
    JOBRAADGIVER_UDDANNELSESRAADGIVER = (
        "JOBRAADGIVER_UDDANNELSESRAADGIVER",
        "Job-/uddannelsesrådgiver",
        "Job/education adviser",
    )
    ANDEN_KOMMUNAL_INSTANS = "ANDEN_KOMMUNAL_INSTANS", "Anden kommunal instans", "Other municipal service"


class Ydelsestype(Code):
    """Benefit type, A6-A9 only [002:1093, 1183, 1266]."""

    UDDANNELSESHJAELP = "UDDANNELSESHJAELP", "Uddannelseshjælp", "Education benefit"
    KONTANTHJAELP = "KONTANTHJAELP", "Kontanthjælp", "Cash benefit"
    SHO_YDELSE = "SHO_YDELSE", "SHO-ydelse", "Self-support/return benefit"
    ANDEN_UDEN_BESKAEFTIGELSE = (
        "ANDEN_UDEN_BESKAEFTIGELSE",
        "Anden, uden beskæftigelse",
        "Other, not employed",
    )
    INGEN_OPLYST = "INGEN_OPLYST", "Ikke oplyst", "Not stated"


class Parathed(Code):
    """Readiness category [002:1026, 1093, 1183]."""

    JOBPARAT = "JOBPARAT", "Jobparat", "Job-ready"
    AKTIVITETSPARAT = "AKTIVITETSPARAT", "Aktivitetsparat", "Activity-ready"
    UDDANNELSESPARAT = "UDDANNELSESPARAT", "Uddannelsesparat", "Education-ready"
    UKENDT = "UKENDT", "Ukendt", "Unknown"


class Gender(Code):
    """Gender; only needed where an activity requires it (A4/A5) [002:788, 870]."""

    KVINDE = "KVINDE", "Kvinde", "Woman"
    MAND = "MAND", "Mand", "Man"
    ANDET_UOPLYST = "ANDET_UOPLYST", "Andet / uoplyst", "Other / not stated"


class PersonRole(Code):
    """The person's role in relation to the activity (inferred)."""

    UNG = "UNG", "Ung", "Young person"
    FORAELDER = "FORAELDER", "Forælder", "Parent"
    BEBOER = "BEBOER", "Beboer", "Resident"
    FRIVILLIG = "FRIVILLIG", "Frivillig", "Volunteer"
    DELTAGER = "DELTAGER", "Deltager", "Participant"


class ConsentGiver(Code):
    """Who gave consent [002:761]."""

    UNG = "UNG", "Den unge", "The young person"
    FORAELDER = "FORAELDER", "Forælder", "Parent"
    BEBOER = "BEBOER", "Beboer", "Resident"


class CaseStatus(Code):
    """Lifecycle of a case: referred, active, closed."""

    HENVIST = "HENVIST", "Henvist", "Referred"
    AKTIV = "AKTIV", "Aktiv", "Active"
    AFSLUTTET = "AFSLUTTET", "Afsluttet", "Closed"


START_MODE_MEETING: dict[StartMode, MeetingType] = {
    StartMode.TREPARTSSAMTALE: MeetingType.TREPARTSSAMTALE,
    StartMode.MOEDE_MED_OG_OM_DEN_UNGE: MeetingType.FLERPARTSSAMTALE,
    StartMode.FLERPARTS_OPSTARTSMOEDE: MeetingType.FLERPARTSSAMTALE,
    StartMode.AFKLARINGSSAMTALE: MeetingType.AFKLARINGSSAMTALE,
    StartMode.RAADGIVNINGSSAMTALE: MeetingType.SAMTALE,
}
"""Start modes that are themselves a meeting; starting a case this way records that meeting
on the start date, so it counts as a held meeting (issue 4: "a case started with a
3-partssamtale counts that meeting on its start date")."""


ALL_CODE_SETS: tuple[type[Code], ...] = (
    Area,
    Indsatsomraade,
    Team,
    StaffRole,
    Activity,
    AgeBand,
    ReferralSource,
    ReferralReason,
    StartMode,
    MeetingType,
    ParticipantRole,
    Channel,
    OutcomeType,
    ClosureReason,
    StatusAtClosure,
    BridgeTarget,
    Ydelsestype,
    Parathed,
    Gender,
    PersonRole,
    ConsentGiver,
    CaseStatus,
)
"""Every enumeration, for tests that check labels and for the schema reference."""

"""The consistency rules (issue 9 item 4) say the same through the forms' service and the import.

Each case below is one mistake a new user made, typed once as the forms send it to the casework
service and once as rows of a spreadsheet for ``mentor-tui import``. Both must refuse it with the
same rule and write nothing. Today is 2026-11-20.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from mentor_tui.errors import DomainValidationError
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.importing.importer import Importer
from mentor_tui.services.importing.reader import Sheet, read_csv_bytes
from mentor_tui.storage.repositories import Repositories

HEADER = [
    "person_ref",
    "birth",
    "gender",
    "area",
    "activity",
    "event",
    "date",
    "code",
    "staff",
    "consent",
    "status",
]
A6 = "A6_FREMSKUDT_UDD_BESK"


@dataclass(frozen=True)
class Mistake:
    """One mistake, for the forms and for the import."""

    name: str
    code: str
    """The rule both must refuse it with."""
    steps: list[tuple[str, dict[str, Any]]]
    """Service calls as the forms make them: ``(method, arguments)``; ``case_id`` is filled in."""
    rows: list[str] = field(default_factory=list)
    """The same registrations as import rows (``;``-separated, without the header)."""
    import_code: str | None = None
    """When the import meets the mistake in another order (rows are replayed by date)."""


def _referral(**person: Any) -> tuple[str, dict[str, Any]]:
    data = {
        "activity": A6,
        "received_date": "01-10-2026",
        "source": "UDDANNELSESRAADGIVER_CFU",
        "display_label": "IMP-A",
        "birth_year": 2002,
        "birth_month": 4,
        "area": "VOLLSMOSE",
    }
    return "register_referral", {**data, **person}


START = ("start_case", {"start_mode": "TREPARTSSAMTALE", "start_date": "05-10-2026"})
REFERRAL_ROW = "IMP-A;2002-04;;VOLLSMOSE;" + A6 + ";henvisning;01-10-2026;UDDANNELSESRAADGIVER_CFU;;;"
START_ROW = "IMP-A;;;;" + A6 + ";opstart;05-10-2026;TREPARTSSAMTALE;;;"

MISTAKES = [
    Mistake(
        "birth month in the future",
        "birth_future",
        [_referral(birth_year=2027, birth_month=6)],
        ["IMP-A;2027-06;;VOLLSMOSE;" + A6 + ";henvisning;01-10-2026;UDDANNELSESRAADGIVER_CFU;;;"],
    ),
    Mistake(
        "a birth month over 100 years ago",
        "birth_implausible",
        [_referral(birth_year=1900, birth_month=1)],
        ["IMP-A;1900-01;;VOLLSMOSE;" + A6 + ";henvisning;01-10-2026;UDDANNELSESRAADGIVER_CFU;;;"],
    ),
    Mistake(
        "a referral received before the person was born",
        "birth_after_event",
        [_referral(birth_year=2000, birth_month=5, received_date="01-01-1990")],
        ["IMP-A;2000-05;;VOLLSMOSE;" + A6 + ";henvisning;01-01-1990;UDDANNELSESRAADGIVER_CFU;;;"],
    ),
    Mistake(
        "a meeting dated 1900 on a case started in 2026",
        "before_referral",
        [_referral(), START, ("add_meeting", {"meeting_type": "SAMTALE", "date": "01-01-1900"})],
        [REFERRAL_ROW, START_ROW, "IMP-A;;;;" + A6 + ";moede;01-01-1900;SAMTALE;;;"],
    ),
    Mistake(
        "an outcome before the start",
        "before_start",
        [_referral(), START, ("add_outcome", {"outcome_type": "ORDINAERT_JOB", "date": "02-10-2026"})],
        [REFERRAL_ROW, START_ROW, "IMP-A;;;;" + A6 + ";resultat;02-10-2026;ORDINAERT_JOB;;;"],
    ),
    Mistake(
        "a held meeting in the future",
        "date_future",
        [_referral(), START, ("add_meeting", {"meeting_type": "SAMTALE", "date": "21-11-2026"})],
        [REFERRAL_ROW, START_ROW, "IMP-A;;;;" + A6 + ";moede;21-11-2026;SAMTALE;;;"],
    ),
    Mistake(
        "an outcome dated after today",
        "date_future",
        [_referral(), START, ("add_outcome", {"outcome_type": "ORDINAERT_JOB", "date": "21-11-2026"})],
        [REFERRAL_ROW, START_ROW, "IMP-A;;;;" + A6 + ";resultat;21-11-2026;ORDINAERT_JOB;;;"],
    ),
    Mistake(
        "a closure dated before the start",
        "closure_before_start",
        [
            _referral(),
            START,
            (
                "close_case",
                {
                    "date": "04-10-2026",
                    "reason": "KONTAKT_OPHOERT",
                    "status_at_closure": "UKENDT",
                    "joint_decision": True,
                },
            ),
        ],
        [REFERRAL_ROW, START_ROW, "IMP-A;;;;" + A6 + ";afslutning;04-10-2026;KONTAKT_OPHOERT;;;UKENDT"],
    ),
    Mistake(
        "a closure dated before a held meeting",
        "closure_before_meeting",
        [
            _referral(),
            START,
            ("add_meeting", {"meeting_type": "SAMTALE", "date": "20-10-2026"}),
            (
                "close_case",
                {
                    "date": "15-10-2026",
                    "reason": "KONTAKT_OPHOERT",
                    "status_at_closure": "UKENDT",
                    "joint_decision": True,
                },
            ),
        ],
        [
            REFERRAL_ROW,
            START_ROW,
            "IMP-A;;;;" + A6 + ";moede;20-10-2026;SAMTALE;;;",
            "IMP-A;;;;" + A6 + ";afslutning;15-10-2026;KONTAKT_OPHOERT;;;UKENDT",
        ],
        # the import replays by date: the closure comes first, then the meeting finds it closed
        import_code="closed",
    ),
]


def _run_service(casework: CaseworkService, mistake: Mistake) -> DomainValidationError:
    case_id: str | None = None
    *good, bad = mistake.steps
    for method, args in good:
        result = getattr(casework, method)(**({"case_id": case_id} if case_id else {}), **args)
        case_id = case_id or result.id
    with pytest.raises(DomainValidationError) as info:
        getattr(casework, bad[0])(**({"case_id": case_id} if case_id else {}), **bad[1])
    return info.value


def _sheet(rows: list[str]) -> Sheet:
    return read_csv_bytes("\r\n".join([";".join(HEADER), *rows]).encode("utf-8"))


def _rows(repos: Repositories) -> dict[str, int]:
    return {
        t: repos.db.table(t).count for t in ("person", "referral", "cases", "meeting", "outcome", "closure")
    }


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_the_forms_refuse_the_mistake(casework: CaseworkService, mistake: Mistake) -> None:
    err = _run_service(casework, mistake)
    assert mistake.code in [p.code for p in err.problems]
    (problem,) = [p for p in err.problems if p.code == mistake.code]
    assert problem.message.da != problem.message.en
    assert any(ch.isdigit() for ch in problem.message.da)  # says which date or month would be accepted


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_the_import_refuses_the_same_mistake(repos: Repositories, mistake: Mistake) -> None:
    before = _rows(repos)
    result = Importer(repos).import_sheet(_sheet(mistake.rows))
    assert not result.written
    assert (mistake.import_code or mistake.code) in [p.code for p in result.problems]
    assert _rows(repos) == before


def test_a_second_open_case_is_refused_from_the_app_and_from_the_import(
    casework: CaseworkService, repos: Repositories
) -> None:
    """Issue 9 item 5: "åse ørsted" with the right birth month is the person "Åse Ørsted"."""
    first = casework.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="01-10-2026",
        source="FOLKESKOLE",
        display_label="Åse Ørsted",
        birth_year=2011,
        birth_month=4,
        area="RISING",
    )
    with pytest.raises(DomainValidationError) as info:
        casework.register_referral(
            activity="A3_UNGERAADGIVNING",
            received_date="02-10-2026",
            source="FOLKESKOLE",
            person_id=first.person_id,
        )
    assert [p.code for p in info.value.problems] == ["duplicate_open_case"]
    row = "åse ørsted;2011-04;;RISING;A3_UNGERAADGIVNING;henvisning;02-10-2026;FOLKESKOLE;;;"
    result = Importer(repos).import_sheet(_sheet([row]))
    assert not result.written
    assert [p.code for p in result.problems] == ["duplicate_open_case"]
    assert [w.code for w in result.warnings] == ["same_person"]  # recognised as the same person


def test_the_import_registers_a_known_person_on_their_record(
    casework: CaseworkService, repos: Repositories
) -> None:
    first = casework.register_referral(
        activity="A3_UNGERAADGIVNING",
        received_date="01-10-2026",
        source="FOLKESKOLE",
        display_label="Kåre",
        birth_year=2011,
        birth_month=4,
        area="RISING",
    )
    row = "KÅRE;2011-04;;RISING;A10_FRITIDSJOB;henvisning;02-10-2026;UUO;;;"
    result = Importer(repos).import_sheet(_sheet([row]))
    assert result.written, result.problems
    assert result.counts.persons == 0
    cases = repos.cases.summaries(person_id=first.person_id)
    assert sorted(c.activity.short for c in cases) == ["A10", "A3"]


def _started(casework: CaseworkService) -> str:
    method, args = _referral()
    case_id: str = getattr(casework, method)(**args).id
    casework.start_case(case_id, start_mode="TREPARTSSAMTALE", start_date="05-10-2026")
    return case_id


def _codes(call: Any) -> list[str]:
    with pytest.raises(DomainValidationError) as info:
        call()
    return [p.code for p in info.value.problems]


def test_planned_meetings_and_follow_ups_may_lie_ahead_but_not_more_than_two_years(
    casework: CaseworkService,
) -> None:
    # today is 20-11-2026 (tests/conftest.py); the import has no planned meetings or follow-ups
    case_id = _started(casework)
    planned = casework.add_meeting(case_id, meeting_type="SAMTALE", date="19-11-2028", held=False)
    assert planned.date.isoformat() == "2028-11-19"
    before = _rows(casework.repos)
    assert "too_far_ahead" in _codes(
        lambda: casework.add_meeting(case_id, meeting_type="SAMTALE", date="20-11-2028", held=False)
    )
    assert "too_far_ahead" in _codes(lambda: casework.set_next_followup(case_id, "31-12-9999"))
    assert "followup_past" in _codes(lambda: casework.set_next_followup(case_id, "19-11-2026"))
    assert _rows(casework.repos) == before


def test_a_reopening_before_the_closure_it_reopens_is_refused(casework: CaseworkService) -> None:
    case_id = _started(casework)
    casework.close_case(
        case_id, date="30-10-2026", reason="KONTAKT_OPHOERT", status_at_closure="UKENDT", joint_decision=True
    )
    before = _rows(casework.repos)
    assert "reopening_before_closure" in _codes(
        lambda: casework.reopen_case(case_id, note="ny henvendelse", date="29-10-2026")
    )
    assert _rows(casework.repos) == before
    casework.reopen_case(case_id, note="ny henvendelse", date="30-10-2026")

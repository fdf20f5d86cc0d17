"""Codes and pydantic models: stable ASCII codes with two labels, pseudonymous people, ids, dates."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid

import pytest
from pydantic import ValidationError

from mentor_tui.codes import (
    ALL_CODE_SETS,
    CASE_ACTIVITIES,
    PLAN_AREAS,
    START_MODE_MEETING,
    Activity,
    Area,
    Code,
    MeetingType,
    ReferralReason,
    StartMode,
)
from mentor_tui.errors import DomainValidationError, from_pydantic
from mentor_tui.models import Meeting, Person, Record, Referral, Staff, deterministic_ids, new_id


@pytest.mark.parametrize("code_set", ALL_CODE_SETS, ids=lambda c: c.__name__)
def test_every_code_is_stable_ascii_with_danish_and_english_labels(code_set: type[Code]) -> None:
    """Issue 2 item 3: stable ASCII codes with Danish and English labels for every enumeration."""
    members = list(code_set)
    assert members
    values = [m.value for m in members]
    assert len(set(values)) == len(values)
    for member in members:
        assert re.fullmatch(r"[A-Z0-9_]+", member.value), member.value
        assert member.label("da").strip()
        assert member.label("en").strip()
        assert member.label.da == member.label("da")
        assert member.label.en == member.label("en")
    assert [m for _, m in code_set.choices("en")] == members
    assert [label for label, _ in code_set.choices("da")] == [m.label.da for m in members]


def test_codes_compare_and_serialise_as_their_values() -> None:
    assert StartMode.TREPARTSSAMTALE == "TREPARTSSAMTALE"
    assert StartMode("TREPARTSSAMTALE") is StartMode.TREPARTSSAMTALE
    assert Activity.A10_FRITIDSJOB.short == "A10"
    assert Activity.A3_UNGERAADGIVNING.label("en") == "Youth advice"


def test_the_case_activities_and_areas_of_the_issue() -> None:
    """Issue 2 item 3: A1, A2, A3, A6, A7, A8, A9, A10; DOMAIN.md 1.2: six areas."""
    assert [a.short for a in CASE_ACTIVITIES] == ["A1", "A2", "A3", "A6", "A7", "A8", "A9", "A10"]
    assert len(PLAN_AREAS) == 6
    assert Area.UDEN_FOR_OMRAADE not in PLAN_AREAS


def test_a_3_partssamtale_start_is_a_3_partssamtale_meeting() -> None:
    assert START_MODE_MEETING[StartMode.TREPARTSSAMTALE] is MeetingType.TREPARTSSAMTALE
    assert StartMode.BSH_KONTAKTER_BEBOER not in START_MODE_MEETING


def test_person_is_pseudonymous() -> None:
    """DOMAIN.md 5.3: a staff-only label and birth year+month; no name, address or CPR fields."""
    fields = set(Person.model_fields)
    assert fields >= {"display_label", "birth_year", "birth_month", "gender", "area"}
    forbidden = re.compile(r"name|cpr|address|adresse|phone|telefon|email|birth_date|birthday", re.I)
    assert not [f for f in fields if forbidden.search(f)]
    # unknown fields (say a CPR number in an import) are dropped, never stored
    person = Person.model_validate(
        {"display_label": "X", "birth_year": 2000, "birth_month": 1, "area": "RISING", "cpr": "010100-1234"}
    )
    assert "cpr" not in person.model_dump()


def test_ids_are_random_uuid4_and_distinct() -> None:
    ids = {Staff(initials="AB", team="TEAM_UDD_KRIM").id for _ in range(100)}
    assert len(ids) == 100
    assert all(uuid.UUID(i).version == 4 for i in ids)


def test_deterministic_ids_repeat_with_the_same_seed_and_end_with_the_block() -> None:
    with deterministic_ids(random.Random(7)):
        first = [new_id() for _ in range(3)]
    with deterministic_ids(random.Random(7)):
        second = [Record().id for _ in range(3)]
    assert first == second
    assert all(uuid.UUID(i).version == 4 for i in first)
    assert new_id() not in first  # random again outside the block


def test_stamps_start_empty_for_the_repository_to_fill() -> None:
    record = Staff(initials="AB", team="TEAM_UDD_KRIM")
    assert (record.created_at, record.updated_at, record.device_id) == ("", "", "")


@pytest.mark.parametrize("text", ["24-12-2026", "24.12.2026", "24/12/2026", "2026-12-24", " 24-12-2026 "])
def test_dates_accept_danish_and_iso_text(text: str) -> None:
    referral = Referral(person_id="p", activity="A6_FREMSKUDT_UDD_BESK", received_date=text, source="UUO")
    assert referral.received_date == dt.date(2026, 12, 24)


def test_model_errors_become_bilingual_problems_per_field() -> None:
    with pytest.raises(ValidationError) as info:
        Person(display_label="", birth_year=1800, birth_month=13, area="NOWHERE")
    err = from_pydantic(info.value)
    assert isinstance(err, DomainValidationError)
    by_field = {p.field: p for p in err.problems}
    assert set(by_field) == {"display_label", "birth_year", "birth_month", "area"}
    assert by_field["birth_year"].message.da == "Fødselsår skal være mindst 1900"
    assert by_field["birth_year"].message.en == "Birth year must be at least 1900"
    assert by_field["birth_month"].message.en == "Birth month must be at most 12"
    assert by_field["display_label"].message.da == "Kaldenavn/initialer skal udfyldes"
    assert by_field["area"].message.en == "Area is not an allowed value"


def test_our_own_date_messages_are_split_into_the_two_languages() -> None:
    with pytest.raises(ValidationError) as info:
        Meeting(case_id="c", meeting_type="SAMTALE", date="30-02-2026")
    (problem,) = from_pydantic(info.value).problems
    assert problem.field == "date"
    assert problem.message.da == "Dato «30-02-2026» findes ikke i kalenderen"
    assert problem.message.en == "Date “30-02-2026” is not a calendar date"


def test_labels_are_trimmed_and_limited() -> None:
    person = Person(display_label="  Demo 001 AK  ", birth_year=2000, birth_month=1, area=Area.RISING)
    assert person.display_label == "Demo 001 AK"
    with pytest.raises(ValidationError):
        Person(display_label="x" * 41, birth_year=2000, birth_month=1, area=Area.RISING)


def test_lists_are_read_back_from_json_text() -> None:
    referral = Referral.model_validate(
        {
            "person_id": "p",
            "activity": "A3_UNGERAADGIVNING",
            "received_date": "2026-11-01",
            "source": "FOLKESKOLE",
            "reasons": '["HOEJT_FRAVAER", "MISTRIVSEL"]',
        }
    )
    assert referral.reasons == [ReferralReason.HOEJT_FRAVAER, ReferralReason.MISTRIVSEL]
    assert Referral.model_validate({**referral.model_dump(), "reasons": ""}).reasons == []


def test_a_missing_code_is_reported_as_required_not_as_invalid() -> None:
    """A code field left empty says "skal udfyldes", a wrong code says "er ikke en gyldig værdi"."""
    from mentor_tui.errors import DomainValidationError
    from mentor_tui.services.casework.service import build

    with pytest.raises(DomainValidationError) as caught:
        build(Referral, person_id="p", activity=None, received_date="2026-01-01", source="FOO")
    by_field = {p.field: p for p in caught.value.problems}
    assert by_field["activity"].message.da == "Aktivitet skal udfyldes"
    assert by_field["activity"].message.en == "Activity is required"
    assert by_field["source"].message.en == "Referral source is not an allowed value"

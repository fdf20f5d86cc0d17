"""One person, one record (issue 9 items 5-6): labels compared by label key, æøå in both cases."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from mentor_tui.errors import DomainValidationError
from mentor_tui.models import Case, label_key
from mentor_tui.services.casework.service import CaseworkService


def _refer(casework: CaseworkService, label: str, *, year: int = 2001, month: int = 4, **extra: Any) -> Case:
    return casework.register_referral(
        activity=extra.pop("activity", "A6_FREMSKUDT_UDD_BESK"),
        received_date="01-10-2026",
        source="UUO",
        display_label=label,
        birth_year=year,
        birth_month=month,
        area="VOLLSMOSE",
        **extra,
    )


@pytest.fixture
def people(casework: CaseworkService) -> CaseworkService:
    _refer(casework, "Åse Ørsted")
    _refer(casework, "Kåre", year=1990)
    return casework


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("åse", "Åse Ørsted"),
        ("ÅSE", "Åse Ørsted"),
        ("ørsted", "Åse Ørsted"),
        ("KÅRE", "Kåre"),
        ("kåre", "Kåre"),
        (unicodedata.normalize("NFD", "kåre"), "Kåre"),  # å typed as a + combining ring
        ("åse  ørsted", "Åse Ørsted"),  # two spaces
    ],
)
def test_search_treats_aeoeaa_like_every_letter(people: CaseworkService, typed: str, found: str) -> None:
    assert [m.person.display_label for m in people.find_persons(typed)] == [found]
    assert [s.display_label for s in people.repos.cases.summaries(label_like=typed)] == [found]


def test_a_new_person_matching_label_and_birth_month_is_asked_about(people: CaseworkService) -> None:
    """ "åse ørsted" with the right birth month was a second person with a second case (issue 9)."""
    with pytest.raises(DomainValidationError) as info:
        _refer(people, "åse ørsted", activity="A9_BESKAEFTIGELSESRAADGIVNING")
    assert [p.code for p in info.value.problems] == ["possible_duplicate_person"]
    assert "findes allerede" in info.value.text("da")
    (match,) = people.same_persons("ÅSE ØRSTED", 2001, 4)
    assert match.person.display_label == "Åse Ørsted"
    assert [c.activity.short for c in match.open_cases] == ["A6"]
    # a different birth month is a different person; confirmed, a namesake is created
    _refer(people, "åse ørsted", month=5)
    namesake = _refer(
        people, "Åse Ørsted", activity="A9_BESKAEFTIGELSESRAADGIVNING", new_person_confirmed=True
    )
    assert len(people.find_persons("åse ørsted")) == 3
    assert namesake.person_id != match.person.id


def test_a_second_open_case_for_the_same_person_and_activity_is_refused(people: CaseworkService) -> None:
    (match,) = people.same_persons("åse ørsted", 2001, 4)
    with pytest.raises(DomainValidationError) as info:
        people.register_referral(
            activity="A6_FREMSKUDT_UDD_BESK",
            received_date="02-10-2026",
            source="UUO",
            person_id=match.person.id,
        )
    assert [p.code for p in info.value.problems] == ["duplicate_open_case"]
    # even writing it directly is refused by the database (a trigger)
    with pytest.raises(Exception, match="duplicate_open_case"):
        people.repos.cases.add(
            Case(person_id=match.person.id, activity="A6_FREMSKUDT_UDD_BESK", area="VOLLSMOSE")
        )


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Åse Ø\t2001-04\tVollsmose", "label_tab"),
        ("Åse\nØrsted", "label_newline"),
        ("x" * 41, "label_too_long"),
    ],
)
def test_tabs_line_breaks_and_long_labels_are_refused_not_stored(
    casework: CaseworkService, label: str, code: str
) -> None:
    with pytest.raises(DomainValidationError) as info:
        _refer(casework, label)
    assert [p.code for p in info.value.problems] == [code]
    assert casework.repos.persons.count() == 0


def test_a_label_of_exactly_forty_characters_is_kept_whole(casework: CaseworkService) -> None:
    case = _refer(casework, "y" * 40)
    assert casework.repos.persons.get(case.person_id).display_label == "y" * 40


def test_label_key() -> None:
    assert label_key("  Åse   ØRSTED ") == label_key("åse ørsted") == "åse ørsted"

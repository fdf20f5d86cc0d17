"""Pure helpers behind the casework forms (issue 3): type-to-pick ranking, typed dates, defaults."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mentor_tui.codes import CASE_ACTIVITIES, Activity, Area, ReferralSource, StartMode
from mentor_tui.dates import parse_user_date
from mentor_tui.errors import InputError
from mentor_tui.widgets.code_picker import fold, rank_matches

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "options", "best"),
    [
        ("vol", Area.choices(), Area.VOLLSMOSE),
        ("hoej", Area.choices(), Area.HOEJEMARKSVEJ),  # æøå may be typed as ae/oe/aa
        ("høj", Area.choices(), Area.HOEJEMARKSVEJ),
        ("skjold", Area.choices(), Area.STADIONVEJ_SKJOLDSPARKEN),  # a later word of the label
        ("a6", [(a.label(), a) for a in CASE_ACTIVITIES], Activity.A6_FREMSKUDT_UDD_BESK),
        ("a1", [(a.label(), a) for a in CASE_ACTIVITIES], Activity.A1_FREMSKUDT_TRIVSEL),  # not A10
        ("a10", [(a.label(), a) for a in CASE_ACTIVITIES], Activity.A10_FRITIDSJOB),
        ("udd", ReferralSource.choices(), ReferralSource.UDDANNELSESRAADGIVER_CFU),
        ("cfu", ReferralSource.choices(), ReferralSource.UDDANNELSESRAADGIVER_CFU),
        ("3", StartMode.choices(), StartMode.TREPARTSSAMTALE),
    ],
)
def test_best_match_for_a_few_typed_letters(
    typed: str, options: list[tuple[str, object]], best: object
) -> None:
    assert rank_matches(typed, options)[0] is best  # type: ignore[type-var]


def test_nothing_matches_nonsense() -> None:
    assert rank_matches("zz", Area.choices()) == []


def test_fold_spells_danish_letters_out() -> None:
    assert fold("Højemarksvej Ærø Åbo") == "hoejemarksvej aeroe aabo"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24-12-2026", dt.date(2026, 12, 24)),
        ("24.12.2026", dt.date(2026, 12, 24)),
        ("2026-12-24", dt.date(2026, 12, 24)),
        ("+14", dt.date(2026, 12, 4)),
        ("+2u", dt.date(2026, 12, 4)),
        ("+2w", dt.date(2026, 12, 4)),
        ("+0", TODAY),
    ],
)
def test_typed_dates(typed: str, expected: dt.date) -> None:
    assert parse_user_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["31-02-2026", "2026-13-01", "i morgen", "+x", ""])
def test_not_dates(typed: str) -> None:
    with pytest.raises(InputError) as info:
        parse_user_date(typed, TODAY)
    assert re.search("dato|kalender", info.value.message.da)

"""The one bilingual text type, and typed parser errors that carry it (issue 8)."""

from __future__ import annotations

import pytest

from mentor_tui.errors import DomainValidationError, InputError, MentorError
from mentor_tui.i18n import Bilingual, set_language
from mentor_tui.services.casework.service import CaseworkService


def test_format_substitutes_each_language() -> None:
    msg = Bilingual("{what} er gemt", "{what} saved").format(what=Bilingual("Mødet", "The meeting"))
    assert msg.text("da") == "Mødet er gemt"
    assert msg.text("en") == "The meeting saved"


def test_text_follows_the_current_language() -> None:
    msg = Bilingual("ja", "yes")
    set_language("en")
    try:
        assert msg.text() == "yes"
        assert str(MentorError(msg)) == "yes"
    finally:
        set_language("da")
    assert msg.text() == "ja"


def test_join_uses_the_separator_in_both_languages() -> None:
    parts = [Bilingual("a", "A"), Bilingual("b", "B")]
    assert Bilingual.join(Bilingual(" og ", " and "), parts) == Bilingual("a og b", "A and B")


def test_date_parser_raises_a_typed_error() -> None:
    from mentor_tui.dates import parse_date

    with pytest.raises(InputError) as info:
        parse_date("12 / 05 / 2026")
    assert "12 / 05 / 2026" in info.value.message.da
    assert "dd-mm-åååå" in info.value.message.da
    assert "dd-mm-yyyy" in info.value.message.en


def test_slashes_in_a_typed_date_do_not_split_the_message(casework: CaseworkService) -> None:
    """Regression (issue 8): "12 / 05 / 2026" put «12 in Danish and the rest in English."""
    with pytest.raises(DomainValidationError) as info:
        casework.register_referral(
            activity="A6_FREMSKUDT_UDD_BESK",
            received_date="12 / 05 / 2026",
            source="EGEN_HENVENDELSE",
            display_label="Testperson",
            birth_year=2000,
            birth_month=1,
            area="VOLLSMOSE",
        )
    [problem] = info.value.for_field("received_date")
    assert problem.message.da == "Modtaget dato «12 / 05 / 2026» er ikke en dato; skriv dd-mm-åååå"
    assert problem.message.en == "Date received “12 / 05 / 2026” is not a date; type dd-mm-yyyy"


def test_a_code_label_is_bilingual_and_still_reads_as_a_call() -> None:
    from mentor_tui.codes import Activity

    label = Activity.A3_UNGERAADGIVNING.label
    assert isinstance(label, Bilingual)
    assert label("da") == label.da == "Ungerådgivning"
    assert label("en") == label.en
    sentence = Bilingual("{a} er valgt", "{a} is chosen").format(a=label)
    assert sentence.text("da") == "Ungerådgivning er valgt"
    assert sentence.text("en") == f"{label.en} is chosen"


def test_a_catalog_entry_comes_out_bilingual() -> None:
    from mentor_tui.i18n import Catalog

    texts = Catalog({"saved": ("{n} gemt", "{n} saved")})
    assert texts.bilingual("saved", n=2) == Bilingual("2 gemt", "2 saved")
    assert texts("saved", "en", n=2) == "2 saved"
    set_language("en")
    try:
        assert texts("saved", n=3) == "3 saved"
    finally:
        set_language("da")


def test_problems_and_timeline_entries_carry_one_bilingual_message(casework: CaseworkService) -> None:
    case = casework.register_referral(
        activity="A6_FREMSKUDT_UDD_BESK",
        received_date="01-10-2026",
        source="EGEN_HENVENDELSE",
        display_label="Testperson",
        birth_year=2000,
        birth_month=1,
        area="VOLLSMOSE",
    )
    from mentor_tui.codes import Activity, ReferralSource

    [entry] = casework.timeline(case.id)
    source, activity = ReferralSource.EGEN_HENVENDELSE.label, Activity.A6_FREMSKUDT_UDD_BESK.label
    assert entry.message == Bilingual(
        f"Henvisning fra {source.da} til {activity.da}", f"Referral from {source.en} to {activity.en}"
    )
    with pytest.raises(DomainValidationError) as info:
        casework.add_outcome(case.id, outcome_type="NO_SUCH_OUTCOME", date="01-10-2026")
    not_started, bad_code = info.value.problems
    assert not_started.text("da") == "Forløbet er ikke startet; start det før du registrerer resultater"
    assert not_started.text("en") == "The case has not started; start it before recording outcomes"
    assert bad_code.text("en") == "Outcome is not an allowed value"
    assert info.value.message == Bilingual.join("; ", [not_started.message, bad_code.message])

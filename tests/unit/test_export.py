"""What the export counts (issues 4 and 7), on real SQLite files built through CaseworkService.

Today is Friday 2026-11-20 (ISO week 47, not ended: counted with ``allow_incomplete`` up to
today). Internal exports are used where exact numbers matter; disclosure control has its own tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mentor_tui.codes import Activity
from mentor_tui.errors import MentorError
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts.export import ExportResult, compute_export
from mentor_tui.services.counts.metrics import METRICS, active_during
from mentor_tui.services.counts.periods import iso_week, parse_period, project_year
from mentor_tui.services.counts.tables import table_specs
from mentor_tui.storage.repositories import Repositories

W47 = iso_week(2026, 47)
PY3 = project_year(3)


def exact(repos: Repositories, period_code: str) -> ExportResult:
    return compute_export(repos, parse_period(period_code), internal=True, allow_incomplete=True)


def person_case(
    s: CaseworkService,
    activity: str,
    *,
    born: tuple[int, int],
    area: str = "VOLLSMOSE",
    received: str = "2026-09-01",
    start: str | None = "2026-09-02",
    start_mode: str = "RAADGIVNINGSSAMTALE",
    person_id: str | None = None,
    label: str = "Testperson",
) -> str:
    who = (
        {"person_id": person_id}
        if person_id
        else {"display_label": label, "birth_year": born[0], "birth_month": born[1], "area": area}
    )
    case = s.register_referral(activity=activity, received_date=received, source="JOBRAADGIVER", **who)
    if start is not None:
        s.start_case(case.id, start_mode=start_mode, start_date=start)
    return case.id


def test_seeded_week_counts(seeded: CaseworkService) -> None:
    result = exact(seeded.repos, "2026-W47")
    # Dana R: A8, Ejerslykke, born 1990-12, referred 2026-11-16 (aged 35 that day)
    assert result.cell("REFERRALS").value == 1
    assert result.cell("REFERRALS", "A8_MENTOR_JOBPARAT", "EJERSLYKKE").value == 1
    assert result.cell("REFERRALS", "A8_MENTOR_JOBPARAT", "VOLLSMOSE").value == 0
    assert result.cell("REFERRALS", age_band="30_64").value == 1
    assert result.cell("REFERRALS", age_band="18_29").value == 0
    assert result.cell("REFERRALS", "A8_MENTOR_JOBPARAT", breakdown="EGEN_HENVENDELSE").value == 1
    assert result.cell("REFERRALS", breakdown="EGEN_HENVENDELSE").value == 1
    # Amal, Bo, Cem and Fatima are active; Emil closed in October; Dana never started
    assert result.cell("CASES_ACTIVE").value == 4
    assert result.cell("CASES_ACTIVE", "A10_FRITIDSJOB").value == 0
    assert result.cell("MEETINGS").value == 0
    assert result.period == W47
    assert not result.complete
    assert result.window.end == dt.date(2026, 11, 20)


def test_seeded_project_year_counts(seeded: CaseworkService) -> None:
    result = exact(seeded.repos, "PY3")
    assert result.cell("REFERRALS").value == 2  # Amal 01-10 and Dana 16-11
    assert result.cell("CASES_STARTED", breakdown="TREPARTSSAMTALE").value == 1
    # Amal's 3-partssamtale is the start meeting, counted on the start date
    assert result.cell("MEETINGS", "A6_FREMSKUDT_UDD_BESK", breakdown="TREPARTSSAMTALE").value == 1
    assert result.cell("MEETINGS", breakdown="OPFOELGNING_FLERPART").value == 1  # Bo, 20-10
    assert result.cell("CASES_CLOSED", area="STADIONVEJ_SKJOLDSPARKEN").value == 1
    assert result.cell("CASES_CLOSED", "A10_FRITIDSJOB", breakdown="MAAL_NAAET_BEHOV_OPFYLDT").value == 1
    assert result.cell("OUTCOMES", breakdown="FRITIDSJOB").value == 1
    # Emil got a leisure job aged 16, in Stadionvej/Skjoldsparken
    assert result.cell("E5").value == 1
    assert result.cell("E5", area="STADIONVEJ_SKJOLDSPARKEN").value == 1
    assert result.cell("E5", age_band="13_17").value == 1
    assert [c.kind for c in result.columns] == ["period", "ytd", "year_earlier"]
    assert result.cell("E5", column="ytd").value == 1


def test_the_documented_tables_exist(seeded: CaseworkService) -> None:
    """docs/export.md: per metric one table per dimension and the two-way tables; no four-way cross."""
    result = exact(seeded.repos, "PY3")
    ids = [t.spec.id for t in result.tables]
    assert ids[0] == "SUMMARY"
    assert ids[1:] == [s.id for s in table_specs()]
    assert "REFERRALS.activity.breakdown" in ids
    assert "REFERRALS.activity.area" in ids
    assert "E1.age_band" not in ids  # E1 is defined by its age band
    assert "E5.age_band" in ids
    for table in result.tables[1:]:
        assert table.spec.metric is not None
        sizes = [len(table.spec.metric.codes(d)) + 1 for d in table.spec.dims]
        assert len(table.cells) == (sizes[0] if len(sizes) == 1 else sizes[0] * sizes[1])
        assert len({c.key for c in table.cells}) == len(table.cells)
        assert table.cells[-1].key.coords == ("ALL", "ALL", "ALL", "ALL")  # the total last
    assert result.cell("REFERRALS", area="RISING").value == 0
    assert result.cell("REFERRALS", "A6_FREMSKUDT_UDD_BESK", breakdown="UDDANNELSESRAADGIVER_CFU").value == 1
    with pytest.raises(KeyError):
        result.cell("REFERRALS", "A6_FREMSKUDT_UDD_BESK", "VOLLSMOSE", breakdown="UDDANNELSESRAADGIVER_CFU")
    assert len(result.unique_cells()) < 2000


def test_age_is_taken_on_the_outcome_date_with_birthday_on_the_first(casework: CaseworkService) -> None:
    # born November 1996: 29 until 31-10-2026, 30 from 01-11-2026
    a = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(1996, 11))
    casework.add_outcome(a, outcome_type="UDDANNELSE_STARTET", date="2026-10-31")
    b = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(1996, 11), label="Anden")
    casework.add_outcome(b, outcome_type="ORDINAERT_JOB", date="2026-11-01")
    result = exact(casework.repos, "PY3")
    assert result.cell("E1").value == 1
    assert result.cell("E3").value == 1
    assert result.cell("E1", "A9_BESKAEFTIGELSESRAADGIVNING").value == 1
    assert result.cell("E2").value == result.cell("E4").value == 0


def test_distinct_persons_count_once_but_in_each_activity(casework: CaseworkService) -> None:
    a = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(2000, 1))
    person_id = casework.repos.cases.get(a).person_id
    b = person_case(
        casework,
        "A8_MENTOR_JOBPARAT",
        born=(2000, 1),
        person_id=person_id,
        start_mode="BSH_KONTAKTER_BEBOER",
    )
    casework.add_outcome(a, outcome_type="UDDANNELSE_STARTET", date="2026-10-10")
    casework.add_outcome(a, outcome_type="ORDINAERT_JOB", date="2026-10-20")
    casework.add_outcome(b, outcome_type="ORDINAERT_JOB", date="2026-11-02")
    casework.add_outcome(b, outcome_type="LOENTILSKUD", date="2026-11-03")
    result = exact(casework.repos, "PY3")
    assert result.cell("E1").value == 1  # one person, three qualifying outcomes
    assert result.cell("E1", "A9_BESKAEFTIGELSESRAADGIVNING").value == 1
    assert result.cell("E1", "A8_MENTOR_JOBPARAT").value == 1  # parts add up to more than the total
    assert result.cell("E2").value == 1  # the same person also counts in E2
    assert result.cell("OUTCOMES").value == 4  # events, not persons


def test_reopened_cases_are_active_again(casework: CaseworkService) -> None:
    case = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(1980, 5), start="2026-09-01")
    casework.close_case(case, date="2026-09-15", reason="KONTAKT_OPHOERT")
    casework.reopen_case(case, note="Kom tilbage", date="2026-11-17")
    casework.close_case(case, date="2026-11-18", reason="MAAL_NAAET_BEHOV_OPFYLDT")
    repos = casework.repos
    assert exact(repos, "2026-W36").cell("CASES_ACTIVE").value == 1  # started 01-09 (Tuesday)
    assert exact(repos, "2026-W38").cell("CASES_ACTIVE").value == 1  # closed Tuesday 15-09
    assert exact(repos, "2026-W40").cell("CASES_ACTIVE").value == 0  # closed, not yet reopened
    assert exact(repos, "2026-W47").cell("CASES_ACTIVE").value == 1  # reopened 17-11, closed 18-11
    assert exact(repos, "2026-W47").cell("CASES_CLOSED").value == 1
    assert exact(repos, "PY3").cell("CASES_CLOSED").value == 1
    assert exact(repos, "PY2").cell("CASES_CLOSED").value == 1


@pytest.mark.parametrize(
    ("events", "first", "last", "active"),
    [
        ([], "2026-01-05", "2026-01-11", True),
        ([("2026-01-02", True)], "2026-01-05", "2026-01-11", False),
        ([("2026-01-05", True)], "2026-01-05", "2026-01-11", True),  # closed on the first day
        ([("2026-01-02", True), ("2026-01-09", False)], "2026-01-05", "2026-01-11", True),
        ([("2026-01-02", True), ("2026-01-12", False)], "2026-01-05", "2026-01-11", False),
        # closed and reopened while only referred, before the start: ignored
        ([("2025-12-20", True), ("2025-12-22", False)], "2026-01-05", "2026-01-11", True),
    ],
)
def test_active_during(events: list[tuple[str, bool]], first: str, last: str, active: bool) -> None:
    history = [(dt.date.fromisoformat(d), c) for d, c in events]
    start = dt.date(2026, 1, 1)
    assert active_during(start, history, dt.date.fromisoformat(first), dt.date.fromisoformat(last)) is active


def test_only_held_meetings_count(casework: CaseworkService) -> None:
    case = person_case(
        casework, "A6_FREMSKUDT_UDD_BESK", born=(2001, 3), start="2026-11-16", start_mode="TREPARTSSAMTALE"
    )
    casework.add_meeting(case, meeting_type="SAMTALE", date="2026-11-18")
    casework.add_meeting(case, meeting_type="SAMTALE", date="2026-11-22", held=False)
    result = exact(casework.repos, "2026-W47")
    assert result.cell("MEETINGS").value == 2
    assert result.cell("MEETINGS", breakdown="TREPARTSSAMTALE").value == 1
    assert result.cell("MEETINGS", breakdown="SAMTALE").value == 1
    assert result.cell("CASES_STARTED", "A6_FREMSKUDT_UDD_BESK", breakdown="TREPARTSSAMTALE").value == 1


def test_weekly_export_carries_project_year_to_date_figures(casework: CaseworkService) -> None:
    a = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(2000, 1))
    casework.add_outcome(a, outcome_type="ORDINAERT_JOB", date="2026-10-06")  # week 41
    b = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(2001, 1), label="B")
    casework.add_outcome(b, outcome_type="ORDINAERT_JOB", date="2026-11-17")  # week 47
    casework.add_outcome(a, outcome_type="UDDANNELSE_STARTET", date="2026-11-18")  # week 47 again
    result = exact(casework.repos, "2026-W47")
    assert result.cell("E1").value == 2
    ytd = result.column("ytd").period
    assert (ytd.start, ytd.end) == (dt.date(2026, 10, 1), dt.date(2026, 11, 20))
    assert result.cell("E1", column="ytd").value == 2  # not 3: person a counts once in the year
    assert result.cell("OUTCOMES", column="ytd").value == 3
    assert result.cell("REFERRALS", column="ytd").value == 0  # referred 01-09, in PY2
    earlier = result.column("year_earlier").period
    assert (earlier.start, earlier.end) == (dt.date(2025, 11, 17), dt.date(2025, 11, 21))  # as many days


def test_voided_rows_never_count(casework: CaseworkService) -> None:
    kept = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(2000, 1))
    gone = person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(2000, 2), label="Fejl")
    casework.add_outcome(kept, outcome_type="ORDINAERT_JOB", date="2026-10-06")
    casework.add_outcome(gone, outcome_type="ORDINAERT_JOB", date="2026-10-06")
    casework.add_outcome(kept, outcome_type="PRAKTIKPLADS", date="2026-10-07")
    db = casework.repos.db
    db.execute("UPDATE cases SET deleted_at = '2026-10-08T10:00:00' WHERE id = ?", [gone])
    db.execute("UPDATE outcome SET deleted_at = '2026-10-08T10:00:00' WHERE outcome_type = 'PRAKTIKPLADS'")
    db.conn.commit()
    result = exact(casework.repos, "PY3")
    assert result.cell("E1").value == 1
    assert result.cell("E2").value == 0
    assert result.cell("OUTCOMES").value == 1
    assert result.cell("CASES_ACTIVE").value == 1
    py2 = exact(casework.repos, "PY2")
    assert py2.cell("REFERRALS").value == 1  # the voided case's referral went with it
    assert py2.cell("CASES_STARTED").value == 1


def test_a_period_that_has_not_ended_is_refused(seeded: CaseworkService) -> None:
    with pytest.raises(MentorError) as info:
        compute_export(seeded.repos, W47)
    assert "--allow-incomplete" in info.value.text("en")
    with pytest.raises(MentorError, match="not begun"):
        compute_export(seeded.repos, parse_period("2027-W30"), allow_incomplete=True)
    done = compute_export(seeded.repos, parse_period("2026-W46"))
    assert done.complete


def test_an_incomplete_period_counts_only_up_to_today(casework: CaseworkService) -> None:
    """2027-W30 must not count every open case as active: nothing after today is known."""
    person_case(casework, "A9_BESKAEFTIGELSESRAADGIVNING", born=(1980, 1), start="2026-11-10")
    result = exact(casework.repos, "PY3-Q1")
    assert not result.complete
    assert result.window.end == dt.date(2026, 11, 20)
    assert result.cell("CASES_ACTIVE").value == 1
    assert result.column("year_earlier").period.end == dt.date(2025, 11, 20)


def test_small_counts_are_suppressed_by_default(seeded: CaseworkService) -> None:
    result = compute_export(seeded.repos, W47, allow_incomplete=True)
    assert not result.internal
    assert result.threshold == 5
    cell = result.cell("REFERRALS")
    assert cell.suppressed
    assert cell.value is None
    assert result.cell("CASES_ACTIVE").suppressed  # 4 < 5
    zero = result.cell("MEETINGS")
    assert (zero.value, zero.suppressed) == (0, False)


def test_threshold_below_three_is_refused(seeded: CaseworkService) -> None:
    with pytest.raises(MentorError) as info:
        compute_export(seeded.repos, W47, threshold=2)
    assert "3" in info.value.text("en")


def test_progress_is_reported_step_by_step(seeded: CaseworkService) -> None:
    steps: list[tuple[int, int]] = []
    compute_export(
        seeded.repos, W47, allow_incomplete=True, progress=lambda done, total: steps.append((done, total))
    )
    total = steps[0][1]
    assert steps == [(i, total) for i in range(1, total + 1)]
    assert total == len(METRICS) + 1  # each metric, then disclosure control


def test_rows_outside_the_code_lists_are_left_out_of_totals_too(seeded: CaseworkService) -> None:
    # a referral to a group activity (not a case activity) stored by some other route: it has
    # no activity cell, so it must not hide in the ALL total either (the total would reveal it)
    from mentor_tui.models import Referral

    repos = seeded.repos
    person_id = next(c.person_id for c in repos.cases.all() if c.activity is Activity.A8_MENTOR_JOBPARAT)
    repos.referrals.add(
        Referral(person_id=person_id, activity="A4_BYDELSLOEFTER_K", received_date="2026-11-17", source="UUO")
    )
    result = exact(repos, "2026-W47")
    (table,) = [t for t in result.tables if t.spec.id == "REFERRALS.activity"]
    by_activity = [c.value or 0 for c in table.cells if c.key.activity != "ALL"]
    assert result.cell("REFERRALS").value == sum(by_activity) == 1  # only Dana's A8 referral

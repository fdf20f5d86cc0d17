"""Counts follow corrections (issue 9 item 8): a voided record leaves every count; earlier export
records keep their SHA-256 (they describe the file as it was published)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts.dashboard import exact_figures
from mentor_tui.services.counts.export import compute_export, save_export
from mentor_tui.services.counts.periods import parse_period


def _closed(casework: CaseworkService, period: str) -> int | None:
    result = compute_export(casework.repos, parse_period(period), internal=True, allow_incomplete=True)
    return result.cell("CASES_CLOSED").value


def test_a_voided_closure_leaves_cases_closed_and_earlier_exports_keep_their_hash(
    seeded: CaseworkService, tmp_path: Path
) -> None:
    casework = seeded
    period = parse_period("PY3")
    emil = next(s for s in casework.repos.cases.summaries() if s.display_label == "Emil S")
    assert _closed(casework, "PY3") == 1
    assert exact_figures(casework.repos, period)["CASES_CLOSED"] == 1
    published = save_export(
        casework.repos,
        compute_export(casework.repos, parse_period("2026-W44"), internal=True),
        "csv",
        tmp_path / "w44.csv",
    )
    assert published.file_sha256 == hashlib.sha256((tmp_path / "w44.csv").read_bytes()).hexdigest()

    closure = next(e for e in casework.timeline(emil.id) if e.kind == "closure")
    casework.corrections.void(emil.id, closure, "lukket ved en fejl")

    assert _closed(casework, "PY3") == 0
    assert exact_figures(casework.repos, period)["CASES_CLOSED"] == 0
    assert casework.repos.cases.get(emil.id).status.value == "AKTIV"
    # the export recorded before the correction is kept as it was published
    (run,) = casework.repos.export_runs.all()
    assert run.file_sha256 == published.file_sha256
    again = compute_export(casework.repos, parse_period("2026-W44"), internal=True)
    assert again.cell("CASES_CLOSED").value == 0


def test_a_voided_case_leaves_every_count_and_my_cases_on_the_dashboard(seeded: CaseworkService) -> None:
    casework = seeded
    me = casework.ensure_local_staff("TS")
    amal = next(s for s in casework.repos.cases.summaries() if s.display_label == "Amal K")
    casework.corrections.hand_over(amal.id, me.id)
    period = parse_period("PY3")
    assert exact_figures(casework.repos, period, staff_id=me.id)["REFERRALS"] == 1
    before = compute_export(casework.repos, period, internal=True, allow_incomplete=True)
    referral = next(e for e in casework.timeline(amal.id) if e.kind == "referral")
    casework.corrections.void(amal.id, referral, "registreret to gange")
    after = compute_export(casework.repos, period, internal=True, allow_incomplete=True)
    for metric in ("REFERRALS", "CASES_STARTED", "MEETINGS", "CASES_ACTIVE"):
        assert after.cell(metric).value == (before.cell(metric).value or 0) - 1, metric
    assert exact_figures(casework.repos, period, staff_id=me.id) == dict.fromkeys(
        exact_figures(casework.repos, period, staff_id=me.id), 0
    )


def test_a_voided_meeting_or_outcome_leaves_its_count_in_the_export_and_on_the_dashboard(
    seeded: CaseworkService,
) -> None:
    casework = seeded
    period = parse_period("PY3")
    cases = {s.display_label: s for s in casework.repos.cases.summaries()}
    before = compute_export(casework.repos, period, internal=True, allow_incomplete=True)
    team_before = exact_figures(casework.repos, period)

    meeting = next(e for e in casework.timeline(cases["Bo T"].id) if e.kind == "meeting")
    casework.corrections.void(cases["Bo T"].id, meeting, "dobbelt registreret")
    outcome = next(e for e in casework.timeline(cases["Emil S"].id) if e.kind == "outcome")
    casework.corrections.void(cases["Emil S"].id, outcome, "forkert forløb")

    after = compute_export(casework.repos, period, internal=True, allow_incomplete=True)
    assert after.cell("MEETINGS").value == (before.cell("MEETINGS").value or 0) - 1
    assert after.cell("OUTCOMES").value == (before.cell("OUTCOMES").value or 0) - 1
    # the voided entries stay in the case history, marked as voided
    assert any(e.kind == "meeting" and e.voided for e in casework.timeline(cases["Bo T"].id))
    team_after = exact_figures(casework.repos, period)
    assert team_after["CASES_ACTIVE"] == team_before["CASES_ACTIVE"]

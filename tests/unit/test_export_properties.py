"""Property tests over random databases (issues 4 and 7): nothing identifying in any export, and
no hidden cell can be worked out from what is published in the file's tables.

Each example builds a fresh SQLite file through CaseworkService (invalid random steps are simply
skipped, as the service refuses them), exports one period exactly and with suppression, and
checks both. Examples are few and small so the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentor_tui.clock import FixedClock
from mentor_tui.codes import CASE_ACTIVITIES, Area, ClosureReason, MeetingType, OutcomeType, ReferralSource
from mentor_tui.errors import DomainValidationError
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts import disclosure, protection
from mentor_tui.services.counts.export import ExportFormat, ExportResult, compute_export, render_export
from mentor_tui.services.counts.periods import parse_period
from mentor_tui.services.counts.tables import relations
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW

TODAY = FROZEN_NOW.date()
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")

case_specs = st.fixed_dictionaries(
    {
        "activity": st.sampled_from(CASE_ACTIVITIES),
        "born": st.tuples(st.integers(1955, 2012), st.integers(1, 12)),
        "area": st.sampled_from(list(Area)),
        "source": st.sampled_from(list(ReferralSource)),
        "received": st.integers(0, 130),
        "start": st.none() | st.integers(0, 15),
        "mode": st.integers(0, 5),
        "meetings": st.lists(st.tuples(st.sampled_from(list(MeetingType)), st.integers(0, 50)), max_size=3),
        "outcomes": st.lists(st.tuples(st.sampled_from(list(OutcomeType)), st.integers(0, 50)), max_size=2),
        "close": st.none() | st.integers(0, 60),
        "reason": st.sampled_from(list(ClosureReason)),
        "reopen": st.none() | st.integers(0, 30),
        "same_person": st.booleans(),
    }
)


def _day(base: dt.date, days: int) -> dt.date:
    return min(base + dt.timedelta(days=days), TODAY)


def build(s: CaseworkService, specs: list[dict[str, Any]]) -> None:
    """Register, start, meet, record outcomes, close and reopen as the specs say."""
    person_id: str | None = None
    for i, spec in enumerate(specs):
        activity = spec["activity"]
        received = TODAY - dt.timedelta(days=spec["received"])
        who: dict[str, Any] = (
            {"person_id": person_id}
            if spec["same_person"] and person_id
            else {
                "display_label": f"zz-label-{i}",
                "birth_year": spec["born"][0],
                "birth_month": spec["born"][1],
                "area": spec["area"],
            }
        )
        try:
            case = s.register_referral(
                activity=activity, received_date=received, source=spec["source"], **who
            )
        except DomainValidationError:
            continue
        person_id = case.person_id
        try:
            _play(s, case.id, activity, received, spec)
        except DomainValidationError:
            continue  # a step the consistency rules refuse (a closure before a meeting, say)


def _play(s: CaseworkService, case_id: str, activity: Any, received: dt.date, spec: dict[str, Any]) -> None:
    if spec["start"] is None:
        return
    modes = sorted(rules.rules_for(activity).start_modes)
    start = _day(received, spec["start"])
    s.start_case(
        case_id,
        start_mode=modes[spec["mode"] % len(modes)],
        start_date=start,
        consents=["UNG", "FORAELDER"],
        participants=["BEBOER"],
    )
    for meeting_type, days in spec["meetings"]:
        s.add_meeting(case_id, meeting_type=meeting_type, date=_day(start, days))
    for outcome_type, days in spec["outcomes"]:
        s.add_outcome(case_id, outcome_type=outcome_type, date=_day(start, days))
    if spec["close"] is None:
        return
    closed = _day(start, spec["close"])
    s.close_case(case_id, date=closed, reason=spec["reason"], status_at_closure="UKENDT", joint_decision=True)
    if spec["reopen"] is not None:
        s.reopen_case(case_id, note="zz-note fortroligt", date=_day(closed, spec["reopen"]))


def check_nothing_identifying(
    result: ExportResult, repos: Repositories, formats: tuple[ExportFormat, ...]
) -> None:
    allowed = {result.period.start.isoformat(), result.period.end.isoformat(), TODAY.isoformat()}
    allowed |= {day.isoformat() for c in result.columns for day in (c.period.start, c.period.end)}
    ids = {str(r["id"]) for r in repos.db.query("SELECT id FROM person UNION ALL SELECT id FROM cases")}
    for fmt in formats:
        text = render_export(result, fmt).decode("utf-8-sig")
        assert "zz-" not in text  # labels and notes
        assert not UUID.search(text)
        assert not any(i in text for i in ids)
        for token in set(re.findall(r"[0-9][0-9-]*", text)):
            for date_like in re.findall(r"\d{4}-\d{2}-\d{2}", token):
                assert date_like in allowed
            assert not re.fullmatch(r"\d{4}-\d{2}", token)  # a birth year-month
            assert not re.search(r"\d{2}-\d{2}-\d{4}", token)


def check_suppression(exact: ExportResult, shown: ExportResult) -> None:
    t = shown.threshold
    true = {c.key: c.value or 0 for c in exact.unique_cells()}
    pub = {c.key: c for c in shown.unique_cells()}
    assert set(true) == set(pub)
    hidden = frozenset(k for k, c in pub.items() if c.suppressed)
    for key, cell in pub.items():
        if cell.suppressed:
            assert cell.value is None  # a hidden cell may be 0: zeros can be complements
        else:
            assert cell.value == true[key]
            assert not 0 < true[key] < t
    rels = relations([(table.spec, [c.key for c in table.cells]) for table in exact.tables])
    for r in rels:
        members = [r.total, *r.parts]
        parts = [true[k] for k in r.parts]
        if r.kind == "distinct":
            assert max(parts) <= true[r.total] <= sum(parts)
        elif r.kind == "additive":
            assert true[r.total] == sum(parts)
            assert sum(k in hidden for k in members) != 1  # a lone hidden cell is the difference
        else:
            assert true[r.total] >= sum(parts)
    # every written file passes the audit (disclosure's contract: a hidden cell may be 0)
    built = protection.problem(true, rels)
    assert disclosure.audit(built, {protection.cell_id(k) for k in hidden}, t) == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=st.lists(case_specs, max_size=10),
    period_code=st.sampled_from(["2026-W46", "2026-W47", "PY3-Q1", "PY2", "2026-09-01..2026-11-20"]),
    threshold=st.integers(3, 6),
)
def test_random_databases(specs: list[dict[str, Any]], period_code: str, threshold: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "p.db")
        try:
            db.execute("PRAGMA synchronous = OFF")  # a throwaway file; speed over durability
            repos = Repositories(db, FixedClock(FROZEN_NOW))
            build(CaseworkService(repos), specs)
            period = parse_period(period_code)
            exact = compute_export(repos, period, threshold=threshold, internal=True, allow_incomplete=True)
            shown = compute_export(repos, period, threshold=threshold, allow_incomplete=True)
            check_nothing_identifying(exact, repos, ("csv", "json"))
            check_nothing_identifying(shown, repos, ("csv",))
            check_suppression(exact, shown)
        finally:
            db.close()

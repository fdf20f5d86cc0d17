"""Meetings are counted the same whichever way SQLite walks them (issue 12): per case for long
windows (a project year), by the date index for short ones (a week)."""

from __future__ import annotations

import datetime as dt

import pytest

from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.storage import counts

WINDOWS = [
    (dt.date(2026, 11, 16), dt.date(2026, 11, 22)),  # a week
    (dt.date(2026, 10, 1), dt.date(2026, 11, 20)),
    (dt.date(2025, 10, 1), dt.date(2026, 9, 30)),  # a project year
    (dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
]


@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_meetings_per_case_and_by_date_give_the_same_counts(
    seeded: CaseworkService, monkeypatch: pytest.MonkeyPatch, start: dt.date, end: dt.date
) -> None:
    s = seeded
    case_id = s.repos.db.execute(
        "SELECT id FROM cases WHERE status = 'AKTIV' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    s.add_meeting(case_id, meeting_type="SAMTALE", date="2026-11-18", participants=["BEBOER"])
    s.add_meeting(case_id, meeting_type="SAMTALE", date="2026-11-19", held=False)  # planned: never counted
    voided = s.add_meeting(case_id, meeting_type="SAMTALE", date="2026-11-17", participants=["BEBOER"])
    s.repos.meetings.void(s.repos.meetings.get(voided.id), reason="entered twice", staff_id=None)
    found = {}
    for name, days in (("per case", 0), ("by date", 10**6)):
        monkeypatch.setattr(counts, "PER_CASE_FROM_DAYS", days)
        found[name] = sorted(counts.event_counts(s.repos.db, "MEETINGS", start, end))
    assert found["per case"] == found["by date"]
    held = s.repos.db.execute(
        "SELECT COUNT(*) FROM meeting WHERE held = 1 AND deleted_at IS NULL AND date BETWEEN ? AND ?",
        [start.isoformat(), end.isoformat()],
    ).fetchone()[0]
    assert sum(row[4] for row in found["per case"]) == held
    assert held > 0  # the test can fail: there is something to count

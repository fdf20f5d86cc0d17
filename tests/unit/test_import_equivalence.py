"""The import applies exactly the rules of the app (issue 10 item 6): random spreadsheets are
imported, and the same rows are replayed through :class:`CaseworkService` one call at a time, as
a mentor would type them. Both must refuse the same cases, and when nothing is refused, write the
same records."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mentor_tui.clock import FixedClock
from mentor_tui.codes import (
    START_MODE_MEETING,
    ClosureReason,
    MeetingType,
    OutcomeType,
    StartMode,
    StatusAtClosure,
)
from mentor_tui.errors import DomainValidationError
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.importing.importer import Importer, import_id
from mentor_tui.services.importing.reader import read_csv_bytes
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.conftest import FROZEN_NOW

HEADER = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
ACTIVITIES = ["A2_FORAELDRERAADGIVNING", "A3_UNGERAADGIVNING", "A6_FREMSKUDT_UDD_BESK", "A8_MENTOR_JOBPARAT"]
STAMPS = {"created_at", "updated_at", "device_id"}
TABLES = ("person", "referral", "cases", "consent", "meeting", "outcome", "closure", "case_list")
RANDOM_IDS = {"consent", "meeting"}  # the start's consents and start meeting get random ids
ROW_NUMBERS = {"case_list": "search_id"}  # the list's rows: filled once by the import (m007)

days = st.integers(min_value=0, max_value=340).map(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))


@st.composite
def case_rows(draw: st.DrawFn, ref: str) -> list[dict[str, Any]]:
    activity = draw(st.sampled_from(ACTIVITIES))
    received = draw(days)
    rows: list[dict[str, Any]] = [
        {"event": "henvisning", "date": received, "code": "EGEN_HENVENDELSE", "activity": activity}
    ]
    if draw(st.booleans()):
        start = draw(days)
        consents = draw(st.sets(st.sampled_from(["UNG", "FORAELDER", "BEBOER"]), max_size=2))
        rows.append(
            {
                "event": "opstart",
                "date": start,
                "code": draw(st.sampled_from(list(StartMode))).value,
                "activity": activity,
                "consent": "+".join(sorted(consents)),
            }
        )
    for _ in range(draw(st.integers(0, 2))):
        rows.append(
            {"event": "moede", "date": draw(days), "code": draw(st.sampled_from(list(MeetingType))).value}
        )
    if draw(st.booleans()):
        rows.append(
            {"event": "resultat", "date": draw(days), "code": draw(st.sampled_from(list(OutcomeType))).value}
        )
    if draw(st.booleans()):
        status = draw(st.none() | st.sampled_from(list(StatusAtClosure)))
        rows.append(
            {
                "event": "afslutning",
                "date": draw(days),
                "code": draw(st.sampled_from(list(ClosureReason))).value,
                "status": status.value if status else "",
            }
        )
    for row in rows:
        row["activity"] = activity
        row["ref"] = ref
    return rows


files = st.integers(min_value=1, max_value=4).flatmap(
    lambda n: st.tuples(*[case_rows(f"EQ-{i}") for i in range(n)])
)


def _csv(cases: tuple[list[dict[str, Any]], ...]) -> bytes:
    lines = [HEADER]
    for rows in cases:
        for i, r in enumerate(rows):
            birth = "2009-03;;RISING" if i == 0 else ";;"
            lines.append(
                f"{r['ref']};{birth};{r['activity']};{r['event']};{r['date'].isoformat()};{r['code']};;"
                f"{r.get('consent', '')};{r.get('status', '')}"
            )
    return ("\r\n".join(lines) + "\r\n").encode()


_RANK = {"henvisning": 0, "opstart": 1, "moede": 2, "resultat": 3, "afslutning": 4}


def _replay(service: CaseworkService, rows: list[dict[str, Any]]) -> bool:
    """Type the case's rows into the app's service in case order; return whether all were saved."""
    ref, activity = rows[0]["ref"], rows[0]["activity"]
    key = ref.casefold()
    case_id = import_id("case", key, activity)
    ordered = sorted(
        enumerate(rows),
        key=lambda ir: (min(_RANK[ir[1]["event"]], 2), ir[1]["date"], _RANK[ir[1]["event"]], ir[0]),
    )
    occurrences: dict[tuple[str, dt.date, str], int] = {}
    occurrence_of: dict[int, int] = {}
    for i, r in enumerate(rows):
        k = (r["event"], r["date"], r["code"])
        occurrence_of[i] = occurrences.get(k, 0)
        occurrences[k] = occurrence_of[i] + 1
    try:
        for i, r in ordered:
            event, date, code = r["event"], r["date"], r["code"]
            record_id = import_id(event, case_id, date.isoformat(), code, occurrence_of[i])
            if event == "henvisning":
                service.register_referral(
                    activity=activity,
                    received_date=date,
                    source=code,
                    display_label=ref,
                    birth_year=2009,
                    birth_month=3,
                    area="RISING",
                    new_person_id=import_id("person", key),
                    referral_id=import_id("referral", case_id),
                    case_id=case_id,
                )
            elif event == "opstart":
                service.start_case(
                    case_id,
                    start_mode=code,
                    start_date=date,
                    consents=[c for c in r["consent"].split("+") if c],
                )
            elif event == "moede":
                case = service.repos.cases.get(case_id)
                start_meeting = START_MODE_MEETING.get(case.start_mode) if case.start_mode else None
                if not (occurrence_of[i] == 0 and case.start_date == date and start_meeting == code):
                    service.add_meeting(
                        case_id, meeting_type=code, date=date, held=True, meeting_id=record_id
                    )
            elif event == "resultat":
                service.add_outcome(case_id, outcome_type=code, date=date, outcome_id=record_id)
            else:
                service.close_case(
                    case_id,
                    date=date,
                    reason=code,
                    status_at_closure=r["status"] or None,
                    joint_decision=True,
                    closure_id=record_id,
                )
    except DomainValidationError:
        return False
    return True


def _contents(repos: Repositories) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in TABLES:
        rows = []
        for row in repos.db.query(f"SELECT * FROM {table}"):
            drop = STAMPS | ({"id"} if table in RANDOM_IDS else set()) | {ROW_NUMBERS.get(table, "")}
            rows.append(tuple(sorted((k, v) for k, v in row.items() if k not in drop)))
        out[table] = sorted(rows, key=repr)
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("equivalence") / "template.db"
    open_database(path).close()
    return path


@settings(
    max_examples=int(os.environ.get("MENTOR_EQUIVALENCE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cases=files)
def test_the_import_refuses_and_writes_exactly_what_the_service_does(
    template: Path, tmp_path: Path, cases: tuple[list[dict[str, Any]], ...]
) -> None:
    clock = FixedClock(FROZEN_NOW)
    paths = []
    for name in ("imported.db", "typed.db"):
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}-{name}"
        shutil.copyfile(template, path)
        paths.append(path)
    imported = Repositories(open_database(paths[0], check=False), clock)
    typed = Repositories(open_database(paths[1], check=False), clock)
    try:
        with read_csv_bytes(_csv(cases)) as sheet:
            result = Importer(imported).import_sheet(sheet)
        service = CaseworkService(typed)
        accepted = [_replay(service, rows) for rows in cases]
        event(f"cases accepted: {sum(accepted)} of {len(accepted)}")
        refused_lines = {p.line for p in result.problems}
        line = 2
        for rows, ok in zip(cases, accepted, strict=True):
            lines = set(range(line, line + len(rows)))
            line += len(rows)
            assert ok == (not refused_lines & lines), (ok, [p.text("en") for p in result.problems], rows)
        if all(accepted):
            assert result.written
            assert _contents(imported) == _contents(typed)
        else:
            assert not result.written
            assert imported.cases.count() == 0
    finally:
        imported.db.close()
        typed.db.close()

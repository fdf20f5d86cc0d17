"""Retention (issue 13 item 4): anonymise the persons whose cases were closed long enough ago.

DOMAIN.md 5.3 item 6: "Configurable deletion/anonymisation of closed forløb after N months
(value to be set by the DPO). Keep the aggregated indicator tallies, which are non-personal, for
the full plan period 2024-2028 [002:27]"; §5.2: the seeds set no period, so ``retention_months``
(default 24) is the DPO's to set.

Who is due: a person none of whose cases is open, and the latest date on any of whose records is
at least ``retention_months`` before today (:func:`cutoff_for`). A person with an open case, or
one closed more recently, keeps everything.

What happens (one transaction, :mod:`mentor_tui.storage.retention`): the label, label key, birth
year and month, gender, benefit type and readiness go from the person, the free text from their
records (void reasons, reopening notes) and from the audit trail of those records; the trail
records the run. The counts stay the same for every past period: before the birth month goes, the
age bands the counts need are kept (:func:`mentor_tui.ages.band_history` from the person's first
record to :func:`kept_until`). Then the file is rewritten (``VACUUM``) and its ``-wal`` emptied,
so the old values are not left in free pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mentor_tui.ages import band_history, encode_band_history
from mentor_tui.codes import Activity, Area, CaseStatus
from mentor_tui.i18n import Bilingual
from mentor_tui.models import new_id
from mentor_tui.storage import retention as store
from mentor_tui.storage.repositories import Repositories

PROJECT_YEAR_FIRST_MONTH = 10
"""Project years run 1 October to 30 September (DOMAIN.md 7.3 rule 9, [002:27])."""


def cutoff_for(today: dt.date, months: int) -> dt.date:
    """Return the last day a person's last record may be on for them to be due on ``today``.

    ``months`` calendar months before ``today`` (the 31st becomes the month's last day):

    >>> cutoff_for(dt.date(2026, 11, 30), 24)
    datetime.date(2024, 11, 30)
    >>> cutoff_for(dt.date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    month0 = today.year * 12 + today.month - 1 - months
    year, month = divmod(month0, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def kept_until(today: dt.date, last_day: dt.date) -> dt.date:
    """Return the last day whose age band is kept for a person anonymised on ``today``.

    Every period that has ended by ``today`` is counted exactly, and so is every ISO week,
    project quarter and project year that contains the person's last record (the year ends on 30
    September, so with a period under 12 months it may end after the run). A period that ends
    later counts the person in the band of this day: their age is no longer known (only an
    explicit date range can end there and still overlap a closed case).
    """
    year = last_day.year + (1 if last_day.month >= PROJECT_YEAR_FIRST_MONTH else 0)
    return max(today, dt.date(year, PROJECT_YEAR_FIRST_MONTH - 1, 30))


@dataclass(frozen=True)
class DueCase:
    """One case of a due person (for the listing)."""

    activity: Activity
    status: CaseStatus
    closed: dt.date | None
    """The date of its last closure (``None`` if it was voided before it was closed)."""
    voided: bool


@dataclass(frozen=True)
class DuePerson:
    """A person due for anonymisation, with what the user needs to recognise them."""

    person_id: str
    label: str
    birth_year: int
    birth_month: int
    area: Area
    voided: bool
    first_day: dt.date
    last_day: dt.date
    """The latest date on any of their records."""
    cases: tuple[DueCase, ...]

    @property
    def birth_ym(self) -> str:
        """Birth month as ``MM-YYYY`` (the app shows it so)."""
        return f"{self.birth_month:02d}-{self.birth_year:04d}"

    def kept_age_bands(self, today: dt.date) -> str:
        """The age bands to keep when anonymised on ``today`` (``person.kept_age_bands``)."""
        last = kept_until(today, self.last_day)
        return encode_band_history(band_history(self.birth_year, self.birth_month, self.first_day, last))


@dataclass(frozen=True)
class RetentionPlan:
    """Who is due on ``today`` with a period of ``months`` months."""

    today: dt.date
    months: int
    cutoff: dt.date
    persons: tuple[DuePerson, ...]

    @property
    def case_count(self) -> int:
        """How many cases (voided ones included) the due persons have."""
        return sum(len(p.cases) for p in self.persons)


@dataclass(frozen=True)
class RetentionResult:
    """What a run did."""

    run_id: str
    persons: int
    cases: int
    trail_rows: int
    """Audit rows whose values were redacted."""
    wal_emptied: bool
    """False when another program kept the ``-wal`` from being emptied (it is when that closes)."""


def plan(repos: Repositories, months: int) -> RetentionPlan:
    """Return who is due today (reads only; nothing is written)."""
    today = repos.clock.today()
    cutoff = cutoff_for(today, months)
    rows = store.due_persons(repos.db, cutoff)
    cases: dict[str, list[DueCase]] = {r.person_id: [] for r in rows}
    for c in store.cases_of(repos.db, [r.person_id for r in rows]):
        cases[c.person_id].append(
            DueCase(Activity(c.activity), CaseStatus(c.status), c.last_closure, c.deleted_at is not None)
        )
    persons = tuple(
        DuePerson(
            r.person_id,
            r.display_label,
            r.birth_year,
            r.birth_month,
            Area(r.area),
            r.deleted_at is not None,
            r.first_day,
            r.last_day,
            tuple(cases[r.person_id]),
        )
        for r in rows
    )
    return RetentionPlan(today, months, cutoff, persons)


def due_count(repos: Repositories, months: int) -> int:
    """Return how many persons are due today (for the notice at start)."""
    return store.due_count(repos.db, cutoff_for(repos.clock.today(), months))


def run(repos: Repositories, confirmed: RetentionPlan) -> RetentionResult:
    """Anonymise the persons of ``confirmed`` who are still due, in one transaction; then rewrite
    the file so none of the old values is left in it.

    A person who is no longer due (a case was reopened since the plan was shown) is left alone.
    The run is recorded in ``retention_run`` and, through its triggers, in the audit trail, with
    the staff member of the session (the local user).

    Raises:
        DatabaseBusyError, DiskFullError, DatabaseWriteError: nothing was written.
    """
    db = repos.db
    wanted = {p.person_id for p in confirmed.persons}
    now = repos.clock.now().isoformat(timespec="milliseconds")
    run_id = new_id()
    local = repos.local_staff()
    if local is not None:
        repos.start_session(local.id)
    trail_rows = 0
    cases = 0
    with store.secure_delete(db):
        with repos.atomic():
            still_due = [p for p in plan(repos, confirmed.months).persons if p.person_id in wanted]
            store.start_run(
                db,
                run_id=run_id,
                now=now,
                cutoff=confirmed.cutoff,
                months=confirmed.months,
                persons=len(still_due),
                staff_id=local.id if local is not None else None,
                device_id=repos.device_id,
            )
            for person in still_due:
                store.anonymise(
                    db,
                    person.person_id,
                    run_id=run_id,
                    kept_age_bands=person.kept_age_bands(confirmed.today),
                    now=now,
                    device_id=repos.device_id,
                )
                trail_rows += store.redact_trail(db, store.record_ids(db, person.person_id))
                cases += len(person.cases)
            store.finish_run(db, run_id, now)
        emptied = store.wipe_free_space(db) if still_due else True
    return RetentionResult(run_id, len(still_due), cases, trail_rows, emptied)


DUE_NOTICE = Bilingual(
    "{n} person(er) har ikke haft et åbent forløb i {months} måneder og skal anonymiseres "
    "(opbevaringsperioden). Se hvem med «mentor-tui retention --dry-run».",
    "{n} person(s) have had no open case for {months} months and are due for anonymisation "
    "(the retention period). See who with “mentor-tui retention --dry-run”.",
)


def due_notice(repos: Repositories, months: int) -> list[Bilingual]:
    """The message shown at start when persons are due (empty when none is)."""
    n = due_count(repos, months)
    return [DUE_NOTICE.format(n=n, months=months)] if n else []

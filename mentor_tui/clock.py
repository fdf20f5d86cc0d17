"""The app's notion of "now": a seam so tests and snapshots can freeze time."""

from __future__ import annotations

from datetime import UTC, date, datetime


class Clock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Return today's local date."""
        return date.today()


class FixedClock(Clock):
    """A clock that always says the same time (tests, snapshots, reproducible demo data)."""

    def __init__(self, at: datetime) -> None:
        self.at = at if at.tzinfo else at.replace(tzinfo=UTC)

    def now(self) -> datetime:
        """Return the fixed time."""
        return self.at

    def today(self) -> date:
        """Return the fixed date."""
        return self.at.date()

"""A date field typed as ``dd-mm-åååå`` or ISO, with the ISO week ("uge 47") shown beside it.

Also accepts ``+14`` (days from today) and ``+2u`` / ``+2w`` (weeks from today), because the
next follow-up is usually "in two weeks" (:func:`mentor_tui.dates.parse_user_date`).
"""

from __future__ import annotations

import datetime as dt
import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from mentor_tui.dates import format_date, parse_user_date, week_label
from mentor_tui.errors import Problem
from mentor_tui.i18n import Catalog, lang

T = Catalog(
    {
        "placeholder": ("dd-mm-åååå", "dd-mm-yyyy"),
        "bad": ("ikke en dato", "not a date"),
        "bad_date": ("«{text}» er ikke en dato; skriv dd-mm-åååå", "“{text}” is not a date; type dd-mm-yyyy"),
    }
)


class DateInput(Horizontal):
    """A compact date input with the ISO week (or what is wrong) to its right."""

    DEFAULT_CSS = """
    DateInput {
        height: 1;
        width: 1fr;
        & > Input { width: 14; background: $boost; }
        & > Input:focus { background: $primary 25%; }
        & > .date-input--week { width: 1fr; padding: 0 1; color: $text-muted; }
        &.-invalid > .date-input--week { color: $error; }
    }
    """

    def __init__(
        self,
        value: dt.date | None,
        *,
        today: dt.date,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
    ) -> None:
        """Create a date input showing ``value`` (or empty); ``+N`` counts from ``today``."""
        super().__init__(id=id)
        self._initial = value
        self._today = today

    def compose(self) -> ComposeResult:
        yield Input(
            format_date(self._initial),
            placeholder=T("placeholder"),
            compact=True,
            id=f"{self.id}-input" if self.id else None,
        )
        yield Static(self._week_text(self._initial), classes="date-input--week")

    @property
    def input(self) -> Input:
        """The text input."""
        return self.query_one(Input)

    @property
    def text(self) -> str:
        """What is typed."""
        return self.input.value

    @property
    def value(self) -> dt.date | None:
        """The date typed, or None when empty or not a date."""
        try:
            return parse_user_date(self.text, self._today) if self.text.strip() else None
        except ValueError:
            return None

    @property
    def invalid(self) -> bool:
        """True when something is typed that is not a date."""
        return bool(self.text.strip()) and self.value is None

    @property
    def shows_invalid(self) -> bool:
        """True when the text is not a date and the user seems done typing it (left the field,
        or typed as much as a whole date), so a half-typed date is not flagged."""
        return self.invalid and (not self.input.has_focus or len(self.text.strip()) >= 10)

    def for_service(self) -> dt.date | str | None:
        """What to pass to a service: the date, the raw text when invalid (so the service
        names the problem), or None when empty."""
        if not self.text.strip():
            return None
        return self.value or self.text

    def problems(self, field: str) -> list[Problem]:
        """Return a problem for ``field`` when the text is not a date (else nothing)."""
        if not self.shows_invalid:
            return []
        return [Problem(field, T.bilingual("bad_date", text=self.text.strip()), code="bad_date")]

    def _week_text(self, value: dt.date | None) -> str:
        return week_label(value, lang()) if value is not None else ""

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._show_week()

    def _show_week(self) -> None:
        value = self.value
        self.set_class(self.shows_invalid, "-invalid")
        week = self.query_one(".date-input--week", Static)
        if self.shows_invalid:
            week.update(T("bad"))
        elif self.invalid:
            week.update("")
        elif value is not None and not re.match(r"^\s*\d", self.text):
            week.update(f"{format_date(value)}, {self._week_text(value)}")
        else:
            week.update(self._week_text(value))

    @on(Input.Blurred)
    def _left(self) -> None:
        value = self.value
        if value is not None and self.text != format_date(value):
            self.input.value = format_date(value)
        self._show_week()

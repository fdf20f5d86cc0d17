"""The line under a form field that says what is wrong with it (error) or worth a look (warning)."""

from __future__ import annotations

from textual.widgets import Static

from mentor_tui.errors import Problem
from mentor_tui.i18n import lang


class FieldMessage(Static):
    """Errors and warnings for one field; hidden while there is nothing to say."""

    DEFAULT_CSS = """
    FieldMessage {
        height: auto;
        width: 1fr;
        display: none;
        padding: 0 0 0 1;
        &.-error { display: block; color: $text-error; text-style: bold; }
        &.-warning { display: block; color: $text-warning; }
    }
    """

    def __init__(self, field: str) -> None:
        """Create the message line of ``field`` (its id becomes ``<field>-msg``)."""
        super().__init__("", id=f"{field}-msg", markup=False)
        self.field = field
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def show(self, errors: list[Problem], warnings: list[Problem]) -> None:
        """Show ``errors`` (these block saving) and ``warnings`` (these do not)."""
        self.errors = errors
        self.warnings = warnings
        lines = [f"✗ {p.text(lang())}" for p in errors] + [f"⚠ {p.text(lang())}" for p in warnings]
        self.update("\n".join(lines))
        self.set_class(bool(errors), "-error")
        self.set_class(bool(warnings) and not errors, "-warning")

    @property
    def text(self) -> str:
        """The message shown, as plain text."""
        return "\n".join(p.text(lang()) for p in self.errors + self.warnings)

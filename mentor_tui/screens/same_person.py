"""Same person or a different one? Asked before a new referral creates a person whose label and
birth month match an existing one (issue 9 item 5)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.casework.service import PersonMatch
from mentor_tui.widgets.bindings import MentorModal, binding

T = Catalog(
    {
        "title": ("Samme person eller en anden?", "Same person or a different one?"),
        "explain": (
            "«{label}» født {ym} findes allerede. Er det den samme person, registreres henvisningen "
            "på den eksisterende person, så personen kun findes én gang.",
            "“{label}” born {ym} already exists. If it is the same person, the referral is "
            "registered on the existing person, so the person exists only once.",
        ),
        "same": (
            "Samme person: {label} · født {ym} · {area} · {cases}",
            "Same person: {label} · born {ym} · {area} · {cases}",
        ),
        "no_open": ("ingen åbne forløb", "no open cases"),
        "open": ("åbne forløb: {cases}", "open cases: {cases}"),
        "different": (
            "En anden person: opret «{label}» som ny person",
            "A different person: create “{label}” as a new person",
        ),
    }
)

NEW_PERSON = "--new-person--"
"""The option id of "a different person"."""


class SamePersonScreen(MentorModal[str | None]):
    """Pick the existing person, or confirm a new one. Dismisses the person id, "" for a new
    person, or ``None`` (Escape: back to the form)."""

    DEFAULT_CSS = """
    SamePersonScreen { align: center middle; background: $background 60%; }
    SamePersonScreen > #dialog {
        width: 90; max-width: 100%; height: auto; border: round $warning; background: $surface; padding: 0 1;
    }
    SamePersonScreen #same-title { text-style: bold; color: $text-warning; }
    SamePersonScreen OptionList { height: auto; max-height: 8; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [binding("escape", "cancel", id="form-cancel")]

    def __init__(self, label: str, birth_ym: str, matches: list[PersonMatch]) -> None:
        super().__init__()
        self.label = label
        self.birth_ym = birth_ym
        self.matches = matches

    def compose(self) -> ComposeResult:
        language = lang()
        options = []
        for match in self.matches:
            p = match.person
            if match.open_cases:
                cases = T(
                    "open",
                    cases=", ".join(
                        f"{c.activity.short} {c.status.label(language).lower()}" for c in match.open_cases
                    ),
                )
            else:
                cases = T("no_open")
            options.append(
                Option(
                    T("same", label=p.display_label, ym=p.birth_ym, area=p.area.label(language), cases=cases),
                    id=p.id,
                )
            )
        options.append(Option(T("different", label=self.label), id=NEW_PERSON))
        with Vertical(id="dialog"):
            yield Static(T("title"), id="same-title")
            yield Static(T("explain", label=self.label, ym=self.birth_ym), id="same-explain")
            yield OptionList(*options, id="same-options")
        yield Footer()

    def on_mount(self) -> None:
        """The existing person is highlighted first: the likely answer."""
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == NEW_PERSON else event.option.id)

    def action_cancel(self) -> None:
        """Back to the form, nothing saved."""
        self.dismiss(None)

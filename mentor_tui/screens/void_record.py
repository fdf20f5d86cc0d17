"""Void a timeline entry registered by mistake: what it does to the case, and a required reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from mentor_tui.dates import format_date
from mentor_tui.i18n import Catalog, lang
from mentor_tui.services.casework.service import CaseworkService, TimelineEntry
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Annullér: {label}", "Void: {label}"),
        "entry": ("{date}: {text}", "{date}: {text}"),
        "reason": ("Begrundelse", "Reason"),
        "reason_placeholder": ("fx registreret på forkert person", "e.g. registered on the wrong person"),
        "keeps": (
            "Posten slettes ikke: den forsvinder fra lister, opfølgninger og alle tal, men står i "
            "historikken, markeret, med din begrundelse. ctrl+z fortryder.",
            "The record is not deleted: it leaves the lists, the follow-ups and every count, but stays "
            "in the history, marked, with your reason. ctrl+z undoes it.",
        ),
        "effect-referral": (
            "Hele forløbet annulleres: henvisningen og alt registreret på forløbet (og personen, hvis "
            "hun/han ikke har andre forløb).",
            "The whole case is voided: the referral and everything registered on the case (and the "
            "person, if they have no other case).",
        ),
        "effect-start": (
            "Forløbet bliver «henvist» igen; samtykke og opstartsmøde annulleres.",
            "The case becomes “referred” again; its consent and start meeting are voided.",
        ),
        "effect-closure": ("Forløbet bliver åbent igen.", "The case becomes open again."),
        "effect-reopening": ("Forløbet bliver afsluttet igen.", "The case becomes closed again."),
    }
)


class VoidRecordScreen(CaseFormModal):
    """Void ``entry`` with a reason; ctrl+s confirms. Dismisses True when voided."""

    DEFAULT_CSS = """
    VoidRecordScreen #dialog { border: round $error; }
    VoidRecordScreen #void-entry { text-style: bold; }
    VoidRecordScreen .void-note { color: $text-muted; }
    VoidRecordScreen #void-effect { color: $text-warning; }
    """

    def __init__(self, casework: CaseworkService, case_id: str, entry: TimelineEntry) -> None:
        super().__init__(casework, case_id)
        self.entry = entry
        """The timeline entry to void."""

    def compose(self) -> ComposeResult:
        entry = self.entry
        kind = "start" if entry.start_meeting else entry.kind
        with Vertical(id="dialog"):
            yield Static(T("title", label=self.detail.person.display_label), id="dialog-title")
            yield Static(T("entry", date=format_date(entry.date), text=entry.text(lang())), id="void-entry")
            if f"effect-{kind}" in T.texts:
                yield Static(T(f"effect-{kind}"), id="void-effect")
            yield Static(T("keeps"), classes="void-note")
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("reason"),
                    Input(placeholder=T("reason_placeholder"), compact=True, id="reason"),
                    "reason",
                    required=True,
                )
        yield Footer()

    def on_mount(self) -> None:
        """Focus the reason."""
        self.query_one("#reason", Input).focus()

    @on(Input.Changed, "#reason")
    def _typed(self) -> None:
        self.revalidate("reason")

    @on(Input.Submitted, "#reason")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Void the record; on refusal show why (nothing is written)."""
        reason = self.query_one("#reason", Input).value

        def void() -> bool:
            self.casework.corrections.void(self.case_id, self.entry, reason)
            return True

        if self.attempt(void):
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without voiding."""
        self.dismiss(False)

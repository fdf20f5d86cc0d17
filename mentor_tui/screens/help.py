"""F1 help: a short text about the current screen, in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from mentor_tui.i18n import Catalog
from mentor_tui.widgets.bindings import MentorModal, binding

T = Catalog(
    {
        "title": ("Hjælp: {topic}", "Help: {topic}"),
        "footer": (
            "{close} lukker.  {keys} viser alle taster.  {palette} åbner kommandopaletten.  "
            "{quit} lukker programmet.",
            "{close} closes.  {keys} lists every key.  {palette} opens the command palette.  {quit} quits.",
        ),
        "topic-case-list": ("Forløb", "Cases"),
        "help-case-list": (
            "Listen viser alle forløb, nyeste henvisning først.\n\n"
            "- **/** søger på person; skriv, og listen filtreres mens du skriver. "
            "**Enter** eller **↓** går tilbage til listen.\n"
            "- **s**, **a**, **o** skifter filter for status, aktivitet og område; "
            "**f** viser kun opfølgninger der er forfaldne eller falder i denne uge; "
            "**m** viser kun dine egne forløb (hvor du er sagsbehandler); "
            "**x** nulstiller alle filtre.\n"
            "- **r** sorterer efter næste kolonne, **v** vender rækkefølgen. "
            "Et klik på en kolonneoverskrift sorterer også.\n"
            "- Rækker med **!** har en forfalden opfølgning; **›** betyder i denne uge.\n"
            "- **Enter** åbner forløbet, **n** registrerer en ny henvisning, "
            "**u** viser ugens opfølgninger.\n"
            "- **d** viser overblikket med tal, **e** eksporterer anonymiserede tal til lederen.\n"
            "- **ctrl+z** fortryder den seneste ændring i denne session.",
            "The list shows every case, newest referral first.\n\n"
            "- **/** searches by person; the list filters as you type. "
            "**Enter** or **↓** goes back to the list.\n"
            "- **s**, **a**, **o** cycle the status, activity and area filters; "
            "**f** shows only follow-ups that are overdue or due this week; "
            "**m** shows only your own cases (where you are the caseworker); "
            "**x** clears every filter.\n"
            "- **r** sorts by the next column, **v** reverses the order. "
            "Clicking a column header sorts too.\n"
            "- Rows marked **!** have an overdue follow-up; **›** means this week.\n"
            "- **Enter** opens the case, **n** registers a new referral, "
            "**u** shows this week's follow-ups.\n"
            "- **d** shows the dashboard, **e** exports anonymised counts for the lead.\n"
            "- **ctrl+z** undoes the last change of this session.",
        ),
        "topic-case-detail": ("Forløb", "Case"),
        "help-case-detail": (
            "Øverst personen og forløbet, nederst tidslinjen med det nyeste først.\n\n"
            "- **s** starter et henvist forløb: 3-partssamtalen eller en anden opstart, "
            "mål og samtykke (A3 kræver samtykke fra den unge og en forælder).\n"
            "- **m** registrerer et møde, **r** et resultat, **f** næste opfølgning.\n"
            "- **a** afslutter forløbet; aktivitetens regler afgør hvilke felter der kræves.\n"
            "- **g** genåbner et afsluttet forløb (med en note).\n"
            "- **Rettelser**: vælg en linje i tidslinjen med **↑↓**; **e** eller **Enter** retter den "
            "(samme tjek som da den blev registreret), **Delete** (eller **x**) annullerer en post "
            "registreret ved en fejl, med en begrundelse. Annullerede poster tæller ikke med nogen "
            "steder, men står overstreget i tidslinjen.\n"
            "- **p** retter personen og henvisningen, **o** overdrager forløbet til en anden "
            "sagsbehandler, **h** viser historikken: hvem ændrede hvad og hvornår.\n"
            "- **ctrl+z** fortryder den seneste ændring i denne session (også den står i historikken).\n"
            "- Kun de taster der passer til forløbets status vises i bunden. "
            "**Escape** går tilbage til listen.",
            "At the top the person and the case, below the timeline, newest first.\n\n"
            "- **s** starts a referred case: the 3-partssamtale or another start, goals and "
            "consent (A3 needs consent from the young person and a parent).\n"
            "- **m** records a meeting, **r** an outcome, **f** the next follow-up.\n"
            "- **a** closes the case; the activity's rules decide which fields are required.\n"
            "- **g** reopens a closed case (with a note).\n"
            "- **Corrections**: choose a timeline line with **↑↓**; **e** or **Enter** corrects it "
            "(checked as when it was registered), **Delete** (or **x**) voids a record registered by "
            "mistake, with a reason. Voided records count nowhere, and stay struck through in the "
            "timeline.\n"
            "- **p** corrects the person and the referral, **o** hands the case over to another "
            "caseworker, **h** shows the history: who changed what, and when.\n"
            "- **ctrl+z** undoes the last change of this session (the undo is in the history too).\n"
            "- Only the keys that fit the case's status are shown at the bottom. "
            "**Escape** goes back to the list.",
        ),
        "topic-followups": ("Opfølgninger", "Follow-ups"),
        "help-followups": (
            "Alle åbne forløb hvis næste opfølgning er forfalden eller falder i denne uge, "
            "ældste først. Forfaldne er markeret med **!**. Nederst står aktive forløb uden "
            "nogen næste opfølgning (**?**), så de ikke bliver glemt.\n\n"
            "- **Enter** åbner forløbet.\n"
            "- **m** registrerer et møde og **f** sætter en ny opfølgningsdato på forløbet "
            "under markøren, uden at åbne det.\n"
            "- **Escape** går tilbage til listen.",
            "Every open case whose next follow-up is overdue or due this week, oldest first. "
            "Overdue ones are marked **!**. At the bottom are active cases with no next "
            "follow-up at all (**?**), so they are not forgotten.\n\n"
            "- **Enter** opens the case.\n"
            "- **m** records a meeting and **f** sets a new follow-up date on the case under "
            "the cursor, without opening it.\n"
            "- **Escape** goes back to the list.",
        ),
        "topic-form": ("Formular", "Form"),
        "help-form": (
            "- **Tab** og **Shift+Tab** flytter mellem felterne.\n"
            "- Datoer skrives dd-mm-åååå (fx 24-11-2026) eller åååå-mm-dd.\n"
            "- Skriv få bogstaver i et kodefelt (fx `vol`, `a6`); "
            "**Enter**/**Tab** vælger, **↑↓** bladrer.\n"
            "- I lister (Årsager, Deltagere) tilføjer **Enter**; "
            "**Backspace** i tomt felt fjerner den sidste.\n"
            "- Datoer også som `+14` (dage) eller `+2u` (uger).\n"
            "- **ctrl+s** gemmer; i Ny henvisning vælger **↓** en eksisterende person, "
            "**ctrl+r** opretter ny.\n"
            "- Fejl vises ved feltet; intet gemmes før alt er i orden.\n"
            "- **Escape** lukker uden at gemme.",
            "- **Tab** and **Shift+Tab** move between fields.\n"
            "- Type dates as dd-mm-yyyy (e.g. 24-11-2026) or yyyy-mm-dd.\n"
            "- Type a few letters in a code field (e.g. `vol`, `a6`); "
            "**Enter**/**Tab** picks, **↑↓** browse.\n"
            "- In lists (Reasons, Present) **Enter** adds; "
            "**Backspace** in the empty field removes the last.\n"
            "- Dates also as `+14` (days) or `+2w` (weeks).\n"
            "- **ctrl+s** saves; in New referral **↓** picks an existing person, "
            "**ctrl+r** makes a new one.\n"
            "- Problems are shown beside the field; nothing is saved until all is well.\n"
            "- **Escape** closes without saving.",
        ),
    }
)

TOPICS: tuple[str, ...] = ("case-list", "case-detail", "followups", "form")
"""Help topics; a screen names its own with a ``HELP_TOPIC`` class attribute."""

HELP_KEYS: dict[str, dict[str, str]] = {
    "case-list": {
        "/": "focus-filter",
        "s": "filter-status",
        "a": "filter-activity",
        "o": "filter-area",
        "f": "filter-due",
        "x": "clear-filters",
        "r": "sort-column",
        "v": "sort-reverse",
        "n": "new-referral",
        "u": "followups",
        "d": "open-dashboard",
        "e": "open-export",
    },
    "case-detail": {
        "s": "start-case",
        "m": "add-meeting",
        "r": "add-outcome",
        "f": "set-followup",
        "a": "close-case",
        "g": "reopen-case",
        "Escape": "back",
    },
    "followups": {"m": "add-meeting", "f": "set-followup", "Escape": "back"},
    "form": {
        "Tab": "form-next-field",
        "Shift+Tab": "form-previous-field",
        "ctrl+s": "form-save",
        "ctrl+r": "referral-new-person",
        "Escape": "form-cancel",
    },
}
"""The keys the help texts name in bold (``**s**``), by the binding they stand for: a key the
user has moved in the config file's ``[keymap]`` is shown where it is now (issue 11 item 5)."""

KeyLookup = Callable[[str], "str | None"]
"""Binding id → how its key is shown now, or None when it is where the texts say."""


def with_keys_in_force(text: str, topic: str, moved: KeyLookup) -> str:
    """Return help ``text`` with every bold key of ``topic`` that was remapped shown as it is now."""
    for shown, binding_id in HELP_KEYS.get(topic, {}).items():
        now = moved(binding_id)
        if now is not None:
            text = text.replace(f"**{shown}**", f"**{now}**")
    return text


def _unmoved(binding_id: str) -> str | None:
    return None


def topic_for(screen: Screen[object]) -> str:
    """Return the help topic of ``screen`` (forms and unknown screens get the form help)."""
    topic = getattr(screen, "HELP_TOPIC", "form")
    return topic if topic in TOPICS else "form"


class HelpScreen(MentorModal[None]):
    """Help for one screen. Escape, F1 or Enter closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > #help-box {
            width: 76;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        & #help-footer { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape,f1,enter", "close", id="close-help"),
    ]

    def __init__(self, topic: str, keys: KeyLookup = _unmoved, key_shown: KeyLookup = _unmoved) -> None:
        """Help for ``topic``; ``keys`` tells where a remapped key is now, ``key_shown`` how any
        binding's key is shown (for the line at the bottom)."""
        super().__init__()
        self.topic = topic if topic in TOPICS else "form"
        """The help topic shown."""
        self._moved = keys
        self._shown = key_shown

    def compose(self) -> ComposeResult:
        def key(binding_id: str, default: str) -> str:
            return self._shown(binding_id) or default

        with VerticalScroll(id="help-box") as box:
            box.border_title = T("title", topic=T(f"topic-{self.topic}"))
            text = with_keys_in_force(T(f"help-{self.topic}"), self.topic, self._moved)
            yield Markdown(text, id="help-text")
            yield Static(
                T(
                    "footer",
                    close=key("close-help", "Escape/F1"),
                    keys=key("keys", "?"),
                    palette=key("command-palette", "ctrl+p"),
                    quit=key("quit", "ctrl+q"),
                ),
                id="help-footer",
                markup=False,
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

"""Every key binding's texts, by binding id: the one place they are written.

A binding is declared in its screen or widget by key, action and id
(:func:`mentor_tui.widgets.bindings.binding`); what the footer, the key list (``?``), the tooltips
and the command palette say about it comes from here, in Danish and English. The ids are the ones
a user's ``[keymap]`` names in the config file, so an id that is on main is never renamed.

Textual's own bindings (cursor movement, scrolling, text editing) have no ids; their texts are in
:data:`BUILTIN_TEXTS`, keyed by action.

Nothing here imports Textual: the config check and the CLI may read the ids too.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentor_tui.i18n import Bilingual, Lang


@dataclass(frozen=True, slots=True)
class KeyText:
    """What one binding does, in Danish and English."""

    label: Bilingual
    """Shown in the footer and the key list: one or two words."""
    tooltip: Bilingual | None = None
    """A sentence shown when the mouse rests on the footer key, and after the label in the key list."""
    help: Bilingual | None = None
    """The command-palette help line, when it is not the tooltip."""
    short: Bilingual | None = None
    """A shorter label for the footer of a narrow terminal (80 columns), when the label is long."""

    def help_text(self, lang: Lang | None = None) -> str:
        """Return the palette help line in ``lang``: the help, else the tooltip, else the label."""
        return (self.help or self.tooltip or self.label).text(lang)


def _k(
    da: str,
    en: str,
    *,
    tip: Bilingual | None = None,
    palette: Bilingual | None = None,
    short: Bilingual | None = None,
) -> KeyText:
    return KeyText(Bilingual(da, en), tooltip=tip, help=palette, short=short)


KEY_TEXTS: dict[str, KeyText] = {
    # the app, everywhere
    "quit": _k(
        "Luk programmet",
        "Quit",
        tip=Bilingual("Luk mentor-tui (alt er allerede gemt)", "Quit mentor-tui (everything is saved)"),
        short=Bilingual("Luk", "Quit"),
    ),
    "command-palette": _k(
        "Kommandoer", "Commands", tip=Bilingual("Åbn kommandopaletten", "Open the command palette")
    ),
    "help": _k("Hjælp", "Help", tip=Bilingual("Hjælp til dette skærmbillede", "Help for this screen")),
    "keys": _k(
        "Taster", "Keys", tip=Bilingual("Vis eller skjul listen over taster", "Show or hide the list of keys")
    ),
    "theme": _k("Tema", "Theme", tip=Bilingual("Skift farvetema", "Change the colour theme")),
    "back": _k("Tilbage", "Back"),
    "close-help": _k("Luk hjælp", "Close help"),
    # the case list
    "new-referral": _k(
        "Ny henvisning",
        "New referral",
        tip=Bilingual(
            "Registrér en henvisning (søger først efter personen) og åbn forløbet",
            "Register a referral (searches for the person first) and open the case",
        ),
        short=Bilingual("Ny", "New"),
    ),
    "focus-filter": _k("Søg", "Search"),
    "filter-status": _k(
        "Status",
        "Status",
        palette=Bilingual(
            "Skift statusfilter (henvist, aktiv, afsluttet)",
            "Cycle the status filter (referred, active, closed)",
        ),
    ),
    "filter-activity": _k(
        "Aktivitet", "Activity", palette=Bilingual("Skift aktivitetsfilter", "Cycle the activity filter")
    ),
    "filter-area": _k("Område", "Area", palette=Bilingual("Skift områdefilter", "Cycle the area filter")),
    "filter-due": _k(
        "Forfaldne",
        "Due",
        tip=Bilingual(
            "Vis kun forløb med opfølgning forfalden eller i denne uge",
            "Show only cases with a follow-up overdue or due this week",
        ),
    ),
    "sort-column": _k(
        "Sortér", "Sort", palette=Bilingual("Sortér efter næste kolonne", "Sort by the next column")
    ),
    "sort-reverse": _k("Vend sortering", "Reverse sort"),
    "clear-filters": _k(
        "Nulstil filtre",
        "Clear filters",
        palette=Bilingual("Fjern søgning og alle filtre", "Remove the search and all filters"),
    ),
    "followups": _k(
        "Opfølgninger",
        "Follow-ups",
        palette=Bilingual(
            "Alt der skal følges op i denne uge, og det der er forfaldent",
            "Everything due this week and everything overdue",
        ),
    ),
    "open-dashboard": _k(
        "Overblik",
        "Dashboard",
        palette=Bilingual(
            "Ugens, kvartalets og årets tal for teamet eller dine egne forløb",
            "This week's, quarter's and year's counts for the team or your own cases",
        ),
    ),
    "open-export": _k(
        "Eksport",
        "Export",
        palette=Bilingual(
            "Vælg periode og skriv CSV, XLSX eller JSON til lederen",
            "Choose a period and write CSV, XLSX or JSON for the lead",
        ),
    ),
    "leave-filter": _k("Til listen", "To the list"),
    "leave-filter-down": _k("Til listen", "To the list"),
    "open-case": _k("Åbn forløb", "Open case"),
    # a case: the detail screen and the follow-ups view
    "start-case": _k(
        "Start forløb",
        "Start case",
        palette=Bilingual(
            "Hold 3-partssamtalen (eller anden opstart), aftal mål, registrér samtykke",
            "Hold the 3-partssamtale (or other start), agree goals, record consent",
        ),
        short=Bilingual("Start", "Start"),
    ),
    "add-meeting": _k(
        "Møde",
        "Meeting",
        palette=Bilingual("Registrér et afholdt eller planlagt møde", "Record a held or planned meeting"),
    ),
    "add-outcome": _k(
        "Resultat",
        "Outcome",
        palette=Bilingual(
            "Registrér et resultat (fx job, uddannelse)", "Record an outcome (e.g. job, education)"
        ),
    ),
    "set-followup": _k(
        "Opfølgning",
        "Follow-up",
        palette=Bilingual("Sæt eller ryd næste opfølgningsdato", "Set or clear the next follow-up date"),
    ),
    "close-case": _k(
        "Afslut",
        "Close",
        palette=Bilingual("Afslut forløbet med årsag og status", "Close the case with reason and status"),
    ),
    "reopen-case": _k(
        "Genåbn",
        "Reopen",
        palette=Bilingual(
            "Genåbn det afsluttede forløb (kræver en note)", "Reopen the closed case (with a note)"
        ),
    ),
    # correcting a case (issue 9)
    "edit-entry": _k(
        "Ret",
        "Correct",
        tip=Bilingual(
            "Ret den valgte post i tidslinjen (samme tjek som da den blev registreret)",
            "Correct the selected timeline entry (checked as when it was registered)",
        ),
    ),
    "void-entry": _k(
        "Annullér",
        "Void",
        tip=Bilingual(
            "Annullér den valgte post, registreret ved en fejl (kræver en begrundelse; bliver i historikken)",
            "Void the selected entry, registered by mistake (needs a reason; stays in the history)",
        ),
    ),
    "edit-person": _k(
        "Person",
        "Person",
        tip=Bilingual("Ret personen og henvisningen", "Correct the person and the referral"),
    ),
    "hand-over": _k(
        "Overdrag",
        "Hand over",
        tip=Bilingual("Skift forløbets sagsbehandler", "Change the case's caseworker"),
    ),
    "case-history": _k(
        "Historik",
        "History",
        tip=Bilingual("Hvem har ændret hvad og hvornår", "Who changed what, and when"),
    ),
    "undo": _k(
        "Fortryd seneste",
        "Undo last",
        tip=Bilingual(
            "Fortryd den seneste ændring i denne session (ctrl+z)",
            "Undo the last change of this session (ctrl+z)",
        ),
    ),
    "filter-mine": _k(
        "Mine",
        "Mine",
        tip=Bilingual(
            "Vis kun forløb hvor du er sagsbehandler", "Show only cases where you are the caseworker"
        ),
    ),
    # the forms
    "form-cancel": _k("Fortryd", "Cancel"),
    "form-save": _k("Gem", "Save"),
    "form-next-field": _k("Næste felt", "Next field"),
    "form-previous-field": _k("Forrige felt", "Previous field"),
    "form-bring-back": _k(
        "Hent tilbage",
        "Bring back",
        tip=Bilingual(
            "Hent det du skrev, da formularen sidst blev kasseret",
            "Bring back what you typed before the discard",
        ),
    ),
    "discard-keep": _k("Fortsæt med at skrive", "Keep typing"),
    "discard-switch": _k("Skift knap", "Other button"),
    "confirm-back": _k("Tilbage", "Back"),
    "confirm-close": _k("Bekræft", "Confirm"),
    "next-choice": _k("Næste valg", "Next choice"),
    "previous-choice": _k("Forrige valg", "Previous choice"),
    # the case history (timeline) on the case detail
    "timeline-up": _k("Forrige hændelse", "Previous entry"),
    "timeline-down": _k("Næste hændelse", "Next entry"),
    "timeline-page-up": _k("Side op", "Page up"),
    "timeline-page-down": _k("Side ned", "Page down"),
    "timeline-first": _k("Første hændelse", "First entry"),
    "timeline-last": _k("Sidste hændelse", "Last entry"),
    "timeline-select": _k("Vælg hændelse", "Select entry"),
    "referral-new-person": _k("Ny person", "New person"),
    "referral-to-matches": _k("Eksisterende person", "Existing person"),
    "matches-leave": _k("Tilbage til feltet", "Back to the field"),
    # the dashboard and the export
    "team-mode": _k(
        "Team/mine",
        "Team/mine",
        tip=Bilingual(
            "Skift mellem hele teamet (anonymiseret) og dine egne forløb (eksakte tal)",
            "Switch between the whole team (anonymised) and your own cases (exact counts)",
        ),
    ),
    "refresh": _k("Opdatér", "Refresh", tip=Bilingual("Tæl op igen", "Count again")),
    "write-export": _k(
        "Gem eksport",
        "Write export",
        tip=Bilingual(
            "Skriv filen i den valgte mappe og registrér eksporten",
            "Write the file to the chosen folder and record the export",
        ),
    ),
    "preview-view": _k(
        "Visning",
        "View",
        tip=Bilingual(
            "Vis oversigten eller alle tal i filens tabeller der ikke er 0",
            "Show the summary, or every count of the file's tables that is not 0",
        ),
    ),
    "overwrite-keep": _k("Behold filen", "Keep the file"),
    "overwrite-file": _k("Overskriv", "Overwrite"),
    "previous-period": _k(
        "Forrige",
        "Previous",
        tip=Bilingual("Forrige periode af samme slags", "The previous period of the same kind"),
    ),
    "next-period": _k(
        "Næste", "Next", tip=Bilingual("Næste periode af samme slags", "The next period of the same kind")
    ),
}
"""Binding id → its texts. A test checks that every binding the app declares has an entry here."""


def key_label(binding_id: str, lang: Lang | None = None) -> str:
    """Return the short label of binding ``binding_id`` in ``lang`` (default: the UI language).

    Raises:
        KeyError: there is no binding ``binding_id``.
    """
    return KEY_TEXTS[binding_id].label.text(lang)


BUILTIN_TEXTS: dict[str, Bilingual] = {
    # Screen
    "app.focus_next": Bilingual("Næste felt", "Next field"),
    "app.focus_previous": Bilingual("Forrige felt", "Previous field"),
    "screen.copy_text": Bilingual("Kopiér markeret tekst", "Copy selected text"),
    # DataTable and scrolling containers
    "cursor_up": Bilingual("Markør op", "Cursor up"),
    "cursor_down": Bilingual("Markør ned", "Cursor down"),
    "cursor_left": Bilingual("Markør til venstre", "Cursor left"),
    "cursor_right": Bilingual("Markør til højre", "Cursor right"),
    "page_up": Bilingual("Side op", "Page up"),
    "page_down": Bilingual("Side ned", "Page down"),
    "page_left": Bilingual("Side til venstre", "Page left"),
    "page_right": Bilingual("Side til højre", "Page right"),
    "scroll_top": Bilingual("Øverst", "Top"),
    "scroll_bottom": Bilingual("Nederst", "Bottom"),
    "scroll_home": Bilingual("Til start", "Home"),
    "scroll_end": Bilingual("Til slut", "End"),
    "scroll_up": Bilingual("Rul op", "Scroll up"),
    "scroll_down": Bilingual("Rul ned", "Scroll down"),
    "scroll_left": Bilingual("Rul til venstre", "Scroll left"),
    "scroll_right": Bilingual("Rul til højre", "Scroll right"),
    "select_cursor": Bilingual("Vælg", "Select"),
    # Input
    "cursor_left(True)": Bilingual("Markér til venstre", "Select left"),
    "cursor_right(True)": Bilingual("Markér til højre", "Select right"),
    "cursor_left_word": Bilingual("Et ord til venstre", "Word left"),
    "cursor_right_word": Bilingual("Et ord til højre", "Word right"),
    "cursor_left_word(True)": Bilingual("Markér et ord til venstre", "Select word left"),
    "cursor_right_word(True)": Bilingual("Markér et ord til højre", "Select word right"),
    "delete_left": Bilingual("Slet tegn til venstre", "Delete left"),
    "delete_right": Bilingual("Slet tegn til højre", "Delete right"),
    "delete_left_word": Bilingual("Slet ord til venstre", "Delete word left"),
    "delete_right_word": Bilingual("Slet ord til højre", "Delete word right"),
    "delete_left_all": Bilingual("Slet alt til venstre", "Delete all left"),
    "delete_right_all": Bilingual("Slet alt til højre", "Delete all right"),
    "home": Bilingual("Til start", "Go to start"),
    "end": Bilingual("Til slut", "Go to end"),
    "home(True)": Bilingual("Markér til start", "Select to start"),
    "end(True)": Bilingual("Markér til slut", "Select to end"),
    "select_all": Bilingual("Markér alt", "Select all"),
    "copy": Bilingual("Kopiér", "Copy"),
    "cut": Bilingual("Klip", "Cut"),
    "paste": Bilingual("Indsæt", "Paste"),
    "submit": Bilingual("Bekræft", "Submit"),
    # the command palette
    "escape": Bilingual("Luk kommandopaletten", "Close the command palette"),
    "command_list('last')": Bilingual("Nederst", "Go to bottom"),
    "command_list('first')": Bilingual("Øverst", "Go to top"),
    "command_list('page_down')": Bilingual("Næste side", "Next page"),
    "command_list('page_up')": Bilingual("Forrige side", "Previous page"),
    "command_list('cursor_up')": Bilingual("Forrige kommando", "Previous command"),
}
"""Textual's own bindings (they have no ids), by action, so the key list is in one language."""

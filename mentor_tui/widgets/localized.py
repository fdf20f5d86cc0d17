"""Key binding descriptions in the user's language.

Textual reads ``BINDINGS`` when a class is defined, before the settings have chosen the
language, so the descriptions written there are only the Danish defaults. Each node calls
:func:`localize_bindings` in its ``__init__`` to swap in the text from its module's catalog,
looked up by the binding's kebab-case ``id`` (the same id the keymap uses).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from mentor_tui.i18n import Catalog

BUILTIN = Catalog(
    {
        # Screen
        "@app.focus_next": ("Næste felt", "Next field"),
        "@app.focus_previous": ("Forrige felt", "Previous field"),
        "@screen.copy_text": ("Kopiér markeret tekst", "Copy selected text"),
        # DataTable and scrolling containers
        "@cursor_up": ("Markør op", "Cursor up"),
        "@cursor_down": ("Markør ned", "Cursor down"),
        "@cursor_left": ("Markør til venstre", "Cursor left"),
        "@cursor_right": ("Markør til højre", "Cursor right"),
        "@page_up": ("Side op", "Page up"),
        "@page_down": ("Side ned", "Page down"),
        "@page_left": ("Side til venstre", "Page left"),
        "@page_right": ("Side til højre", "Page right"),
        "@scroll_top": ("Øverst", "Top"),
        "@scroll_bottom": ("Nederst", "Bottom"),
        "@scroll_home": ("Til start", "Home"),
        "@scroll_end": ("Til slut", "End"),
        "@scroll_up": ("Rul op", "Scroll up"),
        "@scroll_down": ("Rul ned", "Scroll down"),
        "@scroll_left": ("Rul til venstre", "Scroll left"),
        "@scroll_right": ("Rul til højre", "Scroll right"),
        "@select_cursor": ("Vælg", "Select"),
        # Input
        "@cursor_left(True)": ("Markér til venstre", "Select left"),
        "@cursor_right(True)": ("Markér til højre", "Select right"),
        "@cursor_left_word": ("Et ord til venstre", "Word left"),
        "@cursor_right_word": ("Et ord til højre", "Word right"),
        "@cursor_left_word(True)": ("Markér et ord til venstre", "Select word left"),
        "@cursor_right_word(True)": ("Markér et ord til højre", "Select word right"),
        "@delete_left": ("Slet tegn til venstre", "Delete left"),
        "@delete_right": ("Slet tegn til højre", "Delete right"),
        "@delete_left_word": ("Slet ord til venstre", "Delete word left"),
        "@delete_right_word": ("Slet ord til højre", "Delete word right"),
        "@delete_left_all": ("Slet alt til venstre", "Delete all left"),
        "@delete_right_all": ("Slet alt til højre", "Delete all right"),
        "@home": ("Til start", "Go to start"),
        "@end": ("Til slut", "Go to end"),
        "@home(True)": ("Markér til start", "Select to start"),
        "@end(True)": ("Markér til slut", "Select to end"),
        "@select_all": ("Markér alt", "Select all"),
        "@copy": ("Kopiér", "Copy"),
        "@cut": ("Klip", "Cut"),
        "@paste": ("Indsæt", "Paste"),
        "@submit": ("Bekræft", "Submit"),
    }
)
"""Textual's own bindings (no ids), keyed by ``@action``, so the key list is in one language."""


def localize_bindings(node: DOMNode, catalog: Catalog) -> None:
    """Replace the descriptions of ``node``'s bindings whose id has an entry in ``catalog``.

    A ``{id}:tooltip`` entry, when present, replaces the tooltip too. Textual's built-in
    bindings (cursor movement, scrolling, focus, text editing) are translated from
    :data:`BUILTIN` by their action.

    Args:
        node: The app, screen or widget whose instance bindings are translated.
        catalog: The module's catalog; keys are binding ids.
    """
    translated: list[Binding] = []
    for _key, binding in node._bindings:
        if binding.id and binding.id in catalog.texts:
            tip = f"{binding.id}:tooltip"
            binding = replace(
                binding,
                description=catalog(binding.id),
                tooltip=catalog(tip) if tip in catalog.texts else binding.tooltip,
            )
        elif f"@{binding.action}" in BUILTIN.texts:
            binding = replace(binding, description=BUILTIN(f"@{binding.action}"), tooltip="")
        translated.append(binding)
    node._bindings = BindingsMap(translated)

"""English footer texts for the Danish binding descriptions of the forms and their fields.

``BINDINGS`` are class data, written before the language is chosen, so they are in Danish; a
form or field calls :func:`translate_bindings` in ``__init__`` to show English when asked to.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from mentor_tui.i18n import lang

BINDING_TEXTS: dict[str, str] = {
    "Fortryd": "Cancel",
    "Gem": "Save",
    "Tilbage": "Back",
    "Bekræft": "Confirm",
    "Ny person": "New person",
    "Næste valg": "Next choice",
    "Forrige valg": "Previous choice",
    "Eksisterende person": "Existing person",
}
"""Danish description → English description."""


def translate_bindings(node: DOMNode) -> None:
    """Give ``node``'s own copy of its bindings English descriptions when the UI speaks English."""
    if lang() != "en":
        return
    # Textual copies the class bindings per instance (DOMNode._bindings); translating the copy
    # leaves the class, and other instances, alone.
    bindings = node._bindings.key_to_bindings
    for key, key_bindings in bindings.items():
        bindings[key] = [
            replace(b, description=BINDING_TEXTS.get(b.description, b.description)) for b in key_bindings
        ]

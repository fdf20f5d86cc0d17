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


def localize_bindings(node: DOMNode, catalog: Catalog) -> None:
    """Replace the descriptions of ``node``'s bindings whose id has an entry in ``catalog``.

    A ``{id}:tooltip`` entry, when present, replaces the tooltip too.

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
        translated.append(binding)
    node._bindings = BindingsMap(translated)

"""Key bindings in the user's language: declare by id, translate in one place.

Screens and widgets declare a binding by key, action and id with :func:`binding`; its texts come
from :data:`mentor_tui.keys.KEY_TEXTS`. ``BINDINGS`` are class data, read by Textual when the
class is defined, before the settings have chosen a language, so the texts are put in the current
language where Textual hands the bindings out: :attr:`Screen.active_bindings`, which the footer,
the key list (``?``) and the app read. Every screen of the app derives from :class:`MentorScreen`
or :class:`MentorModal`, whose ``active_bindings`` does that. No private Textual attribute is
written: the bindings themselves stay as declared (Danish), so the keymap, ``check_action`` and
key dispatch are untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import TypeVar

from textual._styles_cache import StylesCache
from textual.app import SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from mentor_tui.i18n import Lang, lang
from mentor_tui.keys import BUILTIN_TEXTS, KEY_TEXTS
from mentor_tui.widgets.keystrokes import DeferKeyBindings

R = TypeVar("R")


def binding(
    keys: str,
    action: str,
    *,
    id: str,  # noqa: A002 - Textual's own name
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
) -> Binding:
    """Return the Textual binding of ``keys`` to ``action`` with the texts of binding ``id``.

    Raises:
        KeyError: ``id`` has no entry in :data:`~mentor_tui.keys.KEY_TEXTS` (when the class
            is defined, so a missing text never reaches a user).
    """
    text = KEY_TEXTS[id]
    return Binding(
        keys,
        action,
        text.label.da,
        show=show,
        key_display=key_display,
        priority=priority,
        tooltip=text.tooltip.da if text.tooltip else "",
        id=id,
    )


def in_language(bound: Binding) -> Binding:
    """Return ``bound`` with its description and tooltip in the current UI language.

    Our bindings are looked up by id, Textual's own by action; anything else is returned as is.
    """
    return _translated(bound, lang())


@lru_cache(maxsize=2048)
def _translated(bound: Binding, language: Lang) -> Binding:
    """``bound`` in ``language``, made once per binding and language: the footer and the key
    checks ask for a screen's active bindings several times per key, and each copy of a binding
    cost 2.5 µs (about 200 a time on opening a case, issue 12). Bindings are frozen; the keymap
    makes new ones."""
    text = KEY_TEXTS.get(bound.id) if bound.id else None
    if text is not None:
        tooltip = text.tooltip.text(language) if text.tooltip else ""
        return replace(bound, description=text.label.text(language), tooltip=tooltip)
    builtin = BUILTIN_TEXTS.get(bound.action)
    if builtin is not None:
        return replace(bound, description=builtin.text(language), tooltip="")
    return bound


def active_in_language(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """Return Textual's active bindings (key → binding) with their texts in the UI language."""
    translated: dict[str, ActiveBinding] = {}
    for key, entry in active.items():
        bound = in_language(entry.binding)
        translated[key] = entry._replace(binding=bound, tooltip=bound.tooltip)
    return translated


def key_command(binding_id: str, callback: Callable[[], object], *, about: str = "") -> SystemCommand:
    """Return a command-palette entry for the step bound as ``binding_id``.

    Its title is the binding's label (``"Møde: Amal K"`` when ``about`` names what it acts on),
    its help line the binding's help text.
    """
    text = KEY_TEXTS[binding_id]
    title = text.label.text()
    return SystemCommand(f"{title}: {about}" if about else title, text.help_text(), callback)


def forget_closed_watchers(node: DOMNode) -> None:
    """Drop the watchers of ``node``'s attributes that belong to closed widgets.

    Textual keeps a ``(widget, callback)`` pair on the watched node for every ``watch`` (a
    ``Header`` watches the app's title; ``data_bind`` watches the parent) and drops the pairs of
    closed widgets only when that attribute next changes, so every screen that was opened and
    closed stayed in memory with its widgets (issue 12, peak memory). This applies Textual's own
    rule (closed or closing widgets go) at once.
    """
    watchers: dict[str, list[tuple[DOMNode, object]]] = getattr(node, "__watchers", {})
    for pairs in watchers.values():
        pairs[:] = [
            (widget, callback) for widget, callback in pairs if not (widget._closing or widget._closed)
        ]


class ReleasedOnClose:
    """A screen that lets go of what Textual would keep of it once it is closed: its theme
    subscription (the signal's callback holds the screen) and the app's watchers of its widgets."""

    def on_unmount(self) -> None:
        """Unsubscribe from the theme signal; forget the app's watchers of closed widgets and
        the rendered lines Textual's style cache keeps of them."""
        assert isinstance(self, Screen)
        self.app.theme_changed_signal.unsubscribe(self)
        forget_closed_watchers(self.app)
        # ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its 1,024 keys hold
        # the style cache (every rendered line) of each widget that ever drew a background:
        # about 1.6 MiB per case opened and closed (issue 12). The colours are quick to make again.
        StylesCache.get_inner_outer.cache_clear()


class MentorScreen(ReleasedOnClose, DeferKeyBindings, Screen[R]):
    """A full screen of the app: its key texts follow the UI language; keys are handled in order
    (:mod:`mentor_tui.widgets.keystrokes`); nothing of it stays in memory once it is closed."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, with texts in the UI language (see the module doc)."""
        return active_in_language(super().active_bindings)


class MentorModal(ReleasedOnClose, DeferKeyBindings, ModalScreen[R]):
    """A dialog of the app: its key texts follow the UI language; keys are handled in order
    (:mod:`mentor_tui.widgets.keystrokes`); nothing of it stays in memory once it is closed."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, with texts in the UI language (see the module doc).

        A dialog hides the app's bindings, but the app's priority keys (F1, ctrl+q, ctrl+p)
        work in it too, so they are listed (and shown in its footer) as well.
        """
        active = dict(super().active_bindings)
        stack = self.app.screen_stack
        base = stack[0] if stack else None
        if base is not None and base is not self:
            for key, entry in base.active_bindings.items():
                if entry.node is self.app and entry.binding.priority and key not in active:
                    active[key] = entry
        return active_in_language(active)

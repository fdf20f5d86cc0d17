"""The footer of every screen: the keys that apply, fitted to the terminal's width.

Textual's footer cuts off whatever does not fit at the right, which at 80 columns took the help
key (F1) and the quit key with it (issue 11). This one fits the keys in: first it leaves out the
command palette's key (ctrl+p is named by F1 and ``?``), then it uses the short label a key has
(:attr:`mentor_tui.keys.KeyText.short`), and only then does it leave out keys of the screen,
from the last one; the help and quit keys always stay. Widths are measured in terminal cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich.cells import cell_len
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from mentor_tui.keys import KEY_TEXTS
from mentor_tui.widgets.bindings import forget_closed_watchers

COMPACT_BELOW = 100
"""Terminal widths below this get the compact footer, so that every key still fits."""

ALWAYS_SHOWN = frozenset({"help", "quit"})
"""Binding ids the footer never leaves out."""


@dataclass
class _Key:
    binding: Binding
    shown_key: str
    description: str
    enabled: bool
    tooltip: str

    def width(self, compact: bool) -> int:
        # compact: "key desc" and one cell of margin; else " key desc "
        return cell_len(self.shown_key) + cell_len(self.description) + (2 if compact else 3)


class KeyFooter(Footer):
    """Textual's footer, compact below :data:`COMPACT_BELOW` columns, never cut at the right."""

    def on_resize(self, event: Resize) -> None:
        """Choose the spacing for the new width, and fit the keys again."""
        compact = event.size.width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
        if self.is_mounted:
            self.call_after_refresh(self.recompose)

    def _keys(self) -> Iterator[_Key]:
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                yield _Key(binding, self.app.get_key_display(binding), binding.description, enabled, tooltip)

    _shown: tuple[object, ...] | None = None
    """What the keys on show were composed from (see :meth:`recompose`)."""

    def _plan(self) -> tuple[list[_Key], _Key | None, bool]:
        """The keys that fit, the palette key when there is room for it, and the spacing."""
        width = self.size.width or self.app.size.width
        compact = width < COMPACT_BELOW
        keys = list(self._keys())
        palette = None
        active = self.screen.active_bindings
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, tooltip = entry
                palette = _Key(
                    binding, self.app.get_key_display(binding), binding.description, enabled, tooltip
                )
        keys, palette = fit_keys(keys, palette, width, compact)
        return keys, palette, compact

    @staticmethod
    def _signature(keys: list[_Key], palette: _Key | None, compact: bool) -> tuple[object, ...]:
        def one(key: _Key) -> tuple[object, ...]:
            return (
                key.binding.key,
                key.binding.action,
                key.shown_key,
                key.description,
                key.enabled,
                key.tooltip,
            )

        return (compact, tuple(one(k) for k in keys), one(palette) if palette is not None else None)

    async def recompose(self) -> None:
        """Compose the keys again, unless they would be the same keys (issue 12).

        Textual asks the footer to recompose whenever a screen's bindings may have changed:
        focus moves, a screen comes back, a cursor moves. Mostly nothing shown changes, and
        mounting ten keys again cost 5-15 ms a time (several times on opening a case and going
        back to the list).
        """
        unchanged = self._bindings_ready and self.is_attached and bool(self.children)
        if unchanged and self._signature(*self._plan()) == self._shown:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        """The keys that fit, and the palette key when there is room for it."""
        if not self._bindings_ready:
            return
        # the keys of the last compose are closed now, but each stays in this footer's watchers
        # (``data_bind``) until ``compact`` next changes: forget them, or every recompose kept
        # the old keys in memory (issue 12)
        forget_closed_watchers(self)
        # and Textual's method cache of style caches (``StylesCache.get_inner_outer``) holds what
        # the replaced keys drew until its screen closes, which a kept screen never does
        StylesCache.get_inner_outer.cache_clear()
        keys, palette, compact = self._plan()
        self._shown = self._signature(keys, palette, compact)
        for key in keys:
            yield FooterKey(
                key.binding.key,
                key.shown_key,
                key.description,
                key.binding.action,
                disabled=not key.enabled,
                tooltip=key.tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            yield FooterKey(
                palette.binding.key,
                palette.shown_key,
                palette.description,
                palette.binding.action,
                classes="-command-palette",
                disabled=not palette.enabled,
                tooltip=palette.binding.tooltip or palette.description,
            )


def fit_keys(
    keys: list[_Key], palette: _Key | None, width: int, compact: bool
) -> tuple[list[_Key], _Key | None]:
    """Return the keys (and palette key) that fit in ``width`` cells, as the module doc says."""

    def total(items: list[_Key], with_palette: _Key | None) -> int:
        used = sum(k.width(compact) for k in items)
        return used + (with_palette.width(compact) + 1 if with_palette is not None else 0)

    if total(keys, palette) <= width:
        return keys, palette
    palette = None
    if total(keys, None) > width:
        for key in keys:
            text = KEY_TEXTS.get(key.binding.id or "")
            if text is not None and text.short is not None:
                key.description = text.short.text()
    keys = list(keys)
    while total(keys, None) > width:
        droppable = [i for i, k in enumerate(keys) if k.binding.id not in ALWAYS_SHOWN]
        if not droppable:
            break
        keys.pop(droppable[-1])
    return keys, palette

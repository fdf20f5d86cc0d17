"""Type-to-pick several coded values (reasons, roles present).

Type part of a label and press Enter to add the best match (Enter again on a chosen value takes
it off); Up/Down step through the matches; Backspace in the empty input removes the last one.
Leaving the field with a match typed adds it too. Enter in the empty input moves on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from mentor_tui.codes import Code
from mentor_tui.i18n import Catalog, lang
from mentor_tui.widgets.code_picker import PickerInput, rank_matches

C = TypeVar("C", bound=Code)

T = Catalog(
    {
        "none": ("(ingen valgt)", "(none chosen)"),
        "hint": ("Enter: tilføj/fjern ▸ {label}", "Enter: add/remove ▸ {label}"),
        "no_match": ("ingen værdi passer til «{text}»", "nothing matches “{text}”"),
        "placeholder": ("skriv for at vælge…", "type to choose…"),
    }
)


class _ChoiceInput(PickerInput):
    """An input where Backspace with nothing typed removes the last chosen value."""

    def action_delete_left(self) -> None:
        parent = self.parent
        if not self.value and isinstance(parent, CodeMultiPicker):
            parent.remove_last()
            return
        super().action_delete_left()


class CodeMultiPicker(Widget, Generic[C]):
    """Several coded values chosen by typing; the chosen ones are listed under the input."""

    DEFAULT_CSS = """
    CodeMultiPicker {
        height: auto;
        width: 1fr;
        & > Input { width: 100%; background: $boost; }
        & > Input:focus { background: $primary 25%; }
        & > .multi-picker--chosen { height: auto; color: $text; }
        & > .multi-picker--hint { color: $text-muted; height: 1; display: none; }
        &.-focused > .multi-picker--hint { display: block; }
        &.-no-match > .multi-picker--hint { color: $error; }
    }
    """

    @dataclass
    class Changed(Message):
        """The chosen values changed."""

        picker: CodeMultiPicker[Any]
        values: list[Code]

        @property
        def control(self) -> CodeMultiPicker[Any]:
            """The picker that changed."""
            return self.picker

    def __init__(
        self,
        options: Iterable[C],
        *,
        values: Iterable[C] = (),
        id: str | None = None,  # noqa: A002 - Textual's own name for it
    ) -> None:
        """Create a picker over ``options`` with ``values`` chosen at first."""
        super().__init__(id=id)
        self._options = list(options)
        self._values: list[C] = [v for v in values if v in self._options]
        self._matches: list[C] = []
        self._index = 0

    def compose(self) -> ComposeResult:
        yield _ChoiceInput(
            placeholder=T("placeholder"), compact=True, id=f"{self.id}-input" if self.id else None
        )
        yield Static(self._chosen_text(), classes="multi-picker--chosen")
        yield Static("", classes="multi-picker--hint")

    @property
    def input(self) -> Input:
        """The text input inside the picker."""
        return self.query_one(Input)

    @property
    def values(self) -> list[C]:
        """The chosen values, in the order of the options."""
        return [c for c in self._options if c in self._values]

    def set_values(self, values: Iterable[C]) -> None:
        """Choose exactly ``values`` (from code)."""
        self._values = [v for v in values if v in self._options]
        self._update()

    def _label(self, code: C) -> str:
        return code.label(lang())

    def _chosen_text(self) -> str:
        chosen = self.values
        return ", ".join(f"✓ {self._label(c)}" for c in chosen) if chosen else T("none")

    @property
    def _current(self) -> C | None:
        return self._matches[self._index] if self._matches else None

    def _update(self) -> None:
        self.query_one(".multi-picker--chosen", Static).update(self._chosen_text())
        hint = self.query_one(".multi-picker--hint", Static)
        text = self.input.value.strip()
        no_match = bool(text) and not self._matches
        self.set_class(no_match, "-no-match")
        current = self._current
        if no_match:
            hint.update(T("no_match", text=text))
        elif current is not None:
            mark = "✓ " if current in self._values else ""
            hint.update(T("hint", label=mark + self._label(current)))
        else:
            hint.update(" · ".join(self._label(c) for c in self._options[:6]))

    def _toggle(self, code: C, *, add_only: bool = False) -> None:
        if code in self._values:
            if add_only:
                return
            self._values.remove(code)
        else:
            self._values.append(code)
        self.post_message(self.Changed(self, list(self.values)))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value
        self._matches = (
            rank_matches(text, [(self._label(c), c) for c in self._options]) if text.strip() else []
        )
        self._index = 0
        self._update()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        current = self._current
        if current is None:
            if not event.value.strip():
                self.screen.focus_next()
            return
        self._toggle(current)
        self.input.value = ""
        self._matches = []
        self._update()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        event.stop()
        current = self._current
        if current is not None and event.value.strip():
            self._toggle(current, add_only=True)
        self.input.value = ""
        self._matches = []
        self._update()

    def action_step(self, delta: int) -> None:
        """Highlight the next (1) or previous (-1) match; with nothing typed, browse all."""
        if not self._matches:
            self._matches = list(self._options)
            self._index = -1 if delta > 0 else 0
        self._index = (self._index + delta) % len(self._matches)
        self._update()

    def remove_last(self) -> None:
        """Remove the most recently chosen value."""
        if self._values:
            self._values.pop()
            self.post_message(self.Changed(self, list(self.values)))
            self._update()

    def on_mount(self) -> None:
        """Fill the hint line."""
        self._update()

    def on_descendant_focus(self) -> None:
        """Show the hint line while the input has focus."""
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        """Hide the hint line again."""
        self.remove_class("-focused")

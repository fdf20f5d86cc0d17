"""Type-to-pick a coded value: typing "vol" and Enter or Tab picks Vollsmose, "a6" picks A6.

The widget is one compact input with a hint line under it. While it has focus the hint shows the
best match (and how many others); Up/Down step through the matches. Enter or leaving the field
commits the match and writes its full label into the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from mentor_tui.codes import Code
from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual, Catalog, lang
from mentor_tui.widgets.bindings import binding

C = TypeVar("C", bound=Code)

T = Catalog(
    {
        "no_match": ("ingen værdi passer til «{text}»", "nothing matches “{text}”"),
        "not_allowed": ("ikke tilladt her", "not allowed here"),
        "more": ("↑↓ {i}/{n}", "↑↓ {i}/{n}"),
        "browse": ("↑↓ eller skriv: {options}", "↑↓ or type: {options}"),
    }
)

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
_WORDS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased with æ, ø, å spelled ae, oe, aa, so either spelling matches."""
    return text.casefold().translate(_FOLD)


def _short(code: Code) -> str:
    short = getattr(code, "short", None)
    return short if isinstance(short, str) else ""


def match_score(query: str, code: Code, label: str) -> int | None:
    """Return how well ``query`` matches ``code`` (lower is better), or None for no match.

    0: the code, its short form (``A6``) or its label exactly; 1: the label starts with it;
    2: a word of the label starts with it; 3: the code starts with it; 4: the label or the code
    contains it.
    """
    q = fold(query.strip())
    if not q:
        return 5
    text = fold(label)
    value = fold(code.value)
    if q in {value, fold(_short(code)), text}:
        return 0
    if text.startswith(q):
        return 1
    if any(word.startswith(q) for word in _WORDS.split(text) if word):
        return 2
    if value.startswith(q):
        return 3
    if q in text or q in value:
        return 4
    return None


def rank_matches(query: str, options: Sequence[tuple[str, C]]) -> list[C]:
    """Return the options matching ``query``, best first (ties keep the given order)."""
    scored = []
    for index, (label, code) in enumerate(options):
        score = match_score(query, code, label)
        if score is not None:
            scored.append((score, index, code))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [code for _, _, code in scored]


NO_MATCH = Bilingual("Ingen værdi passer til «{text}»", "Nothing matches “{text}”")
"""A form's problem when a picker's text matches nothing (a picker may word it for its field)."""


class PickerInput(Input):
    """The input of a picker: Up/Down step through the matches (and the footer says so)."""

    BINDINGS = [
        binding("down", "step(1)", id="next-choice"),
        binding("up", "step(-1)", id="previous-choice"),
    ]

    def action_step(self, delta: int) -> None:
        """Let the picker highlight the next (1) or previous (-1) match."""
        step = getattr(self.parent, "action_step", None)
        if callable(step):
            step(delta)


class CodePicker(Widget, Generic[C]):
    """A single coded value chosen by typing part of its label or code."""

    DEFAULT_CSS = """
    CodePicker {
        height: auto;
        width: 1fr;
        & > Input { width: 100%; background: $boost; }
        & > Input:focus { background: $primary 25%; }
        & > .code-picker--hint { color: $text-muted; height: 1; display: none; }
        &.-focused > .code-picker--hint { display: block; }
        &.-no-match > .code-picker--hint { color: $error; }
    }
    """

    @dataclass
    class Changed(Message):
        """The picked value changed (it may be None)."""

        picker: CodePicker[Any]
        value: Code | None

        @property
        def control(self) -> CodePicker[Any]:
            """The picker that changed."""
            return self.picker

    index: reactive[int] = reactive(0, init=False)
    """Which of the current matches is highlighted."""

    def __init__(
        self,
        options: Iterable[C],
        *,
        value: C | None = None,
        unavailable: Iterable[C] = (),
        placeholder: str = "",
        labels: Callable[[C], str] | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
        disabled: bool = False,
        no_match: Bilingual = NO_MATCH,
    ) -> None:
        """Create a picker.

        Args:
            options: the values that may be picked, in display order.
            value: the value picked at first.
            unavailable: values that are recognised when typed but are not allowed; they can be
                picked so the form can explain the rule, and are marked as not allowed.
            placeholder: shown while the input is empty.
            labels: how to show a value (default: its label in the current language).
            id: the widget id.
            disabled: whether the picker starts disabled.
            no_match: the problem shown when the typed text matches nothing (``{text}`` is it).
        """
        super().__init__(id=id, disabled=disabled)
        self._options = list(options)
        self._unavailable = [c for c in unavailable if c not in self._options]
        self._value: C | None = value
        self._matches: list[C] = []
        self._placeholder = placeholder
        self._labels = labels
        self._no_match = no_match

    def compose(self) -> ComposeResult:
        yield PickerInput(
            self._label(self._value) if self._value is not None else "",
            placeholder=self._placeholder,
            compact=True,
            id=f"{self.id}-input" if self.id else None,
        )
        yield Static("", classes="code-picker--hint")

    @property
    def input(self) -> Input:
        """The text input inside the picker."""
        return self.query_one(Input)

    @property
    def value(self) -> C | None:
        """The picked value, or None when nothing matches or the input is empty."""
        return self._value

    @property
    def text(self) -> str:
        """What is typed in the input."""
        return self.input.value

    @property
    def submitted(self) -> C | str | None:
        """What to save: the picked value, else the typed text (so the service refuses it with its
        own message and nothing is saved), else None for an empty field."""
        return self._value if self._value is not None else (self.text.strip() or None)

    @property
    def unmatched(self) -> bool:
        """True when something is typed that matches no value."""
        return bool(self.text.strip()) and self._value is None

    @property
    def is_unavailable(self) -> bool:
        """True when the picked value is one that is recognised but not allowed."""
        return self._value is not None and self._value in self._unavailable

    def problems(self, field: str) -> list[Problem]:
        """Return a problem for ``field`` when the typed text matches nothing (else nothing)."""
        if not self.unmatched or self.disabled:
            return []
        return [Problem(field, self._no_match.format(text=self.text.strip()), "no_match")]

    def set_value(self, value: C | None) -> None:
        """Pick ``value`` (or clear the picker) from code."""
        self._value = value
        self._matches = []
        self.input.value = self._label(value) if value is not None else ""
        self._post_changed()

    def _label(self, code: C) -> str:
        return self._labels(code) if self._labels else code.label(lang())

    def _all(self) -> list[tuple[str, C]]:
        return [(self._label(c), c) for c in [*self._options, *self._unavailable]]

    def _refresh_hint(self) -> None:
        hint = self.query_one(".code-picker--hint", Static)
        self.set_class(self.unmatched, "-no-match")
        if self.unmatched:
            hint.update(T("no_match", text=self.text.strip()))
            return
        if self._value is None:
            hint.update(T("browse", options=" · ".join(label for label, _ in self._all()[:6])))
            return
        text = f"▸ {self._label(self._value)}"
        if self.is_unavailable:
            text += f" ({T('not_allowed')})"
        if len(self._matches) > 1:
            text += "   " + T("more", i=self.index + 1, n=len(self._matches))
        hint.update(text)

    def _post_changed(self) -> None:
        self._refresh_hint()
        self.post_message(self.Changed(self, self._value))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value
        if self._value is not None and text == self._label(self._value):
            return  # the label written by commit() or set_value(), not typing
        self._matches = rank_matches(text, self._all()) if text.strip() else []
        self.index = 0
        self._value = self._matches[0] if self._matches else None
        self._post_changed()

    def action_step(self, delta: int) -> None:
        """Highlight the next (1) or previous (-1) match."""
        if not self._matches:
            self._matches = [c for _, c in self._all()]
            current = self._value
            self.index = self._matches.index(current) if current in self._matches else -1
        if not self._matches:
            return
        self.index = (self.index + delta) % len(self._matches)
        self._value = self._matches[self.index]
        self._post_changed()

    def commit(self) -> None:
        """Write the picked value's full label into the input."""
        if self._value is not None and self.text != self._label(self._value):
            self.input.value = self._label(self._value)
        self._matches = []
        self._refresh_hint()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()
        self.screen.focus_next()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        event.stop()
        self.commit()

    def on_mount(self) -> None:
        """Fill the hint line."""
        self._refresh_hint()

    def on_descendant_focus(self) -> None:
        """Show the hint line while the input has focus."""
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        """Hide the hint line again."""
        self.remove_class("-focused")

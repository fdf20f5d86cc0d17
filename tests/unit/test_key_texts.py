"""Key bindings are declared once by id, and every id has its texts in both languages."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

import mentor_tui
from mentor_tui.i18n import Bilingual, set_language
from mentor_tui.keys import BUILTIN_TEXTS, KEY_TEXTS, key_label
from mentor_tui.widgets.bindings import MentorModal, MentorScreen, binding, in_language
from mentor_tui.widgets.palette import MentorPalette


def _our_classes() -> list[type[DOMNode]]:
    """Every Textual node class defined in mentor_tui (all modules imported)."""
    for info in pkgutil.walk_packages(mentor_tui.__path__, "mentor_tui."):
        importlib.import_module(info.name)
    found: list[type[DOMNode]] = []
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("mentor_tui."):
                found.append(sub)
    return found


def _declared() -> dict[str, list[Binding]]:
    """Class name → the bindings that class itself declares."""
    out: dict[str, list[Binding]] = {}
    for cls in _our_classes():
        own = cls.__dict__.get("BINDINGS", [])
        if own:
            out[f"{cls.__module__}.{cls.__qualname__}"] = list(own)
    return out


def _both(text: Bilingual) -> bool:
    return bool(text.da.strip()) and bool(text.en.strip())


def test_every_binding_text_is_in_danish_and_english() -> None:
    for binding_id, text in KEY_TEXTS.items():
        assert _both(text.label), binding_id
        assert text.tooltip is None or _both(text.tooltip), binding_id
        assert text.help is None or _both(text.help), binding_id
    for action, builtin in BUILTIN_TEXTS.items():
        assert _both(builtin), action


def test_every_declared_binding_has_an_id_with_texts() -> None:
    declared = _declared()
    assert "mentor_tui.app.MentorApp" in declared
    for owner, bindings in declared.items():
        for bound in bindings:
            assert isinstance(bound, Binding), owner
            assert bound.id in KEY_TEXTS, f"{owner}: {bound.key} → {bound.action} has no id with texts"


def test_no_text_without_a_binding() -> None:
    used = {bound.id for bindings in _declared().values() for bound in bindings}
    assert set(KEY_TEXTS) - used == set()


def test_an_unknown_id_fails_when_the_class_is_defined() -> None:
    with pytest.raises(KeyError):
        binding("x", "nothing", id="no-such-binding")


def test_every_screen_shows_its_keys_in_the_ui_language() -> None:
    screens = [cls for cls in _our_classes() if issubclass(cls, Screen)]
    assert screens
    for cls in screens:
        assert issubclass(cls, MentorScreen | MentorModal | MentorPalette), cls


def test_in_language_by_id_and_textuals_own_by_action() -> None:
    ours = binding("r", "refresh", id="refresh")
    textual_own = Binding("up", "cursor_up", "Cursor up")
    other = Binding("z", "something_else", "As declared")
    set_language("en")
    assert in_language(ours).description == "Refresh"
    assert in_language(ours).tooltip == "Count again"
    assert in_language(textual_own).description == "Cursor up"
    assert key_label("set-followup") == "Follow-up"
    set_language("da")
    assert in_language(ours).description == "Opdatér"
    assert in_language(ours).tooltip == "Tæl op igen"
    assert in_language(textual_own).description == "Markør op"
    assert in_language(textual_own).tooltip == ""
    assert in_language(other) is other
    assert key_label("set-followup") == "Opfølgning"

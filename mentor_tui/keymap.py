"""The ``[keymap]`` of config.toml, checked before the app uses it (issue 11 item 5).

Textual applies a keymap without a word: a misspelled binding id is ignored, a key that cannot
be typed (``ctrl+banana``) is accepted (and shown as ``^🍌``), and a key already in use silently
takes the other binding's key away. :func:`check_keymap` finds each of these, names the line of
the config file, and returns only the remaps that are safe; the app applies those and shows the
problems (``app.py``). Nothing is dropped without a message.

Collisions are found the way Textual applies a keymap: per class that declares bindings (its
bindings merged with those of its bases), plus a key of the app's own bindings (F1, ctrl+q,
ctrl+p ...) taken by a screen's binding, or the other way round.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import pkgutil
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, _normalize_key_list
from textual.screen import Screen

import mentor_tui
from mentor_tui.i18n import Bilingual
from mentor_tui.keys import KEY_TEXTS

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
"""Modifier names Textual understands, joined to a key with ``+``."""

_NAMED_KEYS = frozenset(
    {k.value for k in Keys if "+" not in k.value}
    | {_character_to_key(c) for c in string.printable if not c.isspace() or c == " "}
    | {f"f{n}" for n in range(1, 25)}
    | {"tab", "enter", "escape", "space", "backspace", "delete", "insert"}
)
"""Key names that can be typed: Textual's named keys and the names of the ASCII characters."""


@dataclass(frozen=True)
class KeymapProblem:
    """One thing wrong with the keymap, and where."""

    message: Bilingual
    line: int | None
    """The line of the config file (1-based), when found."""
    binding_id: str

    def text(self, path: Path | None, lang: str | None = None) -> str:
        """The problem with its place: ``config.toml, linje 7: ...``."""
        where = Bilingual("{file}, linje {line}: ", "{file}, line {line}: ").format(
            file=path.name if path else "config.toml", line=self.line
        )
        prefix = where if self.line is not None else Bilingual("[keymap]: ", "[keymap]: ")
        return (prefix + self.message).text(lang)  # type: ignore[arg-type]


def key_is_typeable(key: str) -> bool:
    """True when ``key`` (``ctrl+n``, ``f2``, ``question_mark``, ``ø``) names a key a user can type."""
    parts = key.strip().split("+")
    *modifiers, name = parts
    if not name or any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in _NAMED_KEYS


def _label(binding_id: str) -> str:
    text = KEY_TEXTS.get(binding_id)
    return f"«{text.label.da}» ({binding_id})" if text else binding_id


def _label_en(binding_id: str) -> str:
    text = KEY_TEXTS.get(binding_id)
    return f"“{text.label.en}” ({binding_id})" if text else binding_id


def keymap_lines(path: Path | None) -> dict[str, int]:
    """Return the line of each entry of the ``[keymap]`` table in the file at ``path``."""
    if path is None or not path.exists():
        return {}
    lines: dict[str, int] = {}
    table = ""
    entry = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.strip("[] ")
            continue
        m = entry.match(line)
        if not m:
            continue
        key = m.group(1) or m.group(2) or m.group(3)
        if table == "keymap":
            lines.setdefault(key, number)
        elif table == "" and key.startswith("keymap."):
            lines.setdefault(key.removeprefix("keymap."), number)
    return lines


def binding_classes() -> list[type[DOMNode]]:
    """Every class of the app that declares key bindings (all modules imported)."""
    for info in pkgutil.walk_packages(mentor_tui.__path__, "mentor_tui."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: list[type[DOMNode]] = []
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("mentor_tui.") and sub.__dict__.get("BINDINGS"):
                found.append(sub)
    return found


@functools.cache
def default_keys() -> dict[str, str]:
    """Binding id → its keys as declared (``"escape,f1,enter"``), before any keymap."""
    out: dict[str, str] = {}
    for cls in binding_classes():
        for declared in cls.__dict__.get("BINDINGS", []):
            if isinstance(declared, Binding) and declared.id:
                out.setdefault(declared.id, _normalize_key_list(declared.key))
    return out


def shown_keys(keys: str, lang: str | None = None) -> str:
    """Return how a comma-separated key list is shown: ``esc/f1/⏎``."""
    return "/".join(display_key(k.strip(), lang) for k in keys.split(",") if k.strip())


def _keys_by_id(bindings: BindingsMap) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, bound in bindings.key_to_bindings.items():
        for b in bound:
            if b.id:
                out.setdefault(b.id, set()).add(key)
    return out


def _merged(cls: type[DOMNode]) -> BindingsMap:
    merged = cls._merged_bindings
    return merged.copy() if merged is not None else BindingsMap()


def check_keymap(
    keymap: Mapping[str, str],
    *,
    path: Path | None = None,
    app_class: type[DOMNode] | None = None,
    classes: Iterable[type[DOMNode]] | None = None,
) -> tuple[dict[str, str], list[KeymapProblem]]:
    """Check ``keymap`` (binding id → keys) and return ``(the safe part, the problems)``.

    Args:
        keymap: the ``[keymap]`` table as read from the config file.
        path: the config file, to name the line of each problem.
        app_class: the app class (its bindings are active on every screen).
        classes: the classes declaring bindings (default: all of the app's).

    A remap with a problem is left out of the safe part: that binding keeps its default key.
    """
    lines = keymap_lines(path)
    problems: list[KeymapProblem] = []

    def problem(binding_id: str, da: str, en: str) -> None:
        problems.append(KeymapProblem(Bilingual(da, en), lines.get(binding_id), binding_id))

    safe: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in KEY_TEXTS:
            close = difflib.get_close_matches(binding_id.lower(), list(KEY_TEXTS), n=1, cutoff=0.75)
            hint_da = f" Mente du «{close[0]}»?" if close else " Se listen under ? eller i README."
            hint_en = f" Did you mean “{close[0]}”?" if close else " See the list under ? or in the README."
            problem(
                binding_id,
                f"«{binding_id}» er ikke navnet på en tast i mentor-tui; linjen bruges ikke.{hint_da}",
                f"“{binding_id}” is not the name of a key binding in mentor-tui; the line is not used."
                f"{hint_en}",
            )
            continue
        if not isinstance(keys, str) or not keys.strip():
            problem(
                binding_id, "Der mangler en tast; linjen bruges ikke.", "No key given; the line is not used."
            )
            continue
        bad = [k.strip() for k in keys.split(",") if not key_is_typeable(k)]
        if bad:
            problem(
                binding_id,
                f"«{', '.join(bad)}» er ikke en tast der kan trykkes (fx ctrl+n, f2, x); "
                f"{_label(binding_id)} beholder sin tast.",
                f"“{', '.join(bad)}” is not a key that can be pressed (e.g. ctrl+n, f2, x); "
                f"{_label_en(binding_id)} keeps its key.",
            )
            continue
        safe[binding_id] = _normalize_key_list(keys)

    all_classes = list(classes) if classes is not None else binding_classes()
    # leave out remaps that collide until none is left (one bad remap can hide another)
    while True:
        collisions = _collisions(safe, all_classes, app_class)
        if not collisions:
            break
        for binding_id, other_id, key, shares_old_key in collisions:
            if binding_id not in safe:
                continue
            safe.pop(binding_id)
            shown_da, shown_en = display_key(key, "da"), display_key(key, "en")
            if shares_old_key:
                problem(
                    binding_id,
                    f"{_label(binding_id)} deler tasten {shown_da} med {_label(other_id)}, som ville miste "
                    f"den ved flytningen; {_label(binding_id)} beholder sin tast. Flyt begge, eller ingen.",
                    f"{_label_en(binding_id)} shares the key {shown_en} with {_label_en(other_id)}, which "
                    f"would lose it by the move; {_label_en(binding_id)} keeps its key. "
                    "Move both, or neither.",
                )
                continue
            problem(
                binding_id,
                f"Tasten {shown_da} bruges allerede af {_label(other_id)}; {_label(binding_id)} beholder "
                "sin tast, så ingen af dem mister deres. Vælg en anden tast.",
                f"The key {shown_en} is already used by {_label_en(other_id)}; {_label_en(binding_id)} "
                "keeps its key, so neither loses theirs. Choose another key.",
            )
    problems.sort(key=lambda p: (p.line or 0, p.binding_id))
    return safe, problems


def _collisions(
    keymap: dict[str, str], classes: list[type[DOMNode]], app_class: type[DOMNode] | None
) -> list[tuple[str, str, str, bool]]:
    """Return ``(remapped id, the other id, key, shared old key)`` for each remap that takes a key
    in use (or, moving away, takes a shared key from another binding)."""
    if not keymap:
        return []
    found: list[tuple[str, str, str, bool]] = []
    app_after: dict[str, set[str]] = {}
    if app_class is not None:
        app_map = _merged(app_class)
        app_map.apply_keymap(keymap)
        app_after = _keys_by_id(app_map)
    for cls in classes:
        merged = _merged(cls)
        before = _keys_by_id(merged)
        after_map = merged.copy()
        after_map.apply_keymap(keymap)
        after = _keys_by_id(after_map)
        new_keys = {i: keys for i, keys in after.items() if i in keymap}
        # Textual drops a binding whose key a remap takes, and every binding on a moved one's old key
        for binding_id, keys in before.items():
            if binding_id in keymap or after.get(binding_id):
                continue
            for key in sorted(keys):
                taker = [i for i, new in new_keys.items() if key in new]
                if taker:
                    found.append((taker[0], binding_id, key, False))
                    continue
                mover = [i for i, old in before.items() if key in old and i in keymap]
                if mover:
                    found.append((mover[0], binding_id, key, True))
        # remaps onto one key in the same class (unless they shared a key by default, as the
        # pairs of the close-case form do, told apart by what is on screen)
        for key, bound in after_map.key_to_bindings.items():
            ids = sorted({b.id for b in bound if b.id})
            for i, first in enumerate(ids):
                for second in ids[i + 1 :]:
                    if (first in keymap or second in keymap) and not (
                        before.get(first, set()) & before.get(second, set())
                    ):
                        moved = second if second in keymap else first
                        found.append((moved, first if moved == second else second, key, False))
        if app_class is not None and cls is not app_class and not issubclass(cls, app_class):
            found += _across(keymap, after, app_after, before, _keys_by_id(_merged(app_class)))
    # a widget's key shadows its screen's while the widget has focus (the case list's table and
    # the letter filters): a remap may not put a widget binding and a screen binding on one key
    widgets = [c for c in classes if not issubclass(c, Screen) and (app_class is None or c is not app_class)]
    screens = [c for c in classes if issubclass(c, Screen)]
    for widget in widgets:
        w_before = _keys_by_id(_merged(widget))
        w_map = _merged(widget)
        w_map.apply_keymap(keymap)
        w_after = _keys_by_id(w_map)
        for screen in screens:
            s_before = _keys_by_id(_merged(screen))
            s_map = _merged(screen)
            s_map.apply_keymap(keymap)
            found += _across(keymap, w_after, _keys_by_id(s_map), w_before, s_before)
    return found


def _across(
    keymap: Mapping[str, str],
    after: dict[str, set[str]],
    other_after: dict[str, set[str]],
    before: dict[str, set[str]],
    other_before: dict[str, set[str]],
) -> list[tuple[str, str, str, bool]]:
    """Collisions between two namespaces that are active together (a shared default key is not one)."""
    found: list[tuple[str, str, str, bool]] = []
    for binding_id, keys in after.items():
        for other_id, other_keys in other_after.items():
            shared = keys & other_keys
            if not shared or binding_id == other_id:
                continue
            if binding_id not in keymap and other_id not in keymap:
                continue
            if before.get(binding_id, set()) & other_before.get(other_id, set()) & shared:
                continue  # they shared this key before any remap: focus decides, as designed
            mover = binding_id if binding_id in keymap else other_id
            still = other_id if mover == binding_id else binding_id
            found.append((mover, still, sorted(shared)[0], False))
    return found


KEY_NAMES: dict[str, Bilingual] = {
    "space": Bilingual("mellemrum", "space"),
    "shift": Bilingual("skift", "shift"),
    "escape": Bilingual("esc", "esc"),
    "delete": Bilingual("slet", "del"),
    "insert": Bilingual("indsæt", "ins"),
    "pageup": Bilingual("pgup", "pgup"),
    "pagedown": Bilingual("pgdn", "pgdn"),
    "home": Bilingual("home", "home"),
    "end": Bilingual("end", "end"),
    "tab": Bilingual("tab", "tab"),
}
"""Key names shown to a user where Textual would show its English name."""


def display_key(key: str, lang: str | None = None) -> str:
    """Return how ``key`` (``ctrl+s``, ``space``, ``question_mark``) is shown: ``^s``, ``mellemrum``, ``?``.

    Like Textual's footer (``^`` for ctrl, symbols for arrows and Enter), with the key names a
    user reads in the UI language.
    """
    from textual.keys import format_key

    *modifiers, name = key.split("+")
    shown = KEY_NAMES[name].text(lang) if name in KEY_NAMES else format_key(name)  # type: ignore[arg-type]
    words = [KEY_NAMES[m].text(lang) if m in KEY_NAMES else m for m in modifiers if m != "ctrl"]  # type: ignore[arg-type]
    if "ctrl" in modifiers:
        shown = f"^{shown}"
    return "+".join([*words, shown])

"""Translation of user-facing text: Danish by default, English on request.

Each module keeps its own :class:`Catalog` of ``key -> (dansk, english)`` so that screens can be
written side by side without editing one shared file. The current language lives in a
``ContextVar`` set once at start-up from the settings.
"""

from __future__ import annotations

from contextvars import ContextVar

from mentor_tui.codes import Lang

current_lang: ContextVar[Lang] = ContextVar("current_lang", default="da")
"""The language the UI speaks now."""


def set_language(lang: Lang) -> None:
    """Set the UI language for this context (the app calls this once at start)."""
    current_lang.set(lang)


def lang() -> Lang:
    """Return the current UI language."""
    return current_lang.get()


class Catalog:
    """A module's translations: ``T("key")`` returns the text in the current language.

    Keyword arguments are substituted with :meth:`str.format`.
    """

    def __init__(self, texts: dict[str, tuple[str, str]]) -> None:
        self.texts = texts

    def __call__(self, key: str, lang: Lang | None = None, /, **values: object) -> str:
        da, en = self.texts[key]
        text = da if (lang or current_lang.get()) == "da" else en
        return text.format(**values) if values else text

    def both(self, key: str, /, **values: object) -> tuple[str, str]:
        """Return the ``(dansk, english)`` pair, formatted."""
        return self(key, "da", **values), self(key, "en", **values)

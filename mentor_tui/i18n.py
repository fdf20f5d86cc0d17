"""Translation of user-facing text: Danish by default, English on request.

Every user-facing text is a :class:`Bilingual` (codes, errors, problems, timeline entries,
metrics, key bindings). Each module keeps its own :class:`Catalog` of them, written as
``key -> (dansk, english)`` so that screens can be written side by side without editing one
shared file. The current language lives in a ``ContextVar`` set once at start-up from the
settings. This module is the only place that chooses between the two texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

Lang = Literal["da", "en"]
"""The two UI languages."""

LANGS: tuple[Lang, ...] = ("da", "en")
"""Supported languages, default first."""

current_lang: ContextVar[Lang] = ContextVar("current_lang", default="da")
"""The language the UI speaks now."""


def set_language(lang: Lang) -> None:
    """Set the UI language for this context (the app calls this once at start)."""
    current_lang.set(lang)


def lang() -> Lang:
    """Return the current UI language."""
    return current_lang.get()


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One user-facing text in Danish and English: the one shape for every bilingual text.

    Codes, errors, problems, timeline entries, metrics and catalogs all carry this type; nobody
    splits strings on ``" / "`` or indexes tuples by language.

    Example:
        >>> msg = Bilingual("Gemt {n}", "Saved {n}").format(n=3)
        >>> msg.text("en")
        'Saved 3'
    """

    da: str
    en: str

    def text(self, lang: Lang | None = None) -> str:
        """Return the text in ``lang`` (default: the current UI language)."""
        return self.da if (lang or current_lang.get()) == "da" else self.en

    def __call__(self, lang: Lang | None = None) -> str:
        """The same as :meth:`text`, so that ``code.label(lang)`` reads as it always has."""
        return self.text(lang)

    def format(self, **values: object) -> Bilingual:
        """Return both texts with ``values`` substituted by :meth:`str.format`.

        A value that is itself :class:`Bilingual` is substituted in the matching language.
        """
        da = {k: v.da if isinstance(v, Bilingual) else v for k, v in values.items()}
        en = {k: v.en if isinstance(v, Bilingual) else v for k, v in values.items()}
        return Bilingual(self.da.format(**da), self.en.format(**en))

    def lower(self) -> Bilingual:
        """Return both texts in lower case (a label inside a sentence)."""
        return Bilingual(self.da.lower(), self.en.lower())

    def __add__(self, other: Bilingual) -> Bilingual:
        return Bilingual(self.da + other.da, self.en + other.en)

    @staticmethod
    def join(separator: str | Bilingual, parts: Iterable[Bilingual]) -> Bilingual:
        """Join ``parts`` with ``separator`` (one string for both languages, or a pair)."""
        sep = separator if isinstance(separator, Bilingual) else Bilingual(separator, separator)
        items = list(parts)
        return Bilingual(sep.da.join(p.da for p in items), sep.en.join(p.en for p in items))

    def __str__(self) -> str:
        return self.text()


class Catalog:
    """A module's texts: ``T("key")`` returns the text in the current language.

    Written as ``Catalog({"key": ("dansk", "english")})``; each entry is kept as a
    :class:`Bilingual`. Keyword arguments are substituted with :meth:`str.format`.
    """

    def __init__(self, texts: Mapping[str, tuple[str, str] | Bilingual]) -> None:
        self.texts: dict[str, Bilingual] = {
            key: text if isinstance(text, Bilingual) else Bilingual(*text) for key, text in texts.items()
        }

    def __call__(self, key: str, lang: Lang | None = None, /, **values: object) -> str:
        text = self.texts[key]
        return (text.format(**values) if values else text).text(lang)

    def bilingual(self, key: str, /, **values: object) -> Bilingual:
        """Return entry ``key`` in both languages, formatted (for a :class:`Problem` or an error)."""
        text = self.texts[key]
        return text.format(**values) if values else text

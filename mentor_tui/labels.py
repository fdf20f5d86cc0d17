"""The one normalised form of a person's label, for search and the duplicate check.

Its own module, without pydantic, so the case list's search (imported before the first screen)
does not load the models (issue 12); :mod:`mentor_tui.models` re-exports it.
"""

from __future__ import annotations

import unicodedata


def label_key(label: str) -> str:
    """Return the key labels are compared by: NFC-normalised, case-folded, spaces collapsed.

    ``"Åse  Ørsted"``, ``"åse ørsted"`` and the decomposed ``"A\\u030ase ørsted"`` share one key, so
    search and the duplicate check treat æ/ø/å like every other letter (issue 9, item 5).
    """
    return " ".join(unicodedata.normalize("NFC", label).casefold().split())

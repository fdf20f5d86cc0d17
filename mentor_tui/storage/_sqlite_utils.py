"""Load sqlite-utils without numpy and pandas (issue 12: start-up time).

sqlite-utils imports numpy and pandas when they are installed, only to map their number types
for inserts; mentor-tui never inserts numpy or pandas values. numpy is installed (the disclosure
solver, highspy, needs it) and costs about a tenth of a second, for nothing. While sqlite-utils
loads, the two are hidden; afterwards they import as usual (the export still loads numpy when it
needs it). Storage modules import ``Database`` and ``Migrations`` from here, never from
sqlite-utils directly.
"""

from __future__ import annotations

import sys

HIDDEN: tuple[str, ...] = ("numpy", "pandas")
"""Optional imports of sqlite-utils that the app does not use."""


def load_sqlite_utils() -> None:
    """Import ``sqlite_utils`` with :data:`HIDDEN` unavailable (a no-op once it is loaded)."""
    if "sqlite_utils.db" in sys.modules:
        return
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


load_sqlite_utils()

from sqlite_utils.db import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations", "load_sqlite_utils"]

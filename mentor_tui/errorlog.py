"""The log of unexpected errors: details for a developer, never resident data, never a traceback
on screen (issue 10 item 2).

The app and every CLI command catch what nobody expected in one place (``MentorApp`` and
``mentor_tui.__main__.run``), show the short :func:`unexpected_message` in the user's language and
call :func:`log_unexpected`. The log holds the exception types and the code locations (file,
line, function, the line of code), not the exception messages: a message may quote what was
typed (a label, a birth month, a note). Only messages of error types known to be free of data
(SQLite's, the operating system's) are kept.

The file is ``mentor-tui.log`` in the platform's log directory (:func:`locations.log_file`),
owner-only (0600), and rotates at :data:`MAX_BYTES` (one older file is kept).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType

from mentor_tui.i18n import Bilingual
from mentor_tui.locations import ensure_private_dir, log_file

MAX_BYTES = 1_000_000
"""The log rotates to ``mentor-tui.log.1`` when it grows past this size."""

WITHHELD = "(message withheld: it may quote resident data)"
"""Written instead of an exception message that might hold what a user typed."""


def _safe_message(exc: BaseException) -> str:
    """Return the parts of ``exc``'s message known to hold no resident data."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorname", "")
        return f"{code} {exc}".strip()
    if isinstance(exc, OSError):
        name = os.strerror(exc.errno) if exc.errno else ""
        return f"errno {exc.errno} {name}".strip()
    if isinstance(exc, (MemoryError, RecursionError, KeyboardInterrupt)):
        return ""
    return WITHHELD


def _chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return list(reversed(chain))


def _frames(tb: TracebackType | None) -> list[str]:
    lines: list[str] = []
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    return lines


def format_report(exc: BaseException, *, where: str) -> str:
    """Return the log entry for ``exc``: when, where, versions, then each exception of the chain
    with its type, safe message and code locations (no local variables, no withheld messages)."""
    from mentor_tui import __version__

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lines = [
        f"=== {now} mentor-tui {__version__} python {platform.python_version()} "
        f"sqlite {sqlite3.sqlite_version} {sys.platform}",
        f"where: {where}",
    ]
    for i, link in enumerate(_chain(exc)):
        if i:
            lines.append("which led to:")
        kind = type(link)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {_safe_message(link)}")
        lines.extend(_frames(link.__traceback__))
    return "\n".join(lines) + "\n"


def log_unexpected(exc: BaseException, *, where: str) -> Path | None:
    """Append the report of ``exc`` to the log file; return its path, or None if it cannot be written.

    Never raises: logging must not turn one error into two.
    """
    try:
        path = log_file()
        ensure_private_dir(path.parent)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(format_report(exc, where=where))
        return path
    except Exception:
        return None


UNEXPECTED = Bilingual(
    "Der skete en uventet fejl ({kind}). Intet halvt er gemt. Detaljerne er skrevet i {log}; "
    "send gerne filen til den, der passer mentor-tui.",
    "An unexpected error happened ({kind}). Nothing was half-saved. The details were written to "
    "{log}; please send that file to whoever looks after mentor-tui.",
)
"""The one short message for an error nobody expected."""

UNEXPECTED_NO_LOG = Bilingual(
    "Der skete en uventet fejl ({kind}). Intet halvt er gemt. Detaljerne kunne ikke skrives i logfilen.",
    "An unexpected error happened ({kind}). Nothing was half-saved. The details could not be "
    "written to the log file.",
)


def unexpected_message(exc: BaseException, log: Path | None) -> Bilingual:
    """Return the short message shown for ``exc`` (its type only, never its text)."""
    kind = type(exc).__name__
    if log is None:
        return UNEXPECTED_NO_LOG.format(kind=kind)
    return UNEXPECTED.format(kind=kind, log=log)


def report_unexpected(exc: BaseException, *, where: str) -> Bilingual:
    """Log ``exc`` and return the message to show: the one call a top-level handler makes."""
    return unexpected_message(exc, log_unexpected(exc, where=where))


def message_for(error: BaseException | None, *, where: str) -> Bilingual:
    """The message to show for an error a worker ended with: an expected one's own message, or,
    for anything else, the short "unexpected error" message after logging it (never ``str(error)``,
    which may quote resident data)."""
    from mentor_tui.errors import MentorError

    if isinstance(error, MentorError):
        return error.message
    if error is None:
        return UNEXPECTED_NO_LOG.format(kind="?")
    return report_unexpected(error, where=where)

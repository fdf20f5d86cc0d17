"""Passphrase attempts that slow down after each failure, and where a passphrase may come from.

A wrong passphrase is answered after a delay that doubles with each consecutive failure
(1, 2, 4, 8, 16, then 30 seconds), so guessing at the lock screen of an unattended laptop is slow.
The real defence of a copied file is SQLCipher's key derivation (PBKDF2-HMAC-SHA512, 256,000
iterations; docs/security.md); this delay only covers the running app and the CLI.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual

PASSPHRASE_ENV = "MENTOR_TUI_PASSPHRASE"
"""Environment variable a script or test may put the passphrase in (weaker: see docs/security.md)."""

MAX_DELAY_SECONDS = 30.0
"""The longest wait between two attempts."""


def failure_delay(failures: int) -> float:
    """Return the seconds to wait before the next attempt after ``failures`` consecutive failures.

    >>> [failure_delay(n) for n in range(8)]
    [0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    """
    if failures <= 0:
        return 0.0
    return min(2.0 ** (failures - 1), MAX_DELAY_SECONDS)


class PassphraseAttempts:
    """Try passphrases with ``check``; each consecutive failure makes the next try wait longer.

    Args:
        check: returns whether the passphrase opens the database (may take a few tenths of a
            second: SQLCipher derives the key on purpose slowly).
        sleep: the wait (tests pass a recorder instead of :func:`time.sleep`).
    """

    def __init__(self, check: Callable[[str], bool], *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.check = check
        self.sleep = sleep
        self.failures = 0
        """Consecutive failed attempts so far."""

    @property
    def next_delay(self) -> float:
        """Seconds the next attempt will wait before it is tried."""
        return failure_delay(self.failures)

    def attempt(self, passphrase: str) -> bool:
        """Wait as long as the failures so far require, then try ``passphrase``.

        Returns:
            Whether it was right. A right one resets the count.
        """
        delay = self.next_delay
        if delay:
            self.sleep(delay)
        ok = bool(passphrase) and self.check(passphrase)
        self.failures = 0 if ok else self.failures + 1
        return ok


def read_passphrase_file(path: Path) -> str:
    """Return the passphrase stored in ``path``: its first line, without the line ending.

    Raises:
        MentorError: the file cannot be read or is empty.
    """
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise MentorError(
            Bilingual(
                "Kan ikke læse adgangsfrasen fra {path}: {why}",
                "Cannot read the passphrase from {path}: {why}",
            ).format(path=path, why=exc.strerror or exc)
        ) from exc
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise MentorError(
            Bilingual("Filen {path} har ingen adgangsfrase", "The file {path} holds no passphrase").format(
                path=path
            )
        )
    return passphrase


def passphrase_from(file: Path | None, environ: dict[str, str] | None = None) -> str | None:
    """Return a passphrase given for a script: ``--passphrase-file`` first, then
    ``$MENTOR_TUI_PASSPHRASE``; ``None`` when neither is given (then the user is asked).
    """
    if file is not None:
        return read_passphrase_file(file)
    env = os.environ if environ is None else environ
    return env.get(PASSPHRASE_ENV) or None

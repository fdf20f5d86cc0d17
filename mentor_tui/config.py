"""User settings, read once at start-up from a TOML file; read-only afterwards.

Plain data checked by hand, not a pydantic model: the settings are read before the first screen,
and pydantic costs about a tenth of a second to import (issue 12: cold start).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mentor_tui.codes import LANGS, Lang
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual


class SettingError(ValueError):
    """One setting has a value it may not have (or is not a setting at all)."""

    def __init__(self, key: str, problem: Bilingual) -> None:
        super().__init__(f"{key}: {problem.en}")
        self.key = key
        """The setting's name (its key in ``config.toml``)."""
        self.problem = problem
        """What is wrong with the value, in both languages."""


_RANGES: dict[str, tuple[int, int | None]] = {
    "suppression_threshold": (3, None),
    "a3_max_age": (17, 24),
    "idle_lock_minutes": (1, 240),
    "retention_months": (1, 240),
    "backup_keep": (1, 365),
}
"""The whole-number settings and their limits (lowest, highest or None)."""


@dataclass(frozen=True)
class Settings:
    """Everything a user may set in ``config.toml``.

    Raises:
        SettingError: a value is of the wrong kind or out of its range (when built).
    """

    language: Lang = "da"
    """UI language: ``da`` (default) or ``en``."""
    theme: str = "textual-dark"
    """Textual theme name; switch at run time with the command palette."""
    suppression_threshold: int = 5
    """Export cells below this count are suppressed; never below 3 (issue 4)."""
    a3_max_age: int = 17
    """Upper age of Ungerådgivning: 17, or up to 24 if the plan extends it [002:765]."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Key bindings by id, e.g. ``{"new-referral" = "ctrl+n"}``."""
    idle_lock_minutes: int = 10
    """Minutes without a key press or click before the app hides every record behind a lock
    screen (issue 13; DOMAIN.md 5.3 item 4, "Lock the app after idle time")."""
    retention_months: int = 24
    """Months after a case's closure before the person is anonymised by ``mentor-tui retention``
    (issue 13; DOMAIN.md 5.3 item 6: the period is the DPO's to set)."""
    backup_keep: int = 14
    """How many automatic daily backups to keep in the data folder's ``backups/`` (issue 13)."""

    def __post_init__(self) -> None:
        if self.language not in LANGS:
            raise SettingError(
                "language",
                Bilingual("skal være en af {values}", "must be one of {values}").format(
                    values=", ".join(f'"{x}"' for x in LANGS)
                ),
            )
        if not isinstance(self.theme, str):
            raise SettingError("theme", Bilingual("skal være en tekst", "must be text"))
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise SettingError(name, Bilingual("skal være et helt tal", "must be a whole number"))
            if value < low:
                raise SettingError(name, Bilingual(f"skal være mindst {low}", f"must be at least {low}"))
            if high is not None and value > high:
                raise SettingError(name, Bilingual(f"må højst være {high}", f"must be at most {high}"))
        keymap = self.keymap
        if not isinstance(keymap, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()
        ):
            raise SettingError(
                "keymap",
                Bilingual(
                    'skal være en tabel af tekster (binding = "taster")',
                    'must be a table of texts (binding = "keys")',
                ),
            )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Settings:
        """Return the settings in ``data`` (a parsed ``config.toml``); unknown keys are refused.

        Raises:
            SettingError: an unknown key, or a bad value.
        """
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise SettingError(key, Bilingual("er ikke en indstilling", "is not a setting"))
        values = dict(data)
        if isinstance(values.get("keymap"), Mapping):
            values["keymap"] = dict(values["keymap"])
        return cls(**values)


REMOVED_SETTINGS: frozenset[str] = frozenset({"staff_initials"})
"""Settings older versions read, or documented, that do nothing now; ignored in old files.

``staff_initials`` was never read: who you are is asked on the first start of a database and
kept there as its local staff member (issue 9 item 7).
"""


def load_settings(path: Path | None) -> Settings:
    """Read settings from ``path``; a missing file gives the defaults.

    Raises:
        MentorError: the file is not valid TOML or has a bad value (message in both languages).
    """
    if path is None or not path.exists():
        return Settings()
    import tomllib  # only with a config file (issue 12: start-up)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Settings.from_mapping({k: v for k, v in data.items() if k not in REMOVED_SETTINGS})
    except tomllib.TOMLDecodeError as exc:
        raise MentorError(
            Bilingual(
                f"Konfigurationsfilen {path} kan ikke læses: {exc}",
                f"The config file {path} cannot be read: {exc}",
            ),
        ) from exc
    except SettingError as exc:
        raise MentorError(
            Bilingual(
                f"Konfigurationsfilen {path} har en ugyldig værdi ved «{exc.key}»: {exc.problem.da}",
                f"The config file {path} has a bad value at “{exc.key}”: {exc.problem.en}",
            ),
        ) from exc


_THEME_LINE = re.compile(r"^\s*theme\s*=")


def remember_theme(path: Path, theme: str) -> None:
    """Write ``theme = "<theme>"`` into the config file at ``path`` (created if missing).

    Only the top-level ``theme`` line changes (or is added before the first table); every
    other line, comment and table of the file stays as the user wrote it.

    Raises:
        MentorError: the file cannot be read or written (message in both languages).
    """
    line = f"theme = {json.dumps(theme)}"
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        first_table = next((i for i, text in enumerate(lines) if text.lstrip().startswith("[")), len(lines))
        for i in range(first_table):
            if _THEME_LINE.match(lines[i]):
                lines[i] = line
                break
        else:
            lines.insert(first_table, line)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise MentorError(
            Bilingual(
                f"Temaet kunne ikke gemmes i {path}: {exc.strerror}",
                f"The theme could not be saved in {path}: {exc.strerror}",
            )
        ) from exc

"""User settings, read once at start-up from a TOML file; read-only afterwards."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mentor_tui.codes import Lang
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual


class Settings(BaseModel):
    """Everything a user may set in ``config.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: Lang = "da"
    """UI language: ``da`` (default) or ``en``."""
    theme: str = "textual-dark"
    """Textual theme name; switch at run time with the command palette."""
    suppression_threshold: int = Field(default=5, ge=3)
    """Export cells below this count are suppressed; never below 3 (issue 4)."""
    a3_max_age: int = Field(default=17, ge=17, le=24)
    """Upper age of Ungerådgivning: 17, or up to 24 if the plan extends it [002:765]."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key bindings by id, e.g. ``{"new-referral" = "ctrl+n"}``."""
    idle_lock_minutes: int = Field(default=10, ge=1, le=240)
    """Minutes without a key press or click before the app hides every record behind a lock
    screen (issue 13; DOMAIN.md 5.3 item 4, "Lock the app after idle time")."""
    retention_months: int = Field(default=24, ge=1, le=240)
    """Months after a case's closure before the person is anonymised by ``mentor-tui retention``
    (issue 13; DOMAIN.md 5.3 item 6: the period is the DPO's to set)."""
    backup_keep: int = Field(default=14, ge=1, le=365)
    """How many automatic daily backups to keep in the data folder's ``backups/`` (issue 13)."""


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
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Settings.model_validate({k: v for k, v in data.items() if k not in REMOVED_SETTINGS})
    except tomllib.TOMLDecodeError as exc:
        raise MentorError(
            Bilingual(
                f"Konfigurationsfilen {path} kan ikke læses: {exc}",
                f"The config file {path} cannot be read: {exc}",
            ),
        ) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise MentorError(
            Bilingual(
                f"Konfigurationsfilen {path} har en ugyldig værdi ved «{where}»: {first['msg']}",
                f"The config file {path} has a bad value at “{where}”: {first['msg']}",
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

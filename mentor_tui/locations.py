"""Where mentor-tui keeps its files, from platformdirs, with environment overrides.

``MENTOR_TUI_DB`` overrides the database file, ``MENTOR_TUI_DATA_DIR`` the data directory,
``MENTOR_TUI_CONFIG_FILE`` the config file and ``MENTOR_TUI_STATE_DIR`` the state directory
(the log of unexpected errors). Directories created here are owner-only (0700): the
database holds pseudonymous personal data.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_log_path

APP_NAME = "mentor-tui"
"""Directory name used under the platform's data and config directories."""


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; directories we create get mode 0700."""
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700)
        os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask
    return path


def data_directory() -> Path:
    """Return (creating if needed) the directory for the database and exports."""
    override = os.environ.get("MENTOR_TUI_DATA_DIR")
    if override:
        return ensure_private_dir(Path(override).expanduser())
    return ensure_private_dir(user_data_path(APP_NAME, appauthor=False))


def database_file() -> Path:
    """Return the database path: ``$MENTOR_TUI_DB`` or ``<data dir>/mentor.db``."""
    override = os.environ.get("MENTOR_TUI_DB")
    if override:
        return Path(override).expanduser()
    return data_directory() / "mentor.db"


def demo_database_file() -> Path:
    """Return the path of the demo database (synthetic data only)."""
    return data_directory() / "demo.db"


def config_directory() -> Path:
    """Return (creating if needed) the config directory."""
    return ensure_private_dir(user_config_path(APP_NAME, appauthor=False))


def config_file() -> Path:
    """Return the config file path: ``$MENTOR_TUI_CONFIG_FILE`` or ``<config dir>/config.toml``."""
    override = os.environ.get("MENTOR_TUI_CONFIG_FILE")
    if override:
        return Path(override).expanduser()
    return config_directory() / "config.toml"


def log_directory() -> Path:
    """Return the directory of the error log: ``$MENTOR_TUI_STATE_DIR/log`` or the platform's
    user log directory (``~/.local/state/mentor-tui/log`` on Linux). Not created here."""
    override = os.environ.get("MENTOR_TUI_STATE_DIR")
    if override:
        return Path(override).expanduser() / "log"
    return user_log_path(APP_NAME, appauthor=False)


def log_file() -> Path:
    """Return the path of the log of unexpected errors (see :mod:`mentor_tui.errorlog`)."""
    return log_directory() / "mentor-tui.log"


def backup_directory() -> Path:
    """Return the default folder for ``mentor-tui backup``: ``<data dir>/backups`` (not created here)."""
    return data_directory() / "backups"

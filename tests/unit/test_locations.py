"""Where the files live: platformdirs by default, environment overrides, owner-only directories."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mentor_tui import locations


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_override_is_created_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a" / "b"
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(target))
    assert locations.data_directory() == target
    assert target.is_dir()
    if os.name == "posix":
        assert _mode(target) == 0o700
        assert _mode(target.parent) == 0o700


def test_database_defaults_to_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(tmp_path / "data"))
    assert locations.database_file() == tmp_path / "data" / "mentor.db"
    assert locations.demo_database_file() == tmp_path / "data" / "demo.db"


def test_database_env_override_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTOR_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MENTOR_TUI_DB", str(tmp_path / "elsewhere" / "x.db"))
    assert locations.database_file() == tmp_path / "elsewhere" / "x.db"
    # the demo database stays in the data directory: it never replaces the real one
    assert locations.demo_database_file() == tmp_path / "data" / "demo.db"


def test_home_in_overrides_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MENTOR_TUI_DB", "~/cases.db")
    monkeypatch.setenv("MENTOR_TUI_CONFIG_FILE", "~/mentor.toml")
    assert locations.database_file() == tmp_path / "cases.db"
    assert locations.config_file() == tmp_path / "mentor.toml"


@pytest.mark.skipif(os.name != "posix", reason="XDG directories are a Linux/BSD convention")
def test_without_overrides_platformdirs_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MENTOR_TUI_DATA_DIR", "MENTOR_TUI_DB", "MENTOR_TUI_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if os.uname().sysname == "Darwin":  # pragma: no cover - platformdirs ignores XDG on macOS
        pytest.skip("macOS uses ~/Library")
    assert locations.data_directory() == tmp_path / "share" / "mentor-tui"
    assert locations.database_file() == tmp_path / "share" / "mentor-tui" / "mentor.db"
    assert locations.config_file() == tmp_path / "config" / "mentor-tui" / "config.toml"
    assert _mode(tmp_path / "share" / "mentor-tui") == 0o700
    assert _mode(tmp_path / "config" / "mentor-tui") == 0o700


def test_existing_directories_keep_their_mode(tmp_path: Path) -> None:
    """We only restrict what we create; a user's existing directory is theirs."""
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    locations.ensure_private_dir(existing / "mine")
    if os.name == "posix":
        assert _mode(existing) == 0o755
        assert _mode(existing / "mine") == 0o700

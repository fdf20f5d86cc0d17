"""Sub-commands of the ``mentor-tui`` CLI that run without the TUI (export, import)."""

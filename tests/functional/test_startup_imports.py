"""Starting the app loads only what its first screen needs (issue 12 item 3).

Export formats (openpyxl), the disclosure solver (highspy, numpy), the importers, encryption and
the other screens are imported on first use; so are sqlite-utils (with click and dateutil),
pydantic and the models, the repositories and the casework service: the case list is read on
plain ``sqlite3`` connections, and the rest loads in a thread once the list is shown. Checked in a
fresh process: what ``sys.modules`` holds, not how long it took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mentor_tui.codes import Team
from mentor_tui.services.casework.service import CaseworkService

SCRIPT = """
import json, sys
from textual.app import App
from mentor_tui.__main__ import run

async def first_screen(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    # the case list (under "who are you?" on a file without this laptop's user)
    main = next(s for s in pilot.app.screen_stack if hasattr(s, "table"))
    shown = main.table.rows_shown
    print(json.dumps({"rows": len(shown)}), file=sys.stderr)
    pilot.app.exit()

original = App.run
App.run = lambda self, **kw: original(self, headless=True, size=(100, 30), auto_pilot=first_screen)
code = run(["--db", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

NOT_AT_START = (
    "openpyxl",
    "highspy",
    "numpy",
    "sqlcipher3",
    "cryptography",
    "markdown_it",
    "mentor_tui.services.counts.export",
    "mentor_tui.services.counts.formats",
    "mentor_tui.services.counts.disclosure",
    "mentor_tui.services.importing",
    "mentor_tui.services.demo",
    "mentor_tui.commands.export_command",
    "mentor_tui.commands.import_command",
    "mentor_tui.screens.case_detail",
    "mentor_tui.screens.dashboard",
    "mentor_tui.screens.export",
    "mentor_tui.screens.followups",
    "mentor_tui.screens.referral_form",
    "mentor_tui.screens.help",
)
"""Modules (and their sub-modules) the first screen does not need."""


def test_the_first_screen_loads_no_export_import_or_other_screens(
    seeded: CaseworkService, db_path: Path
) -> None:
    seeded.repos.db.close()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr[-2000:]
    assert '"rows": 6' in done.stderr  # the case list was shown
    loaded = set(result["modules"])
    assert "mentor_tui.screens.main" in loaded
    early = sorted(m for m in loaded if any(m == name or m.startswith(f"{name}.") for name in NOT_AT_START))
    assert early == []


FIRST_FRAME_SCRIPT = """
import json, sys
from textual.app import App
from mentor_tui.__main__ import run

found = {}
display = App._display

def _display(self, screen, renderable):
    display(self, screen, renderable)
    main = self.screen
    if "modules" not in found and getattr(main, "table", None) is not None and main.table.rows_shown:
        found["modules"] = sorted(sys.modules)
        found["rows"] = len(main.table.rows_shown)
        self.exit()

App._display = _display
original = App.run
App.run = lambda self, **kw: original(self, headless=True, size=(100, 30))
code = run(["--db", sys.argv[1]])
print(json.dumps({"code": code, **found}))
"""

NOT_AT_FIRST_FRAME = (
    *NOT_AT_START,
    "pydantic",
    "pydantic_core",
    "sqlite_utils",
    "click",
    "dateutil",
    "mentor_tui.models",
    "mentor_tui.storage.database",
    "mentor_tui.storage.migrations",
    "mentor_tui.storage.repositories",
    "mentor_tui.storage.backup",
    "mentor_tui.services.casework.service",
    "mentor_tui.services.security.retention",
    "mentor_tui.commands.backup_command",
    "mentor_tui.screens.who_are_you",
    "mentor_tui.screens.lock",
    "mentor_tui.widgets.form_modal",
)
"""Also not before the case list's first frame (a file whose laptop user is known): the
repositories and what they need load after it."""


def test_the_case_list_is_shown_without_pydantic_or_sqlite_utils(
    seeded: CaseworkService, db_path: Path
) -> None:
    seeded.ensure_local_staff("TS", Team.TEAM_BESKAEFTIGELSE)  # no "who are you?" first
    seeded.repos.db.close()
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_SCRIPT, str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr[-2000:]
    assert result["rows"] == 6  # the case list was shown
    loaded = set(result["modules"])
    assert "mentor_tui.storage.case_list" in loaded
    early = sorted(
        m for m in loaded if any(m == name or m.startswith(f"{name}.") for name in NOT_AT_FIRST_FRAME)
    )
    assert early == []

"""Released migrations are append-only: editing, renaming, reordering or dropping one fails here.

Every migration that is on ``main`` is listed in :data:`RELEASED` with a hash of its source and a
hash of the schema the migrations up to it build. A database in the field has already run it, so
changing it would leave that database different from a new one. A new migration goes at the end
of ``mentor_tui/storage/migrations.py`` and gets its line here (the failure message prints it);
while it is only on your branch you may change it and its line; once it is on main, never.
"""

from __future__ import annotations

import hashlib
import inspect

from sqlite_utils import Database

from mentor_tui.storage.migrations import migrations
from mentor_tui.storage.schema import schema_sql

RELEASED: dict[str, tuple[str, str]] = {
    "m001_create_core": ("19316982eb462c27", "62cbf66b7f0c4667"),
    "m002_tombstones_and_label_key": ("3103d26f72cae79b", "b0a82c038604ab51"),
    "m003_audit_trail_and_corrections": ("ab7d47c5d0ee6c14", "66a0412931ccd096"),
    "m004_export_cells": ("493d817e0dfd6fc9", "ab5c83f119c80b4e"),
    "m005_retention": ("dc42ce07ca6c38b4", "8b57b45a8e23e10f"),
    "m006_case_list": ("b42d7bc21c830074", "512c640099a9cb64"),
    "m007_case_list_paused": ("96c2143eddffab21", "d81fddc020ac20b2"),
}
"""Migration name → (sha256 of its source, sha256 of the schema after it), 16 hex digits each."""


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fingerprints() -> list[tuple[str, str, str]]:
    """Each migration in order: its name, source hash and the hash of the schema it leaves."""
    db = Database(memory=True)
    found = []
    for migration in migrations.pending(Database(memory=True)):
        migration.fn(db)
        # the header names the schema version, which every new migration moves: leave it out
        schema = "\n".join(line for line in schema_sql(db).splitlines() if not line.startswith("--"))
        found.append((migration.name, _hash(inspect.getsource(migration.fn)), _hash(schema)))
    return found


def test_released_migrations_are_unchanged_and_new_ones_come_after_them() -> None:
    found = _fingerprints()
    names = [name for name, _source, _schema in found]
    assert names[: len(RELEASED)] == list(RELEASED), "a released migration was renamed, moved or removed"
    for name, source, schema in found[: len(RELEASED)]:
        assert (source, schema) == RELEASED[name], f"released migration {name} was changed: add a new one"
    unlisted = [f'    "{name}": ("{source}", "{schema}"),' for name, source, schema in found[len(RELEASED) :]]
    assert unlisted == [], "new migration(s): add to RELEASED in this file:\n" + "\n".join(unlisted)

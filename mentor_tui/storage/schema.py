"""The schema of a database as SQL text, in a stable order (for ``db/schema.sql``).

``db/schema.sql`` is a reference for developers, generated from a freshly migrated database by
``python db/generate_schema.py``; ``tests/unit/test_schema.py`` fails when it is out of date.
"""

from __future__ import annotations

from mentor_tui.storage._sqlite_utils import Database
from mentor_tui.storage.migrations import SCHEMA_VERSION

HEADER = (
    "-- mentor-tui database schema (schema version {version}).\n"
    "-- GENERATED from a freshly migrated database; do not edit by hand.\n"
    "-- Regenerate with: python db/generate_schema.py\n"
)
"""First lines of the generated file; ``{version}`` is the number of migrations."""


def schema_sql(db: Database) -> str:
    """Return the ``CREATE`` statements of ``db``: each table followed by its indexes.

    Tables come in name order, each followed by its explicit indexes in name order, then any
    views and triggers. SQLite's own objects (``sqlite_*``, automatic indexes) are left out.

    Args:
        db: an open database, normally one just created by ``open_database``.

    Returns:
        The SQL text, each statement ending with ``;`` and separated by a blank line.
    """
    rows = db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL"
    ).fetchall()
    tables = sorted((r for r in rows if r[0] == "table"), key=lambda r: r[1])
    indexes = sorted((r for r in rows if r[0] == "index"), key=lambda r: (r[2], r[1]))
    others = sorted((r for r in rows if r[0] not in ("table", "index")), key=lambda r: (r[0], r[1]))
    statements: list[str] = []
    for table in tables:
        statements.append(table[3])
        statements.extend(index[3] for index in indexes if index[2] == table[1])
    statements.extend(other[3] for other in others)
    body = "\n\n".join(_normalise(s) + ";" for s in statements)
    return HEADER.format(version=SCHEMA_VERSION) + "\n" + body + "\n"


def _normalise(statement: str) -> str:
    # sqlite keeps the text as written; strip trailing spaces so the file is stable under editors
    return "\n".join(line.rstrip() for line in statement.strip().splitlines())

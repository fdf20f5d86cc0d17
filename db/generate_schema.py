"""Write ``db/schema.sql`` from a freshly migrated in-memory database.

Usage: ``python db/generate_schema.py`` (writes the file) or ``--check`` (exit 1 if out of date).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentor_tui.storage.database import open_database
from mentor_tui.storage.schema import schema_sql

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
"""The generated reference file, next to this script."""


def main(argv: list[str] | None = None) -> int:
    """Generate (or with ``--check`` verify) ``db/schema.sql``; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    db = open_database(None)
    try:
        text = schema_sql(db)
    finally:
        db.close()
    if args.check:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            print(f"{SCHEMA_FILE} is out of date; run: python db/generate_schema.py", file=sys.stderr)
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Storage: the only code that touches SQLite."""

from mentor_tui.storage._sqlite_utils import load_sqlite_utils

load_sqlite_utils()

from mentor_tui.storage.database import DatabaseOpenError  # noqa: E402, SchemaTooNewError, device_id, open_database
from mentor_tui.storage.migrations import SCHEMA_VERSION  # noqa: E402, migrations
from mentor_tui.storage.repositories import CaseRepository  # noqa: E402, Repositories, Repository

__all__ = [
    "SCHEMA_VERSION",
    "CaseRepository",
    "DatabaseOpenError",
    "Repositories",
    "Repository",
    "SchemaTooNewError",
    "device_id",
    "migrations",
    "open_database",
]

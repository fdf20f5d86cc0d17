"""Storage: the only code that touches SQLite."""

from mentor_tui.storage.database import DatabaseOpenError, SchemaTooNewError, device_id, open_database
from mentor_tui.storage.migrations import SCHEMA_VERSION, migrations
from mentor_tui.storage.repositories import CaseRepository, Repositories, Repository

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

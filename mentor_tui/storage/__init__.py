"""Storage: the only code that touches SQLite.

Nothing is imported here: starting the app reads the case list through
:mod:`mentor_tui.storage.case_list` on plain :mod:`sqlite3` connections
(:mod:`mentor_tui.storage.connections`), and sqlite-utils and the models load only with the
repositories, after the first screen (issue 12). Modules that need sqlite-utils import it from
:mod:`mentor_tui.storage._sqlite_utils`.
"""

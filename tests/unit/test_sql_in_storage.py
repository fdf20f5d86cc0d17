"""SQL lives in ``mentor_tui/storage/`` only: every other module asks a repository by a named method.

The scan reads each module's syntax tree and reports, with file and line:
- an import of ``sqlite_utils`` (one under ``if TYPE_CHECKING:`` only names a type), or
  ``sqlite3.connect`` (``sqlite3`` itself may be imported to recognise its errors);
- a call of a database method (``execute``, ``rows_where``, ``count_where``, ...) or of any method
  on something called ``db`` or ``conn`` (``repos.db.query(...)``);
- a use of a repository's private ``_where`` or ``_table``;
- a string that reads as SQL: a statement keyword (``SELECT``, ``UPDATE x SET``, ``PRAGMA``, ...)
  or a placeholder comparison (``staff_id = ?``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import mentor_tui

PACKAGE = Path(mentor_tui.__file__).parent
STORAGE = PACKAGE / "storage"

DB_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "rows_where",
        "count_where",
        "delete_where",
        "set_trace_callback",
    }
)
DB_NAMES = frozenset({"db", "conn", "connection"})
PRIVATE = frozenset({"_where", "_table"})
SQL_TEXT = re.compile(
    r"\b(SELECT\s|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|DROP\s+(TABLE|INDEX|TRIGGER|VIEW)\b|PRAGMA\s)"
    r"|\b\w+\s*(=|==|!=|<>|<=|>=|<|>|\bLIKE|\bIN)\s*\(?\s*\?",
)

NOT_YET: dict[str, str] = {}
"""Modules of other work in flight that still hold SQL, and who takes it out. The test fails when
one of them no longer does: take it off this list then."""


def _called_on(node: ast.expr) -> str | None:
    """The last name of what a method is called on: ``repos.db.query`` → ``db``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def sql_in(path: Path) -> list[str]:
    """Return ``line: what`` for every use of SQL in the module at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    # an import for type hints only (``if TYPE_CHECKING:``) runs nothing: a service may name the
    # handle it passes on to storage
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{node.lineno}: imports {n}" for n in names if n.split(".")[0] == "sqlite_utils"]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in DB_METHODS or (method == "connect" and _called_on(node.func.value) == "sqlite3"):
                found.append(f"{node.lineno}: calls .{method}()")
            elif _called_on(node.func.value) in DB_NAMES and method != "close":
                found.append(f"{node.lineno}: calls {_called_on(node.func.value)}.{method}()")
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            found.append(f"{node.lineno}: uses the repository's {node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            found.append(f"{node.lineno}: SQL text {node.value.strip()[:40]!r}")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _modules_outside_storage() -> dict[str, Path]:
    return {
        str(path.relative_to(PACKAGE)): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if STORAGE not in path.parents
    }


def test_no_module_outside_storage_runs_sql() -> None:
    offenders = {
        name: found
        for name, path in _modules_outside_storage().items()
        if name not in NOT_YET and (found := sql_in(path))
    }
    assert offenders == {}


def test_the_list_of_modules_not_yet_clean_only_shrinks() -> None:
    modules = _modules_outside_storage()
    for name in NOT_YET:
        assert name in modules, f"{name} is gone: take it off NOT_YET"
        assert sql_in(modules[name]), f"{name} holds no SQL now: take it off NOT_YET"


def test_the_scan_sees_each_kind_of_sql(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "import sqlite3\n"
        "from sqlite_utils import Database\n"
        "sqlite3.connect('x.db')\n"
        "rows = repos.db.query('x')\n"
        "conn.execute('y')\n"
        "table.rows_where('z')\n"
        "repos.cases._where('a')\n"
        "sql = f'SELECT * FROM cases WHERE id = {x}'\n"
        "clause = 'staff_id = ?'\n"
        "ok = 'Gem? Ja, {label} = navn' \n",
        encoding="utf-8",
    )
    found = sql_in(module)
    assert [line.split(":")[0] for line in found] == ["2", "3", "4", "5", "6", "7", "8", "9"]


def test_storage_itself_is_not_scanned() -> None:
    assert not any(name.startswith("storage/") for name in _modules_outside_storage())
    assert sql_in(STORAGE / "repositories.py")

"""Synthetic benchmark databases: 300, 5,000 and 50,000 cases with about ten meetings each.

Built in three steps, all synthetic:

1. the 300-case demo through :func:`~mentor_tui.services.demo.populate_demo` (every record goes
   through the casework service, so the plan's rules hold: start modes, consent, closures, no
   future dates);
2. bulk SQL copies of those records with fresh UUIDs until the file holds ``n_cases`` cases
   (``INSERT ... SELECT``, so columns added by later migrations are copied too), each copied
   person relabelled with an invented pseudonym (``"Amal K 17"``, ``"Søren Ø"``; first names and
   an initial, as mentors label residents) and its stored ``label_key``;
3. extra held follow-up meetings (a few days after existing ones, never after the case ended or
   after "today") until there are about ten meetings per case, and one active case with 200
   meetings (label ``"Bench 200"``) for the case-detail figure.

Databases are cached by size, seed and schema version under ``--cache`` (default
``/tmp/mentor-tui-bench``), so a second run starts at once::

    python benchmarks/dataset.py 50000          # build (about a minute) and print the row counts
    python benchmarks/dataset.py 300 5000 50000 --rebuild

Synthetic data only: no label, birth month or date here belongs to anyone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
from pathlib import Path

from mentor_tui.clock import FixedClock
from mentor_tui.models import label_key
from mentor_tui.services.demo import populate_demo
from mentor_tui.storage.database import open_database
from mentor_tui.storage.migrations import SCHEMA_VERSION
from mentor_tui.storage.repositories import Repositories

TODAY = dt.date(2026, 11, 20)
"""The benchmarks' "today" (the tests' frozen day, a Friday in ISO week 47)."""

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
"""The benchmarks' clock."""

DATASET_VERSION = 1
"""Bumped when the shape of the data changes, so cached files are rebuilt."""

BIG_CASE_LABEL = "Bench 200"
"""The label of the one case with 200 meetings."""

BIG_CASE_MEETINGS = 200
"""Meetings on that case."""

MEETINGS_PER_CASE = 10
"""Aim for about this many meetings per case on average."""

DEFAULT_CACHE = Path("/tmp/mentor-tui-bench")
"""Where built databases are kept between runs."""

_NAMES = (
    "Amal Ahmed Aisha Ali Anders Anna Asger Ayla Bashir Bente Birgitte Bo Camilla Cem Dana Deniz "
    "Ditte Ebru Emil Emma Esra Fatima Frida Hamid Hanne Hassan Ida Ibrahim Jens Jonas Karim "
    "Kasper Khadija Lars Laila Leyla Lone Mads Malene Maria Mathias Mette Mohammed Nadia Nanna "
    "Niels Noor Omar Oskar Rasmus Rikke Sara Selma Sofie Søren Sune Tobias Trine Yasmin Yusuf "
    "Zainab Ærø Øjvind Åse Åge Ærtebjerg Ørsted Bjørn Jørgen Søs Mølle Kåre Ægir Ølgod Græsted "
    "Hjørdis Ærenfried"
)
FIRST_NAMES: tuple[str, ...] = tuple(_NAMES.split())
"""Invented pseudonym parts (Danish letters æ, ø, å included, at the start and inside words)."""

INITIALS = "ABCDEFGHIJKLMNOPRSTUVWYÆØÅ"
"""Second letter of a pseudonym."""

ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("id",),
    "referral": ("id", "person_id"),
    "cases": ("id", "person_id", "referral_id"),
    "consent": ("id", "case_id"),
    "meeting": ("id", "case_id"),
    "outcome": ("id", "case_id"),
    "closure": ("id", "case_id"),
    "reopening": ("id", "case_id", "closure_id"),
}
"""Tables copied to grow the file, with the columns that hold ids of copied rows (staff is shared)."""


INSERT_MEETING = (
    "INSERT INTO meeting (id, case_id, meeting_type, date, participants, held, created_at, updated_at, "
    "device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def database_path(cache: Path, n_cases: int, seed: int = 1) -> Path:
    """Return where the database of ``n_cases`` cases is cached."""
    return cache / f"cases{n_cases}-seed{seed}-schema{SCHEMA_VERSION}-v{DATASET_VERSION}.db"


def ensure_database(
    n_cases: int, *, cache: Path = DEFAULT_CACHE, seed: int = 1, rebuild: bool = False
) -> Path:
    """Return the path of a database with ``n_cases`` cases, building it if it is not cached."""
    path = database_path(cache, n_cases, seed)
    if path.exists() and not rebuild:
        return path
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    build(tmp, n_cases, seed=seed)
    tmp.rename(path)
    return path


def _id_expr(column: str, copy: int) -> str:
    # a fresh, well-formed id: the original's first 24 characters, then the copy number in hex
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE substr({column}, 1, 24) || printf('%012x', {copy}) END"


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def build(path: Path, n_cases: int, *, seed: int = 1) -> dict[str, int]:
    """Build a database of ``n_cases`` cases at ``path``; return the row count of each table.

    Args:
        path: A file that does not exist yet.
        n_cases: Cases to create (at least 300, the demo's size).
        seed: Seed of the pseudonyms and extra meetings (the demo has its own fixed seed).
    """
    repos = Repositories(open_database(path), FixedClock(NOW))
    populate_demo(repos, today=TODAY)
    repos.db.close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    # a scratch file until it is renamed into the cache: no journal, a large page cache (the
    # copies fire every trigger, audit trail and case list included, as real writes would)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    conn.execute("PRAGMA temp_store = MEMORY")
    base_cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    copies = max(0, -(-n_cases // base_cases) - 1)
    with conn:
        for k in range(1, copies + 1):
            for table, id_cols in ID_COLUMNS.items():
                cols = _columns(conn, table)
                exprs = [_id_expr(c, k) if c in id_cols else c for c in cols]
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {table} "
                    f"WHERE substr(id, 25) NOT GLOB '00000000*'"
                )
        _trim(conn, n_cases)
        _relabel(conn, rng)
        _add_meetings(conn, rng)
        _add_big_case(conn)
    conn.execute("ANALYZE")
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("person", *ID_COLUMNS)}
    conn.execute("PRAGMA journal_mode = WAL")  # as the app keeps it
    conn.close()
    return counts


def _trim(conn: sqlite3.Connection, n_cases: int) -> None:
    """Drop the newest copies' surplus cases (with their rows) so exactly ``n_cases`` remain."""
    surplus = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] - n_cases
    if surplus <= 0:
        return
    conn.execute("CREATE TEMP TABLE gone AS SELECT id FROM cases ORDER BY rowid DESC LIMIT ?", [surplus])
    for table in ("reopening", "closure", "outcome", "meeting", "consent"):
        conn.execute(f"DELETE FROM {table} WHERE case_id IN (SELECT id FROM gone)")
    conn.execute("DELETE FROM cases WHERE id IN (SELECT id FROM gone)")
    conn.execute(
        "DELETE FROM referral WHERE id NOT IN (SELECT referral_id FROM cases WHERE referral_id IS NOT NULL)"
    )
    conn.execute("DELETE FROM person WHERE id NOT IN (SELECT person_id FROM cases)")
    conn.execute("DROP TABLE gone")


def _relabel(conn: sqlite3.Connection, rng: random.Random) -> None:
    """Give every person an invented pseudonym, as a mentor would label them."""
    ids = [row[0] for row in conn.execute("SELECT id FROM person ORDER BY rowid")]
    updates = []
    for i, person_id in enumerate(ids):
        label = f"{rng.choice(FIRST_NAMES)} {rng.choice(INITIALS)}"
        if i % 3 == 0:
            label += f" {rng.randint(1, 99)}"
        updates.append((label, label_key(label), person_id))
    conn.executemany("UPDATE person SET display_label = ?, label_key = ? WHERE id = ?", updates)


def _add_meetings(conn: sqlite3.Connection, rng: random.Random) -> None:
    """Add held follow-up conversations a few days after existing meetings, up to ~10 per case."""
    cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    have = conn.execute("SELECT COUNT(*) FROM meeting").fetchone()[0]
    want = MEETINGS_PER_CASE * cases - have
    today = TODAY.isoformat()
    for round_no in range(1, 6):
        if want <= 0:
            break
        candidates = conn.execute(
            """
            SELECT m.id, m.case_id, date(m.date, '+' || ? || ' days'), m.created_at, m.device_id
            FROM meeting m JOIN cases c ON c.id = m.case_id
            WHERE m.held = 1 AND date(m.date, '+' || ? || ' days') <= COALESCE(c.end_date, ?)
              AND date(m.date, '+' || ? || ' days') <= ?
            """,
            [round_no * 3, round_no * 3, today, round_no * 3, today],
        ).fetchall()
        rng.shuffle(candidates)
        rows = [
            (
                f"{mid[:24]}{0xB000 + round_no:04x}{mid[28:]}",
                case_id,
                "SAMTALE",
                day,
                '["BEBOER"]',
                1,
                stamp,
                stamp,
                dev,
            )
            for mid, case_id, day, stamp, dev in candidates[:want]
        ]
        conn.executemany(INSERT_MEETING, rows)
        want -= len(rows)


def _add_big_case(conn: sqlite3.Connection) -> None:
    """Label the longest-running active case ``Bench 200`` and give it 200 meetings in all."""
    case_id, person_id, start, stamp, dev = conn.execute(
        "SELECT c.id, c.person_id, c.start_date, c.created_at, c.device_id FROM cases c "
        "WHERE c.status = 'AKTIV' AND c.start_date IS NOT NULL ORDER BY c.start_date, c.rowid LIMIT 1"
    ).fetchone()
    conn.execute(
        "UPDATE person SET display_label = ?, label_key = ? WHERE id = ?",
        [BIG_CASE_LABEL, label_key(BIG_CASE_LABEL), person_id],
    )
    have = conn.execute("SELECT COUNT(*) FROM meeting WHERE case_id = ?", [case_id]).fetchone()[0]
    first = dt.date.fromisoformat(start)
    span = max((TODAY - first).days, 1)
    rows = []
    for i in range(BIG_CASE_MEETINGS - have):
        day = first + dt.timedelta(days=(i * span) // (BIG_CASE_MEETINGS - have))
        kind = ("SAMTALE", "OPFOELGNING_FLERPART", "VIRKSOMHEDSBESOEG")[i % 3]
        rows.append(
            (
                f"{case_id[:24]}{0xC000 + i:012x}"[:36],
                case_id,
                kind,
                day.isoformat(),
                '["BEBOER"]',
                1,
                stamp,
                stamp,
                dev,
            )
        )
    conn.executemany(INSERT_MEETING, rows)


def main(argv: list[str] | None = None) -> int:
    """Build (or find cached) databases of the given sizes and print their row counts."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[300, 5000, 50000])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    for n in args.sizes:
        start = time.perf_counter()
        path = ensure_database(n, cache=args.cache, seed=args.seed, rebuild=args.rebuild)
        took = time.perf_counter() - start
        conn = sqlite3.connect(path)
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ID_COLUMNS}
        conn.close()
        print(f"{n:>6} cases: {path} ({path.stat().st_size / 1e6:.0f} MB, {took:.1f} s) {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

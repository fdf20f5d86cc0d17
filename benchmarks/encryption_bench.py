"""What encryption at rest costs (issue 13 item 1): each step on an encrypted file beside its
anchor, the same step on the same data in a plain file, in one run.

Builds ``--cases`` cases (default 50,000) with :func:`benchmarks.export_bench.build` into a plain
file, encrypts a copy with :func:`mentor_tui.storage.encryption.encrypt_file` (what
``mentor-tui encrypt`` does), then times, plain and encrypted alternately, ``--repeat`` times
(default 3; the median is printed):

- key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations: once per start and per passphrase
  attempt, on purpose) — anchor: none, it is the whole cost of a passphrase;
- opening the database (the app's start, with the schema check; encrypted: derivation included);
- a project year's export (``compute_export``, every counting query: reads most of the file);
- 100 referrals registered one transaction each (each a commit, as in the app);
- a backup (``backup_database``, the online backup API, as at start each day);
- ``encrypt`` itself — anchor: ``VACUUM INTO`` a plain copy (a full rewrite of the same data).

Run from the repository root::

    python benchmarks/encryption_bench.py                 # 50,000 cases
    python benchmarks/encryption_bench.py --cases 5000 --repeat 1

Needs the ``encrypted`` extra. The numbers go in ``docs/security.md``. Synthetic data only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_bench import NOW, build  # noqa: E402

from mentor_tui.clock import FixedClock  # noqa: E402
from mentor_tui.services.casework.service import CaseworkService  # noqa: E402
from mentor_tui.services.counts.export import compute_export  # noqa: E402
from mentor_tui.services.counts.periods import parse_period  # noqa: E402
from mentor_tui.storage import encryption  # noqa: E402
from mentor_tui.storage.backup import backup_database  # noqa: E402
from mentor_tui.storage.database import ThreadLocalDatabase, open_database  # noqa: E402
from mentor_tui.storage.repositories import Repositories  # noqa: E402

PASSPHRASE = "benchmark passphrase, synthetic"
CLOCK = FixedClock(NOW)


def _seconds(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _open(path: Path, encrypted: bool) -> ThreadLocalDatabase:
    return encryption.open_with_passphrase(path, PASSPHRASE) if encrypted else open_database(path)


def _register(db: ThreadLocalDatabase, run: int) -> None:
    service = CaseworkService(Repositories(db, CLOCK))
    for i in range(100):
        service.register_referral(
            activity="A8_MENTOR_JOBPARAT",
            received_date="2026-11-02",
            source="JOBRAADGIVER",
            display_label=f"Bench {run}-{i}",
            birth_year=1990,
            birth_month=5,
            area="VOLLSMOSE",
        )


def main() -> None:
    """Build the files and print a Markdown table: step, plain (anchor), encrypted, ratio."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    encryption.dbapi()  # say what to install before building anything
    folder = Path(tempfile.mkdtemp())
    try:
        plain = folder / "plain.db"
        db = open_database(plain)
        t0 = time.perf_counter()
        counts = build(Repositories(db, CLOCK), args.cases)
        db.close()
        print(f"built {counts} in {time.perf_counter() - t0:.1f} s, {plain.stat().st_size >> 20} MB")
        print(f"load average at start: {os.getloadavg()[0]:.1f}\n")

        encrypted = folder / "encrypted.db"
        shutil.copyfile(plain, encrypted)
        rewrite = folder / "rewritten.db"

        def vacuum_into() -> None:
            conn = open_database(plain)
            conn.execute(f"VACUUM INTO '{rewrite}'")
            conn.close()

        anchor = _seconds(vacuum_into)
        took = _seconds(lambda: encryption.encrypt_file(encrypted, PASSPHRASE))
        rows = [("`encrypt` (anchor: `VACUUM INTO` a plain copy)", [anchor], [took])]
        rewrite.unlink()

        timings: dict[str, tuple[list[float], list[float]]] = {
            "key derivation (once per start / attempt)": ([], []),
            "open the database (start, schema check)": ([], []),
            "export PY2 (`compute_export`)": ([], []),
            "100 referrals, one commit each": ([], []),
            "backup (online backup API)": ([], []),
        }
        period = parse_period("PY2")
        for run in range(args.repeat):
            for side, path in enumerate((plain, encrypted)):
                is_enc = side == 1
                steps = iter(timings.values())
                kdf = next(steps)
                kdf[side].append(
                    _seconds(lambda: encryption.derive_key(encrypted, PASSPHRASE)) if is_enc else 0.0
                )
                t0 = time.perf_counter()
                db = _open(path, is_enc)
                next(steps)[side].append(time.perf_counter() - t0)
                repos = Repositories(db, CLOCK)
                next(steps)[side].append(
                    _seconds(lambda r=repos: compute_export(r, period, internal=True, allow_incomplete=True))
                )
                next(steps)[side].append(_seconds(lambda d=db, n=run: _register(d, n)))
                copy = folder / f"backup-{side}-{run}.db"
                next(steps)[side].append(_seconds(lambda d=db, c=copy: backup_database(d, c)))
                copy.unlink()
                db.close()
        rows += [(label, a, b) for label, (a, b) in timings.items()]

        print("| step | plain (anchor) | encrypted | ratio |\n|---|---|---|---|")
        for label, a, b in rows:
            pa, pb = statistics.median(a), statistics.median(b)
            ratio = f"{pb / pa:.1f}x" if pa > 0 else "—"
            print(f"| {label} | {pa:.2f} s | {pb:.2f} s | {ratio} |")
        print(
            f"| file size | {plain.stat().st_size / 2**20:.1f} MB | "
            f"{encrypted.stat().st_size / 2**20:.1f} MB | |"
        )
        print(f"\nload average at end: {os.getloadavg()[0]:.1f}; median of {args.repeat} run(s)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

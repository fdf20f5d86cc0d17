"""Fuzzing soak run (issue 10 item 8): the properties of ``tests/unit/test_fuzz.py`` with many
more examples than CI runs, and the import/service equivalence of
``tests/unit/test_import_equivalence.py`` with more random files.

Run from the repository root::

    python benchmarks/fuzz_soak.py                    # 10,000 examples per fuzz property
    python benchmarks/fuzz_soak.py --examples 20000 --equivalence 1000

Prints the pytest summary and the wall time; the figures go in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Run the soak; return pytest's exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per fuzz property")
    parser.add_argument("--equivalence", type=int, default=500, help="random files for the equivalence test")
    args = parser.parse_args(argv)
    env = dict(
        os.environ, MENTOR_FUZZ_EXAMPLES=str(args.examples), MENTOR_EQUIVALENCE_EXAMPLES=str(args.equivalence)
    )
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            "tests/unit/test_fuzz.py",
            "tests/unit/test_import_equivalence.py",
        ],
        cwd=ROOT,
        env=env,
    )
    print(
        f"\nfuzz soak: {args.examples} examples x 4 properties, {args.equivalence} equivalence files, "
        f"{time.perf_counter() - started:.0f} s, exit code {done.returncode}"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())

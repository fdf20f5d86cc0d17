"""Helpers for the robustness tests: another user's permissions, a small disk, raw page damage.

File permissions do not bind root, so a test that needs "this file is read-only" runs its step in
a forked child that drops to an unprivileged user when the suite runs as root (and as itself
otherwise, where ``chmod`` is enough). Results come back through a pipe as plain data.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mentor_tui.errors import MentorError

NOBODY = 65534
"""uid/gid the child drops to when the suite runs as root."""

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
"""Permission bits are enforced only for an unprivileged user."""


def run_in_child(
    fn: Callable[[], Any], *, unprivileged: bool = True, setup: Callable[[], None] | None = None
) -> Any:
    """Run ``fn()`` in a forked child and return its result.

    When ``unprivileged`` and the suite runs as root, the child first becomes ``nobody`` so that
    permission bits apply. ``setup`` runs in the child before that (for example a resource
    limit). A :class:`MentorError` comes back as ``("MentorError", class name, da, en)``; any
    other exception as ``("Exception", class name, repr)``.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        try:
            if setup is not None:
                setup()
            if unprivileged and IS_ROOT:
                # the interpreter's own files may be unreadable to nobody: load lazy codecs first
                for codec in ("utf-8-sig", "utf-16", "cp1252"):
                    "".encode(codec)
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            try:
                result: Any = ("ok", fn())
            except MentorError as exc:
                result = ("MentorError", type(exc).__name__, exc.text("da"), exc.text("en"))
            except BaseException as exc:
                result = ("Exception", type(exc).__name__, repr(exc))
            data = pickle.dumps(result)
        except BaseException as exc:
            data = pickle.dumps(("Exception", type(exc).__name__, repr(exc)))
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as incoming:
        data = incoming.read()
    os.waitpid(pid, 0)
    result = pickle.loads(data)
    if result[0] == "ok":
        return result[1]
    return result


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A fresh folder the unprivileged child owns (world-traversable parents), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="mentor-robust-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(folder, 0o755)
    if IS_ROOT:
        os.chown(folder, NOBODY, NOBODY)
    try:
        yield folder
    finally:
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def give_to_child(*paths: Path) -> None:
    """Make ``paths`` belong to the unprivileged child (no-op when not root)."""
    if IS_ROOT:
        for path in paths:
            if path.exists():
                os.chown(path, NOBODY, NOBODY)


def listing(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Return every file in ``folder`` with its mode and bytes (to compare before and after)."""
    return {
        p.name: (p.stat().st_mode & 0o777, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()
    }


def can_mount_tmpfs() -> bool:
    """Return whether this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    if not IS_ROOT or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as probe:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], capture_output=True)
        if ok.returncode != 0:
            return False
        subprocess.run(["umount", probe], capture_output=True)
    return True


@contextlib.contextmanager
def tiny_disk(size_kib: int) -> Iterator[Path]:
    """Mount a tmpfs of ``size_kib`` KiB and yield its folder (root only; see :func:`can_mount_tmpfs`)."""
    folder = Path(tempfile.mkdtemp(prefix="mentor-disk-"))
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(folder)], check=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def fill_disk(folder: Path, leave_bytes: int) -> None:
    """Write a filler file until at most ``leave_bytes`` remain free on ``folder``'s file system."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with (folder / "filler").open("wb") as f, contextlib.suppress(OSError):
        remaining = free - leave_bytes
        chunk = b"\0" * 4096
        while remaining > 0:
            f.write(chunk[: min(4096, remaining)])
            remaining -= 4096
            f.flush()


def zero_page(path: Path, page: int, page_size: int = 4096) -> None:
    """Overwrite page ``page`` (1-based) of a SQLite file with zeros, as a failing disk might."""
    with path.open("r+b") as f:
        f.seek((page - 1) * page_size)
        f.write(b"\0" * page_size)

"""Process-tree helpers for the kill tests (Linux /proc)."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]
# Tests set what output depends on: no colour, a plain terminal, a fixed width.
ENV = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}


def as_unprivileged() -> None:
    """Root reads and writes every file whatever its mode: drop the two capabilities that
    allow it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so the margin
    exec'd next obeys permissions like any user. For subprocess's preexec_fn."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone or a zombie."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = raw.rsplit(")", 1)[1].split()[:2]
    return (None if state in "ZX" else (state, int(ppid)))


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None:
                parents[int(entry)] = st[1]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def wait_for_descendants(pid: int, at_least: int, timeout: float) -> set[int]:
    deadline = time.monotonic() + timeout
    seen: set[int] = set()
    while time.monotonic() < deadline:
        seen |= descendants(pid)
        if len(seen) >= at_least:
            return seen
        time.sleep(0.05)
    return seen


def survivors(pids: set[int], timeout: float) -> set[int]:
    deadline = time.monotonic() + timeout
    alive = {p for p in pids if _stat(p) is not None}
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {p for p in alive if _stat(p) is not None}
    return alive

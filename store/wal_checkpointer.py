"""Checkpoints a library's WAL on a thread of its own while a run of writes goes on."""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path


class WalCheckpointer:
    """Copies committed pages into the database file (PASSIVE checkpoints) on its own thread
    and connection, woken after each write.

    A checkpoint mostly waits on fsync (tests/bench/README.md; one feed of 100 articles
    writes a few hundred pages). On the writer's thread that wait stalls the run: the
    automatic checkpoint inside a commit, and the one closing does while the last feeds
    wait. Here it overlaps parsing and the network, and closing has only the last writes
    left to copy. PASSIVE never waits for readers (the open reader, a cron fetch beside it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None

    def wrote(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop and close this thread's connection first, so the writer's own close stays
        the last one and does the final checkpoint as SQLite always does."""
        if self._thread is not None:
            self._stop = True
            self._wake.set()
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(str(self.path), timeout=0, check_same_thread=False)
        except sqlite3.Error:
            return  # an optimisation only: closing the library checkpoints anyway
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stop:
                    return
                # busy (another checkpoint running): the next write wakes us again
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            conn.close()

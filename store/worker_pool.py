"""The one way margin starts worker processes: feed parsing, file import and enrichment.

Two promises every pool keeps:
- fork only while this process runs a single thread. Forking beside another thread (the
  reader's workers, rich's progress refresher, asyncio's resolver threads) can copy a lock
  another thread holds and deadlock the child; then `forkserver` starts workers from a
  clean single-threaded server instead.
- workers die with margin. A SIGKILLed `margin fetch` must not leave workers holding the
  library and margin's stdout for minutes: each worker asks Linux for SIGKILL when its
  parent dies (PR_SET_PDEATHSIG), and also watches the margin process itself, which under
  forkserver is not its parent (a pidfd where there is one, else polling).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 1.0


def start_method() -> str:
    """`fork` when this process has one thread (cheaper: imported modules are shared), else
    `forkserver` (or `spawn` where there is no forkserver)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def process_pool(workers: int, initializer: Callable[..., Any] | None = None,
                 initargs: tuple = (), *, method: str | None = None) -> ProcessPoolExecutor:
    """A ProcessPoolExecutor whose workers start safely and never outlive margin."""
    import multiprocessing

    ctx = multiprocessing.get_context(method or start_method())
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(os.getpid(), initializer, initargs))


def _init_worker(margin_pid: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    die_with(margin_pid)
    # Ctrl-C reaches the whole process group but is margin's to handle (it commits the batch
    # in hand and stops the pool); a worker's KeyboardInterrupt traceback must not reach the terminal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def die_with(margin_pid: int) -> None:
    """End this process as soon as `margin_pid` (an ancestor) is gone."""
    if sys.platform.startswith("linux"):
        _parent_death_signal()
    if not _alive(margin_pid):
        os._exit(1)
    threading.Thread(target=_watch, args=(margin_pid,), name="margin-watch", daemon=True).start()


def _parent_death_signal() -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (musl oddities): the watcher still works
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else: margin's pid was reused
        return False
    return True


def _watch(pid: int) -> None:
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(pid)
        except OSError:
            fd = None
        if fd is not None:
            import select

            select.select([fd], [], [])  # readable once the process has exited
            os._exit(1)
    while _alive(pid):
        threading.Event().wait(_POLL_SECONDS)
    os._exit(1)

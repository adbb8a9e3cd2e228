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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

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

    method = method or start_method()
    if method != "fork":
        _start_helpers(method)
    ctx = multiprocessing.get_context(method)
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(os.getpid(), initializer, initargs))


def stop_now(pool: ProcessPoolExecutor) -> None:
    """After Ctrl-C or SIGTERM: drop the queued work and return at once. Waiting for each
    worker's task in hand (a spaCy batch that would never be stored) once kept a SIGTERMed
    `margin enrich` running for over two minutes on a loaded machine; that task ends with
    margin instead (die_with). Killing the workers here is no shortcut: one killed while
    writing its result leaves the executor's thread blocked on the pipe, and exit hangs."""
    pool.shutdown(wait=False, cancel_futures=True)


_HELPERS_LOCK = threading.Lock()


def _start_helpers(method: str) -> None:
    """Start multiprocessing's resource tracker (and the fork server) now. Both hand the
    child `sys.stderr.fileno()`, and inside the reader Textual has replaced sys.stderr with a
    capture whose fileno() is -1: starting them there failed with "bad value(s) in
    fds_to_keep". For that moment stderr is /dev/null (a real file either way)."""
    from multiprocessing import forkserver, resource_tracker

    with _HELPERS_LOCK:
        saved = sys.stderr
        try:
            valid = saved is not None and saved.fileno() >= 0
        except (AttributeError, OSError, ValueError):
            valid = False
        devnull = None if valid else open(os.devnull, "w")  # noqa: SIM115  closed in the finally below
        try:
            if devnull is not None:
                sys.stderr = devnull
            resource_tracker.ensure_running()
            if method == "forkserver":
                forkserver.ensure_running()
        finally:
            if devnull is not None:
                sys.stderr = saved
                devnull.close()


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


def die_with_parent(parent_pid: int) -> None:
    """For a margin command that another margin process started (the reader's `margin
    enrich`): end as soon as that parent is gone. On Linux the kernel's parent-death signal
    does it with no thread of ours, so the command's own pools still fork (start_method);
    elsewhere, or without prctl, a watcher thread does (die_with)."""
    if sys.platform.startswith("linux") and _parent_death_signal():
        if os.getppid() != parent_pid:  # the parent died before the signal was asked for
            os._exit(1)
        return
    die_with(parent_pid)


def _parent_death_signal() -> bool:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # no prctl (musl oddities): the watcher still works
        return False


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

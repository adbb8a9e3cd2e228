"""One pool helper: never fork beside other threads, workers never outlive margin."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

from store.worker_pool import process_pool, start_method
from tests.conftest import ROOT
from tests.hostile.procs import survivors, wait_for_descendants


def _pid_and_threads() -> tuple[int, int]:
    return os.getpid(), threading.active_count()


def test_pool_started_from_a_thread_does_not_fork_and_works():
    out = {}

    def in_thread() -> None:
        out["method"] = start_method()
        with process_pool(2) as pool:
            out["results"] = list(pool.map(pow, [2, 3], [10, 2]))
            out["worker"] = pool.submit(_pid_and_threads).result()

    t = threading.Thread(target=in_thread)
    t.start()
    t.join(60)
    assert out["method"] in ("forkserver", "spawn")
    assert out["results"] == [1024, 9]
    assert out["worker"][0] != os.getpid()


def test_single_threaded_process_forks():
    code = "from store.worker_pool import start_method; print(start_method())"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.stdout.strip() == "fork"


SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    from store.worker_pool import process_pool

    def hold():
        time.sleep(600)

    def start(pools):
        pool = process_pool(2)
        pool.submit(hold)
        pools.append(pool)

    pools = []
    if sys.argv[1] == "thread":  # forkserver: the workers' parent is not margin
        t = threading.Thread(target=start, args=(pools,)); t.start(); t.join()
    else:
        start(pools)
    print("ready", flush=True)
    time.sleep(600)
""")


def _workers_die_with(mode: str, sig: int) -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        workers = wait_for_descendants(proc.pid, 2, timeout=30)
        assert len(workers) >= 2
        proc.send_signal(sig)
        proc.wait(10)
        assert survivors(workers, timeout=30) == set()  # a bound, not a speed target
    finally:
        proc.kill()
        proc.wait()


def test_forked_workers_die_when_margin_is_killed():
    _workers_die_with("main", signal.SIGKILL)


def test_forkserver_workers_die_when_margin_is_killed():
    _workers_die_with("thread", signal.SIGKILL)


def test_workers_die_when_margin_is_terminated():
    _workers_die_with("thread", signal.SIGTERM)

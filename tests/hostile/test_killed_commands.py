"""`margin import`, `fetch` and `enrich` killed on their main PID leave no worker behind
(issue 19.3): SIGKILL and SIGTERM alike; and the `margin enrich` the reader starts dies
with a killed reader."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from store.feeds.lists import Subscription
from store.library import Library
from tests.conftest import ROOT, SEED
from tests.feeds.conftest import Route, server  # noqa: F401  (the real HTTP server fixture)
from tests.hostile.procs import ENV, MARGIN, descendants, survivors, wait_for_descendants


def _articles(folder, n: int) -> None:
    folder.mkdir()
    text = SEED.read_text()
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(f"Story number {i}\n\n{text}")


def _feed(n: int) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>http://example.com/{i}</link>"
                    f"<description>Moscow and Paris, entry {i}.</description></item>" for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def _kill_leaves_no_worker(args: list[str], sig: int, workers: int = 2) -> subprocess.Popen:
    proc = subprocess.Popen([*MARGIN, *args], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        seen = wait_for_descendants(proc.pid, workers, timeout=60)
        assert len(seen) >= workers, f"the command never started its workers: {proc.communicate()}"
        proc.send_signal(sig)
        # SIGTERM stops like Ctrl-C: what is committed stays, the workers' batch in hand is
        # dropped, not waited for (waiting for it once outlasted 120 s on a loaded CI machine).
        proc.wait(60)
        assert survivors(seen, timeout=30) == set()  # a bound, not a speed target
    finally:
        proc.kill()
        proc.wait()
    return proc


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_import_leaves_no_worker(tmp_path, sig):
    _articles(tmp_path / "in", 400)
    proc = _kill_leaves_no_worker(["import", str(tmp_path / "in"), "--library", str(tmp_path / "l.db")], sig)
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM
        assert b"Traceback" not in proc.stderr.read()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_enrich_leaves_no_worker(tmp_path, sig):
    _articles(tmp_path / "in", 120)
    lib_path = tmp_path / "l.db"
    done = subprocess.run([*MARGIN, "import", str(tmp_path / "in"), "--no-enrich", "--library", str(lib_path)],
                          cwd=ROOT, env=ENV, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    proc = _kill_leaves_no_worker(["enrich", "--library", str(lib_path)], sig)
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM
        assert b"Traceback" not in proc.stderr.read()
    with Library(lib_path) as lib:  # what was committed before the kill is all there
        assert lib.stats()["articles"] == 120


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_fetch_leaves_no_worker(tmp_path, server, sig):  # noqa: F811
    server.routes["/fast.xml"] = Route(_feed(20))
    server.routes["/slow.xml"] = Route(_feed(20), delay=20)  # keeps the run going while workers live
    lib_path = tmp_path / "l.db"
    with Library(lib_path) as lib:
        for path in ("/fast.xml", "/slow.xml"):
            lib.feeds.subscribe(Subscription(url=server.url(path)))
    proc = _kill_leaves_no_worker(["fetch", "--no-enrich", "--library", str(lib_path)], sig)
    if sig == signal.SIGTERM:
        assert b"Traceback" not in proc.stderr.read()


READER_PARENT = """
import asyncio, sys
from pathlib import Path
from tui.screens.reader_actions import start_enrich

async def main():
    proc = await start_enrich(Path(sys.argv[1]))  # as the reader does after a refresh
    print(proc.pid, flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


def _has_open(pid: int, path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


def test_the_readers_enrich_dies_with_a_killed_reader(tmp_path):
    lib_path = tmp_path / "l.db"
    with Library(lib_path) as lib:
        lib.import_paths([str(SEED)])  # something to enrich
    other = sqlite3.connect(lib_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing: enrich waits, alive, for its lock
    other.execute("UPDATE feeds SET title = title")
    reader = subprocess.Popen([sys.executable, "-c", READER_PARENT, str(lib_path)], cwd=ROOT, env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        child = int(reader.stdout.readline())
        deadline = time.monotonic() + 60
        while not _has_open(child, lib_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _has_open(child, lib_path), "margin enrich never opened the library"
        family = {child} | descendants(child)
        reader.kill()  # SIGKILL: the reader has no chance to stop its child
        reader.wait()
        assert survivors(family, timeout=30) == set()  # a bound, not a speed target
    finally:
        other.execute("COMMIT")
        other.close()
        reader.kill()
        reader.wait()

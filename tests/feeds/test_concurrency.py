"""How a fetch run spends its time: host slots before global ones, feeds stored while
others still download, nothing imported or loaded that the run does not need."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from store.feeds import http
from store.feeds.lists import Subscription
from store.library import Library
from tests.feeds.conftest import Route, Server, item, rss


def test_a_busy_host_does_not_hold_global_slots_other_hosts_need(server):
    other = Server()
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        for n in range(6):
            server.routes[f"/a{n}.xml"] = Route(b"<rss/>", delay=0.3)
        other.routes["/b.xml"] = Route(b"<rss/>")
        requests = [http.Request(n, server.url(f"/a{n}.xml")) for n in range(6)]
        requests.append(http.Request(99, other.url("/b.xml")))  # last in line, on an idle host
        order: list[int] = []
        http.fetch(requests, concurrency=3, on_done=lambda resp: order.append(resp.key))
        # Two feeds of the busy host run at a time; the third global slot is free for the
        # idle host at once instead of going to a feed that would only wait for its host.
        assert order[0] == 99
    finally:
        other.shutdown()
        other.server_close()


def test_feeds_are_stored_while_others_still_download(lib, server):
    server.routes["/fast.xml"] = Route(rss([item(1), item(2)]))
    slow_may_answer = threading.Event()
    server.routes["/slow.xml"] = Route(rss([item(3)], title="Slow"), gate=slow_may_answer)
    for path in ("/fast.xml", "/slow.xml"):
        lib.feeds.subscribe(Subscription(server.url(path)))
    seen = []

    def progress(done: int, total: int, new: int) -> None:
        if done == 1 and not seen:
            stored = lib.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            seen.append((stored, "/slow.xml" in server.answered))
            slow_may_answer.set()

    report = lib.feeds.fetch(progress=progress)
    assert report.new == 3
    # the fast feed was in the library before the slow one had been answered
    assert seen[0] == (2, False)


def test_tls_context_loads_its_ca_bundle_only_for_https():
    tls = http._LazyTLS()
    tls.ready_for("http://example.test/feed")
    assert not tls.loaded and tls.context.cert_store_stats()["x509_ca"] == 0
    tls.ready_for("https://example.test/feed")
    assert tls.loaded and tls.context.cert_store_stats()["x509_ca"] > 0


def test_a_fetch_run_starts_without_numpy_feedparser_or_worker_processes(library_path):
    # What `margin fetch` imports before its first request on an existing library (a new one
    # migrates first, with sqlite-utils); parsing imports arrive with the first 200.
    Library(library_path).close()
    code = ("import sys; from store.library import Library; lib = Library(sys.argv[1]); lib.feeds;"
            " heavy = [m for m in ('numpy', 'feedparser', 'selectolax', 'defusedxml', 'multiprocessing')"
            " if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code, str(library_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_work_that_can_wait_starts_once_the_first_requests_are_on_the_wire(server):
    for n in range(5):
        server.routes[f"/w{n}.xml"] = Route(b"<rss/>", delay=0.5)
    requests = [http.Request(n, server.url(f"/w{n}.xml")) for n in range(5)]
    at_sent: list[tuple[int, int]] = []
    done: list[int] = []

    def on_sent() -> None:
        # the server reads what was written in its own threads; the loop waits here, so no
        # answer can arrive meanwhile and a loaded machine may take its time
        deadline = time.perf_counter() + 5
        while len(server.hits) < 2 and time.perf_counter() < deadline:
            time.sleep(0.005)
        at_sent.append((len(server.hits), len(done)))

    http.fetch(requests, on_done=lambda resp: done.append(resp.key), on_sent=on_sent)
    # One host, two slots: both requests of the first wave were out, none answered yet,
    # and the hook ran once, long before the 0.5 s answers (not at its fallback timer either).
    assert at_sent == [(2, 0)]
    assert len(done) == 5 and server.max_in_flight == 2


def test_the_first_wave_hook_still_runs_when_a_host_never_accepts():
    fired: list[float] = []
    started = time.perf_counter()
    # Port 9 on 127.0.0.1 refuses at once: the request ends without being sent.
    http.fetch([http.Request(1, "http://127.0.0.1:9/feed.xml")], on_sent=lambda: fired.append(time.perf_counter()))
    assert len(fired) == 1 and fired[0] - started < http._FirstWave.FALLBACK


def test_fetch_without_a_terminal_draws_no_bar(lib, library_path, server):
    server.routes["/a.xml"] = Route(rss([item(1)]), headers={"Content-Type": "application/rss+xml"})
    lib.feeds.subscribe(Subscription(server.url("/a.xml")))
    code = ("import json, sys\nfrom tui.cli import main\n"
            "try:\n    main(['fetch', '--json', '--no-enrich', '--library', sys.argv[1]])\n"
            "except SystemExit as exc:\n    code = exc.code\n"
            "sys.stdout.write(json.dumps([code, sorted(m for m in ('rich.progress', 'rich.live')"
            " if m in sys.modules)]))\n")
    out = subprocess.run([sys.executable, "-c", code, str(library_path)], capture_output=True, text=True, check=True)
    # Under cron or in a script there is nothing to draw a bar on, and --json prints without rich.
    code, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert (code, loaded, out.stderr) == (0, [], "")
    report = json.loads(out.stdout[:out.stdout.rindex("}") + 1])  # the report, before the line above
    assert report["new"] == 1



def test_parse_workers_run_at_a_lower_priority_than_the_fetching_process():
    import os

    from store.feeds.parse import WORKER_NICENESS, ParsePool

    pool = ParsePool(parallel=True)
    try:
        worker = pool._pool().submit(os.nice, 0).result(timeout=30)
    finally:
        pool.shutdown()
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)


def test_an_error_in_the_first_wave_hook_reaches_the_caller_not_the_terminal(server, capfd):
    server.routes["/a.xml"] = Route(b"<rss/>")

    def broken() -> None:
        raise RuntimeError("hook failed")

    with pytest.raises(RuntimeError, match="hook failed"):
        http.fetch([http.Request(1, server.url("/a.xml"))], on_sent=broken)
    assert "Traceback" not in capfd.readouterr().err



def test_stored_feeds_reach_the_database_file_while_others_still_download(lib, library_path, server):
    # The WAL is checkpointed on a thread of its own after each store, not left for the
    # writer's commits or its close. The slow feed answers only once the file has grown
    # (or after 20 s), so the order is proved whatever the machine's load.
    slow_may_answer = threading.Event()
    server.routes["/fast.xml"] = Route(rss([item(n) for n in range(30)]),
                                       headers={"Content-Type": "application/rss+xml"})
    server.routes["/slow.xml"] = Route(rss([item(99)], title="Slow"), headers={"Content-Type": "application/rss+xml"},
                                       gate=slow_may_answer)
    for path in ("/fast.xml", "/slow.xml"):
        lib.feeds.subscribe(Subscription(server.url(path)))
    lib.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = library_path.stat().st_size
    grew: list[bool] = []

    def progress(done: int, total: int, new: int) -> None:
        if done == 1:
            deadline = time.monotonic() + 20  # a bound against hanging, not a speed target
            while library_path.stat().st_size == before and time.monotonic() < deadline:
                time.sleep(0.01)
            grew.append(library_path.stat().st_size > before and "/slow.xml" not in server.answered)
            slow_may_answer.set()

    assert lib.feeds.fetch(progress=progress).new == 31
    assert grew == [True]


def test_parse_workers_collect_garbage_even_when_forked_with_the_collector_paused():
    import gc

    from store.feeds.parse import ParsePool

    pool = ParsePool(parallel=True)
    gc.disable()
    try:
        worker = pool._pool().submit(gc.isenabled).result(timeout=30)
    finally:
        gc.enable()
        pool.shutdown()
    assert worker is True

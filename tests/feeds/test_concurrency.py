"""How a fetch run spends its time: host slots before global ones, feeds stored while
others still download, nothing imported or loaded that the run does not need."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

from store.feeds import http
from store.feeds.lists import Subscription
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
    server.routes["/slow.xml"] = Route(rss([item(3)], title="Slow"), delay=1.0)
    for path in ("/fast.xml", "/slow.xml"):
        lib.feeds.subscribe(Subscription(server.url(path)))
    started, seen = time.perf_counter(), []

    def progress(done: int, total: int, new: int) -> None:
        if done == 1 and not seen:
            stored = lib.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            seen.append((stored, time.perf_counter() - started))

    report = lib.feeds.fetch(progress=progress)
    assert report.new == 3
    stored, when = seen[0]
    assert stored == 2 and when < 0.9  # the fast feed was in the library before the slow one arrived


def test_tls_context_loads_its_ca_bundle_only_for_https():
    tls = http._LazyTLS()
    tls.ready_for("http://example.test/feed")
    assert not tls.loaded and tls.context.cert_store_stats()["x509_ca"] == 0
    tls.ready_for("https://example.test/feed")
    assert tls.loaded and tls.context.cert_store_stats()["x509_ca"] > 0


def test_a_fetch_run_starts_without_numpy_feedparser_or_worker_processes(library_path):
    # What `margin fetch` imports before its first request; parsing imports arrive with the first 200.
    code = ("import sys; from store.library import Library; lib = Library(sys.argv[1]); lib.feeds;"
            " heavy = [m for m in ('numpy', 'feedparser', 'selectolax', 'defusedxml', 'multiprocessing')"
            " if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code, str(library_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

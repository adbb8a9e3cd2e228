"""Full text: extraction quality on the fixture pages (trafilatura as margin runs it, and
readability-lxml when installed), pages extracted per second on one core, and the time a
100-entry summary-only feed takes to reach full text with every page delayed 200 ms by
the server, against fetching the pages one by one.

    .venv/bin/python tests/bench/bench_fulltext.py [--entries 100] [--delay 0.2]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.feeds.lists import Subscription  # noqa: E402
from store.fulltext.extract import extract  # noqa: E402
from store.html import html_to_document  # noqa: E402
from store.library import Library  # noqa: E402
from tests.feeds.conftest import Route, Server, rss  # noqa: E402

PAGES = ROOT / "tests" / "fixtures" / "fulltext"
NAMES = ["article-tag", "no-article-tag", "table-layout", "non-english", "blog-code"]


def page(name: str) -> tuple[bytes, dict]:
    charset = "iso-8859-1" if name == "table-layout" else "utf-8"
    return (PAGES / f"{name}.html").read_bytes(), {"content-type": f"text/html; charset={charset}"}


def flat(text: str) -> str:
    return " ".join(text.split())


def margin_extract(data: bytes, headers: dict) -> str:
    return html_to_document("", extract(data, headers, "http://bench.test/").html).body


def readability_extract(data: bytes, headers: dict) -> str:
    from readability import Document

    from store.fulltext.extract import decode

    return html_to_document("", Document(decode(data, headers)).summary(html_partial=True)).body


def quality(fn) -> tuple[int, int, int, int, list[str]]:
    kept = paras = dropped = lines = 0
    rows = []
    for name in NAMES:
        want = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
        body = flat(fn(*page(name)))
        k = sum(flat(p) in body for p in want["paragraphs"])
        d = sum(line not in body for line in want["boilerplate"])
        kept, dropped = kept + k, dropped + d
        paras, lines = paras + len(want["paragraphs"]), lines + len(want["boilerplate"])
        rows.append(f"    {name:16} paragraphs kept {k}/{len(want['paragraphs'])}, "
                    f"boilerplate dropped {d}/{len(want['boilerplate'])}")
    return kept, paras, dropped, lines, rows


def speed(fn, rounds: int = 40) -> float:
    pages = [page(n) for n in NAMES]
    fn(*pages[0])  # imports and caches outside the clock
    start = time.perf_counter()
    for _ in range(rounds):
        for data, headers in pages:
            fn(data, headers)
    return rounds * len(pages) / (time.perf_counter() - start)


class HostServer(Server):
    """The test server on another loopback address (127.0.0.2...): another host to the client."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def server_bind(self) -> None:  # Server binds 127.0.0.1: this one binds its own address
        self.server_address = (self.address, 0)
        super().server_bind()

    @property
    def base(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}"


def feed_to_full_text(tmp: Path, entries: int, delay: float, hosts: int, **options) -> float:
    servers = [HostServer(f"127.0.0.{i + 1}") for i in range(hosts)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    items = []
    for i in range(entries):
        server, name = servers[i % hosts], NAMES[i % len(NAMES)]
        data, headers = page(name)
        server.routes[f"/p/{i}"] = Route(data, headers={"Content-Type": headers["content-type"]}, delay=delay)
        items.append({"title": f"Story {i}", "link": server.url(f"/p/{i}"), "guid": f"s{i}",
                      "description": "A teaser of one sentence."})
    servers[0].routes["/feed.xml"] = Route(rss(items), headers={"Content-Type": "application/rss+xml"})
    path = tmp / f"lib-{hosts}-{options.get('concurrency', 8)}.db"
    try:
        with Library(path) as lib:
            feed_id, _ = lib.feeds.subscribe(Subscription(servers[0].url("/feed.xml")))
            lib.fulltext.set_mode(feed_id, "on")
            start = time.perf_counter()
            lib.feeds.fetch()
            report = lib.fulltext.fetch(**options)
            seconds = time.perf_counter() - start
            assert report.fetched == entries, report.failed[:3]
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=100)
    ap.add_argument("--delay", type=float, default=0.2)
    args = ap.parse_args()
    extractors = [("trafilatura (margin)", margin_extract)]
    try:
        import readability  # noqa: F401

        extractors.append(("readability-lxml", readability_extract))
    except ImportError:
        print("readability-lxml not installed: `pip install readability-lxml` to compare")
    print(f"extraction quality on {len(NAMES)} fixture pages (tests/fixtures/fulltext):")
    for label, fn in extractors:
        kept, paras, dropped, lines, rows = quality(fn)
        print(f"  {label}: paragraphs kept {kept}/{paras} ({kept / paras:.0%}),"
              f" boilerplate lines dropped {dropped}/{lines} ({dropped / lines:.0%})")
        print("\n".join(rows))
    print("pages extracted per second, one core (the 5 pages, 40 rounds):")
    for label, fn in extractors:
        print(f"  {label}: {speed(fn):.0f} pages/s")
    print(f"{args.entries}-entry summary feed to full text, server delay {args.delay * 1000:.0f} ms per page:")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("margin, pages on one host (2 at a time, 0.1 s apart)", 1, {}),
                ("margin, pages on 4 hosts", 4, {}),
                ("one by one (same code, 1 connection), one host", 1, {"concurrency": 1})]
        for label, hosts, options in runs:
            seconds = feed_to_full_text(Path(tmp), args.entries, args.delay, hosts, **options)
            print(f"  {label}: {seconds:.2f} s ({args.entries / seconds:.1f} pages/s)")


if __name__ == "__main__":
    main()

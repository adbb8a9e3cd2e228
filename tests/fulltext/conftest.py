"""A summary-only feed and its article pages on a real HTTP server (127.0.0.1, port 0)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.feeds.lists import Subscription
from tests.feeds.conftest import Route, Server, rss, server  # noqa: F401  (the server fixture)

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "fulltext"
ARTICLE_PAGES = ["article-tag", "no-article-tag", "table-layout", "non-english", "blog-code"]
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page_bytes(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def expected(name: str) -> dict:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))


def serve_page(srv: Server, name: str, path: str | None = None, **route) -> str:
    path = path or f"/pages/{name}"
    charset = "iso-8859-1" if name == "table-layout" else "utf-8"
    headers = route.pop("headers", {"Content-Type": f"text/html; charset={charset}"})
    srv.routes[path] = Route(page_bytes(name), headers=headers, **route)
    return srv.url(path)


def summary_of(name: str) -> str:
    """The feed's teaser: the first sentence of the article's first paragraph."""
    first = expected(name)["paragraphs"][0]
    return first.split(". ")[0].rstrip(".") + "."


def serve_feed(srv: Server, entries: list[dict], path: str = "/feed.xml") -> str:
    srv.routes[path] = Route(rss(entries), headers={"Content-Type": "application/rss+xml"})
    return srv.url(path)


def entry(n: int, link: str, summary: str, **extra) -> dict:
    return {"title": f"Entry {n}", "link": link, "guid": f"entry-{n}", "pubDate": "Tue, 24 Nov 2026 10:00:00 +0000",
            "description": summary, **extra}


def subscribe(lib, url: str, mode: str = "on", threshold: int | None = None) -> int:
    feed_id, _ = lib.feeds.subscribe(Subscription(url))
    if mode != "off":
        lib.fulltext.set_mode(feed_id, mode, threshold=threshold)
    return feed_id


@pytest.fixture
def article_feed(server, lib):  # noqa: F811  (the server fixture imported above)
    """One summary-only entry per fixture page; the feed has full text on and is fetched."""
    entries = [entry(i, serve_page(server, name), summary_of(name)) for i, name in enumerate(ARTICLE_PAGES)]
    feed_id = subscribe(lib, serve_feed(server, entries))
    report = lib.feeds.fetch()
    assert report.new == len(ARTICLE_PAGES), report
    ids = {name: lib.feeds.conn.execute("SELECT id FROM articles WHERE guid = ?", (f"entry-{i}",)).fetchone()[0]
           for i, name in enumerate(ARTICLE_PAGES)}
    return feed_id, ids

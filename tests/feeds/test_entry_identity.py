"""Entries with no id, link, title or date are told apart by their content (over real HTTP)."""
from __future__ import annotations

from store.feeds.lists import Subscription
from tests.feeds.conftest import Route, item, rss


def anonymous(text: str) -> dict:
    return {"content": f"<p>{text}</p>"}


def test_three_anonymous_entries_are_three_articles(lib, server):
    server.routes["/f.xml"] = Route(rss([anonymous("First note of the day."), anonymous("Second, different."),
                                         anonymous("Third and last.")]))
    lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    report = lib.feeds.fetch()
    assert report.new == 3 and lib.stats()["articles"] == 3
    assert lib.feeds.fetch(force=True).new == 0  # the same entries again: no duplicates
    assert lib.stats()["articles"] == 3


def test_an_anonymous_entry_whose_text_changes_is_not_one_article_with_versions(lib, server):
    lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    for text in ("Reading one.", "Reading two.", "Reading three."):
        server.routes["/f.xml"] = Route(rss([anonymous(text)]))
        lib.feeds.fetch(force=True)
    assert lib.stats()["articles"] == 3 and lib.stats()["versions"] == 0


def test_entries_named_by_title_alone_keep_their_identity(lib, server):
    titled = {k: v for k, v in item(1).items() if k not in ("link", "guid", "pubDate")}
    server.routes["/f.xml"] = Route(rss([titled]))
    lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    lib.feeds.fetch()
    server.routes["/f.xml"] = Route(rss([{**titled, "content": "<p>Corrected text.</p>"}]))
    assert lib.feeds.fetch(force=True).updated == 1
    assert (lib.stats()["articles"], lib.stats()["versions"]) == (1, 1)

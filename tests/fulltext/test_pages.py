"""Feeds with full text on: pages fetched from a real server on 127.0.0.1, the article
stored as the current version, the summary kept as the first one, notes re-anchored."""
from __future__ import annotations

from tests.feeds.conftest import Route
from tests.fulltext.conftest import (
    ARTICLE_PAGES,
    entry,
    expected,
    page_bytes,
    serve_feed,
    serve_page,
    subscribe,
    summary_of,
)


def _versions(lib, article_id: int) -> list[str]:
    return [b for (b,) in lib.db.conn.execute(
        "SELECT body FROM article_versions WHERE article_id = ? ORDER BY id", (article_id,))]


def test_full_text_becomes_the_current_version_and_the_summary_the_first(lib, article_feed):
    _, ids = article_feed
    report = lib.fulltext.fetch()
    assert report.failed == [] and report.fetched == len(ARTICLE_PAGES)
    for name, art in ids.items():
        rec = lib.record(art)
        assert _versions(lib, art) == [summary_of(name)]
        assert expected(name)["paragraphs"][-1].split()[-1] in rec["body"]
        assert rec["fulltext"]["state"] == "done"
    assert lib.stats()["full_texts"] == len(ARTICLE_PAGES)


def test_full_text_puts_the_article_back_on_the_enrichment_queue(lib, article_feed):
    from store.enrich import pending_count

    _, ids = article_feed
    lib.db.conn.execute("UPDATE articles SET enriched_hash = body_hash, enrich_version = 99")
    lib.db.conn.commit()
    assert pending_count(lib.db.conn) == 0
    lib.fulltext.fetch()
    assert pending_count(lib.db.conn) == len(ids)


def test_refetching_the_feed_keeps_the_full_text(lib, article_feed, server):
    _, ids = article_feed
    lib.fulltext.fetch()
    bodies = {a: lib.article(a)["body"] for a in ids.values()}
    report = lib.feeds.fetch(force=True)
    assert report.updated == 0 and report.unchanged == len(ids)
    assert {a: lib.article(a)["body"] for a in ids.values()} == bodies
    assert lib.fulltext.pending() == []


def test_a_changed_summary_queues_the_page_again(lib, article_feed, server):
    feed_id, ids = article_feed
    lib.fulltext.fetch()
    art = ids["article-tag"]
    entries = [entry(i, serve_page(server, n), summary_of(n) + (" Updated." if n == "article-tag" else ""))
               for i, n in enumerate(ARTICLE_PAGES)]
    serve_feed(server, entries)
    lib.feeds.fetch(force=True)
    assert lib.fulltext.pending() == [art]
    assert "Wexmouth Terminals" in lib.article(art)["body"]  # the full text stays meanwhile


def test_a_note_on_the_summary_is_reanchored_into_the_full_text(lib, article_feed):
    _, ids = article_feed
    art = ids["article-tag"]
    note = lib.notes.add(art, quote="nine hundred dock workers", body="how many in total?")
    lib.fulltext.fetch([art])
    rec = lib.record(art)
    (placed,) = [n for n in rec["notes"] if n["id"] == note.id]
    assert placed["state"] in ("anchored", "relocated")
    assert rec["body"][placed["start"]:placed["end"]] == "nine hundred dock workers"
    assert len(rec["body"]) > 5 * len(_versions(lib, art)[0])


def test_page_metadata_fills_only_what_the_feed_left_empty(lib, server):
    link = serve_page(server, "article-tag")
    server.routes["/feed.xml"] = Route(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>
<item><title>Cranes idle</title><link>{link}</link><guid>undated</guid><description>Cranes idle.</description></item>
<item><title>Cranes idle again</title><link>{link}</link><guid>by-feed</guid><description>Cranes idle.</description>
<pubDate>Sun, 22 Nov 2026 09:00:00 +0000</pubDate><author>desk@courier.test (Feed Desk)</author></item>
</channel></rss>""".encode(), headers={"Content-Type": "application/rss+xml"})
    feed = server.url("/feed.xml")
    subscribe(lib, feed)
    lib.feeds.fetch()
    lib.fulltext.fetch()
    undated, dated = (lib.record(i) for (i,) in lib.db.conn.execute("SELECT id FROM articles ORDER BY id"))
    assert (undated["title"], undated["author"]) == ("Cranes idle", "Mara Ellison")
    assert undated["published_at"].startswith("2026-11-20")
    assert lib.article(undated["id"])["date_estimated"] == 0
    assert dated["published_at"].startswith("2026-11-22") and dated["author"] == "desk@courier.test (Feed Desk)"


def test_auto_fetches_only_entries_shorter_than_the_threshold(lib, server):
    short, long_ = serve_page(server, "article-tag", "/short"), serve_page(server, "blog-code", "/long")
    feed = serve_feed(server, [entry(1, short, "A teaser of forty characters or so here."),
                               entry(2, long_, "Long enough to read as it is. " * 10)])
    subscribe(lib, feed, "auto", threshold=200)
    lib.feeds.fetch()
    report = lib.fulltext.fetch()
    assert report.fetched == 1
    assert [p for p, _ in server.hits if p in ("/short", "/long")] == ["/short"]


def test_auto_uses_500_characters_by_default(lib, server):
    page = serve_page(server, "article-tag")
    feed = serve_feed(server, [entry(1, page, "x" * 480 + "."), entry(2, page, "y" * 520 + ".")])
    subscribe(lib, feed, "auto")
    lib.feeds.fetch()
    assert len(lib.fulltext.pending()) == 1
    assert lib.fulltext.mode(1)["threshold"] == 500


def test_turning_full_text_on_fetches_only_entries_that_come_after(lib, server):
    old = serve_page(server, "article-tag", "/old")
    feed = serve_feed(server, [entry(1, old, "An old teaser.")])
    subscribe(lib, feed, "off")
    lib.feeds.fetch()
    lib.fulltext.set_mode(1, "on")
    assert lib.fulltext.pending() == []
    serve_feed(server, [entry(1, old, "An old teaser."), entry(2, serve_page(server, "no-article-tag"), "New.")])
    lib.feeds.fetch(force=True)
    assert [lib.article(a)["guid"] for a in lib.fulltext.pending()] == ["entry-2"]
    lib.fulltext.set_mode(1, "off")
    assert lib.fulltext.pending() == []


def test_refetching_a_page_is_a_conditional_get(lib, server):
    server.routes["/etagged"] = Route(page_bytes("article-tag"), headers={"Content-Type": "text/html"},
                                      etag='"v1"')
    feed = serve_feed(server, [entry(1, server.url("/etagged"), "Cranes idle.")])
    subscribe(lib, feed)
    lib.feeds.fetch()
    assert lib.fulltext.fetch().fetched == 1
    report = lib.fulltext.fetch([1])
    assert (report.fetched, report.unchanged, report.failed) == (0, 1, [])
    assert [h.get("If-None-Match") for p, h in server.hits if p == "/etagged"] == [None, '"v1"']
    assert len(_versions(lib, 1)) == 1


def test_pages_on_one_host_are_spaced_by_the_host_delay(lib, server):
    import time

    pages = [serve_page(server, "article-tag", f"/p{i}") for i in range(4)]
    feed = serve_feed(server, [entry(i, p, "Teaser.") for i, p in enumerate(pages)])
    subscribe(lib, feed)
    lib.feeds.fetch()
    started: list[float] = []
    original = server.RequestHandlerClass.do_GET

    def stamped(handler):
        if handler.path.startswith("/p"):
            started.append(time.monotonic())
        return original(handler)

    server.RequestHandlerClass.do_GET = stamped
    try:
        lib.fulltext.fetch(host_delay=0.2)
    finally:
        server.RequestHandlerClass.do_GET = original
    # the span, not each gap: a loaded machine may run one handler late and the next on time
    assert len(started) == 4 and started[-1] - started[0] >= 3 * 0.15

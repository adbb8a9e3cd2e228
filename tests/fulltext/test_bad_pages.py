"""Bad pages: each leaves the summary as it was, keeps the note on it, and gives one
message on that article; the other articles of the run still get their full text."""
from __future__ import annotations

import gzip

import pytest

from tests.feeds.conftest import Route, gzip_bomb
from tests.fulltext.conftest import (
    HTML,
    entry,
    page_bytes,
    serve_feed,
    serve_page,
    subscribe,
)

SUMMARY = "Dock workers at Wexmouth walked out on Thursday over new shift patterns."
ESC_PAGE = page_bytes("article-tag").replace(
    b"<p>Every crane", b"<p>\x1b[2J\x1b]0;owned\x07[bold red]Red alert[/bold red] \x1b[31mEvery crane")


def _redirect_loop(server):
    server.routes["/loop"] = Route(b"", status=302, headers={"Location": "/loop"})
    return server.url("/loop")


BAD = {
    "20 MB page": (lambda s: _route(s, "/huge", Route(b"<html><body><p>" + b"x" * 20_000_000, headers=HTML)),
                   "larger than 5000000 bytes"),
    "gzip bomb": (lambda s: _route(s, "/bomb", Route(gzip_bomb(60_000_000), headers={
        **HTML, "Content-Encoding": "gzip"})), "gzip bomb"),
    "PDF": (lambda s: _route(s, "/doc.pdf", Route(b"%PDF-1.7 " + b"0" * 1000, headers={
        "Content-Type": "application/pdf"})), "not HTML (application/pdf)"),
    "image": (lambda s: _route(s, "/pic", Route(b"\x89PNG\r\n\x1a\n", headers={"Content-Type": "image/png"})),
              "not HTML (image/png)"),
    "endless redirect": (_redirect_loop, "too many redirects"),
    "never answers": (lambda s: _route(s, "/slow", Route(page_bytes("article-tag"), headers=HTML, delay=8)),
                      "timed out"),
    "nested 10,000 deep": (lambda s: _route(s, "/deep", Route(
        b"<html><body>" + b"<div>" * 10_000 + b"<p>deep</p>" + b"</div>" * 10_000, headers=HTML)), "nested too deeply"),
    "javascript: link": (lambda s: "javascript:alert(1)", "not a web page address (javascript:alert(1))"),
    "file: link": (lambda s: "file:///etc/passwd", "not a web page address (file:"),
    "extraction returns nothing": (lambda s: _route(s, "/empty", Route(
        b"<html><body><nav><a href='/'>Home</a></nav><script>track()</script></body></html>", headers=HTML)),
        "no article text found on the page"),
    "paywall": (lambda s: serve_page(s, "paywall"), "page is a paywall"),
    "403": (lambda s: _route(s, "/forbidden", Route(b"no", status=403, headers=HTML)), "HTTP 403"),
    "gzip that is not gzip": (lambda s: _route(s, "/corrupt", Route(b"not gzip at all", headers={
        **HTML, "Content-Encoding": "gzip"})), "corrupt gzip body"),
}


def _route(server, path: str, route: Route) -> str:
    server.routes[path] = route
    return server.url(path)


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_page_leaves_the_summary_and_says_why_on_that_article(lib, server, case):
    make, reason = BAD[case]
    good = serve_page(server, "no-article-tag")
    feed = serve_feed(server, [entry(1, make(server), SUMMARY), entry(2, good, "Ash over Isla Rosada.")])
    subscribe(lib, feed)
    lib.feeds.fetch()
    bad_id, good_id = (i for (i,) in lib.db.conn.execute("SELECT id FROM articles ORDER BY id"))
    note = lib.notes.add(bad_id, quote="walked out", body="why?")
    report = lib.fulltext.fetch(total_timeout=3.0)  # short, yet long enough for the others on a loaded machine
    assert len(report.failed) == 1, report.failed
    ((failed_id, _, message),) = report.failed
    assert failed_id == bad_id and message.startswith("could not extract: ") and reason in message
    rec = lib.record(bad_id)
    assert rec["body"] == SUMMARY
    assert reason in rec["fulltext"]["reason"] and rec["fulltext"]["state"] == "failed"
    assert lib.db.conn.execute("SELECT count(*) FROM article_versions WHERE article_id = ?",
                               (bad_id,)).fetchone()[0] == 0
    (kept,) = rec["notes"]
    assert (kept["id"], kept["state"], rec["body"][kept["start"]:kept["end"]]) == (note.id, "anchored", "walked out")
    assert report.fetched == 1 and "Monte Cerrado" in lib.article(good_id)["body"]


def test_a_pdf_is_refused_from_its_headers_without_downloading_it(lib, server):
    server.routes["/big.pdf"] = Route(b"%PDF-1.7 " + b"0" * 4_000_000, headers={"Content-Type": "application/pdf"})
    feed = serve_feed(server, [entry(1, server.url("/big.pdf"), SUMMARY)])
    subscribe(lib, feed)
    lib.feeds.fetch()
    report = lib.fulltext.fetch()
    assert "not HTML (application/pdf)" in report.failed[0][2]


def test_escape_sequences_and_rich_markup_in_a_page_are_stored_as_plain_text(lib, server):
    feed = serve_feed(server, [entry(1, _route(server, "/esc", Route(ESC_PAGE, headers=HTML)), SUMMARY)])
    subscribe(lib, feed)
    lib.feeds.fetch()
    assert lib.fulltext.fetch().fetched == 1
    body = lib.article(1)["body"]
    assert "\x1b" not in body and "\x07" not in body
    assert "[bold red]Red alert[/bold red]" in body  # kept as the text it is, never read as markup


def test_a_transient_failure_is_backed_off_and_a_final_one_is_not_retried(lib, server):
    forbidden = _route(server, "/forbidden", Route(b"no", status=403, headers=HTML))
    pdf = _route(server, "/doc.pdf", Route(b"%PDF", headers={"Content-Type": "application/pdf"}))
    feed = serve_feed(server, [entry(1, forbidden, SUMMARY), entry(2, pdf, SUMMARY)])
    subscribe(lib, feed)
    lib.feeds.fetch()
    lib.fulltext.fetch()
    rows = dict(lib.db.conn.execute("SELECT article_id, retry_after FROM fulltext_pages"))
    assert rows[1] is not None and rows[2] is None
    assert lib.fulltext.pending() == []  # the 403 waits for its backoff
    lib.db.conn.execute("UPDATE fulltext_pages SET retry_after = '2000-01-01T00:00:00+00:00' WHERE article_id = 1")
    lib.db.conn.commit()
    assert lib.fulltext.pending() == [1]


def test_a_gzip_page_is_read(lib, server):
    feed = serve_feed(server, [entry(1, _route(server, "/gz", Route(gzip.compress(page_bytes("article-tag")),
                                                                    headers={**HTML, "Content-Encoding": "gzip"})),
                                     SUMMARY)])
    subscribe(lib, feed)
    lib.feeds.fetch()
    assert lib.fulltext.fetch().fetched == 1

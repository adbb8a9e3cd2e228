"""Feeds reach only http(s): no file:, data: or javascript: URL is fetched, and no redirect
leads to one (issue 19, "Feeds cannot reach where they should not"). An entry's own link is
kept as the feed gave it; full text refuses to fetch one that is not http(s) (tests/fulltext)."""
from __future__ import annotations

import pytest

from store.errors import MarginError
from store.feeds.lists import Subscription, read_opml, read_urls
from tests.feeds.conftest import Route, item, rss, server  # noqa: F401  (the real HTTP server fixture)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/xml,<rss/>", "javascript:alert(1)",
                                 "ftp://example.test/feed", "http:///no-host"])
def test_adding_a_non_web_url_is_refused_and_nothing_is_subscribed(lib, url):
    with pytest.raises(MarginError, match="refused|no host"):
        lib.feeds.add(url)
    assert lib.feeds.list() == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "data:application/rss+xml,%3Crss%2F%3E"])
def test_a_redirect_to_a_local_url_is_refused(lib, server, target):  # noqa: F811
    server.routes["/feed.xml"] = Route(status=302, headers={"Location": target})
    lib.feeds.subscribe(Subscription(server.url("/feed.xml")))
    report = lib.feeds.fetch()
    ((_, reason),) = report.failed
    assert reason.startswith(f"redirected to {target}: not an http(s) URL") or reason.startswith("refused: ")
    assert lib.stats()["articles"] == 0


def test_a_redirect_loop_ends_with_a_message(lib, server):  # noqa: F811
    server.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    server.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    server.routes["/ok.xml"] = Route(rss([item(1)]))
    for path in ("/a", "/ok.xml"):
        lib.feeds.subscribe(Subscription(server.url(path)))
    report = lib.feeds.fetch()
    assert [reason for _, reason in report.failed] == ["too many redirects"]
    assert report.new == 1  # the batch went on


def test_subscription_lists_refuse_local_urls():
    urls = read_urls("file:///etc/passwd\nhttp://example.test/feed tech\n")
    assert [s.url for s in urls.subscriptions] == ["http://example.test/feed"]
    assert urls.problems == [("line 1", "not an http(s) URL (file:); refused")]
    opml = read_opml(b'<opml><body><outline xmlUrl="file:///etc/shadow" text="x"/>'
                     b'<outline xmlUrl="https://example.test/a" text="a"/></body></opml>')
    assert [s.url for s in opml.subscriptions] == ["https://example.test/a"]
    assert len(opml.problems) == 1


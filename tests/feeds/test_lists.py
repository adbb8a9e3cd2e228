"""Subscription lists: OPML round trip, newsboat urls, export."""

from store.feeds.lists import read_urls
from tests.feeds.conftest import Route, item, rss

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="News" title="News">
  <outline type="rss" text="Wire One" title="Wire One" xmlUrl="http://a.test/rss"/>
  <outline text="Europe"><outline type="rss" text="Ledger" xmlUrl="http://b.test/atom"/></outline>
</outline>
<outline type="rss" text="Loose &amp; Free" xmlUrl="http://c.test/feed"/>
</body></opml>"""


def test_opml_round_trip_keeps_every_url_title_and_tag(lib, tmp_path):
    path = tmp_path / "in.opml"
    path.write_bytes(OPML)
    result = lib.feeds.import_file(path)
    assert result["added"] == 3
    exported = tmp_path / "out.opml"
    exported.write_text(lib.feeds.export("opml"))
    with type(lib)(tmp_path / "other.db") as other:
        other.feeds.import_file(exported)
        got = {(f["url"], f["title"], tuple(f["tags"])) for f in other.feeds.list()}
    assert got == {("http://a.test/rss", "Wire One", ("News",)), ("http://b.test/atom", "Ledger", ("News", "Europe")),
                   ("http://c.test/feed", "Loose & Free", ())}


def test_newsboat_urls_tags_titles_hidden_and_refusals():
    report = read_urls('http://a.test/rss tech "~My Title" !\n# comment\n"query:Unread:unread = \\"yes\\""\n'
                       "exec:~/bin/script\nfilter:~/f.sh:http://x\n")
    sub = report.subscriptions[0]
    assert (sub.url, sub.tags, sub.title, sub.hidden) == ("http://a.test/rss", ["tech"], "My Title", True)
    reasons = [r for _, r in report.problems]
    assert len(reasons) == 2 and "refused" in reasons[0] and "refused" in reasons[1]
    # query feeds are kept for the importer to turn into saved searches (store/search/newsboat.py)
    assert report.queries == [("line 3", 'query:Unread:unread = "yes"')]


def test_urls_export_reads_back_the_same(lib, tmp_path):
    path = tmp_path / "urls"
    path.write_text('http://a.test/rss tech "two words" "~A \\"quoted\\" title"\n')
    lib.feeds.import_file(path)
    again = read_urls(lib.feeds.export("urls"))
    assert [(s.url, s.tags, s.title) for s in again.subscriptions] == [
        ("http://a.test/rss", ["tech", "two words"], 'A "quoted" title')]


def test_huge_feed_is_capped_with_a_warning_not_a_stall(lib, server, monkeypatch):
    from store.feeds import parse

    monkeypatch.setattr(parse, "MAX_ENTRIES", 500)
    server.routes["/huge"] = Route(rss([item(i) for i in range(1500)]))
    from store.feeds.lists import Subscription

    lib.feeds.subscribe(Subscription(server.url("/huge")))
    report = lib.feeds.fetch()
    assert report.new == 500 and "kept the first 500" in report.warnings[0][1]

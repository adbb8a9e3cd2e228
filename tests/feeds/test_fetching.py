"""Fetching over real HTTP on 127.0.0.1: conditional GET, redirects, errors, limits, formats."""
from __future__ import annotations

import json

import pytest

from store.feeds.lists import Subscription
from tests.feeds.conftest import ATOM, RDF, Route, gzip_bomb, item, rss


def subscribe(lib, url, **kw):
    return lib.feeds.subscribe(Subscription(url, **kw))[0]


def test_first_fetch_stores_entries_then_304_costs_no_parsing(lib, server):
    server.routes["/f.xml"] = Route(rss([item(1), item(2)]), etag='"v1"',
                                    headers={"Content-Type": "application/rss+xml",
                                             "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT"})
    fid = subscribe(lib, server.url("/f.xml"))
    first = lib.feeds.fetch()
    assert (first.new, first.failed) == (2, [])
    art = lib.article(first.article_ids[0])
    assert art["title"] == "Story 1" and art["published_at"] == "2026-11-24T10:00:00+00:00"
    assert art["body"].startswith("Paragraph one of story 1")
    assert "margin/" in server.hits[0][1]["User-Agent"]
    second = lib.feeds.fetch(force=False)
    assert second.not_modified == 1 and second.new == 0
    assert server.hits[-1][1].get("If-None-Match") == '"v1"'
    assert lib.feeds.get(fid)["last_status"] == 304


def test_changed_entry_updates_the_article_and_keeps_the_old_text(lib, server):
    server.routes["/f.xml"] = Route(rss([item(1)]))
    subscribe(lib, server.url("/f.xml"))
    lib.feeds.fetch()
    server.routes["/f.xml"] = Route(rss([item(1, content="<p>Rewritten body about the strike.</p>")]))
    report = lib.feeds.fetch(force=True)
    assert report.updated == 1 and lib.stats()["articles"] == 1
    assert lib.db.conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1


def test_atom_rdf_and_html_content_become_documents(lib, server):
    server.routes["/a"] = Route(ATOM)
    server.routes["/r"] = Route(RDF)
    server.routes["/h"] = Route(rss([item(1, content='<p>See <a href="/rel/x">this</a>.</p><script>bad()</script>'
                                                    '<ul><li>one</li><li>two</li></ul>'
                                                    '<pre><code class="language-python">x = 1</code></pre>'
                                                    '<img src="/pixel.gif" width="1" height="1"><!-- note -->')]))
    for path in ("/a", "/r", "/h"):
        subscribe(lib, server.url(path))
    report = lib.feeds.fetch()
    assert report.new == 3 and not report.failed
    atom = lib.search('title:atom')[0]
    rec = lib.record(atom.id)
    assert rec["title"] == "Atom one" and rec["author"] == "Ann Writer"
    assert [b["kind"] for b in rec["blocks"]] == ["heading", "paragraph"]
    html = lib.record(lib.search("title:story")[0].id)
    assert [b["kind"] for b in html["blocks"]] == ["paragraph", "list_item", "list_item", "code"]
    assert "bad()" not in html["body"] and html["blocks"][-1].get("lang") == "python"
    links = lib.article(html["id"])["links"]
    assert links == ["http://example.test/rel/x"]


def test_non_utf8_feed_decodes_by_its_declared_encoding(lib, server):
    server.routes["/l"] = Route(rss([item(1, title="Café à Zürich")], encoding="iso-8859-1"),
                                headers={"Content-Type": "application/rss+xml; charset=iso-8859-1"})
    subscribe(lib, server.url("/l"))
    lib.feeds.fetch()
    assert lib.search("")[0].title == "Café à Zürich"


def test_redirects_permanent_updates_the_url_temporary_does_not(lib, server):
    server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Route(rss([item(1)]))
    server.routes["/tmp"] = Route(status=302, headers={"Location": "/new2"})
    server.routes["/new2"] = Route(rss([item(2)]))
    a, b = subscribe(lib, server.url("/old")), subscribe(lib, server.url("/tmp"))
    report = lib.feeds.fetch()
    assert report.new == 2
    assert lib.feeds.get(a)["url"] == server.url("/new")
    assert lib.feeds.get(b)["url"] == server.url("/tmp")


def test_errors_are_per_feed_and_the_others_go_on(lib, server):
    server.routes["/ok"] = Route(rss([item(1)]))
    server.routes["/gone"] = Route(status=410)
    server.routes["/busy"] = Route(status=429, headers={"Retry-After": "3600"})
    server.routes["/bad"] = Route(b"<rss><channel><item><title>x</title></chan")
    server.routes["/html"] = Route(b"<!doctype html><html><body><p>hello</p></body></html>",
                                   headers={"Content-Type": "text/html"})
    server.routes["/empty"] = Route(b"")
    ids = {p: subscribe(lib, server.url(p)) for p in ("/ok", "/gone", "/busy", "/missing", "/bad", "/html", "/empty")}
    report = lib.feeds.fetch()
    reasons = dict(report.failed)
    assert report.new >= 1
    assert "410" in reasons[server.url("/gone")] and lib.feeds.get(ids["/gone"])["disabled"] == 1
    assert "429" in reasons[server.url("/busy")]
    assert lib.feeds.get(ids["/busy"])["next_fetch_after"] > lib.feeds.get(ids["/ok"])["last_fetched_at"]
    assert "404" in reasons[server.url("/missing")]
    assert "not a feed" in reasons[server.url("/html")]
    assert "empty" in reasons[server.url("/empty")]
    assert lib.stats()["feeds_failing"] == len(report.failed)
    again = lib.feeds.fetch()
    assert again.skipped >= 2  # backoff and Retry-After are honoured without --force


def test_stall_oversize_and_gzip_bomb_are_cut_off(lib, server):
    server.routes["/slow"] = Route(rss([item(1)]), delay=3)
    server.routes["/big"] = Route(b"x" * 2_000_000)
    server.routes["/bomb"] = Route(gzip_bomb(), headers={"Content-Encoding": "gzip"})
    subscribe(lib, server.url("/slow"))
    stalled = lib.feeds.fetch(total_timeout=1.0)
    assert "timed out" in dict(stalled.failed)[server.url("/slow")]
    for p in ("/big", "/bomb"):
        subscribe(lib, server.url(p))
    # size limits, not time, cut these: a generous timeout keeps a busy machine out of it
    report = lib.feeds.fetch(total_timeout=60.0, max_bytes=1_000_000)
    reasons = dict(report.failed)
    assert "larger than" in reasons[server.url("/big")]
    assert "gzip bomb" in reasons[server.url("/bomb")]


def test_hostile_content_is_stored_as_plain_text(lib, server):
    evil = item(1, title="[bold red]Alarm[/] \x1b[31mred", content="<p>Body \x1b]0;x\x07 [link=y]z[/link]</p>")
    server.routes["/e"] = Route(rss([evil, {"description": "no title, no link, no date"}]))
    subscribe(lib, server.url("/e"))
    report = lib.feeds.fetch()
    assert report.new == 2
    titles = {lib.article(i)["title"] for i in report.article_ids}
    assert "[bold red]Alarm[/] red" in titles
    undated = [lib.article(i) for i in report.article_ids if lib.article(i)["title"].startswith("no title")][0]
    assert undated["date_estimated"] == 1 and undated["published_at"]


def test_billion_laughs_is_refused_safely(lib, server):
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'.encode()
                      for i in range(1, 10))
           + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>')
    server.routes["/lol"] = Route(lol)
    subscribe(lib, server.url("/lol"))
    report = lib.feeds.fetch()
    assert report.failed or report.new <= 1


def test_feeds_add_discovers_the_feed_of_a_page(lib, server):
    server.routes["/page"] = Route(b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                                   b"</head><body>hi</body></html>", headers={"Content-Type": "text/html"})
    server.routes["/feed.xml"] = Route(rss([item(1), item(2)], title="Discovered"))
    result = lib.feeds.add(server.url("/page"), tags=["news"])
    assert result["feed"]["url"] == server.url("/feed.xml") and result["report"].new == 2
    assert result["feed"]["title"] == "Discovered" and result["feed"]["tags"] == ["news"]


def test_removing_a_feed_keeps_articles_with_notes(lib, server):
    from store.errors import MarginError

    server.routes["/f"] = Route(rss([item(1), item(2)]))
    fid = subscribe(lib, server.url("/f"))
    report = lib.feeds.fetch()
    lib.notes.add(report.article_ids[0], quote="Paragraph one", body="keep me")
    with pytest.raises(MarginError, match="--yes"):
        lib.feeds.remove(fid)
    result = lib.feeds.remove(fid, yes=True)
    assert result["deleted_articles"] == 1 and result["kept_articles"] == 1
    assert lib.notes.list()[0].body == "keep me"


def test_removing_a_feed_reports_the_user_links_that_went_with_its_articles(lib, server):
    server.routes["/f"] = Route(rss([item(1), item(2)]))
    fid = subscribe(lib, server.url("/f"))
    a, b = lib.feeds.fetch().article_ids[:2]
    kept = lib.import_text("Kept\n\nA plain-text article that stays.\n").article_ids[0]
    lib.related.link(kept, a, note="same minister")
    lib.related.link(kept, b)
    result = lib.feeds.remove(fid)
    assert {(frozenset((x["src"], x["dst"])), x["note"]) for x in result["removed_user_links"]} == {
        (frozenset((kept, a)), "same minister"), (frozenset((kept, b)), None)}
    assert lib.related.for_article(kept) == []


def test_cli_fetch_json_and_exit_status(tmp_path, server):
    import subprocess
    import sys

    server.routes["/ok"] = Route(rss([item(1)]))
    lib_path = tmp_path / "l.db"
    urls = tmp_path / "urls"
    urls.write_text(f'{server.url("/ok")} news "~My feed"\n{server.url("/nope")}\nquery:x:y\nexec:ls\n')
    def run(*a):
        return subprocess.run([sys.executable, "-c", "from tui.cli import entry; entry()", *a, "--library",
                               str(lib_path)], capture_output=True, text=True, timeout=60)

    imported = run("feeds", "import", str(urls))
    # a newsboat query feed is translated into a saved search, or named when it cannot be
    assert (imported.returncode == 1 and "query feed 'x' not imported" in imported.stderr
            and "refused" in imported.stderr)
    out = run("fetch", "--json", "--no-enrich")
    summary = json.loads(out.stdout)
    assert out.returncode == 1 and summary["new"] == 1 and summary["failed"][0]["reason"] == "HTTP 404"
    listing = json.loads(run("feeds", "list", "--json").stdout)
    assert {f["title"] for f in listing} >= {"My feed"} and listing[0]["tags"] in (["news"], [])

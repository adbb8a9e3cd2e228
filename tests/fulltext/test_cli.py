"""The commands as a user runs them: `margin feeds fulltext`, `margin fetch` fetching the
pages of new entries, `margin fulltext ID`, per-article messages, OPML both ways."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from store.feeds.lists import MARGIN_NS, read_opml
from tests.conftest import ROOT
from tests.feeds.conftest import Route
from tests.fulltext.conftest import HTML, entry, serve_feed, serve_page, summary_of

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]
ESCAPE_URL = "javascript:alert('\x1b[31m[bold]x[/bold]')"


def margin(library, *args):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}
    return subprocess.run([*MARGIN, *args, "--library", str(library)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)


def test_feed_setting_then_fetch_brings_the_full_text_and_reports_failures(library_path, server):
    server.routes["/gone"] = Route(b"", status=404, headers=HTML)
    feed = serve_feed(server, [entry(1, serve_page(server, "article-tag"), summary_of("article-tag")),
                               entry(2, server.url("/gone"), "A teaser.")])
    subprocess.run([*MARGIN, "feeds", "add", feed, "--no-enrich", "--library", str(library_path)],
                   capture_output=True, check=True, cwd=ROOT, timeout=120)
    out = margin(library_path, "feeds", "fulltext", "1", "auto", "--threshold", "300")
    assert out.returncode == 0 and "full text auto (entries shorter than 300 characters)" in out.stdout
    listing = json.loads(margin(library_path, "feeds", "list", "--json").stdout)
    assert (listing[0]["fulltext"], listing[0]["fulltext_threshold"]) == ("auto", 300)
    # turned on after the first fetch: only the entries that come next are fetched
    serve_feed(server, [entry(1, serve_page(server, "article-tag"), summary_of("article-tag")),
                        entry(2, server.url("/gone"), "A teaser."),
                        entry(3, serve_page(server, "blog-code"), "Histograms, not averages.")])
    out = margin(library_path, "fetch", "--no-enrich", "--force", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0, out.stderr
    assert (data["new"], data["fulltext"]["fetched"], data["fulltext"]["failed"]) == (1, 1, [])
    shown = json.loads(margin(library_path, "show", "3", "--json").stdout)
    assert "nightly export" in shown["body"] and shown["fulltext"]["state"] == "done"

    out = margin(library_path, "fulltext", "2", "--no-enrich")
    assert out.returncode == 1
    assert out.stderr.strip() == "margin: article 2 (Entry 2): could not extract: HTTP 404"
    assert json.loads(margin(library_path, "show", "2", "--json").stdout)["body"] == "A teaser."


def test_fulltext_command_fetches_one_article_now(library_path, server):
    feed = serve_feed(server, [entry(1, serve_page(server, "non-english"), summary_of("non-english"))])
    subprocess.run([*MARGIN, "feeds", "add", feed, "--no-enrich", "--library", str(library_path)],
                   capture_output=True, check=True, cwd=ROOT, timeout=120)
    out = margin(library_path, "fulltext", "1", "--no-enrich", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["fetched"] == 1
    assert "Umweltverbände" in json.loads(margin(library_path, "show", "1", "--json").stdout)["body"]
    missing = margin(library_path, "fulltext", "99", "1", "--no-enrich")
    assert missing.returncode == 1 and missing.stderr.strip() == "margin: article 99: no such article"
    assert "1 unchanged, 1 failed" in missing.stdout  # the article after the missing one was still fetched


def test_a_hostile_entry_url_is_reported_on_one_clean_line(library_path, server):
    server.routes["/feed.xml"] = Route(
        (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Bad link</title>'
         f"<link>{ESCAPE_URL}</link><guid>b</guid><description>Teaser.</description></item></channel></rss>")
        .encode(), headers={"Content-Type": "application/rss+xml"})
    subprocess.run([*MARGIN, "feeds", "add", server.url("/feed.xml"), "--no-enrich", "--library", str(library_path)],
                   capture_output=True, check=True, cwd=ROOT, timeout=120)
    out = margin(library_path, "fulltext", "1", "--no-enrich")
    assert out.returncode == 1 and "\x1b" not in out.stderr and "\x1b" not in out.stdout
    assert out.stderr.startswith("margin: article 1 (Bad link): could not extract: not a web page address")


def test_plain_show_says_why_the_whole_article_is_missing_as_json_and_the_reader_do(library_path, server):
    server.routes["/gone"] = Route(b"", status=404, headers=HTML)
    feed = serve_feed(server, [entry(1, server.url("/gone"), "A teaser."),
                               entry(2, serve_page(server, "article-tag"), summary_of("article-tag"))])
    out = margin(library_path, "feeds", "add", feed, "--fulltext", "on", "--no-enrich")
    assert out.returncode == 1 and "article 1 (Entry 1): could not extract: HTTP 404" in out.stderr
    assert json.loads(margin(library_path, "show", "1", "--json").stdout)["fulltext"]["state"] == "failed"
    shown = margin(library_path, "show", "1")
    assert shown.returncode == 0 and "\x1b" not in shown.stdout
    lines = shown.stdout.splitlines()
    assert lines[0] == "Entry 1" and lines[1].endswith(" · could not extract: HTTP 404")
    assert "A teaser." in lines
    fetched = margin(library_path, "show", "2")  # a page that came in: nothing to say
    assert "could not extract" not in fetched.stdout and "nightly" not in fetched.stdout.splitlines()[1]


def test_feeds_add_with_fulltext_fetches_the_first_entries_too(library_path, server):
    feed = serve_feed(server, [entry(1, serve_page(server, "no-article-tag"), "Ash.")])
    out = margin(library_path, "feeds", "add", feed, "--fulltext", "on", "--no-enrich")
    assert out.returncode == 0, out.stderr
    assert "Monte Cerrado" in json.loads(margin(library_path, "show", "1", "--json").stdout)["body"]


def test_opml_carries_the_setting_in_margin_namespace(library_path, server, tmp_path):
    opml = tmp_path / "subs.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0" xmlns:margin="{MARGIN_NS}"><body>'
                    '<outline text="A" xmlUrl="http://a.test/feed" margin:fulltext="auto"'
                    ' margin:fulltextThreshold="800"/>'
                    '<outline text="B" xmlUrl="http://b.test/feed" margin:fulltext="on"/>'
                    '<outline text="C" xmlUrl="http://c.test/feed"/></body></opml>')
    assert margin(library_path, "feeds", "import", str(opml)).returncode == 0
    exported = margin(library_path, "feeds", "export").stdout
    assert f'xmlns:margin="{MARGIN_NS}"' in exported
    assert 'margin:fulltext="auto" margin:fulltextThreshold="800"' in exported
    subs = {s.url: (s.fulltext, s.fulltext_threshold) for s in read_opml(exported.encode()).subscriptions}
    assert subs == {"http://a.test/feed": ("auto", 800), "http://b.test/feed": ("on", None),
                    "http://c.test/feed": ("off", None)}


def test_backup_and_restore_keep_a_feeds_full_text_setting(library_path, tmp_path):
    from store.feeds.lists import Subscription
    from store.library import Library

    with Library(library_path) as lib:
        feed_id, _ = lib.feeds.subscribe(Subscription("http://a.test/feed"))
        lib.fulltext.set_mode(feed_id, "auto", threshold=700)
        with lib.db.conn:  # a starred entry travels in the backup
            lib.db.conn.execute("INSERT INTO articles (key, feed_id, origin, title, body, body_hash, imported_at,"
                                " starred) VALUES ('feed:1:x', ?, 'feed', 'T', 'Short.', 'h', '2026-01-01', 1)",
                                (feed_id,))
    backup = tmp_path / "backup.json"
    assert margin(library_path, "backup", str(backup)).returncode == 0
    restored = tmp_path / "restored.db"
    out = margin(restored, "restore", str(backup))
    assert out.returncode == 0, out.stderr
    with Library(restored) as lib:
        mode = lib.fulltext.mode(lib.feeds.get("http://a.test/feed")["id"])
        assert lib.fulltext.pending() == []  # the restored entry is not fetched again
    assert (mode["fulltext"], mode["threshold"]) == ("auto", 700)

"""Cost caps per article (issue 19.9): enrichment reads at most MAX_CHARS of a body and stores
at most MAX_MENTIONS, saying so; feed entries are cut at MAX_ENTRY_CHARS; hostile HTML
nesting is read without exhausting the stack; the reader answers keys on the largest
article the importer takes."""
from __future__ import annotations

import pytest

import store.enrich as enrich
from store.feeds.entries import MAX_ENTRY_CHARS
from store.feeds.lists import Subscription
from store.html import html_to_document
from store.importing import DEFAULT_MAX_BYTES
from tests.conftest import long_text
from tests.feeds.conftest import Route, item, rss, server  # noqa: F401
from tui.cli import main


def test_enrichment_of_a_long_article_is_capped_and_reported(lib, monkeypatch, capsys, library_path):
    monkeypatch.setattr(enrich, "MAX_CHARS", 3_000)
    monkeypatch.setattr(enrich, "MAX_MENTIONS", 5)
    art = lib.import_text(long_text(20_000)).article_ids[0]
    small = lib.import_text("Short one\n\nVladimir Putin met Bashar al-Assad in Moscow.\n").article_ids[0]
    report = lib.enrich()
    assert report.enriched == 2 and not report.failed
    (capped_id, what), = report.capped
    assert capped_id == art and "first 3,000 of" in what and "kept the first 5 of" in what
    offsets = lib.db.conn.execute("SELECT max(end), count(*) FROM mentions WHERE article_id = ?", (art,)).fetchone()
    assert offsets[0] <= 3_000 and offsets[1] <= 5
    assert lib.db.conn.execute("SELECT count(*) FROM mentions WHERE article_id = ?", (small,)).fetchone()[0] >= 2
    with lib.db.conn:  # queued again, for the command's run
        lib.db.conn.execute("UPDATE articles SET enrich_version = 0")
    with pytest.raises(SystemExit) as done:
        main(["enrich", "--library", str(library_path)])
    assert done.value.code == 0  # a cap is a notice, not a failure
    err = capsys.readouterr().err
    assert f"margin: article {art}: too long to enrich whole (cost cap): entities from the first 3,000" in err


@pytest.mark.parametrize("html", [
    "<div>" * 10_000 + "deep text" + "</div>" * 10_000,
    "<div><p>" * 50_000 + "deep text",
    "<b>" * 100_000 + "deep text",
    "<ul><li>" * 20_000 + "deep text",
    "<blockquote>" * 20_000 + "deep text",
])
def test_html_nested_ten_thousand_deep_gives_its_text(html):
    doc = html_to_document("Deep", html)
    assert "deep text" in doc.body


def test_a_feed_entry_over_the_cap_is_cut_and_the_feed_warns(lib, server):  # noqa: F811
    huge = "<p>" + ("Paris and Moscow. " * (MAX_ENTRY_CHARS // 18 + 1000)) + "</p>"
    nested = "<div>" * 10_000 + "Nested entry text." + "</div>" * 10_000
    server.routes["/f.xml"] = Route(rss([item(1, content=huge), item(2, content=nested), item(3)]))
    lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    report = lib.feeds.fetch()
    assert report.new == 3
    assert any("1 entries over 5,000,000 characters were cut" in reason for _, reason in report.warnings)
    longest = lib.db.conn.execute("SELECT max(length(body)) FROM articles").fetchone()[0]
    assert longest <= MAX_ENTRY_CHARS
    assert lib.db.conn.execute(
        "SELECT count(*) FROM articles WHERE body LIKE '%Nested entry text.%'").fetchone()[0] == 1


async def test_the_reader_answers_keys_on_the_largest_article_the_importer_takes(tmp_path):
    from tui.app import make_app
    from tui.widgets.article_view import ArticleView

    text = long_text(DEFAULT_MAX_BYTES - 100_000)
    text += "\n\n" + " ".join(["One enormous paragraph of words."] * 30_000)  # a 1 MB paragraph too
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode()[:DEFAULT_MAX_BYTES].decode("utf-8", "ignore").encode())
    app = make_app(tmp_path / "l.db")
    report = app.lib.import_paths([str(path)])
    assert report.imported == 1
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        assert view.has_focus and len(view.data.body) > 4_000_000
        await pilot.press("space", "space")
        assert view.scroll_offset.y > 0
        await pilot.press("right_curly_bracket")
        moved_to = view.cursor
        assert moved_to > 0
        await pilot.press("v", "w", "w")
        assert view.selection is not None and view.selection[1] > view.selection[0]
        await pilot.press("escape", "q")
        assert not view.has_focus

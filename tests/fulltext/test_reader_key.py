"""`F` in the reader: the page is fetched in a worker, a bar shows it is under way, the
whole text is swapped in and the view keeps its place; a failure says why and changes nothing."""
from __future__ import annotations

from store.library import Library
from tests.feeds.conftest import Route
from tests.fulltext.conftest import HTML, entry, serve_feed, serve_page, subscribe
from tui.widgets.article_view import ArticleView

SIZE = (120, 40)
SUMMARY = "Dock workers walked out at Wexmouth, and nine hundred dock workers stayed out."


async def _app(path, server, link: str, monkeypatch, enriched: list):
    import asyncio

    from tui.app import make_app
    from tui.screens.reader import ReaderScreen

    def build() -> None:  # a feed fetch runs its own event loop: not inside the test's
        with Library(path) as lib:
            subscribe(lib, serve_feed(server, [entry(1, link, SUMMARY)]), "off")
            lib.feeds.fetch()

    await asyncio.to_thread(build)
    monkeypatch.setattr(ReaderScreen, "enrich_new", lambda self: enriched.append(self.current_id))
    return make_app(path)


async def test_F_swaps_the_whole_article_in_and_keeps_the_place(library_path, server, monkeypatch):
    enriched: list = []
    slow_page = serve_page(server, "article-tag", delay=0.5)
    app = await _app(library_path, server, slow_page, monkeypatch, enriched)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        view.cursor = SUMMARY.index("Wexmouth")
        await pilot.press("F")
        await pilot.pause()
        assert app.screen.query_one("#fulltext-bar").display
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wexmouth Terminals" in view.data.body and view.has_focus
        assert view.data.body[view.cursor:].startswith("Wexmouth")  # the cursor moved with the text
        assert not app.screen.query_one("#fulltext-bar").display
        assert enriched == [view.data.id]
        assert app.lib.record(view.data.id)["fulltext"]["state"] == "done"


async def test_F_on_a_failing_page_says_why_and_leaves_the_summary(library_path, server, monkeypatch):
    server.routes["/gone"] = Route(b"", status=404, headers=HTML)
    app = await _app(library_path, server, server.url("/gone"), monkeypatch, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert view.data.body == SUMMARY
        assert "could not extract: HTTP 404" in view.data.meta
        assert any("Could not extract: HTTP 404" in m for m in app.messages)


async def test_r_also_fetches_the_pages_of_new_entries_of_full_text_feeds(library_path, server, monkeypatch):
    import asyncio

    from tui.app import make_app
    from tui.screens.reader import ReaderScreen

    feed = serve_feed(server, [entry(1, serve_page(server, "blog-code"), "Histograms, not averages.")])

    def build() -> None:
        with Library(library_path) as lib:
            subscribe(lib, feed, "on")

    await asyncio.to_thread(build)
    enriched: list = []
    monkeypatch.setattr(ReaderScreen, "enrich_new", lambda self: enriched.append(True))
    app = make_app(library_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "nightly export" in app.lib.article(1)["body"] and enriched == [True]

"""Key-driven writes in the reader never wait in the UI thread (issue 19.11): while another
process holds the library's write lock, `s`, `u` and opening an article answer at once,
and the marks reach the library when the lock is released."""
from __future__ import annotations

import sqlite3

from tests.tui.conftest import app, reader_library, reader_library_template  # noqa: F401
from tui.widgets.article_list import ArticleList


async def test_marks_wait_for_another_writer_off_the_ui_thread(app, reader_library):  # noqa: F811
    other = sqlite3.connect(reader_library, isolation_level=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        art = articles.current_id
        other.execute("BEGIN IMMEDIATE")  # as an import or `margin enrich` in its transaction
        other.execute("UPDATE feeds SET title = title")
        try:
            await pilot.press("s", "u")
            row = articles.row(articles.cursor)
            assert row.starred and row.read  # shown at once
            await pilot.press("j", "j")
            assert articles.cursor == 2  # keys go on while the writes wait
            await pilot.press("k", "k", "s")  # toggles again from the pending state, not the stale row
            assert not articles.row(0).starred
        finally:
            other.execute("COMMIT")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.lib.article(art)["starred"] == 0 and app.lib.article(art)["read"] == 1
        assert app.pending_flags == {}
    other.close()

"""`F` in the reader: fetch the article's web page now and swap the whole text in.

A mixin of ReaderScreen, like reader_actions: the page is fetched and extracted in a
thread worker on a library connection of its own, a bar under the main pane shows that
it is under way, and when the text arrives the view keeps its place: the paragraph at the
top and the reading cursor are carried into the new text through the same diff that
re-anchors notes.
"""
from __future__ import annotations

from textual import work

from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView


class FulltextAction:
    async def action_fulltext(self) -> None:
        if (art := self._target()) is None:
            return
        if any(w.group == "fulltext" and w.is_running for w in self.workers):
            self.notify("Already fetching a page.", timeout=2)
            return
        if not self.query("#fulltext-bar"):  # mounted when first used, like the refresh bar
            from textual.containers import Horizontal
            from textual.widgets import Label, ProgressBar

            await self.mount(Horizontal(Label("Fetching the whole article", id="fulltext-label"),
                                        ProgressBar(id="fulltext-progress", show_eta=False), id="fulltext-bar"),
                             before="Footer")
        self.query_one("#fulltext-progress").update(total=None, progress=0)  # pulses until the page is in
        self.query_one("#fulltext-bar").display = True
        self.fetch_full_text(art)

    @work(thread=True, group="fulltext", description="Fetching the whole article", exit_on_error=False)
    def fetch_full_text(self, article_id: int) -> None:
        from store.library import Library

        if self.app.lib.path is None:  # an in-memory library has no second connection
            report = self.app.lib.fulltext.fetch([article_id])
        else:
            with Library(self.app.lib.path) as own:
                report = own.fulltext.fetch([article_id])
        self.app.call_from_thread(self.full_text_done, article_id, report)

    def full_text_done(self, article_id: int, report) -> None:
        self.query("#fulltext-bar").set(display=False)
        if report.failed:
            # the reason may quote a URL from the feed: shown as text, never as markup
            reason = report.failed[0][2]
            self.notify(reason[:1].upper() + reason[1:], title="Whole article", severity="error", timeout=8,
                        markup=False)
            if self.current_id == article_id:
                self.show_article(article_id, mark_read=False)  # the meta line now says why
            return
        if not report.fetched:
            self.notify("The page has not changed.", timeout=3)
            return
        if self.current_id == article_id:
            self.swap_in(article_id)
        self.query_one(ArticleList).reload()
        self.notify("Whole article fetched.", timeout=3)
        if self.app.lib.path is not None:
            self.enrich_new()  # entities and links for the new text, in their own process

    def swap_in(self, article_id: int) -> None:
        """Show the new text where the reader was in the old one."""
        view = self.query_one(ArticleView)
        old = view.data.body if view.data is not None else ""
        top, cursor = view.top_offset(), view.cursor
        view.cancel_selection()
        self.show_article(article_id, mark_read=False)
        top, view.cursor = self.lib.fulltext.carry_offsets(old, view.data.body, top, cursor)
        view.scroll_to_offset(top)

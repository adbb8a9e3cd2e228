"""How the reader searches: live results while typing, the way back, history, completion,
saved searches in the sidebar, and where n/N is among the matches.

A mixin of ReaderScreen (like ArticleActions); its message handlers go by name. Typing
never waits on the library: each change of the search line starts (at once, or after the
last key of a burst) a thread worker on a connection of its own; a newer query interrupts
the older one, and results that arrive for an older query are dropped. The count and the
rows arrive in one call, so they are drawn in the same frame. A query with many matches
shows its newest matches ranked first, then the whole ranking (store/search/first_page.py).
"""
from __future__ import annotations

import sqlite3
import threading
import time

from rich.text import Text
from textual import work
from textual.widgets import Input, Label
from textual.worker import get_current_worker

from store.errors import MarginError, QueryError
from tui.screens.data import QuerySource, run_search
from tui.widgets.article_list import PAGE, ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.footer import KeysFooter
from tui.widgets.search_line import SearchLine

SEARCH_DEBOUNCE = 0.008  # keys closer than this are a burst (keys queued while busy): it runs for its last key
PLACEHOLDER = 'search: words "phrase" @Entity #tag is:unread since:7d …  (tab completes, ↑ history)'
SAVED_ACTIONS = ("rename_saved", "delete_saved", "move_saved")


class SearchFlow:
    _search_generation = 0
    _search_timer = None
    _last_change = 0.0  # time.monotonic() of the search line's last change
    _search_own = None  # the search workers' own Library (a connection of their own)
    _search_lock = threading.Lock()
    _before: tuple | None = None  # (query, cursor, article id, scroll y) when `/` was pressed
    _saved_name: str | None = None  # the saved search the list shows, if any
    _partial_source = None  # the list's source while it shows a page ranked from the newest matches only

    # -- the widgets -----------------------------------------------------------------------
    def _search_box(self) -> tuple[SearchLine, Label]:
        """The search line, the line under it for errors, one for hints, and the list header."""
        if not self.query("#search"):
            search = SearchLine(self.lib.query_tokens, placeholder=PLACEHOLDER, id="search")
            error = Label("", id="search-error", markup=False)
            hint = Label("", id="search-hint", markup=False)
            header = Label("", id="list-header", markup=False)
            search.display = error.display = hint.display = header.display = False
            self.query_one("#list-pane").mount(search, error, hint, header, before="#articles")
        return self.query_one("#search", SearchLine), self.query_one("#search-error", Label)

    def _searching(self) -> bool:
        return any(search.has_focus for search in self.query("#search"))

    def _show_header(self, total: int | None = None) -> None:
        if not self.query("#list-header"):
            if not self.query_text:
                return
            self._search_box()
        header = self.query_one("#list-header", Label)
        if total is None:
            total = self.query_one(ArticleList).total
        if self.query_text:
            name = f"{self._saved_name}: " if self._saved_name else "search: "
            header.update(Text(f"{name}{' '.join(self.query_text.split())} — {total}", no_wrap=True,
                               overflow="ellipsis"))
        header.display = bool(self.query_text)
        for search in self.query("#search"):
            search.border_subtitle = f"{total} article{'' if total == 1 else 's'}"

    def _set_hint(self, text: Text | None) -> None:
        for hint in self.query("#search-hint"):
            hint.update(text or "")
            hint.display = text is not None

    def _set_error(self, message: str | None) -> None:
        for error in self.query("#search-error"):
            error.update(Text(f"⚠ {message}") if message else "")
            error.display = message is not None

    # -- opening and leaving the search line ------------------------------------------------
    def action_search(self) -> None:
        search, _ = self._search_box()
        if not search.has_focus:
            articles = self.query_one(ArticleList)
            self._before = (self.query_text, articles.cursor, articles.current_id, articles.scroll_offset.y,
                            self._saved_name)
            if search.value != self.query_text:
                search.value = self.query_text
            search.cursor_position = len(search.value)
            search.set_history(self.lib.search_history())
        search.display = True
        search.focus()

    def leave_search(self) -> None:
        """Escape in the search line: the list exactly as it was before `/`."""
        self._cancel_pending()
        self._set_hint(None)
        self._set_error(None)
        articles = self.query_one(ArticleList)
        before = self._before or (self.query_text, articles.cursor, articles.current_id,
                                  articles.scroll_offset.y, self._saved_name)
        query, cursor, article_id, scroll_y, saved_name = before
        if query != self.query_text or (articles.source is not None
                                        and getattr(articles.source, "query", query) != query):
            source = QuerySource(self.lib, query)
            rows = source.page(0, PAGE)  # first: it decides whether rows show snippets, as before
            articles.set_source(source, first_page=rows, cursor=cursor)
            self.query_text = query
        self._saved_name = saved_name
        if article_id is not None and articles.current_id != article_id:
            found = self._index_near(article_id, cursor)
            if found is not None:
                articles.cursor = found
        articles.scroll_to(y=scroll_y, animate=False)
        search, _ = self._search_box()
        with search.prevent(Input.Changed):
            search.value = query
        search.display = False
        self._show_header()
        articles.focus()
        if article_id is not None and self.current_id != article_id:
            if self._preview is not None:
                self._preview.stop()
            self.show_article(article_id, mark_read=False)

    def _index_near(self, article_id: int, cursor: int) -> int | None:
        articles = self.query_one(ArticleList)
        for distance in range(0, 200):
            for i in (cursor - distance, cursor + distance):
                row = articles.row(i)
                if row is not None and row.id == article_id:
                    return i
        return None

    def clear_search(self) -> None:
        """Escape in the results: back to every article."""
        self._saved_name = None
        self.set_query("")
        for search in self.query("#search"):
            with search.prevent(Input.Changed):
                search.value = ""
            search.display = False
        self._set_error(None)
        self._show_header()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        event.stop()
        self._cancel_pending()
        query = event.value.strip()
        stale = self._shows_partial() or query != self.query_text or any(e.display for e in self.query("#search-error"))
        if stale and not self.set_query(query):
            return  # the error shows under the line; the user mends the query there
        self.lib.remember_search(query)
        self._set_hint(None)
        self.query_one("#search").display = False
        self._show_header()
        self.query_one(ArticleList).focus()

    # -- live results ---------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_generation += 1  # whatever is on its way for an older text is dropped
        generation, query = self._search_generation, event.value.strip()
        now = time.monotonic()
        rested, self._last_change = now - self._last_change >= SEARCH_DEBOUNCE, now
        if query == self.query_text and not any(e.display for e in self.query("#search-error")) \
                and not self._shows_partial():
            return  # a space, or typed back to what the list shows: nothing to run
        if rested:  # a key on its own runs at once; only a burst waits for its last key
            self._start_search(query, generation)
        else:
            self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._start_search(query, generation))

    def _shows_partial(self) -> bool:
        """The list shows a page ranked from the newest matches only (store/search/first_page.py)."""
        return self._partial_source is not None and self.query_one(ArticleList).source is self._partial_source

    def _cancel_pending(self) -> None:
        self._search_generation += 1
        if self._search_timer is not None:
            self._search_timer.stop()
        if self._search_own is not None:
            self._search_own.db.conn.interrupt()

    def _start_search(self, query: str, generation: int) -> None:
        if generation != self._search_generation:
            return
        if self._search_own is not None:
            self._search_own.db.conn.interrupt()  # the older query stops where it is
        self.search_worker(query, generation, self.query_one(ArticleList).scrollable_content_region.height)

    def _search_library(self):
        """The workers' connection: its own, so a long query never holds the one the list
        and the article view read from (an in-memory library has only the one)."""
        if self._search_own is None:
            if self.lib.path is None:
                return self.lib
            from store.library import Library

            self._search_own = Library(self.lib.path)
        return self._search_own

    @work(thread=True, exclusive=True, group="search", description="Searching", exit_on_error=False)
    def search_worker(self, query: str, generation: int, lines: int) -> None:
        worker = get_current_worker()
        with self._search_lock:
            if worker.is_cancelled or generation != self._search_generation:
                return
            lib = self._search_library()
            # a shared (in-memory) library is small: it ranks whole at once
            typing = lib is not self.lib
            try:
                total, rows, snippets, whole = run_search(lib, query, max(lines, 10), typing=typing)
            except QueryError as exc:
                self.app.call_from_thread(self._search_failed, generation, str(exc))
                return
            except sqlite3.OperationalError as exc:
                if "interrupt" in str(exc):
                    return  # a newer query took over
                raise
            self.app.call_from_thread(self._search_ready, generation, query, total, rows, snippets, whole)
            if whole or generation != self._search_generation:
                return
            # Then the whole ranking, which the list shows when it lands; the next key stops it
            # at once (the progress handler sees the newer generation, even between statements).
            conn = lib.db.conn
            conn.set_progress_handler(lambda: generation != self._search_generation, 10_000)
            try:
                total, rows, snippets, _ = run_search(lib, query, max(lines, 10))
            except sqlite3.OperationalError as exc:
                if "interrupt" in str(exc):
                    return
                raise
            finally:
                conn.set_progress_handler(None, 10_000)
        self.app.call_from_thread(self._search_ready, generation, query, total, rows, snippets, True)

    def _search_ready(self, generation: int, query: str, total: int, rows: list, snippets: bool,
                      whole: bool = True) -> None:
        if generation != self._search_generation:
            return
        source = QuerySource(self.lib, query)
        source.snippets = snippets
        articles = self.query_one(ArticleList)
        articles.set_source(source, first_page=rows, total=total)
        # enter ranks a list shown from the newest matches only (store/search/first_page.py) whole
        self._partial_source = None if whole else source
        self.query_text = query
        articles.empty_message = "No articles match this search." if query else \
            "No articles yet: `margin import PATH` or `margin feeds add URL`."
        self._set_error(None)
        self._show_header(total)
        self.search_results_shown = getattr(self, "search_results_shown", 0) + 1  # benchmarks count these

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._search_generation:
            self._set_error(message)

    # -- history & completion ----------------------------------------------------------------------
    def on_search_line_completion_requested(self, event: SearchLine.CompletionRequested) -> None:
        try:
            candidates = self.lib.completions(event.value, event.cursor)
        except MarginError:
            candidates = []
        event.line.offer(candidates)

    def on_search_line_hint(self, event: SearchLine.Hint) -> None:
        self._set_hint(event.text)

    # -- matches in the article ----------------------------------------------------------------------
    def on_article_view_match_moved(self, event: ArticleView.MatchMoved) -> None:
        if event.total == 0:
            status = ""
        elif event.index is None:
            status = f"{event.total} match{'' if event.total == 1 else 'es'}"
        else:
            status = f"{event.index + 1}/{event.total}"
        for footer in self.query(KeysFooter):
            footer.set_status(status)

    # -- saved searches -------------------------------------------------------------------------------
    def action_save_search(self) -> None:
        query = self.query_one("#search", SearchLine).value.strip() if self._searching() else self.query_text
        if not query:
            self.notify("Nothing to save: type a search first.", timeout=3)
            return
        from tui.screens.dialogs import PromptLine

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                self.lib.save_search(name, query, replace=name == self._saved_name)
            except MarginError as exc:
                self.notify(str(exc), severity="error")
                return
            self._saved_name = name
            self.notify(f"Saved search “{name}”.", timeout=2)
            self._show_header()
            self.load_sidebar()

        self.app.push_screen(PromptLine("Save this search as…", self._saved_name or "", verb="save", required=True,
                                        max_length=80), named)

    def _saved_entry(self):
        """The saved search highlighted in the focused sidebar, or None."""
        sidebar = self.query_one("#sidebar")
        if not sidebar.has_focus or sidebar.highlighted is None:
            return None
        entry = self.sidebar_entry(sidebar.highlighted)
        return entry if entry is not None and entry.section == "searches" else None

    def on_option_list_option_highlighted(self, event) -> None:
        if event.option_list.id == "sidebar":
            self.refresh_bindings()  # the saved-search keys show only on a saved search

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in SAVED_ACTIONS:
            return self._saved_entry() is not None
        return True

    def action_rename_saved(self) -> None:
        entry = self._saved_entry()
        if entry is None:
            return
        from tui.screens.dialogs import PromptLine

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                self.lib.rename_saved_search(entry.label, name)
            except MarginError as exc:
                self.notify(str(exc), severity="error")
                return
            if self._saved_name == entry.label:
                self._saved_name = name
                self._show_header()
            self.load_sidebar()

        self.app.push_screen(PromptLine(f"Rename “{entry.label}” to…", entry.label, verb="save", required=True,
                                        max_length=80), named)

    def action_delete_saved(self) -> None:
        entry = self._saved_entry()
        if entry is None:
            return
        from tui.screens.dialogs import Confirm

        def answered(yes: bool) -> None:
            if yes:
                self.lib.remove_saved_search(entry.label)
                if self._saved_name == entry.label:
                    self._saved_name = None
                    self._show_header()
                self.load_sidebar()
                self.notify(f"Deleted saved search “{entry.label}”.", timeout=2)

        self.app.push_screen(Confirm(f"Delete the saved search “{entry.label}”? (the articles stay)"), answered)

    def action_move_saved(self, delta: int) -> None:
        entry = self._saved_entry()
        if entry is None:
            return
        sidebar = self.query_one("#sidebar")
        old = self.lib.move_saved_search(entry.label, 0)
        new = self.lib.move_saved_search(entry.label, delta)
        self.load_sidebar()
        sidebar.highlighted = sidebar.highlighted + (new - old)

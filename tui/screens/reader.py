"""The main screen: sidebar, virtualised article list, article view and side panels."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList

from store.errors import MarginError, QueryError
from tui.screens.data import QuerySource, article_data
from tui.screens.fulltext_action import FulltextAction
from tui.screens.reader_actions import ArticleActions
from tui.screens.reader_links import LinkActions
from tui.screens.reader_search import SearchFlow
from tui.screens.reader_sidebar import SidebarActions
from tui.widgets.article_list import PAGE, ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.footer import KeysFooter
from tui.widgets.nav_list import NavList
from tui.widgets.panels import EntityPanel, LinksPanel, NotesPanel, RelatedPanel

PREVIEW_DELAY = 0.15  # seconds the list cursor rests before the article view follows it


class ReaderScreen(SearchFlow, SidebarActions, ArticleActions, LinkActions, FulltextAction, Screen):
    # The list has focus from the start, so the first frame draws its focused cursor; focused
    # from on_mount instead, it was the sidebar (Textual's first focusable) in the first frame
    # and everything was restyled and drawn again a frame later.
    AUTO_FOCUS = "#articles"
    BINDINGS = [
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("q", "back", "Back/Quit", id="reader.back"),
        Binding("escape", "escape", "Back", show=False, id="reader.escape"),
        Binding("backspace", "trail_back", "Trail back", show=False, id="reader.trail_back"),
        Binding("J", "next_article(1)", "Next article", show=False, id="reader.next_article"),
        Binding("K", "next_article(-1)", "Prev article", show=False, id="reader.prev_article"),
        Binding("s", "star", "Star", id="reader.star"),
        Binding("u", "toggle_unread", "Unread", show=False, id="reader.unread"),
        Binding("e", "panel('entities')", "Entities", id="reader.entities"),
        Binding("l", "panel('related')", "Related", id="reader.related"),
        Binding("m", "panel('notes')", "Notes", id="reader.notes"),
        Binding("f", "panel('links')", "Links", show=False, id="reader.links"),
        Binding("L", "link", "Link", show=False, id="reader.link"),
        Binding("o", "open_browser", "Browser", show=False, id="reader.open_browser"),
        Binding("y", "copy_url", "Copy URL", show=False, id="reader.copy_url"),
        Binding("vertical_line", "pipe", "Pipe", show=False, id="reader.pipe"),
        Binding("r", "refresh", "Refresh", id="reader.refresh"),
        Binding("F", "fulltext", "Whole article", show=False, id="reader.fulltext"),
        Binding("tab", "cycle_focus(1)", "Focus next", show=False, id="reader.focus_next"),
        Binding("shift+tab", "cycle_focus(-1)", "Focus previous", show=False, id="reader.focus_previous"),
        Binding("b", "toggle_sidebar", "Sidebar", show=False, id="reader.sidebar"),
        Binding("ctrl+s", "save_search", "Save search", show=False, id="reader.save_search"),
        # on a saved search in the sidebar
        Binding("R", "rename_saved", "Rename", id="reader.rename_saved"),
        Binding("delete,D", "delete_saved", "Delete", id="reader.delete_saved"),
        Binding("shift+up", "move_saved(-1)", "Move up", show=False, id="reader.saved_up"),
        Binding("shift+down", "move_saved(1)", "Move down", show=False, id="reader.saved_down"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.current_id: int | None = None
        self.trail: list[int] = []
        self.panel: str | None = None
        self._preview = None
        self._counts = None
        self._sidebar_entries: list = []

    @property
    def lib(self):
        return self.app.lib

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield NavList(id="sidebar")
            with Vertical(id="list-pane"):
                yield ArticleList(id="articles")
            yield ArticleView(id="article")
        # The search box, the side panels and the refresh bar are mounted when first used:
        # hidden at start, they would only add to the styling that comes before the first paint.
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_query("", preview=False)
        self._apply_width(self.app.size.width)
        # The list paints first; the sidebar's counts and the first article's preview (its
        # notes, entities, layout) follow a frame later: with a large library they are most
        # of the work between starting and the first paint.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.app.first_frame_shown()
        self.load_sidebar()
        first = self.query_one(ArticleList).current_id
        if first is not None and self.current_id is None and not self.query_one(ArticleView).has_focus:
            if self._preview is not None:  # the list's first highlight asked for this very preview
                self._preview.stop()
            self.show_article(first, mark_read=False)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def on_descendant_focus(self, event) -> None:
        """Reading (an opened article, or a panel) gives the article the whole width; going
        back to the list or the sidebar ends it. The preview focused with tab stays a preview."""
        widget = event.widget
        if widget.id == "sidebar" or isinstance(widget, ArticleList) or self._searching():
            self.remove_class("-reading")
        elif widget in self.query("#panel *").nodes:
            self.add_class("-reading")
        # tiny terminals show one pane at a time: the list while it has focus
        self.set_class(isinstance(widget, ArticleList), "-listing")
        if widget.id != "sidebar":
            self.remove_class("-sidebar-overlay")  # an overlay closes when focus leaves it

    def _apply_width(self, width: int) -> None:
        self.set_class(width < 100, "-narrow")
        self.set_class(width < 60, "-tiny")

    # -- focus & sidebar -----------------------------------------------------------------
    def _focus_ring(self) -> list:
        """What tab walks: sidebar → list → preview while browsing; article → panel while reading."""
        view = self.query_one(ArticleView)
        if self.has_class("-reading"):
            ring = [view]
        else:
            ring = [w for w in (self.query_one("#sidebar"), self.query_one(ArticleList)) if self._shown(w)]
            ring.append(view)
        if self._panel_open():
            ring.append(self.query_one(f"#{self.panel}"))
        return ring

    def _shown(self, widget) -> bool:
        return all(node.display for node in widget.ancestors_with_self if node is not self)

    def action_cycle_focus(self, direction: int) -> None:
        ring = self._focus_ring()
        focused = self.focused
        here = next((i for i, w in enumerate(ring) if focused is w or (focused and focused in w.ancestors)), -1)
        if here < 0 and direction < 0:
            here = 0
        ring[(here + direction) % len(ring)].focus()

    @on(OptionList.OptionSelected, "#sidebar")
    def on_sidebar_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.sidebar_chosen(event.option_index)

    def show_query(self, query: str) -> None:
        """List what a query finds, as choosing it in the sidebar does."""
        search, _ = self._search_box()
        with search.prevent(Input.Changed):
            search.value = query
        self.set_query(query)
        self.query_one(ArticleList).focus()

    def run_view_action(self, action: str) -> None:
        """An article view action from the palette: it acts on the article being read or previewed."""
        view = self.query_one(ArticleView)
        if view.data is not None:
            self.add_class("-reading")
            view.focus()
            view.run_action(action)

    def set_query(self, query: str, *, preview: bool = True) -> bool:
        self._cancel_pending()
        try:
            source = QuerySource(self.lib, query)
            rows = source.page(0, PAGE)  # before the count: it decides whether rows show snippets
            self.query_one(ArticleList).set_source(source, first_page=rows)
        except QueryError as exc:
            self._search_box()
            self._set_error(str(exc))
            return False
        self._set_error(None)
        self.query_text = query
        first = self.query_one(ArticleList).current_id
        if preview and first is not None and not self.query_one(ArticleView).has_focus:
            self.show_article(first, mark_read=False)  # a new list previews its first article at once
        articles = self.query_one(ArticleList)
        articles.empty_message = "No articles match this search." if query else \
            "No articles yet: `margin import PATH` or `margin feeds add URL`."
        if self.query("#search"):
            self._search_box()[0].display = self._searching()
        self._show_header()
        return True

    @on(ArticleList.Highlighted)
    def article_highlighted(self, event: ArticleList.Highlighted) -> None:
        """Preview the highlighted article once the cursor rests: holding j must not lay out
        every article it passes."""
        if self._preview is not None:
            self._preview.stop()
        article_id = event.article_id
        if article_id is not None and not self.query_one(ArticleView).has_focus:
            # while typing a search the preview waits for the keys to rest: laying out an
            # article between two keys would hold the second one
            delay = PREVIEW_DELAY * 3 if self._searching() else PREVIEW_DELAY
            self._preview = self.set_timer(delay, lambda: self.show_article(article_id, mark_read=False))

    @on(ArticleView.ReadRequested)
    def preview_read(self) -> None:
        if self.current_id is not None and not self.has_class("-reading"):
            self.trail.clear()
            self.open_article(self.current_id)

    @on(ArticleList.Selected)
    def article_selected(self, event: ArticleList.Selected) -> None:
        self.trail.clear()
        self.open_article(event.article_id)

    # -- article --------------------------------------------------------------------
    def show_article(self, article_id: int, *, mark_read: bool) -> None:
        try:
            data = article_data(self.lib, article_id, self.query_text)
        except MarginError as exc:
            self.notify(str(exc), severity="error")
            return
        self.current_id = article_id
        self.query_one(ArticleView).show(data)
        # An article read before may still have an unread copy: the whole group is marked
        # (in a thread: app.save_flag), which writes nothing when every copy is read already.
        if mark_read:
            self.app.save_flag(article_id, "read", True)
            self.query_one(ArticleList).update_row(self.lib.duplicate_group(article_id), read=True)
            self.counts_changed()
        self.refresh_panel()

    def open_article(self, article_id: int, *, focus: bool = True) -> None:
        self.show_article(article_id, mark_read=True)
        self.add_class("-reading")
        if focus:
            self.query_one(ArticleView).focus()

    def action_next_article(self, delta: int) -> None:
        articles = self.query_one(ArticleList)
        articles.action_cursor(delta)
        if articles.current_id is not None:
            self.trail.clear()
            self.open_article(articles.current_id)

    def action_back(self) -> None:
        view = self.query_one(ArticleView)
        if self.has_class("-sidebar-overlay"):
            self.remove_class("-sidebar-overlay")
            self._leave_sidebar()
        elif self._panel_open() and self.focused in self.query("#panel *").nodes:
            self.close_panel()
        elif view.has_focus or self._searching():
            self.query_one(ArticleList).focus()
        else:
            self.app.exit()

    def action_escape(self) -> None:
        view = self.query_one(ArticleView)
        if self.has_class("-sidebar-overlay"):
            self.remove_class("-sidebar-overlay")
            self._leave_sidebar()
        elif view.selection is not None:
            view.cancel_selection()
        elif self._searching():
            self.leave_search()
        elif self.trail and (view.has_focus or self.focused in self.query("#panel *").nodes):
            self.action_trail_back()
        elif self._panel_open():
            self.close_panel()
        elif view.has_focus:
            self.query_one(ArticleList).focus()
        elif self.query_one(ArticleList).has_focus and self.query_text:
            self.clear_search()

    def action_trail_back(self) -> None:
        if self.trail:
            # Walking back from a panel keeps the panel: the next step back is one more key.
            in_panel = self.focused in self.query("#panel *").nodes
            self.open_article(self.trail.pop(), focus=not in_panel)
        else:
            self.notify("Start of the reading trail.", timeout=2)

    # -- panels -----------------------------------------------------------------------
    def _panel_open(self) -> bool:
        return any(panel.display for panel in self.query("#panel"))

    async def action_panel(self, name: str) -> None:
        if not self.query("#panel"):
            await self.query_one("#main").mount(ContentSwitcher(
                RelatedPanel(id="related"), NotesPanel(id="notes"), EntityPanel(id="entities"), LinksPanel(id="links"),
                id="panel", initial=name))
        panel = self.query_one("#panel", ContentSwitcher)
        if panel.display and self.panel == name:
            self.close_panel()
            return
        self.panel = name
        self.add_class("-reading")
        panel.display = True
        panel.current = name
        self.refresh_panel()
        self.query_one(f"#{name}").focus()

    def close_panel(self) -> None:
        self.query("#panel").set(display=False)
        self.panel = None
        self.query_one(ArticleView).focus()

    def refresh_panel(self) -> None:
        if not self._panel_open() or self.current_id is None:
            return
        if self.panel == "related":
            self.query_one(RelatedPanel).show_related(self.lib.related.for_article(self.current_id, limit=10))
        elif self.panel == "notes":
            self.query_one(NotesPanel).show_notes(self.query_one(ArticleView).data.notes)
        elif self.panel == "entities":
            self.query_one(EntityPanel).show_entities(self.query_one(ArticleView).body_mentions)
        elif self.panel == "links":
            data = self.query_one(ArticleView).data
            linked = (self.lib.note_link_names(n.get("body") or "") for n in data.notes)
            names = list(dict.fromkeys(name for names in linked for name in names))
            self.query_one(LinksPanel).show_links(data.links, names)

    @on(RelatedPanel.Followed)
    def follow_related(self, event: RelatedPanel.Followed) -> None:
        if self.current_id is not None:
            self.trail.append(self.current_id)
        self.open_article(event.article_id, focus=False)
        self.query_one(RelatedPanel).focus()

    def on_unmount(self) -> None:
        if self._search_own is not None:
            self._search_own.close()

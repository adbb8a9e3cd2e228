"""A virtualised article list: only the rows on screen are ever asked for.

The screen gives it a `RowSource` (count + page fetch); the list keeps a small page
cache, so a library of 100,000 articles opens and scrolls at the cost of one page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.dates import list_date

PAGE = 100
TITLE_MIN = 30  # cells a title keeps before the source column gives way
SOURCE_MIN = 12  # with less room than this, the source is left out rather than cut to a stub
SOURCE_MAX = 18
FIND_PAGES = 10  # pages looked through to find the cursor's article again after a reload


@dataclass
class Row:
    id: int
    title: str
    source: str
    date: str  # ISO 8601, shown relative to now (tui/widgets/dates.py)
    read: bool
    starred: bool
    has_note: bool
    copies: int = 0  # duplicates folded into this row (the same story in other feeds)
    snippet: str = ""  # for a search: the passage matched, and the matched words in it
    highlights: list[tuple[int, int]] = field(default_factory=list)


class RowSource(Protocol):
    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> list[Row]: ...

    # True when rows carry snippets worth a second line (a search for words)
    snippets: bool


class ArticleList(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="list.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.pageup"),
        Binding("g,home", "jump(0)", "Top", show=False, id="list.top"),
        Binding("G,end", "jump(-1)", "Bottom", show=False, id="list.bottom"),
        Binding("enter", "open", "Open", id="list.open"),
    ]
    COMPONENT_CLASSES = {"article-list--cursor", "article-list--unread", "article-list--dim",
                         "article-list--match"}
    DEFAULT_CSS = """
    ArticleList { background: $surface; }
    ArticleList > .article-list--cursor { background: $accent 40%; }
    ArticleList:focus > .article-list--cursor { background: $accent; color: $text; }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--dim { color: $text-muted; }
    ArticleList > .article-list--match { text-style: bold reverse; }
    """

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, article_id: int | None) -> None:
            super().__init__()
            self.article_id = article_id

    class Selected(Message):
        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._source: RowSource | None = None
        self._total = 0
        self._pages: dict[int, list[Row]] = {}
        self.empty_message = "No articles."
        self.row_height = 1  # 2 while a search shows snippets under the titles

    # -- data ------------------------------------------------------------------------
    def set_source(self, source: RowSource, *, keep_cursor: bool = False, first_page: list[Row] | None = None,
                   total: int | None = None, cursor: int | None = None) -> None:
        """Show `source`'s rows. A caller that already has the count and the first page
        (the search worker) passes them, so nothing is queried here."""
        total = source.count() if total is None else total  # may raise (a bad query): then the old source stays
        self._source = source
        self._pages.clear()
        if first_page is not None:
            self._pages[0] = first_page
        self._total = total
        self.row_height = 2 if getattr(source, "snippets", False) else 1
        self.virtual_size = Size(self.size.width, self._total * self.row_height)
        if not keep_cursor and cursor is None:
            self.scroll_to(y=0, animate=False)
        if cursor is not None:
            self.cursor = min(max(cursor, 0), max(self._total - 1, 0))
        else:
            self.cursor = min(self.cursor if keep_cursor else 0, max(self._total - 1, 0))
        self.refresh()

    @property
    def source(self) -> RowSource | None:
        return self._source

    def reload(self) -> None:
        """Fetch the rows again (a refresh brought new ones), keeping the cursor on the same
        article rather than the same row number, and that row where it was on screen."""
        if self._source is None:
            return
        keep, old_cursor = self.current_id, self.cursor
        self.set_source(self._source, keep_cursor=True)
        index = self.index_of(keep, near=old_cursor) if keep is not None else None
        if index is not None and index != self.cursor:
            self.scroll_to(y=max(self.scroll_offset.y + index - old_cursor, 0), animate=False)
            self.cursor = index

    def index_of(self, article_id: int, *, near: int, pages: int = FIND_PAGES) -> int | None:
        """Where an article is in the list, looking in the pages nearest `near` first; None if
        it is not within `pages` pages (it left the list, or moved far)."""
        home = near - near % PAGE
        for step in range(pages):
            for start in {home + step * PAGE, home - step * PAGE}:
                if not 0 <= start < self._total:
                    continue
                for offset in range(start, min(start + PAGE, self._total)):
                    row = self.row(offset)
                    if row is not None and row.id == article_id:
                        return offset
        return None

    @property
    def total(self) -> int:
        return self._total

    def row(self, index: int) -> Row | None:
        if self._source is None or not 0 <= index < self._total:
            return None
        start = index - index % PAGE
        page = self._pages.get(start)
        if page is None:
            if len(self._pages) > 50:
                self._pages.clear()
            page = self._pages[start] = self._source.page(start, PAGE)
        offset = index - start
        if offset >= len(page) and len(page) < PAGE and start + len(page) < self._total:
            # a short first page (the search worker fetches only what fills the screen)
            page = self._pages[start] = self._source.page(start, PAGE)
        return page[offset] if offset < len(page) else None

    def update_row(self, article_id: int | list[int], **changes) -> None:
        """Change the cached rows of one article, or of any of a list (a duplicate group)."""
        ids = set(article_id) if isinstance(article_id, list) else {article_id}
        for page in self._pages.values():
            for row in page:
                if row.id in ids:
                    for key, value in changes.items():
                        setattr(row, key, value)
        self.refresh()

    @property
    def current_id(self) -> int | None:
        row = self.row(self.cursor)
        return row.id if row else None

    # -- rendering -------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index, part = divmod(self.scroll_offset.y + y, self.row_height)
        if self._total == 0:
            if y == 1:
                return Strip([Segment(f"  {self.empty_message}"[:width], self.rich_style)])
            return Strip.blank(width, self.rich_style)
        row = self.row(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        text = self._snippet_text(row, width) if part else self._row_text(row, width)
        style = self.rich_style
        segments = Segment.apply_style(text.render(self.app.console), style)
        if index == self.cursor:
            # The cursor goes over the row's own styles (bold unread titles, dim marks): under
            # them, an unread row showed the cursor only in its padding.
            cursor = self.get_component_rich_style("article-list--cursor")
            style = style + cursor
            segments = Segment.apply_style(segments, post_style=cursor)
        return Strip(list(segments)).crop_extend(0, width, style)

    def _foreground(self, component: str) -> Style:
        """A component's colour and text style without its background, which would cover the cursor."""
        full = self.get_component_rich_style(component)
        return Style.from_color(full.color) + full.without_color

    def _row_text(self, row: Row, width: int) -> Text:
        """Marks, the title, then source and date on the right. The title has the room: the
        source shrinks, then goes (its "+N" copies mark stays), before the title is cut
        below TITLE_MIN cells."""
        marks = ("•" if not row.read else " ") + ("★" if row.starred else " ") + ("✎" if row.has_note else " ")
        date = list_date(row.date)
        copies = f" +{row.copies}" if row.copies else ""
        free = width - len(marks) - 1 - (len(date) + 1) - len(copies) - TITLE_MIN
        source = ""
        if row.source and free > SOURCE_MIN:
            source = row.source if len(row.source) <= min(free - 1, SOURCE_MAX) else \
                row.source[: min(free - 1, SOURCE_MAX) - 1] + "…"
        meta = (f" {source}" if source else "") + copies + (f" {date}" if date else "")
        title_width = max(width - len(marks) - 1 - len(meta) - 1, 4)
        title = row.title.replace("\n", " ")
        if len(title) > title_width:
            title = title[: title_width - 1] + "…"
        dim = self._foreground("article-list--dim")
        text = Text(no_wrap=True, overflow="crop")
        text.append(marks, dim)
        text.append(" ")
        title_style = self._foreground("article-list--unread") if not row.read else Style()
        text.append(f"{title:<{title_width}} ", title_style)
        text.append(meta, dim)
        return text

    def _snippet_text(self, row: Row, width: int) -> Text:
        """The matched passage, cut to the line around its first match, words emphasised."""
        snippet = row.snippet.replace("\n", " ")
        room = max(width - 5, 4)
        start = 0
        if row.highlights and row.highlights[0][1] > room:
            start = max(row.highlights[0][0] - room // 3, 0)
        text = Text("    ", no_wrap=True, overflow="crop")
        body = Text(snippet[start:start + room], style=self.get_component_rich_style("article-list--dim"))
        emphasis = self.get_component_rich_style("article-list--match")
        for a, b in row.highlights:
            if b > start and a < start + room:
                body.stylize(emphasis, max(a - start, 0), min(b - start, room))
        text.append_text(body)
        return text

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.current_id))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        first, last = self.cursor * self.row_height, (self.cursor + 1) * self.row_height - 1
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False)

    # -- actions ---------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if self._total:
            self.cursor = max(0, min(self._total - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.scrollable_content_region.height // self.row_height - 1, 1))

    def action_jump(self, where: int) -> None:
        if self._total:
            self.cursor = self._total - 1 if where < 0 else 0

    def action_open(self) -> None:
        if self.current_id is not None:
            self.post_message(self.Selected(self.current_id))

    def on_click(self, event: events.Click) -> None:
        index = (self.scroll_offset.y + event.y) // self.row_height
        if 0 <= index < self._total:
            if index == self.cursor:
                self.action_open()
            self.cursor = index

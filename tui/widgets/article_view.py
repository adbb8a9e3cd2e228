"""The article view: blocks laid out as lines, entities highlighted, notes in the margin.

It keeps a reading cursor (a body offset) moved by `{`/`}` (paragraphs) and `[`/`]`
(entities), a keyboard selection (`v`, then `w`/`s`/`p` to extend by word, sentence,
paragraph), and posts messages; it never touches the library.
"""
from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.article_selection import SelectionKeys
from tui.widgets.text_layout import (
    CURRENT_MATCH_STYLE,
    CURSOR_STYLE,
    MATCH_STYLE,
    SELECTION_STYLE,
    BlockLines,
    Overlay,
    cut_pieces,
    layout_block,
    margin_text,
    render_lines,
    use_palette,
)

LAYOUT_SLICE = 0.03  # seconds of layout per event-loop turn


@dataclass
class ArticleData:
    """What the screen hands the view: the record plus mentions and notes as plain data."""

    id: int
    title: str
    meta: str
    url: str | None
    body: str
    blocks: list[dict]
    mentions: list = field(default_factory=list)  # objects with start, end, text, entity, kind
    notes: list[dict] = field(default_factory=list)
    # (start, end) of every match of the current search in the body (store/search/matches.py), for n/N
    matches: list[tuple[int, int]] = field(default_factory=list)
    read: bool = False
    links: list = field(default_factory=list)  # ArticleLink: numbered, marked where placed


class ArticleView(SelectionKeys, ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "scroll_lines(1)", "Down", show=False, id="view.down"),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False, id="view.up"),
        Binding("pagedown,space", "scroll_page(1)", "Page", show=False, id="view.pagedown"),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, id="view.pageup"),
        Binding("g,home", "scroll_edge(0)", "Top", show=False, id="view.top"),
        Binding("G,end", "scroll_edge(1)", "Bottom", show=False, id="view.bottom"),
        Binding("right_square_bracket", "entity(1)", "Next entity", id="view.next_entity"),
        Binding("left_square_bracket", "entity(-1)", "Prev entity", show=False, id="view.prev_entity"),
        Binding("right_curly_bracket", "paragraph(1)", "Next para", show=False, id="view.next_paragraph"),
        Binding("left_curly_bracket", "paragraph(-1)", "Prev para", show=False, id="view.prev_paragraph"),
        Binding("n", "match(1)", "Next match", show=False, id="view.next_match"),
        Binding("N", "match(-1)", "Prev match", show=False, id="view.prev_match"),
        Binding("enter", "open_entity", "Entity page", show=False, id="view.open_entity"),
        Binding("v", "select", "Select", id="view.select"),
        Binding("w", "extend('word')", "Extend word", show=False, id="view.extend_word"),
        Binding("S", "extend('sentence')", "Extend sentence", show=False, id="view.extend_sentence"),
        Binding("p", "extend('paragraph')", "Extend paragraph", show=False, id="view.extend_paragraph"),
        Binding("a", "annotate", "Annotate", id="view.annotate"),
        Binding("z", "fold_notes", "Fold notes", show=False, id="view.fold_notes"),
    ]
    # A stable gutter: the text is laid out for the width beside the scrollbar, which otherwise
    # appeared after layout (a long article) and covered two columns of it.
    DEFAULT_CSS = "ArticleView { background: $surface; padding: 0 1; scrollbar-gutter: stable; }"

    class EntityChosen(Message):
        def __init__(self, name: str, kind: str) -> None:
            super().__init__()
            self.name = name
            self.kind = kind

    class AnnotateRequested(Message):
        def __init__(self, article_id: int, start: int, end: int) -> None:
            super().__init__()
            self.article_id = article_id
            self.start = start
            self.end = end

    class SelectionCancelled(Message):
        pass

    class MatchMoved(Message):
        """Which match n/N is on (0-based; None before the first press) of how many."""

        def __init__(self, index: int | None, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    class ReadRequested(Message):
        """enter in the preview (focused with tab, no entity chosen): read this article."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: ArticleData | None = None
        self.empty_message = "Select an article and press enter."
        self.cursor = 0  # body offset of the reading cursor
        self.entity_index: int | None = None
        self.match_index: int | None = None
        self.selection: tuple[int, int] | None = None
        self._header: list[Strip] = []
        self._blocks: list[BlockLines] = []
        self._firsts: list[int] = []
        self._width = 0
        self._lines = 0
        self._generation = 0
        self.notes_expanded = False  # long notes fold to a few lines until z
        self._pieces: list[tuple[int, str, int, int, bool]] = []  # (block, kind, start, end, tail)
        self._starts: list[int] = []  # start offset of each laid-out piece
        self._mentions: list = []
        self._mention_starts: list[int] = []

    def on_mount(self) -> None:
        use_palette(self.app.current_theme.dark)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme) -> None:
        """A light theme (from the config file or the palette) gets deeper entity colours."""
        use_palette(theme.dark)
        self._relayout()

    # -- data ------------------------------------------------------------------------
    def show(self, data: ArticleData | None) -> None:
        same = self.data is not None and data is not None and data.id == self.data.id
        self.data = data
        self._mentions = sorted((m for m in (data.mentions if data else []) if not getattr(m, "in_title", False)),
                                key=lambda m: m.start)
        self._mention_starts = [m.start for m in self._mentions]
        if not same:
            self.cursor, self.entity_index, self.match_index, self.selection = 0, None, None, None
            self.scroll_to(y=0, animate=False)
        elif self.match_index is not None and self.match_index >= len(self._matches()):
            self.match_index = None
        self._relayout()
        self.post_message(self.MatchMoved(self.match_index, len(self._matches())))

    @property
    def body_mentions(self) -> list:
        return self._mentions

    def _mentions_in(self, start: int, end: int) -> list:
        # Names are short: a mention that starts 200 characters before a piece cannot reach into it.
        lo = bisect.bisect_left(self._mention_starts, start - 200)
        hi = bisect.bisect_left(self._mention_starts, end)
        return self._mentions[lo:hi]

    # -- layout ----------------------------------------------------------------------
    def _overlays(self) -> list[Overlay]:
        out = []
        matches = self._matches()
        # every match, then the current one above it (overlays later in the list win)
        out.extend(Overlay(a, b, MATCH_STYLE) for a, b in matches)
        if self.match_index is not None and self.match_index < len(matches):
            out.append(Overlay(*matches[self.match_index], CURRENT_MATCH_STYLE))
        if self.selection:
            out.append(Overlay(*self.selection, SELECTION_STYLE))
        mentions = self.body_mentions
        if self.entity_index is not None and self.entity_index < len(mentions):
            m = mentions[self.entity_index]
            out.append(Overlay(m.start, m.end, CURSOR_STYLE))
        return out

    def _relayout(self) -> None:
        width = max(self.scrollable_content_region.width, 20)
        self._width = width
        console = self.app.console
        self._header, self._blocks, self._firsts, self._starts = [], [], [], []
        if self.data is None:
            self._lines = 0
            self.virtual_size = Size(width, 0)
            self.refresh()
            return
        d = self.data
        head = Text(d.title or "(untitled)", Style(bold=True))
        head.append("\n")
        head.append(d.meta, Style(dim=True))
        if d.url:
            head.append("\n")
            head.append(d.url, Style(dim=True, underline=True))
        lost = [n for n in d.notes if n.get("start") is None or n["state"] in ("orphaned",)]
        self._header = [Strip(line) for line in render_lines(console, head, width)] + [Strip.blank(width)]
        if lost:
            notice = Text()
            for n in lost:
                label = "about the whole article" if n.get("exact") is None else f"orphaned: “{n['exact']}”"
                notice.append(f"✎ {label}\n", Style(italic=True, color="#f7768e" if n.get("exact") else "#e0af68"))
                notice.append_text(margin_text([{**n, "state": "anchored"}], console=console, width=width,
                                               fold=not self.notes_expanded))
                notice.append("\n")
            self._header += [Strip(line) for line in render_lines(console, notice, width)]
        self._generation += 1
        self._lines = len(self._header)
        self._pieces = cut_pieces(d.body, d.blocks)
        self._layout_from(0, self._generation)

    def _layout_from(self, start: int, generation: int) -> None:
        """Lay out blocks for one slice of time, then yield to the event loop: a 1 MB
        article shows its first screen at once and the rest follows while keys work."""
        if generation != self._generation or self.data is None:
            return  # a newer article or width took over
        d, console, overlays = self.data, self.app.console, self._overlays()
        deadline = time.perf_counter() + LAYOUT_SLICE
        i = start
        while i < len(self._pieces):
            index, kind, b_start, b_end, tail = self._pieces[i]
            block = BlockLines(index, kind, b_start, b_end, first_line=self._lines, tail=tail)
            block.strips = layout_block(console, d.body, block, d.blocks[index].get("lang"), self._width,
                                        self._mentions_in(b_start, b_end), d.notes, overlays, d.links,
                                        not self.notes_expanded)
            self._blocks.append(block)
            self._firsts.append(self._lines)
            self._starts.append(b_start)
            self._lines += len(block.strips)
            i += 1
            if time.perf_counter() > deadline:
                break
        self.virtual_size = Size(self._width, self._lines)
        self.refresh()
        if i < len(self._pieces):
            self.set_timer(0.001, lambda: self._layout_from(i, generation))

    def _restyle(self, *offsets: int) -> None:
        """Re-render only the blocks an overlay moved through (line counts cannot change)."""
        if self.data is None:
            return
        overlays = self._overlays()
        touched = {self._block_at(o) for o in offsets if o is not None}
        for i in touched:
            if i is None or i >= len(self._blocks):
                continue
            block = self._blocks[i]
            block.strips = layout_block(self.app.console, self.data.body, block,
                                        self.data.blocks[block.index].get("lang"), self._width,
                                        self._mentions_in(block.start, block.end), self.data.notes, overlays,
                                        self.data.links, not self.notes_expanded)
        self.refresh()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._relayout()

    def render_line(self, y: int) -> Strip:
        # Every segment leaves here with a style: the laid-out strips carry blank padding with
        # none, and Textual's NO_COLOR filter (Monochrome) fails on a segment without one.
        base = self.rich_style
        return self._line(y).crop_extend(0, self.scrollable_content_region.width, base).apply_style(base)

    def _line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if self.data is None:
            return Strip([Segment(f" {self.empty_message}" if y == 1 else "")])
        if index < len(self._header):
            return self._header[index]
        pos = bisect.bisect_right(self._firsts, index) - 1
        if pos < 0 or pos >= len(self._blocks):
            return Strip([])
        block = self._blocks[pos]
        offset = index - block.first_line
        if offset >= len(block.strips):
            return Strip([])
        return block.strips[offset]

    # -- positions ---------------------------------------------------------------------
    def _block_at(self, offset: int) -> int | None:
        pos = bisect.bisect_right(self._starts, offset) - 1
        return pos if 0 <= pos < len(self._blocks) else (0 if self._blocks else None)

    def _line_of(self, offset: int) -> int:
        i = self._block_at(offset)
        if i is None:
            return 0
        block = self._blocks[i]
        text_len = max(block.end - block.start, 1)
        rows = max(len(block.strips) - 1, 1)
        return block.first_line + int((offset - block.start) / text_len * rows)

    def reveal(self, offset: int) -> None:
        """Scroll so the text at `offset` is on screen."""
        line = self._line_of(offset)
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if not top <= line < top + height - 1:
            self.scroll_to(y=max(line - height // 3, 0), animate=False)

    def top_offset(self) -> int:
        """The body offset of the block at the top of the view (the reader's place)."""
        if not self._blocks:
            return 0
        pos = max(bisect.bisect_right(self._firsts, self.scroll_offset.y) - 1, 0)
        return self._blocks[pos].start

    def scroll_to_offset(self, offset: int) -> None:
        """Put the block holding `offset` at the top of the view."""
        i = self._block_at(offset)
        if i is not None:
            self.scroll_to(y=self._blocks[i].first_line, animate=False)

    def _matches(self) -> list[tuple[int, int]]:
        return self.data.matches if self.data else []

    # -- actions -----------------------------------------------------------------------
    def action_scroll_lines(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False)
        if self._blocks:
            top = self.scroll_offset.y
            pos = max(bisect.bisect_right(self._firsts, top) - 1, 0)
            self.cursor = self._blocks[pos].start

    def action_scroll_edge(self, end: int) -> None:
        self.action_scroll_lines(self._lines if end else -self.scroll_offset.y)

    def action_scroll_page(self, direction: int) -> None:
        self.action_scroll_lines(direction * max(self.scrollable_content_region.height - 2, 1))

    def action_paragraph(self, direction: int) -> None:
        if not self._blocks:
            return
        current = self._block_at(self.cursor) or 0
        target = max(0, min(len(self._blocks) - 1, current + direction))
        self.cursor = self._blocks[target].start
        self.scroll_to(y=max(self._blocks[target].first_line - 1, 0), animate=False)

    def action_entity(self, direction: int) -> None:
        mentions = self.body_mentions
        if not mentions:
            self.notify("No entities in this article yet (run `margin enrich`).", timeout=3)
            return
        old = mentions[self.entity_index].start if self.entity_index is not None else None
        if self.entity_index is None:
            after = [i for i, m in enumerate(mentions) if m.start >= self.cursor]
            before = [i for i, m in enumerate(mentions) if m.start < self.cursor]
            self.entity_index = ((after[0] if after else 0) if direction > 0
                                 else (before[-1] if before else len(mentions) - 1))
        else:
            self.entity_index = (self.entity_index + direction) % len(mentions)
        mention = mentions[self.entity_index]
        self.cursor = mention.start
        self._restyle(old, mention.start)
        self.reveal(mention.start)

    def action_match(self, direction: int) -> None:
        matches = self._matches()
        if not matches:
            self.notify("No search matches in this article.", timeout=3)
            return
        old = matches[self.match_index][0] if self.match_index is not None and self.match_index < len(matches) else None
        if self.match_index is None:
            after = [i for i, (s, _) in enumerate(matches) if s >= self.cursor]
            self.match_index = after[0] if after and direction > 0 else (len(matches) - 1 if direction < 0 else 0)
        else:
            self.match_index = (self.match_index + direction) % len(matches)
        start = matches[self.match_index][0]
        self.cursor = start
        self._restyle(old, start)
        self.reveal(start)
        self.post_message(self.MatchMoved(self.match_index, len(matches)))

    def action_open_entity(self) -> None:
        mentions = self.body_mentions
        if self.entity_index is not None and self.entity_index < len(mentions):
            m = mentions[self.entity_index]
            self.post_message(self.EntityChosen(m.entity, m.kind))
        elif self.data is not None:
            self.post_message(self.ReadRequested())

    def action_fold_notes(self) -> None:
        self.notes_expanded = not self.notes_expanded
        if self.data is not None:
            top = self.scroll_offset.y
            self._relayout()
            self.scroll_to(y=top, animate=False)
        self.notify("Notes shown whole." if self.notes_expanded else "Long notes folded.", timeout=2)

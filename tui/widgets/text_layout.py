"""Lay out an article's blocks as terminal lines: mentions, notes and overlays as styles.

Pure rendering (no Textual widget state), so the article view only decides *what*
is highlighted and this module decides *how it looks*.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

# Each kind has a colour AND a text style, so it reads without colour too.
KIND_STYLES = {
    "person": Style(color="#ff9e64", bold=True),
    "place": Style(color="#7dcfff", italic=True),
    "org": Style(color="#bb9af7", bold=True, italic=True),
    "other": Style(color="#9ece6a", dim=False, underline=False),
}
KIND_MARKS = {"person": "bold", "place": "italic", "org": "bold italic", "other": "colour only"}
NOTE_STYLE = Style(underline=True)
NOTE_COLOURS = {
    "yellow": "#e0af68", "green": "#9ece6a", "blue": "#7aa2f7", "red": "#f7768e", "purple": "#bb9af7",
}
DARK = (dict(KIND_STYLES), dict(NOTE_COLOURS))
LIGHT = (  # deeper shades of the same hues, readable on a light background
    {"person": Style(color="#b45309", bold=True), "place": Style(color="#0369a1", italic=True),
     "org": Style(color="#7e22ce", bold=True, italic=True), "other": Style(color="#15803d")},
    {"yellow": "#a16207", "green": "#15803d", "blue": "#1d4ed8", "red": "#b91c1c", "purple": "#7e22ce"},
)
CURSOR_STYLE = Style(reverse=True)
SELECTION_STYLE = Style(bgcolor="#3d59a1", color="#ffffff")
MATCH_STYLE = Style(bgcolor="#4a4020", underline=True)  # every match of the search
CURRENT_MATCH_STYLE = Style(bgcolor="#c9a227", color="#000000", bold=True)  # the one n/N is on
LINK_STYLE = Style(color="#73daca", underline=True)
LINK_NUMBER_STYLE = Style(color="#73daca", dim=True)


def use_palette(dark: bool) -> None:
    """Entity and note colours for a dark or a light theme (the styles that read without
    colour stay). Changed in place: the article view's imports see it."""
    kinds, notes = DARK if dark else LIGHT
    KIND_STYLES.clear()
    KIND_STYLES.update(kinds)
    NOTE_COLOURS.clear()
    NOTE_COLOURS.update(notes)


MARGIN_WIDTH = 30
MARGIN_MIN_TOTAL = 90  # below this, notes go under their paragraph
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+")


@dataclass
class Overlay:
    start: int
    end: int
    style: Style


@dataclass
class BlockLines:
    index: int
    kind: str
    start: int
    end: int
    first_line: int = 0
    strips: list[Strip] = field(default_factory=list)
    tail: bool = True  # ends its document block (a blank line follows); False for a piece of a huge one


def sentence_bounds(text: str, offset: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence of `text[lo:hi]` that contains `offset`."""
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if m.end() > offset:
            return start, m.end() - len(m.group(0)) + len(m.group(0).rstrip())
        start = m.end()
    return start, hi


def note_colour(note: dict) -> str:
    return NOTE_COLOURS.get(note.get("color") or "", "#e0af68")


def styled_block_text(body: str, start: int, end: int, mentions, notes, overlays, links=()) -> Text:
    text = Text(body[start:end])
    own_links = [link for link in links if link.start is not None and start <= link.start < end]
    for link in own_links:
        text.stylize(LINK_STYLE, link.start - start, min(link.end, end) - start)
    for m in mentions:
        if m.start < end and m.end > start:
            text.stylize(KIND_STYLES.get(m.kind, KIND_STYLES["other"]), max(m.start - start, 0), m.end - start)
    for n in notes:
        if n.get("start") is not None and n["state"] != "orphaned" and n["start"] < end and n["end"] > start:
            text.stylize(NOTE_STYLE + Style(underline=True, color=None), max(n["start"] - start, 0), n["end"] - start)
    for o in overlays:
        if o.start < end and o.end > start:
            text.stylize(o.style, max(o.start - start, 0), o.end - start)
    return numbered(text, [(min(link.end, end) - start, link.number) for link in own_links])


def numbered(text: Text, marks: list[tuple[int, int]]) -> Text:
    """The text with a link's number after its anchor, "[3]": the number is what the links
    panel and a reader without colour go by."""
    if not marks:
        return text
    marks.sort()
    pieces = text.divide(offset for offset, _ in marks)
    out = Text()
    for i, piece in enumerate(pieces):
        out.append_text(piece)
        if i < len(marks):
            out.append(f"[{marks[i][1]}]", LINK_NUMBER_STYLE)
    return out


def margin_text(notes: list[dict], *, console: Console | None = None, width: int = 0, fold: bool = False) -> Text:
    """The notes as the margin shows them: Markdown rendered compactly; with `fold`, a long
    note cut to its first lines at this width (z unfolds)."""
    from tui.widgets.note_markdown import folded, note_text

    out = Text()
    for i, n in enumerate(notes):
        if i:
            out.append("\n")
        note = Text()
        note.append("✎ ", Style(color=note_colour(n)))
        if n["state"] in ("changed", "relocated"):
            note.append(f"({n['state']}) ", Style(italic=True, dim=True))
        if n.get("body"):
            note.append_text(note_text(n["body"]))
        else:
            note.append("(no text)")
        if n.get("tags"):
            note.append("  " + " ".join(f"#{t}" for t in n["tags"]), Style(dim=True))
        out.append_text(folded(console, note, width) if fold and console is not None else note)
    return out


def render_lines(console: Console, renderable, width: int) -> list[list[Segment]]:
    options = console.options.update(width=max(width, 1), height=None, no_wrap=False, highlight=False)
    return console.render_lines(renderable, options, pad=True)


def block_renderable(kind: str, text: Text, lang: str | None, width: int):
    if kind == "heading":
        text.stylize(Style(bold=True, underline=True))
        return text
    if kind == "code":
        from rich.syntax import Syntax  # pygments: only articles with code blocks pay for it

        return Syntax(text.plain, lang or "text", theme="monokai", word_wrap=True,
                      background_color="default")
    if kind == "quote":
        quote = Text("│ ", Style(color="#565f89"))
        quote.append_text(text)
        quote.stylize(Style(italic=True), 2)
        return quote
    if kind == "list_item":
        item = Text("  • ")
        item.append_text(text)
        return item
    return text


def side_by_side(left: list[list[Segment]], right: list[list[Segment]], lw: int, rw: int) -> list[Strip]:
    rows = max(len(left), len(right))
    out = []
    for i in range(rows):
        l_seg = Strip(left[i]).crop_extend(0, lw, None) if i < len(left) else Strip.blank(lw)
        r_seg = Strip(right[i]).crop_extend(0, rw, None) if i < len(right) else Strip.blank(rw)
        out.append(Strip.join([l_seg, Strip.blank(2), r_seg]))
    return out


def layout_block(console: Console, body: str, block: BlockLines, lang: str | None, width: int,
                 mentions, notes, overlays, links=(), fold: bool = True) -> list[Strip]:
    """Strips for one block, with its notes in a margin column (wide) or below it (narrow)."""
    own_notes = [n for n in notes if n.get("start") is not None and n["state"] != "orphaned"
                 and block.start <= n["start"] < block.end + 2]
    wide = width >= MARGIN_MIN_TOTAL
    text_width = width - MARGIN_WIDTH - 2 if wide else width
    text = styled_block_text(body, block.start, block.end, mentions, notes, overlays, links)
    lines = render_lines(console, block_renderable(block.kind, text, lang, text_width), text_width)
    if own_notes and wide:
        margin = margin_text(own_notes, console=console, width=MARGIN_WIDTH, fold=fold)
        strips = side_by_side(lines, render_lines(console, margin, MARGIN_WIDTH), text_width, MARGIN_WIDTH)
    else:
        strips = [Strip(line).crop_extend(0, width, None) for line in lines]
        if own_notes:
            below = Text("    ")
            below.append_text(margin_text(own_notes, console=console, width=width - 4, fold=fold))
            strips += [Strip(line) for line in render_lines(console, below, width)]
    return strips + [Strip.blank(width)] if block.tail else strips


# A paragraph longer than this is laid out in pieces (cut after a sentence where one ends
# near the limit): moving the entity cursor re-wraps only the pieces it touched, not a
# whole paragraph that may be megabytes long.
PIECE_CHARS = 5_000


def cut_pieces(body: str, blocks: list[dict]) -> list[tuple[int, str, int, int, bool]]:
    """(block index, kind, start, end, ends the block) for layout: blocks, with any longer
    than PIECE_CHARS cut after a sentence (or a space) near the limit."""
    out = []
    for i, b in enumerate(blocks):
        start, end, kind = b["start"], b["end"], b["kind"]
        while end - start > PIECE_CHARS:
            limit = start + PIECE_CHARS
            cut = body.rfind(". ", start + PIECE_CHARS // 2, limit)
            cut = cut + 2 if cut >= 0 else body.rfind(" ", start + 1, limit) + 1
            if cut <= start:  # one enormous word
                cut = limit
            out.append((i, kind, start, cut, False))
            start = cut
            if kind in ("list_item", "heading"):
                kind = "paragraph"  # the bullet or heading style belongs to the first piece only
        out.append((i, kind, start, end, True))
    return out

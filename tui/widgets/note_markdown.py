"""A note's Markdown as compact rich Text for the margin: emphasis, code, lists, quotes and
`[[Entity]]` links, one line per paragraph, no blank lines between.

Parsed with markdown-it (the parser Textual's own Markdown widget uses); every piece of the
user's text is appended as plain text with a style, never read as Rich markup, and raw HTML
is shown as written."""
from __future__ import annotations

from functools import lru_cache

from rich.console import Console
from rich.style import Style
from rich.text import Text

from store.document import strip_controls
from store.notes.links import WIKI_LINK

ENTITY_LINK_STYLE = Style(color="#e0af68", underline=True)
CODE_STYLE = Style(color="#9ece6a", dim=False)
FOLD_LINES = 4  # a longer note shows its first lines and how many more
_INLINE = {"strong": Style(bold=True), "em": Style(italic=True), "s": Style(strike=True), "link": Style(underline=True)}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


def note_text(body: str) -> Text:
    """The whole note, rendered."""
    out = Text()
    prefix: list[str] = []  # what each new line starts with: quote bars, list bullets
    pending_bullet: str | None = None
    numbers: list[int | None] = []
    tokens = _parser().parse(strip_controls(body or ""))
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "blockquote_open":
            prefix.append("│ ")
        elif kind == "blockquote_close":
            prefix.pop()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            numbers.append(int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif kind == "list_item_open":
            if numbers and numbers[-1] is not None:
                pending_bullet = f"{numbers[-1]}. "
                numbers[-1] += 1
            else:
                pending_bullet = "• "
        elif kind in ("inline", "fence", "code_block", "hr"):
            if out:
                out.append("\n")
            out.append("".join(prefix), Style(dim=True))
            if pending_bullet:
                out.append(pending_bullet, Style(dim=True))
                pending_bullet = None
            if kind == "inline":
                heading = i > 0 and tokens[i - 1].type == "heading_open"
                start = len(out)
                _inline(out, token.children or [])
                if heading:
                    out.stylize(Style(bold=True), start)
            elif kind == "hr":
                out.append("───", Style(dim=True))
            else:
                out.append(token.content.rstrip("\n"), CODE_STYLE)
    return out


def _inline(out: Text, children) -> None:
    styles: list[Style] = []
    for child in children:
        kind = child.type
        if kind.endswith("_open") and kind[:-5] in _INLINE:
            styles.append(_INLINE[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _INLINE:
            if styles:
                styles.pop()
        elif kind == "code_inline":
            out.append(child.content, CODE_STYLE)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" " if kind == "softbreak" else "\n")
        elif kind == "image":
            out.append(f"[image: {child.content}]", Style(dim=True))
        else:  # text, html shown as written
            _text_with_links(out, child.content, Style.combine(styles) if styles else Style())


def _text_with_links(out: Text, text: str, style: Style) -> None:
    pos = 0
    for m in WIKI_LINK.finditer(text):
        out.append(text[pos:m.start()], style)
        name = " ".join(m.group(1).split())
        shown = m.group(0)[2:-2].split("|", 1)[-1].strip() or name
        # The name is a parameter of the click action, never markup: repr() quotes it safely.
        out.append(shown, style + ENTITY_LINK_STYLE + Style(meta={"@click": f"screen.open_entity({name!r})"}))
        pos = m.end()
    out.append(text[pos:], style)


def folded(console: Console, text: Text, width: int, lines: int = FOLD_LINES) -> Text:
    """The first lines of a long note at this width, and how many more there are."""
    wrapped = text.wrap(console, max(width, 1))
    if len(wrapped) <= lines:
        return text
    out = Text("\n").join(wrapped[: lines - 1])
    out.append(f"\n… {len(wrapped) - lines + 1} more lines (z)", Style(dim=True, italic=True))
    return out

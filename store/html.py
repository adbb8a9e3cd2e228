"""HTML -> Document, with a real parser (selectolax/lexbor), never regular expressions.

Headings, paragraphs, block quotes, list items and code blocks become blocks; inline
markup becomes plain text; scripts, styles, iframes, forms, images (tracking pixels)
and comments are dropped; entities are decoded by the parser; links are collected.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from store.document import Document, clean_inline, strip_controls

DROP = {"script", "style", "iframe", "noscript", "template", "svg", "head", "form", "button", "input",
        "select", "textarea", "object", "embed", "video", "audio", "canvas", "img", "picture", "source",
        "nav", "aside", "footer"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CONTAINERS = {"div", "section", "article", "main", "header", "body", "html", "figure", "center", "table",
              "tbody", "thead", "tr", "td", "th", "dl", "dd", "dt", "details", "summary", "span-block"}
INLINE_BREAK = {"br"}
# Containers nested deeper than this are read as one block: real pages nest a few dozen
# levels, and a feed nesting 10,000 would exhaust Python's recursion limit.
MAX_DEPTH = 100
MAX_UNCLOSED = 10_000


# One selector for what goes before walking: dropped elements (with their content) and
# line breaks (which read as a space).
_PRUNE = ", ".join(sorted(DROP | INLINE_BREAK))


def _prune(body) -> None:
    if body.css_first("pre br") is not None:
        for br in body.css("pre br"):
            br.replace_with("\n")  # a line break in code is a new line, not a space
    # Reverse document order destroys descendants before their ancestors, so no node is
    # touched after an ancestor's removal freed it.
    for node in reversed(body.css(_PRUNE)):
        if node.tag in INLINE_BREAK:
            node.replace_with(" ")
        else:
            node.decompose()


def _flat(node) -> str:
    return " ".join(node.text(deep=True).split())


def _links(body, base: str | None) -> tuple[list[str], list[str]]:
    """(urls, anchor texts), first occurrence of each URL. `javascript:` and `data:` links are
    kept: the reader shows them for what they are and never opens them."""
    in_code = {a.mem_id for a in body.css("pre a")} if body.css_first("pre") is not None else set()
    links: list[str] = []
    texts: list[str] = []
    for a in body.css("a"):
        href = strip_controls(a.attributes.get("href") or "").strip()
        if a.mem_id in in_code or not href or href.startswith("#"):
            continue
        url = href if href.lower().startswith(("javascript:", "data:")) or not base else urljoin(base, href)
        if url not in links:
            links.append(url)
            texts.append(_flat(a))
    return links, texts


class _Walker:
    """Walks the block structure in Python; everything inside a block is read by lexbor in
    one call (`text(deep=True)`), which is what makes a feed's 100 entries cheap."""

    def __init__(self) -> None:
        self.parts: list[tuple] = []
        self._inline: list[str] = []

    def flush(self, kind: str = "paragraph") -> None:
        if not self._inline:
            return  # called around every block; most calls find nothing pending
        text = " ".join("".join(self._inline).split())
        self._inline = []
        if text:
            self.parts.append((kind, text))

    def walk(self, node, depth: int = 0) -> None:
        for child in node.iter(include_text=True):
            if child.is_text_node:
                self._inline.append(child.text(deep=False))
                continue
            tag = child.tag
            if child.is_comment_node:
                continue
            if tag in HEADINGS:
                self.flush()
                self.parts.append(("heading", _flat(child)))
            elif tag == "p":
                self.flush()
                self._inline.append(child.text(deep=True))
                self.flush()
            elif tag == "blockquote":
                self.flush()
                self.parts.append(("quote", _flat(child)))
            elif tag == "pre":
                self.flush()
                self.parts.append(_code(child))
            elif tag in ("ul", "ol"):
                self.flush()
                for li in child.iter():
                    if li.tag == "li":
                        self.parts.append(("list_item", _flat(li)))
            elif tag == "li":
                self.flush()
                self.parts.append(("list_item", _flat(child)))
            elif depth >= MAX_DEPTH and tag in CONTAINERS:  # hostile nesting: the rest is one block
                self.flush()
                self._inline.append(child.text(deep=True))
                self.flush()
            elif tag in CONTAINERS or tag == "hr":
                self.flush()
                self.walk(child, depth + 1)
                self.flush()
            else:  # inline element
                self._inline.append(child.text(deep=True))


def _code(pre) -> tuple[str, str, str | None]:
    code = pre.css_first("code")
    lang = None
    for cls in ((code or pre).attributes.get("class") or "").split():
        if cls.startswith(("language-", "lang-")):
            lang = cls.split("-", 1)[1]
    return ("code", (code or pre).text(deep=True), lang)


_OPEN = re.compile(r"<(?!/|!|\?|(?:br|hr|img|wbr|input|meta|link|source|area|col|embed|param|track)\b)[a-zA-Z]")
_TAG = re.compile(r"<[^>]*>")


def _too_nested(html: str) -> bool:
    """Whether html opens far more elements than it closes: parsing that is quadratic in
    lexbor (tens of thousands of unclosed tags take many seconds), so it is read as text instead."""
    opened = sum(1 for _ in _OPEN.finditer(html))
    return opened > MAX_UNCLOSED and opened - html.count("</") > MAX_UNCLOSED


def _as_text_parts(html: str) -> list[tuple]:
    import html as entities

    text = entities.unescape(_TAG.sub(" ", html))
    return [("paragraph", " ".join(line.split())) for line in text.split("\n") if line.strip()]


def html_to_parts(html: str, base_url: str | None = None) -> tuple[list[tuple], tuple[list[str], list[str]]]:
    if html and _too_nested(html):  # only a hostile feed gets here: its text, without structure
        return _as_text_parts(html), ([], [])
    tree = LexborHTMLParser(html or "")
    body = tree.body
    if body is None:
        return [], ([], [])
    _prune(body)
    walker = _Walker()
    walker.walk(body)
    walker.flush()
    return walker.parts, _links(body, base_url)


def html_to_text(html: str) -> str:
    """Inline HTML (a title, an author) as one line of plain text."""
    if not html or "<" not in html and "&" not in html:
        return clean_inline(html)
    tree = LexborHTMLParser(f"<p>{html}</p>")
    return clean_inline(tree.body.text(deep=True) if tree.body is not None else html)


def html_to_document(title: str, html: str, *, base_url: str | None = None, **meta) -> Document:
    parts, (links, texts) = html_to_parts(html, base_url)
    doc = Document.from_parts(html_to_text(title), parts, **meta)
    doc.links, doc.link_texts = links, texts
    return doc

"""HTML -> Document, with a real parser (selectolax/lexbor), never regular expressions.

Headings, paragraphs, block quotes, list items and code blocks become blocks; inline
markup becomes plain text; scripts, styles, iframes, forms, images (tracking pixels)
and comments are dropped; entities are decoded by the parser; links are collected.
"""
from __future__ import annotations

from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from store.document import Document, clean_inline

DROP = {"script", "style", "iframe", "noscript", "template", "svg", "head", "form", "button", "input",
        "select", "textarea", "object", "embed", "video", "audio", "canvas", "img", "picture", "source",
        "nav", "aside", "footer"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CONTAINERS = {"div", "section", "article", "main", "header", "body", "html", "figure", "center", "table",
              "tbody", "thead", "tr", "td", "th", "dl", "dd", "dt", "details", "summary", "span-block"}
INLINE_BREAK = {"br"}


class _Walker:
    def __init__(self, base_url: str | None) -> None:
        self.parts: list[tuple] = []
        self.links: list[str] = []
        self.base = base_url
        self._inline: list[str] = []

    def flush(self, kind: str = "paragraph") -> None:
        text = " ".join("".join(self._inline).split())
        self._inline = []
        if text:
            self.parts.append((kind, text))

    def text_of(self, node) -> str:
        pieces: list[str] = []
        self._collect(node, pieces)
        return " ".join("".join(pieces).split())

    def _collect(self, node, pieces: list[str]) -> None:
        for child in node.iter(include_text=True):
            if child.is_text_node:
                pieces.append(child.text(deep=False))
            elif child.is_comment_node or child.tag in DROP:
                continue
            elif child.tag in INLINE_BREAK:
                pieces.append(" ")
            else:
                self._link(child)
                self._collect(child, pieces)

    def _link(self, node) -> None:
        if node.tag == "a":
            href = (node.attributes.get("href") or "").strip()
            if href and not href.startswith(("javascript:", "data:", "#")):
                url = urljoin(self.base, href) if self.base else href
                if url not in self.links:
                    self.links.append(url)

    def walk(self, node) -> None:
        for child in node.iter(include_text=True):
            if child.is_text_node:
                self._inline.append(child.text(deep=False))
                continue
            tag = child.tag
            if child.is_comment_node or tag in DROP:
                continue
            if tag in HEADINGS:
                self.flush()
                self.parts.append(("heading", self.text_of(child)))
            elif tag == "p":
                self.flush()
                self._inline.append(self.text_of(child))
                self.flush()
            elif tag == "blockquote":
                self.flush()
                self.parts.append(("quote", self.text_of(child)))
            elif tag == "pre":
                self.flush()
                code = child.css_first("code")
                lang = None
                for cls in ((code or child).attributes.get("class") or "").split():
                    if cls.startswith(("language-", "lang-")):
                        lang = cls.split("-", 1)[1]
                self.parts.append(("code", (code or child).text(deep=True), lang))
            elif tag in ("ul", "ol"):
                self.flush()
                for li in child.iter():
                    if li.tag == "li":
                        self.parts.append(("list_item", self.text_of(li)))
            elif tag == "li":
                self.flush()
                self.parts.append(("list_item", self.text_of(child)))
            elif tag in CONTAINERS or tag == "hr":
                self.flush()
                self.walk(child)
                self.flush()
            else:  # inline element
                self._link(child)
                pieces: list[str] = []
                self._collect(child, pieces)
                self._inline.append("".join(pieces))


def html_to_parts(html: str, base_url: str | None = None) -> tuple[list[tuple], list[str]]:
    tree = LexborHTMLParser(html or "")
    walker = _Walker(base_url)
    if tree.body is not None:
        walker.walk(tree.body)
    walker.flush()
    return walker.parts, walker.links


def html_to_text(html: str) -> str:
    """Inline HTML (a title, an author) as one line of plain text."""
    if not html or "<" not in html and "&" not in html:
        return clean_inline(html)
    tree = LexborHTMLParser(f"<p>{html}</p>")
    return clean_inline(tree.body.text(deep=True) if tree.body is not None else html)


def html_to_document(title: str, html: str, *, base_url: str | None = None, **meta) -> Document:
    parts, links = html_to_parts(html, base_url)
    doc = Document.from_parts(html_to_text(title), parts, **meta)
    doc.links = links
    return doc

"""The links of an article: where each sits in the body, its number, and whether it may be opened.

Feed articles carry (url, anchor text) pairs from their HTML; plain-text articles carry none,
so bare `http(s)://` URLs in the body count as links too. A link whose anchor text is not
found in the body (or whose text is unknown: libraries from before anchor texts) is listed
but not marked."""
from __future__ import annotations

import re
from dataclasses import dataclass

_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"'\])]+[^\s<>\"'\]).,;:!?]")
OPENABLE = ("http", "https", "mailto", "gemini", "gopher", "ftp")
DANGERS = {
    "javascript": "a javascript: link runs code in the browser",
    "data": "a data: link carries its own content (it can be a page or a script)",
    "file": "a file: link opens a file on this computer",
    "vbscript": "a vbscript: link runs code",
}


@dataclass
class ArticleLink:
    number: int
    url: str
    text: str
    start: int | None = None  # body offsets of the anchor, when found
    end: int | None = None

    @property
    def refusal(self) -> str | None:
        return refusal(self.url)


def refusal(url: str) -> str | None:
    """Why a URL is not opened, or None when it may be."""
    scheme, colon, _ = url.partition(":")
    scheme = scheme.strip().lower()
    if not colon or not scheme.isascii() or not scheme.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return "not a URL with a scheme (http:, https:, …)"
    if scheme in DANGERS:
        return DANGERS[scheme]
    if scheme not in OPENABLE:
        return f"a {scheme}: link (only {', '.join(s + ':' for s in OPENABLE)} are opened)"
    return None


def article_links(body: str, urls: list[str], texts: list[str]) -> list[ArticleLink]:
    """Numbered in body order; links that could not be placed come after, in stored order."""
    placed: list[ArticleLink] = []
    unplaced: list[ArticleLink] = []
    taken: list[tuple[int, int]] = []
    cursor = 0
    for url, text in zip(urls, texts + [""] * (len(urls) - len(texts)), strict=False):
        text = " ".join(text.split())
        start = _find(body, text, cursor, taken) if text else None
        if start is None and text:
            start = _find(body, text, 0, taken)
        if start is None:
            unplaced.append(ArticleLink(0, url, text))
            continue
        end = start + len(text)
        taken.append((start, end))
        cursor = end
        placed.append(ArticleLink(0, url, text, start, end))
    known = set(urls)
    for m in _BARE_URL.finditer(body):
        if m.group(0) not in known and not any(s < m.end() and m.start() < e for s, e in taken):
            known.add(m.group(0))
            placed.append(ArticleLink(0, m.group(0), m.group(0), m.start(), m.end()))
    placed.sort(key=lambda link: link.start)
    out = placed + unplaced
    for i, link in enumerate(out, 1):
        link.number = i
    return out


def _find(body: str, text: str, start: int, taken: list[tuple[int, int]]) -> int | None:
    pos = body.find(text, start)
    while pos >= 0:
        if not any(s < pos + len(text) and pos < e for s, e in taken):
            return pos
        pos = body.find(text, pos + 1)
    return None

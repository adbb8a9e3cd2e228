"""A downloaded page -> the article's HTML and metadata, with trafilatura.

trafilatura was chosen over readability-lxml by measuring both on the fixture pages in
tests/fixtures/fulltext (tests/bench/bench_fulltext.py): both kept every expected
paragraph, but readability kept an inline advertisement inside <article>, and trafilatura
(precision mode, tables off) dropped all boilerplate, table layouts included.

What comes out is plain HTML (p, h2, blockquote, list, pre, a) that store/html.py turns
into a Document like any feed content. Every way a page can fail becomes an
ExtractFailure whose message is shown to the user as is.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from store.document import clean_inline
from store.errors import MarginError

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_DEPTH = 256  # libxml2 (under trafilatura) silently drops what lies deeper; say so instead
_DEEP = " > ".join(["*"] * MAX_DEPTH)  # matches an element MAX_DEPTH levels down: one pass in C
PAYWALL_MAX_CHARS = 1000  # a marked paywall page with more text than this is a metered one: read anyway
MIN_CHARS = 40  # less is a stray link or caption, not an article
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


class ExtractFailure(MarginError):
    """The page gave no article text; the message says why (shown per article)."""


@dataclass
class Extracted:
    html: str  # the article alone, as simple HTML
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None


def content_type_problem(headers: dict) -> str | None:
    """A reason to refuse the page from its headers alone (so a PDF is never downloaded)."""
    ctype = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if not ctype or ctype in HTML_TYPES or ctype == "text/plain":  # text/plain: often mislabelled HTML; sniffed later
        return None
    return f"not HTML ({clean_inline(ctype)[:60]})"


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title", b"<div",
                            b"<p", b"<article"))


def decode(data: bytes, headers: dict) -> str:
    """Bytes -> text: the header's charset, else a <meta charset>, else UTF-8, else detected."""
    ctype = headers.get("content-type") or ""
    declared = []
    for part in ctype.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            declared.append(value.strip("\"' "))
    if m := _CHARSET.search(data[:4096]):
        declared.append(m.group(1).decode("ascii"))
    for charset in declared:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        return data.decode(best.encoding if best else "cp1252", errors="replace")


def _paywalled(tree) -> bool:
    """schema.org's `isAccessibleForFree: false` (what publishers declare for search
    engines), or an element whose class or id names a paywall."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "null")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if str(item.get("isAccessibleForFree", "")).lower() == "false":
                    return True
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return tree.css_first('[class*="paywall"], [id*="paywall"]') is not None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def extract(data: bytes, headers: dict, url: str) -> Extracted:
    """The article in a downloaded page, or ExtractFailure."""
    if problem := content_type_problem(headers):
        raise ExtractFailure(problem)
    if data[:5] == b"%PDF-" or not _looks_like_html(data):
        raise ExtractFailure("not HTML (the page does not start like a web page)")
    text = decode(data, headers)
    from selectolax.lexbor import LexborHTMLParser

    page = LexborHTMLParser(text)
    if page.css_first(_DEEP) is not None:
        raise ExtractFailure(f"page is nested too deeply (over {MAX_DEPTH} levels)")
    import trafilatura

    try:
        out = trafilatura.extract(text, url=url, output_format="html", with_metadata=True, include_links=True,
                                  include_formatting=True, include_tables=False, include_comments=False,
                                  include_images=False, favor_precision=True)
    except RecursionError:
        raise ExtractFailure("page is nested too deeply to read") from None
    except Exception as exc:  # lxml and trafilatura raise many kinds on hostile pages: report, never crash
        raise ExtractFailure(f"the extractor failed ({type(exc).__name__})") from None
    result = LexborHTMLParser(out or "")
    meta = {m.attributes.get("name"): clean_inline(m.attributes.get("content")) or None
            for m in result.css("head meta")}
    body = result.body
    chars = len(" ".join(body.text().split())) if body is not None else 0
    if _paywalled(page) and chars < PAYWALL_MAX_CHARS:
        raise ExtractFailure("page is a paywall")
    if chars < MIN_CHARS:
        raise ExtractFailure("no article text found on the page")
    # The reader shows the title above the text: a first heading that repeats it goes.
    titles = [t for t in (meta.get("title"), clean_inline(page.css_first("title").text())
                          if page.css_first("title") is not None else None) if t]
    first = body.css_first("h1, h2, h3, p, blockquote, li, pre") if body is not None else None
    if first is not None and first.tag in ("h1", "h2", "h3") and any(
            (heading := clean_inline(first.text())) and heading in t for t in titles):
        first.decompose()
    return Extracted(html=body.html if body is not None else "", title=meta.get("title"),
                     author=meta.get("author"), published_at=_date(meta.get("date")))

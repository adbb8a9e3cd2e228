"""Find the feeds a web page offers: <link rel="alternate">, then common paths."""
from __future__ import annotations

from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
              "application/xml", "text/xml")
COMMON_PATHS = ("/feed", "/rss", "/atom.xml", "/feed.xml", "/rss.xml", "/index.xml")


def looks_like_html(data: bytes, content_type: str) -> bool:
    head = data[:1024].lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def alternate_links(html: bytes, base: str) -> list[tuple[str, str]]:
    """(url, title) of every feed link the page declares."""
    tree = LexborHTMLParser(html.decode("utf-8", "replace"))
    found = []
    for link in tree.css("link[rel]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        kind = (link.attributes.get("type") or "").lower()
        href = link.attributes.get("href")
        if "alternate" in rel and href and kind in FEED_TYPES:
            url = urljoin(base, href.strip())
            if url not in [u for u, _ in found]:
                found.append((url, link.attributes.get("title") or kind))
    return found


def common_candidates(base: str) -> list[str]:
    return [urljoin(base, p) for p in COMMON_PATHS]

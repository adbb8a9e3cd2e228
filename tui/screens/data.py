"""Adapters from the store façade to the plain data the widgets take."""
from __future__ import annotations

import re

from store.library import Library
from tui.widgets.article_list import Row
from tui.widgets.article_view import ArticleData

_TERM = re.compile(r'"([^"]+)"|(?<![\w:@#-])([^\s:"@#-][^\s:"]*)(?=\s|$)')


class QuerySource:
    """Rows of one query, paged through `lib.search` (an empty query lists newest first)."""

    def __init__(self, lib: Library, query: str) -> None:
        self.lib = lib
        self.query = query

    def count(self) -> int:
        return self.lib.count(self.query)

    def page(self, offset: int, limit: int) -> list[Row]:
        return [
            Row(h.id, h.title or "(untitled)", h.source or "", (h.published_at or h.sort_at or "")[:10],
                h.read, h.starred, h.has_note, len(h.also_in))
            for h in self.lib.search(self.query, limit=limit, offset=offset)
        ]


def query_terms(query: str) -> list[str]:
    """Bare words and phrases of a query, for n/N in the article (filters left out)."""
    terms = []
    for phrase, word in _TERM.findall(query or ""):
        term = phrase or word
        if term and term not in ("OR", "AND", "NOT"):
            terms.append(term)
    return terms


def note_dicts(lib: Library, article_id: int) -> list[dict]:
    return lib.notes.record_part(article_id).get("notes", [])


def article_data(lib: Library, article_id: int, query: str = "") -> ArticleData:
    a = lib.article(article_id)
    date = (a["published_at"] or a["imported_at"] or "")[:16].replace("T", " ").removesuffix(" 00:00")
    parts = [a["source"] or a.get("feed_title") or "", a["author"] or "", date]
    if a.get("aggregator"):
        parts.append(f"via {a['aggregator']}")
    if copies := lib.copies(article_id):
        parts.append("also in: " + ", ".join(c["source"] or "?" for c in copies))
    page = lib.fulltext.record_part(article_id)["fulltext"]
    if page and page["state"] == "failed" and not page["has_full_text"]:
        parts.append(page["reason"])  # why the whole article is not here
    return ArticleData(
        id=a["id"], title=a["title"], meta=" · ".join(p for p in parts if p), url=a["url"],
        body=a["body"], blocks=a["blocks"], mentions=lib.entities.mentions_for(article_id),
        notes=note_dicts(lib, article_id), terms=query_terms(query), read=bool(a["read"]),
    )

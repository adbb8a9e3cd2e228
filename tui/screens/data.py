"""Adapters from the store façade to the plain data the widgets take."""
from __future__ import annotations

from store.library import Library
from tui.links.article_links import article_links
from tui.widgets.article_list import PAGE, Row
from tui.widgets.article_view import ArticleData
from tui.widgets.dates import full_date


class QuerySource:
    """Rows of one query, paged through `lib.search` (an empty query lists newest first)."""

    def __init__(self, lib: Library, query: str) -> None:
        self.lib = lib
        self.query = query
        self.snippets = False  # set from the first page: a search for words shows its passages

    def count(self) -> int:
        return self.lib.count(self.query)

    def page(self, offset: int, limit: int) -> list[Row]:
        return self.rows(self.lib.search(self.query, limit=limit, offset=offset), offset)

    def rows(self, hits: list, offset: int = 0) -> list[Row]:
        if offset == 0:
            self.snippets = any(h.highlights for h in hits)
        return [
            Row(h.id, h.title or "(untitled)", h.source or "", h.published_at or h.sort_at or "",
                h.read, h.starred, h.has_note, len(h.also_in), h.snippet if self.snippets else "",
                h.highlights if self.snippets else [])
            for h in hits
        ]


def run_search(lib: Library, query: str, lines: int = PAGE, *, typing: bool = False
               ) -> tuple[int, list[Row], bool, bool]:
    """What the list needs to show a query at once: its count, the rows that fill `lines`
    lines, whether rows carry snippets (two lines a row), and whether they are the whole
    ranking. Only a screenful: a snippet is read from the search index row by row. `typing`:
    a query with many matches ranks only its newest (store/search/first_page.py), and the
    last value is False. Raises QueryError. The search worker calls this on its own connection."""
    source = QuerySource(lib, query)
    first = lines // 2 + 1
    if typing:
        page = lib.first_page_while_typing(query, limit=first)
        hits, total, whole = page.hits, page.total, page.whole
    else:
        (hits, total), whole = lib.search_and_count(query, limit=first), True
    rows = source.rows(hits)
    if not source.snippets and len(rows) == first:  # one-line rows: fill the screen, the same way ranked
        more = lines + 1 - first
        rows += (source.page(first, more) if whole else
                 source.rows(lib.first_page_while_typing(query, limit=more, offset=first).hits, first))
    return total, rows, source.snippets, whole


def note_dicts(lib: Library, article_id: int) -> list[dict]:
    return lib.notes.record_part(article_id).get("notes", [])


def article_data(lib: Library, article_id: int, query: str = "") -> ArticleData:
    a = lib.article(article_id)
    date = full_date(a["published_at"] or a["imported_at"])
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
        notes=note_dicts(lib, article_id), read=bool(a["read"]),
        matches=lib.search_matches(article_id, query) if query.strip() else [],
        links=article_links(a["body"], a["links"], a["link_texts"]),
    )

"""Run a compiled query: rank ids first (cheap), then fetch rows and snippets for one page."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from store.search.compile import BM25, Compiled, compile_query
from store.search.parser import parse

HL_OPEN, HL_CLOSE = "\x02", "\x03"  # control characters never occur in stored text
SNIPPET_TOKENS = 24
PREVIEW_CHARS = 200


@dataclass
class SearchHit:
    id: int
    title: str
    source: str | None
    published_at: str | None
    sort_at: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    read: bool = False
    starred: bool = False
    has_note: bool = False
    feed_id: int | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "source": self.source,
            "published_at": self.published_at, "score": round(self.score, 4),
            "snippet": self.snippet,
        }


def split_highlights(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Turn FTS5 snippet markers into plain text plus (start, end) spans."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, start = 0, None
    for ch in marked:
        if ch == HL_OPEN:
            start = pos
        elif ch == HL_CLOSE:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        else:
            out.append(ch)
            pos += 1
    return "".join(out), spans


def _ranked_ids(conn, c: Compiled, limit: int, offset: int) -> list[tuple[int, float]]:
    if c.match is None:
        sql = (
            f"SELECT a.id, 0.0 FROM articles a WHERE {c.where_sql()}"
            " ORDER BY a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?"
        )
        return conn.execute(sql, [*c.params, limit, offset]).fetchall()
    order = "a.sort_at DESC, a.id DESC" if c.sort == "date" else "r, a.sort_at DESC"
    if not c.where and c.sort == "rank":
        # No filters: rank inside the FTS table alone, no join per match.
        sql = (f"SELECT rowid, {BM25} AS r FROM articles_fts WHERE articles_fts MATCH ?"
               " ORDER BY r, rowid DESC LIMIT ? OFFSET ?")
        return conn.execute(sql, [c.match, limit, offset]).fetchall()
    sql = (
        f"SELECT a.id, {BM25} AS r FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        f" WHERE articles_fts MATCH ? AND {c.where_sql()} ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return conn.execute(sql, [c.match, *c.params, limit, offset]).fetchall()


def _snippets(conn, c: Compiled, ids: list[int]) -> dict[int, str]:
    marks = ",".join("?" * len(ids))
    if c.match is None:
        rows = conn.execute(
            f"SELECT id, substr(body, 1, {PREVIEW_CHARS}) FROM articles WHERE id IN ({marks})", ids
        )
        return {i: (s or "") for i, s in rows}
    rows = conn.execute(
        f"SELECT rowid, snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}) FROM articles_fts"
        f" WHERE articles_fts MATCH ? AND rowid IN ({marks})",
        [HL_OPEN, HL_CLOSE, c.match, *ids],
    )
    return {i: (s or "") for i, s in rows}


def search(db: sqlite_utils.Database, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    compiled = compile_query(parse(query))
    conn = db.conn
    ranked = _ranked_ids(conn, compiled, limit, offset)
    if not ranked:
        return []
    ids = [i for i, _ in ranked]
    marks = ",".join("?" * len(ids))
    rows = {
        r[0]: r for r in conn.execute(
            "SELECT a.id, a.title, a.source, a.published_at, a.sort_at, a.read, a.starred, a.feed_id,"
            " EXISTS (SELECT 1 FROM notes n WHERE n.article_id = a.id), f.title"
            f" FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})", ids,
        )
    }
    snippets = _snippets(conn, compiled, ids)
    hits = []
    for art_id, rank in ranked:
        _, title, source, published, sort_at, read, starred, feed_id, has_note, feed_title = rows[art_id]
        text, spans = split_highlights(snippets.get(art_id, ""))
        hits.append(SearchHit(
            id=art_id, title=title, source=source or feed_title, published_at=published,
            sort_at=sort_at, score=-float(rank or 0.0), snippet=text, highlights=spans,
            read=bool(read), starred=bool(starred), has_note=bool(has_note), feed_id=feed_id,
        ))
    return hits


def count(db: sqlite_utils.Database, query: str) -> int:
    c = compile_query(parse(query))
    if c.match is None:
        sql, params = f"SELECT count(*) FROM articles a WHERE {c.where_sql()}", c.params
    elif not c.where:
        sql, params = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [c.match]
    else:
        sql = (f"SELECT count(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
               f" WHERE articles_fts MATCH ? AND {c.where_sql()}")
        params = [c.match, *c.params]
    return db.conn.execute(sql, params).fetchone()[0]

"""The live search's first page while the user types: exact count, cheap ranking.

Why: ranking every match of a common word by BM25 on a large library costs more than a key
may (typing figures: tests/bench/README.md).
Only the newest WINDOW matches are ranked here; the caller then ranks them all (`search`).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.db import Database
from store.search.compile import BM25, Compiled
from store.search.engine import count_matches, hits_for, hits_page, prepare
from store.search.fold import exclusion, hidden_duplicates
from store.search.hits import SearchHit

# Matches ranked while typing: FTS5 walks its doclist newest first (rowid order) and stops
# here, so the cost is this many BM25 scores plus the count, whatever the word.
WINDOW = 1000


@dataclass
class FirstPage:
    hits: list[SearchHit]
    total: int  # every match, exact, whichever way the page was ranked
    whole: bool  # False: only the newest WINDOW matches were ranked (`search` ranks them all)


def first_page(db: Database, query: str, *, limit: int, offset: int = 0, window: int | None = None) -> FirstPage:
    """Raises QueryError like `search`. A query that sorts by date, has no words, or has at
    most `window` matches is ranked whole: the page is the one `search` gives."""
    window = max(window or WINDOW, limit + offset)  # the page always fills from the window
    conn = db.conn
    compiled = prepare(conn, query)
    hidden = hidden_duplicates(conn, compiled)
    total = count_matches(conn, compiled, hidden)
    if compiled.match is None or compiled.sort != "rank" or total <= window:
        return FirstPage(hits_page(conn, compiled, limit, offset, hidden), total, True)
    ranked = _newest_ranked(conn, compiled, limit, offset, window, hidden)
    return FirstPage(hits_for(conn, compiled, ranked), total, False)


def _newest_ranked(conn: sqlite3.Connection, c: Compiled, limit: int, offset: int, window: int,
                   hidden: list[int]) -> list[tuple[int, float]]:
    """The best `limit` (after `offset`) of the newest `window` matches, by the same BM25 and
    tie-breaks as `search` (BM25's statistics are the whole index's, so scores are the same)."""
    if c.where:
        fold_sql, fold_params = exclusion("a.id", hidden)
        newest = (f"SELECT a.id AS id, {BM25} AS r FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                  f" WHERE articles_fts MATCH ? AND {c.where_sql()}{fold_sql}"
                  " ORDER BY articles_fts.rowid DESC LIMIT ?")
        params = [c.match, *c.params, *fold_params, window]
    else:
        fold_sql, fold_params = exclusion("rowid", hidden)
        newest = (f"SELECT rowid AS id, {BM25} AS r FROM articles_fts WHERE articles_fts MATCH ?{fold_sql}"
                  " ORDER BY rowid DESC LIMIT ?")
        params = [c.match, *fold_params, window]
    sql = (f"WITH w AS MATERIALIZED ({newest}) SELECT a.id, w.r FROM w JOIN articles a ON a.id = w.id"
           " ORDER BY w.r, a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?")
    return conn.execute(sql, [*params, limit, offset]).fetchall()

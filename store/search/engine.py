"""Run a compiled query: rank ids first (cheap), then fetch rows and snippets for one page."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import replace

from store.db import Database
from store.errors import QueryError
from store.search.compile import BM25, Compiled, compile_query, fts_term
from store.search.fold import also_in, exclusion, hidden_duplicates
from store.search.hits import HL_CLOSE, HL_OPEN, SearchHit, split_highlights
from store.search.parser import Query, parse

SNIPPET_TOKENS = 24
PREVIEW_CHARS = 200
# A last word found on its own in this many articles is taken as typed: it is a word,
# not a fragment, and expanding it as a prefix would merge many large doclists for
# little gain (see README, search performance).
COMPLETE_AT = 50
TIE_SLACK = 32


def settle_typing(conn: sqlite3.Connection, q: Query) -> Query:
    """Drop the typing-ahead prefix from the last word when it is already a common word."""
    for group in q.groups:
        for i, term in enumerate(group):
            if not term.typing:
                continue
            exact = replace(term, prefix=False, typing=False)
            n = conn.execute(
                "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
                (fts_term(exact), COMPLETE_AT),
            ).fetchone()[0]
            if n >= COMPLETE_AT:
                group[i] = exact
    return q


def resolve_entities(conn: sqlite3.Connection, q: Query) -> Query:
    """`@Erdogan` with no entity or alias of that name means the one entity whose name
    ends (or starts) with it; several such names are an error that lists them."""
    from store.entities.resolve import Ambiguous, exact, partial, resolve

    for filters in (q.filters, q.negated_filters):
        for i, f in enumerate(filters):
            if f.name != "entity":
                continue
            if exact(conn, f.value, hidden=False):
                # A lone surname stored on its own also means its one full name.
                names = tuple(dict.fromkeys(c.name for c in resolve(conn, f.value, hidden=False)))
                filters[i] = replace(f, also=names)
                continue
            groups = partial(conn, f.value, hidden=False)
            if len(groups) == 1:
                filters[i] = replace(f, value=groups[0][0].name)
            elif groups:
                exc = Ambiguous(f.value, [g[0] for g in groups])
                raise QueryError(str(exc), f.column or 1)
    return q


def prepare(conn: sqlite3.Connection, query: str) -> Compiled:
    q = resolve_entities(conn, settle_typing(conn, parse(query)))
    return compile_query(q, longest_prefix_index(conn))


def longest_prefix_index(conn: sqlite3.Connection) -> int:
    """The longest prefix the library's FTS index keeps (libraries made before migration
    m0011 have '2 3 4', later ones '2 3'), read from its declaration."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
    found = re.search(r"prefix\s*=\s*'([\d ]+)'", row[0]) if row else None
    return max(map(int, found.group(1).split())) if found else 0


def _ranked_ids(conn, c: Compiled, limit: int, offset: int, hidden: list[int]) -> list[tuple[int, float]]:
    fold_sql, fold_params = exclusion("a.id", hidden)
    if c.match is None:
        sql = (
            f"SELECT a.id, 0.0 FROM articles a WHERE {c.where_sql()}{fold_sql}"
            " ORDER BY a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?"
        )
        return conn.execute(sql, [*c.params, *fold_params, limit, offset]).fetchall()
    order = "a.sort_at DESC, a.id DESC" if c.sort == "date" else "r, a.sort_at DESC, a.id DESC"
    if not c.where and c.sort == "rank":
        # No filters: rank inside the FTS table alone (no join per match), then join only
        # the pages wanted, so the date can break ties. Rows tied with the last wanted one
        # are kept (up to TIE_SLACK more), so pages stay consistent when scores are equal.
        fts_fold, fts_fold_params = exclusion("rowid", hidden)
        sql = (f"WITH t AS MATERIALIZED (SELECT rowid AS id, {BM25} AS r FROM articles_fts"
               f" WHERE articles_fts MATCH ?{fts_fold} ORDER BY r, rowid DESC LIMIT ?)"
               " SELECT a.id, t.r FROM t JOIN articles a ON a.id = t.id"
               " WHERE t.r <= (SELECT max(r) FROM (SELECT r FROM t ORDER BY r LIMIT ?))"
               " ORDER BY t.r, a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?")
        wanted = limit + offset
        return conn.execute(sql, [c.match, *fts_fold_params, wanted + TIE_SLACK, wanted, limit, offset]).fetchall()
    sql = (
        f"SELECT a.id, {BM25} AS r FROM articles_fts JOIN articles a{_state_index(conn)}"
        f" ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND {c.where_sql()}{fold_sql}"
        f" ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return conn.execute(sql, [c.match, *c.params, *fold_params, limit, offset]).fetchall()


def _state_index(conn: sqlite3.Connection) -> str:
    """Check each match's filters in the narrow `articles_state` index (migration m0006),
    not the wide article row; SQLite's planner would pick the primary key by itself."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'articles_state'"
    ).fetchone()
    return " INDEXED BY articles_state" if found else ""


def _snippets(conn, c: Compiled, ids: list[int]) -> dict[int, str]:
    marks = ",".join("?" * len(ids))
    if c.match is None:
        rows = conn.execute(
            f"SELECT id, substr(body, 1, {PREVIEW_CHARS}) FROM articles WHERE id IN ({marks})", ids
        )
        return {i: (s or "") for i, s in rows}
    if c.long_prefix:
        # `rowid IN (…)` is one FTS5 lookup per id, and each rebuilds the expansion of a prefix
        # no index covers (each costs as much as the whole expansion); one pass over the id range does
        # it once. With indexed prefixes the lookups are cheaper, so they stay.
        rows = conn.execute(
            f"SELECT rowid, snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}) FROM articles_fts"
            f" WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
            [HL_OPEN, HL_CLOSE, c.match, min(ids), max(ids), *ids],
        )
        return {i: (s or "") for i, s in rows}
    rows = conn.execute(
        f"SELECT rowid, snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}) FROM articles_fts"
        f" WHERE articles_fts MATCH ? AND rowid IN ({marks})",
        [HL_OPEN, HL_CLOSE, c.match, *ids],
    )
    return {i: (s or "") for i, s in rows}


def search(db: Database, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    conn = db.conn
    compiled = prepare(conn, query)
    if limit <= 0:
        return []
    return hits_page(conn, compiled, limit, offset, hidden_duplicates(conn, compiled))


def search_and_count(db: Database, query: str, *, limit: int = 20) -> tuple[list[SearchHit], int]:
    """The first page and the number of matches, preparing the query and listing its folded
    duplicates once for both (the reader's live search asks for both at every key)."""
    conn = db.conn
    compiled = prepare(conn, query)
    hidden = hidden_duplicates(conn, compiled)
    hits = hits_page(conn, compiled, limit, 0, hidden) if limit > 0 else []
    total = len(hits) if limit > 0 and len(hits) < limit else count_matches(conn, compiled, hidden)
    return hits, total


def hits_page(conn: sqlite3.Connection, compiled: Compiled, limit: int, offset: int,
              hidden: list[int]) -> list[SearchHit]:
    return hits_for(conn, compiled, _ranked_ids(conn, compiled, limit, max(0, offset), hidden))


def hits_for(conn: sqlite3.Connection, compiled: Compiled, ranked: list[tuple[int, float]]) -> list[SearchHit]:
    """The rows, folded copies and snippets of (id, bm25) pairs, in their order."""
    if not ranked:
        return []
    ids = [i for i, _ in ranked]
    copies = also_in(conn, ids)
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
            sort_at=sort_at, score=-float(rank) if rank else 0.0, snippet=text, highlights=spans,
            read=bool(read), starred=bool(starred), has_note=bool(has_note), feed_id=feed_id,
            also_in=copies.get(art_id, []),
        ))
    return hits


def count(db: Database, query: str) -> int:
    c = prepare(db.conn, query)
    return count_matches(db.conn, c, hidden_duplicates(db.conn, c))


def count_matches(conn: sqlite3.Connection, c: Compiled, hidden: list[int]) -> int:
    if c.match is None:
        sql, params = f"SELECT count(*) FROM articles a WHERE {c.where_sql()}", c.params
    elif not c.where:
        sql, params = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [c.match]
    else:
        sql = (f"SELECT count(*) FROM articles_fts JOIN articles a{_state_index(conn)}"
               f" ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND {c.where_sql()}")
        params = [c.match, *c.params]
    return conn.execute(sql, params).fetchone()[0] - len(hidden)

"""Duplicate folding: a story syndicated in several feeds (or imported twice) shows once.

An article with a duplicate link to an earlier article (lower id) that also matches the
query is left out of results and counts; the copy that stays lists the others as
"also in". Deciding by id rather than by rank keeps pages and counts consistent while the
user scrolls. A query that matches only the later copy (`feed:` it, say) still finds it.
"""
from __future__ import annotations

import json
import sqlite3

from store.search.compile import Compiled


def hidden_duplicates(conn: sqlite3.Connection, c: Compiled) -> list[int]:
    conds: list[str] = []
    params: list = []
    if c.match is not None:
        # The match set is listed once (cheap for rare words and phrases, about a count(*) for
        # common ones; `MATCH … AND rowid = ?` per link is one FTS5 query a link). The unary + keeps
        # SQLite walking the few duplicate links and probing the set, not pairs of matches.
        conds += ["+l.src IN (SELECT id FROM m)", "+l.dst IN (SELECT id FROM m)"]
        params.append(c.match)
    if c.where:
        for col in ("l.src", "l.dst"):
            conds.append(f"EXISTS (SELECT 1 FROM articles a WHERE a.id = {col} AND {c.where_sql()})")
            params.extend(c.params)
    with_m = ("WITH m(id) AS MATERIALIZED (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) "
              if c.match else "")
    # kind = 'duplicate' makes SQLite read the small partial index of migration m0009
    sql = (with_m + "SELECT DISTINCT l.src FROM links l WHERE l.kind = 'duplicate' AND l.dst < l.src"
           + "".join(f" AND {x}" for x in conds))
    return [r[0] for r in conn.execute(sql, params)]


def exclusion(column: str, hidden: list[int]) -> tuple[str, list]:
    """SQL that leaves the hidden ids out (one parameter however many there are)."""
    if not hidden:
        return "", []
    return f" AND {column} NOT IN (SELECT value FROM json_each(?))", [json.dumps(hidden)]


def also_in(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[dict]]:
    """For each shown article, its duplicates elsewhere: [{"id", "source"}], oldest first."""
    if not ids:
        return {}
    out: dict[int, list[dict]] = {}
    rows = conn.execute(
        "SELECT l.src, b.id, coalesce(b.source, f.title) FROM links l JOIN articles b ON b.id = l.dst"
        " LEFT JOIN feeds f ON f.id = b.feed_id"
        f" WHERE l.kind = 'duplicate' AND l.src IN ({','.join('?' * len(ids))}) ORDER BY b.sort_at, b.id", ids)
    for src, dup_id, source in rows:
        out.setdefault(src, []).append({"id": dup_id, "source": source})
    return out

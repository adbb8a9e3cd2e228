"""Queries the user ran, newest first, each once. Kept short: it is for walking back with
up/down and finding with ctrl+r, not an audit log."""
from __future__ import annotations

import sqlite3

from store.db import now_iso

KEEP = 300
MAX_CHARS = 2000  # a pasted page is not worth recalling; longer queries are not kept


def remember(conn: sqlite3.Connection, query: str) -> None:
    query = query.strip()
    if not query or len(query) > MAX_CHARS:
        return
    with conn:
        conn.execute("DELETE FROM search_history WHERE query = ?", (query,))
        conn.execute("INSERT INTO search_history (query, used_at) VALUES (?, ?)", (query, now_iso()))
        conn.execute("DELETE FROM search_history WHERE id NOT IN"
                     " (SELECT id FROM search_history ORDER BY id DESC LIMIT ?)", (KEEP,))


def recent(conn: sqlite3.Connection, containing: str = "", limit: int = KEEP) -> list[str]:
    """Newest first; with `containing`, only queries that contain it (any case)."""
    if containing:
        like = "%" + containing.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = conn.execute("SELECT query FROM search_history WHERE query LIKE ? ESCAPE '\\'"
                            " ORDER BY id DESC LIMIT ?", (like, limit))
    else:
        rows = conn.execute("SELECT query FROM search_history ORDER BY id DESC LIMIT ?", (limit,))
    return [q for (q,) in rows]

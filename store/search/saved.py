"""Saved searches: a name for a query, in an order the user chooses, with live counts.

A saved query is stored as typed. One that no longer parses (the language changed in an
upgrade) is kept and listed with its error, so the user can see and fix it."""
from __future__ import annotations

from dataclasses import dataclass

from store.db import Database
from store.errors import MarginError, NotFound, QueryError

MAX_NAME = 80


@dataclass
class SavedSearch:
    name: str
    query: str
    position: int
    total: int | None = None  # None when the query does not parse
    unread: int | None = None
    error: str | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "query": self.query, "total": self.total, "unread": self.unread,
                "error": self.error}


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise MarginError("a saved search needs a name")
    if len(name) > MAX_NAME:
        raise MarginError(f"a saved search name has at most {MAX_NAME} characters")
    return name


def unread_query(query: str) -> str:
    """`query` narrowed to unread articles (the filters are ANDed, so this is safe for any query)."""
    return f"{query} is:unread" if query.strip() else "is:unread"


def listing(db: Database, *, counts: bool = True) -> list[SavedSearch]:
    from store.search.engine import count, prepare

    out = []
    for name, query, position in db.conn.execute(
        "SELECT name, query, position FROM saved_searches ORDER BY position, name"
    ):
        item = SavedSearch(name, query, position)
        try:
            if counts:
                item.total = count(db, query)
                item.unread = count(db, unread_query(query))
            else:
                prepare(db.conn, query)
        except QueryError as exc:
            item.error = str(exc)
        out.append(item)
    return out


def add(db: Database, name: str, query: str, *, replace: bool = False) -> SavedSearch:
    """Save `query` under `name`; the query must parse. Saving under a name in use
    replaces that search only with `replace`."""
    from store.search.engine import prepare

    name = _check_name(name)
    query = query.strip()
    prepare(db.conn, query)  # raises QueryError: a saved search starts out valid
    conn = db.conn
    with conn:
        row = conn.execute("SELECT position FROM saved_searches WHERE name = ?", (name,)).fetchone()
        if row is not None:
            if not replace:
                raise MarginError(f"a saved search named '{name}' exists (remove it first)")
            conn.execute("UPDATE saved_searches SET query = ? WHERE name = ?", (query, name))
            return SavedSearch(name, query, row[0])
        position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM saved_searches").fetchone()[0]
        conn.execute("INSERT INTO saved_searches (name, query, position) VALUES (?, ?, ?)",
                     (name, query, position))
    return SavedSearch(name, query, position)


def _get(db: Database, name: str) -> tuple[str, str, int]:
    row = db.conn.execute("SELECT name, query, position FROM saved_searches WHERE name = ?",
                          (name,)).fetchone()
    if row is None:
        raise NotFound(f"no saved search named '{name}'")
    return row


def remove(db: Database, name: str) -> None:
    _get(db, name)
    with db.conn:
        db.conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))


def rename(db: Database, old: str, new: str) -> None:
    _get(db, old)
    new = _check_name(new)
    if new == old:
        return
    if db.conn.execute("SELECT 1 FROM saved_searches WHERE name = ?", (new,)).fetchone():
        raise MarginError(f"a saved search named '{new}' exists")
    with db.conn:
        db.conn.execute("UPDATE saved_searches SET name = ? WHERE name = ?", (new, old))


def edit(db: Database, name: str, query: str) -> None:
    """Change a saved search's query (it must parse): how a broken one is mended."""
    from store.search.engine import prepare

    _get(db, name)
    prepare(db.conn, query.strip())
    with db.conn:
        db.conn.execute("UPDATE saved_searches SET query = ? WHERE name = ?", (query.strip(), name))


def move(db: Database, name: str, delta: int) -> int:
    """Move a saved search `delta` places (negative: up); returns its new index."""
    names = [n for (n,) in db.conn.execute("SELECT name FROM saved_searches ORDER BY position, name")]
    if name not in names:
        raise NotFound(f"no saved search named '{name}'")
    i = names.index(name)
    j = max(0, min(len(names) - 1, i + delta))
    names.insert(j, names.pop(i))
    with db.conn:
        db.conn.executemany("UPDATE saved_searches SET position = ? WHERE name = ?",
                            [(k, n) for k, n in enumerate(names)])
    return j


def store_raw(db: Database, name: str, query: str) -> str:
    """Keep a query as given, even one that does not parse (an import keeps what it can
    and lets the user mend the rest); a name in use gets a number. Returns the name used."""
    name = _check_name(name)
    taken = {n for (n,) in db.conn.execute("SELECT name FROM saved_searches")}
    base, k = name, 2
    while name in taken:
        name, k = f"{base} ({k})", k + 1
    position = db.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM saved_searches").fetchone()[0]
    db.conn.execute("INSERT INTO saved_searches (name, query, position) VALUES (?, ?, ?)",
                    (name, query, position))
    return name

"""A small real library for the search tests: articles stored through `lib.store_document`,
entities, aliases, mentions, notes and a feed inserted the way their owners store them."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from store.document import Document
from store.names import name_key


def add(lib, key, title, *paras, source=None, author=None, published=None, tags=()) -> int:
    when = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    doc = Document.from_parts(title, [("paragraph", p) for p in paras], source=source,
                              author=author, published_at=when)
    with lib.db.conn:
        art = lib.store_document(key, doc, origin="text")
        if tags:
            lib.db.conn.execute("UPDATE articles SET tags=? WHERE id=?", (json.dumps(list(tags)), art.id))
    return art.id


def entity(conn, name: str, kind: str, *aliases: str) -> int:
    cur = conn.execute("INSERT INTO entities (name, kind, key) VALUES (?, ?, ?)", (name, kind, name_key(name)))
    for alias in aliases:
        conn.execute("INSERT INTO aliases VALUES (?, ?, ?)", (name_key(alias), alias, cur.lastrowid))
    return cur.lastrowid


def mention(conn, article_id: int, entity_id: int, text: str) -> None:
    conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?, ?, 0, ?, ?)',
                 (article_id, entity_id, len(text), text))


def build(lib) -> dict[str, int]:
    ids = {
        "putin": add(lib, "a", "Putin meets Hollande in Moscow", "Talks on Syria and the airspace.",
                     source="Wire One", author="Anna Smirnova", published="2015-11-27"),
        "syria": add(lib, "b", "Aleppo under siege", "Fighting near Aleppo; Syria talks stall.",
                     "Putin is not mentioned by name here? He is.", source="Daily Two", published="2015-11-20"),
        "rail": add(lib, "c", "Rail strike halts trains", "Unions walk out across the network.",
                    source="Wire One", published="2015-12-05", tags=["transport"]),
    }
    conn = lib.db.conn
    with conn:
        putin = entity(conn, "Vladimir Putin", "person", "Putin")
        moscow = entity(conn, "Moscow", "place")
        entity(conn, "François Hollande", "person")
        mention(conn, ids["putin"], putin, "Putin")
        mention(conn, ids["putin"], moscow, "Moscow")
        conn.execute(
            "INSERT INTO notes (article_id, exact, body, tags, state, created_at, updated_at)"
            " VALUES (?, 'Unions', 'who called the walkout?', '[\"labour\"]', 'orphaned', 'x', 'x')",
            (ids["rail"],))
    return ids

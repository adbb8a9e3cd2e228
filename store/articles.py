"""Store Documents as articles: insert, detect unchanged, update with a kept version."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from store.db import Database, now_iso
from store.document import Block, Document, links_json

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0).isoformat()


def blocks_json(blocks: list[Block]) -> str:
    return json.dumps([b.to_json() for b in blocks], separators=(",", ":"))


@dataclass
class StoredArticle:
    """What an upsert did: the article id, whether it was new/updated/unchanged, and the
    body it replaced (for re-anchoring notes), if the body changed."""

    id: int
    status: str
    old_body: str | None = None
    old_hash: str | None = None


_INSERT_COLUMNS = ("key", "feed_id", "origin", "guid", "url", "path", "title", "author", "source", "aggregator",
                   "published_at", "body", "blocks", "body_hash", "trailer", "links")  # and imported_at, set at insert


def article_row(key: str, doc: Document, meta: dict) -> tuple:
    """A new article's values for `_INSERT_COLUMNS`. The importer builds them in its parse
    workers, so the writer, which every batch waits for, only writes."""
    return (key, meta.get("feed_id"), meta["origin"], meta.get("guid"), doc.url, meta.get("path"), doc.title,
            doc.author, doc.source, doc.aggregator, iso(doc.published_at) or iso(meta.get("published_fallback")),
            doc.body, blocks_json(doc.blocks), doc.body_hash, doc.trailer, links_json(doc))


def insert_new(db: Database, items: list[tuple[str, Document, dict]]) -> dict[str, int]:
    """Insert many new articles with ONE statement; returns {key: id}. Caller owns the transaction."""
    return insert_rows(db, [article_row(key, doc, meta) for key, doc, meta in items])


def insert_rows(db: Database, rows: list[tuple]) -> dict[str, int]:
    """Insert new articles given as `article_row` tuples, with ONE statement; returns {key: id}.

    Each INSERT that fires the FTS trigger opens a statement savepoint, and FTS5 flushes its
    pending terms at every savepoint: row-by-row inserts write one tiny index segment per
    article. The rows are staged in a temp table and inserted with one INSERT ... SELECT, so
    a batch writes one segment. sqlite-utils' insert_all is not used here: it keeps each
    statement under 999 variables, 58 articles of 17 columns, and so writes a segment per 58
    (slower imports: tests/bench/README.md, "Importing: staged insert or insert_all")."""
    if not rows:
        return {}
    conn = db.conn
    cols = ", ".join(_INSERT_COLUMNS)
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS staged_articles ({cols})")
    conn.executemany(f"INSERT INTO temp.staged_articles VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})", rows)
    conn.execute(f"INSERT INTO articles ({cols}, imported_at) SELECT {cols}, ? FROM temp.staged_articles",
                 (now_iso(),))
    conn.execute("DELETE FROM temp.staged_articles")
    keys = [row[0] for row in rows]
    ids: dict[str, int] = {}
    for lo in range(0, len(keys), 500):
        chunk = keys[lo:lo + 500]
        ids.update(conn.execute(
            f"SELECT key, id FROM articles WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return ids


# Called inside the upsert's transaction when a body changed: (db, article_id, old_body, new_body)
BodyChangedHook = Callable[[Database, int, str, str], None]


def upsert_document(
    db: Database,
    key: str,
    doc: Document,
    *,
    origin: str,
    feed_id: int | None = None,
    guid: str | None = None,
    path: str | None = None,
    published_fallback: datetime | None = None,
    on_body_changed: BodyChangedHook | None = None,
) -> StoredArticle:
    """Insert or update one article by its identity `key`. Caller owns the transaction."""
    conn = db.conn
    row = conn.execute(
        "SELECT id, body_hash, body, blocks, title, source, author, url, aggregator, trailer,"
        " published_at FROM articles WHERE key = ?",
        (key,),
    ).fetchone()
    body_hash = doc.body_hash
    published = iso(doc.published_at) or (iso(published_fallback) if published_fallback else None)
    fields = {
        "title": doc.title,
        "source": doc.source,
        "author": doc.author,
        "url": doc.url,
        "aggregator": doc.aggregator,
        "trailer": doc.trailer,
        "published_at": published,
    }
    if row is None:
        cur = conn.execute(
            "INSERT INTO articles (key, feed_id, origin, guid, url, path, title, author, source,"
            " aggregator, published_at, imported_at, body, blocks, body_hash, trailer, links)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                key, feed_id, origin, guid, doc.url, path, doc.title, doc.author, doc.source,
                doc.aggregator, published, now_iso(), doc.body, blocks_json(doc.blocks),
                body_hash, doc.trailer, links_json(doc),
            ),
        )
        return StoredArticle(cur.lastrowid, NEW)
    (art_id, old_hash, old_body, old_blocks, old_title, *rest) = row
    old_fields = dict(zip(("source", "author", "url", "aggregator", "trailer", "published_at"), rest, strict=False))
    old_fields["title"] = old_title
    if doc.published_at is None and published_fallback is not None:
        # an undated entry keeps the date it was first seen, or it would "change" on every fetch
        published = fields["published_at"] = old_fields["published_at"]
    if old_hash == body_hash and old_fields == fields:
        return StoredArticle(art_id, UNCHANGED)
    if old_hash != body_hash:
        conn.execute(
            "INSERT INTO article_versions (article_id, body_hash, title, body, blocks, seen_at)"
            " VALUES (?,?,?,?,?,?)",
            (art_id, old_hash, old_title, old_body, old_blocks, now_iso()),
        )
    conn.execute(
        "UPDATE articles SET title=?, source=?, author=?, url=?, aggregator=?, trailer=?,"
        " published_at=?, body=?, blocks=?, body_hash=?, links=?, updated_at=? WHERE id=?",
        (
            doc.title, doc.source, doc.author, doc.url, doc.aggregator, doc.trailer, published,
            doc.body, blocks_json(doc.blocks), body_hash, links_json(doc), now_iso(), art_id,
        ),
    )
    if old_hash != body_hash:
        if on_body_changed is not None:
            on_body_changed(db, art_id, old_body, doc.body)
        return StoredArticle(art_id, UPDATED, old_body=old_body, old_hash=old_hash)
    return StoredArticle(art_id, UPDATED)

"""The façade: the one object the CLI and the TUI call. Neither writes SQL of its own.

Feature areas hang off it as sub-stores (`lib.feeds`, `lib.entities`, `lib.notes`,
`lib.related`), each in its own module; each contributes to `record()` (the
`margin show --json` contract) and `stats()` through `record_part` / `stats_part`.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

from store.articles import StoredArticle, upsert_document
from store.db import open_db
from store.document import Block, Document, links_from_json
from store.errors import NotFound


class Library:
    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self.db = open_db(self.path)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feature areas -------------------------------------------------------------
    @cached_property
    def feeds(self):
        from store.feed_store import FeedStore

        return FeedStore(self)

    @cached_property
    def entities(self):
        from store.entity_store import EntityStore

        return EntityStore(self)

    @cached_property
    def notes(self):
        from store.note_store import NoteStore

        return NoteStore(self)

    @cached_property
    def related(self):
        from store.link_store import LinkStore

        return LinkStore(self)

    # -- articles ------------------------------------------------------------------
    def store_document(
        self, key: str, doc: Document, *, origin: str, **kwargs: Any
    ) -> StoredArticle:
        """Insert or update one article; the caller wraps batches in `with lib.db.conn:`.

        When the body changed, the notes on the article are re-anchored inside the
        same transaction."""
        return upsert_document(
            self.db, key, doc, origin=origin, on_body_changed=self._body_changed, **kwargs
        )

    def import_paths(
        self, paths: list[str], *, glob: str = "*.txt", max_bytes: int | None = None,
        progress=None,
    ):
        """Import plain-text files, directories (recursive, `glob`) and `-` for stdin."""
        from store.importing import DEFAULT_MAX_BYTES, expand, import_sources

        return import_sources(
            self, list(expand(paths, glob)), max_bytes=max_bytes or DEFAULT_MAX_BYTES,
            progress=progress,
        )

    def import_text(self, text: str, name: str = "-"):
        """Import one article given as text (identity: its content hash)."""
        from store.importing import import_text

        return import_text(self, text, name)

    def _body_changed(self, db, article_id: int, old_body: str, new_body: str) -> None:
        self.notes.reanchor(article_id, old_body, new_body)

    def article(self, article_id: int) -> dict:
        row = self.db.conn.execute(
            "SELECT a.*, f.title AS feed_title FROM articles a"
            " LEFT JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        cols = [d[0] for d in self.db.conn.execute(
            "SELECT a.*, f.title AS feed_title FROM articles a LEFT JOIN feeds f ON 0 LIMIT 0"
        ).description]
        data = dict(zip(cols, row))
        data["blocks"] = json.loads(data["blocks"])
        data["links"], data["link_texts"] = links_from_json(data["links"])
        data["tags"] = json.loads(data["tags"] or "[]")
        return data

    def document(self, article_id: int) -> Document:
        a = self.article(article_id)
        return Document(
            title=a["title"], body=a["body"], blocks=[Block.from_json(b) for b in a["blocks"]],
            source=a["source"], aggregator=a["aggregator"], author=a["author"],
            trailer=a["trailer"], url=a["url"], links=a["links"], link_texts=a["link_texts"],
        )

    def record(self, article_id: int) -> dict:
        """The full record `margin show --json` prints; later features add keys."""
        a = self.article(article_id)
        rec = {
            "id": a["id"],
            "title": a["title"],
            "source": a["source"],
            "aggregator": a["aggregator"],
            "author": a["author"],
            "url": a["url"],
            "path": a["path"],
            "published_at": a["published_at"],
            "imported_at": a["imported_at"],
            "updated_at": a["updated_at"],
            "origin": a["origin"],
            "feed": a["feed_title"],
            "feed_id": a["feed_id"],
            "read": bool(a["read"]),
            "starred": bool(a["starred"]),
            "body": a["body"],
            "blocks": a["blocks"],
            "trailer": a["trailer"],
        }
        for part in (self.entities, self.notes, self.related):
            rec.update(part.record_part(article_id))
        return rec

    def article_with_url(self, url: str) -> int | None:
        """The article stored from this URL, if any: a link inside the library opens in the reader."""
        row = self.db.conn.execute("SELECT id FROM articles WHERE url = ? ORDER BY id LIMIT 1", (url,)).fetchone()
        return row[0] if row else None

    def copies(self, article_id: int) -> list[dict]:
        """The same story stored elsewhere (its duplicates), oldest first: [{"id", "source"}]."""
        from store.search.fold import also_in

        return also_in(self.db.conn, [article_id]).get(article_id, [])

    def set_read(self, article_id: int, read: bool = True) -> None:
        with self.db.conn:
            self.db.conn.execute("UPDATE articles SET read=? WHERE id=?", (int(read), article_id))

    def set_starred(self, article_id: int, starred: bool = True) -> None:
        with self.db.conn:
            self.db.conn.execute(
                "UPDATE articles SET starred=? WHERE id=?", (int(starred), article_id)
            )

    def enrich(self, *, progress=None, limit: int | None = None, **options: Any):
        """Run the enrichment queue (entities, then related links); see store/enrich.py."""
        from store.enrich import run

        return run(self, progress=progress, limit=limit, **options)

    # -- search & stats --------------------------------------------------------------
    def search(self, query: str, *, limit: int = 20, offset: int = 0):
        from store.search import search

        return search(self.db, query, limit=limit, offset=offset)

    def count(self, query: str = "") -> int:
        from store.search import count

        return count(self.db, query)

    def sidebar(self):
        """Smart views, feeds, sources and tags with counts, for the reader's sidebar."""
        from store.search.engine import count
        from store.sidebar import VIEW_QUERIES, sidebar

        return sidebar(self.db.conn, {q: count(self.db, q) for q in VIEW_QUERIES})

    def stats(self) -> dict:
        conn = self.db.conn
        articles, unread, starred = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE read = 0),"
            " (SELECT count(*) FROM articles WHERE starred = 1)"
        ).fetchone()
        data = {
            "articles": articles,
            "unread": unread,
            "starred": starred,
            "versions": conn.execute("SELECT count(*) FROM article_versions").fetchone()[0],
            "feeds": conn.execute("SELECT count(*) FROM feeds").fetchone()[0],
            "library": str(self.path) if self.path else ":memory:",
        }
        if self.path and self.path.exists():
            data["size_bytes"] = self.path.stat().st_size
        for part in (self.entities, self.notes, self.related):
            data.update(part.stats_part())
        return data

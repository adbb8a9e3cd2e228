"""The façade: the one object the CLI and the TUI call. Neither writes SQL of its own.

Feature areas hang off it as sub-stores (`lib.feeds`, `lib.entities`, `lib.notes`,
`lib.related`, `lib.fulltext`), each in its own module; each contributes to `record()` (the
`margin show --json` contract) and `stats()` through `record_part` / `stats_part`.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.articles import StoredArticle, upsert_document
from store.db import close_db, open_db
from store.document import Block, Document, links_from_json
from store.errors import NotFound

if TYPE_CHECKING:
    from store.entities.store import EntityStore
    from store.feeds.store import FeedStore
    from store.fulltext.store import FulltextStore
    from store.notes.drafts import Drafts
    from store.notes.store import NoteStore
    from store.related.store import RelatedStore


class Library:
    def __init__(self, path: str | Path | None, *, init: bool = False, salvage: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.db = open_db(self.path, init=init, salvage=salvage)

    def close(self) -> None:
        close_db(self.db, self.path)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feature areas -------------------------------------------------------------
    # Each is built at first use: `margin fetch` never loads the note or entity code.
    @cached_property
    def feeds(self) -> FeedStore:
        from store.feeds.store import FeedStore

        # an article that got its full text keeps it when its feed is fetched again
        return FeedStore(self.db, self.path, self.store_document,
                         keep_stored=lambda feed_id, known: self.fulltext.keep_full_texts(feed_id, known))

    @cached_property
    def entities(self) -> EntityStore:
        from store.entities.store import EntityStore

        return EntityStore(self.db)

    @cached_property
    def notes(self) -> NoteStore:
        from store.notes.store import NoteStore

        return NoteStore(self.db)

    @cached_property
    def related(self) -> RelatedStore:
        from store.related.store import RelatedStore

        return RelatedStore(self.db)

    @cached_property
    def fulltext(self) -> FulltextStore:
        from store.fulltext.store import FulltextStore

        return FulltextStore(self.db, self.store_document, find_feed=lambda ref: self.feeds.get(ref))

    @cached_property
    def drafts(self) -> Drafts | None:
        """Unsaved note drafts of this library (none for a library in memory)."""
        if self.path is None:
            return None
        from store.locations import drafts_path
        from store.notes.drafts import Drafts

        return Drafts(drafts_path(), str(self.path.resolve()))

    @property
    def note_colours(self) -> tuple[str, ...]:
        """The palette a note's colour is chosen from."""
        from store.notes.store import NOTE_COLOURS

        return NOTE_COLOURS

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
        from store.wal_checkpointer import WalCheckpointer

        # checkpoints on their own thread: the fsyncs overlap the next batch's indexing
        checkpointer = WalCheckpointer(self.path) if self.path is not None else None
        try:
            return import_sources(
                self.db, self.store_document, list(expand(paths, glob)), max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                progress=progress, on_stored=checkpointer.wrote if checkpointer is not None else None,
            )
        finally:
            if checkpointer is not None:
                checkpointer.close()

    def import_text(self, text: str, name: str = "-"):
        """Import one article given as text (identity: its content hash)."""
        from store.importing import import_text

        return import_text(self.db, self.store_document, text, name)

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
        data = dict(zip(cols, row, strict=False))
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
        for part in (self.feeds, self.entities, self.notes, self.related, self.fulltext):
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

    def duplicate_group(self, article_id: int) -> list[int]:
        """The article and every copy of it reachable through duplicate links, sorted.

        The list shows such a group as one row, so reading or starring the row must reach
        every copy: an unread copy would otherwise keep the story under `is:unread`."""
        seen = {article_id}
        frontier = [article_id]
        while frontier:
            marks = ",".join("?" * len(frontier))
            rows = self.db.conn.execute(
                f"SELECT src, dst FROM links WHERE kind = 'duplicate' AND (src IN ({marks}) OR dst IN ({marks}))",
                frontier + frontier).fetchall()
            frontier = [x for pair in rows for x in pair if x not in seen]
            seen.update(frontier)
        return sorted(seen)

    def set_read(self, article_id: int, read: bool = True, *, group: bool = False) -> int:
        """Mark one article read (or unread); with `group`, its duplicates too. Returns how
        many articles changed."""
        return self._set_flag("read", article_id, read, group)

    def set_starred(self, article_id: int, starred: bool = True, *, group: bool = False) -> int:
        return self._set_flag("starred", article_id, starred, group)

    def _set_flag(self, column: str, article_id: int, value: bool, group: bool) -> int:
        ids = self.duplicate_group(article_id) if group else [article_id]
        with self.db.conn:
            return self.db.conn.execute(
                f"UPDATE articles SET {column} = ? WHERE id IN (SELECT value FROM json_each(?)) AND {column} != ?",
                (int(value), json.dumps(ids), int(value))).rowcount

    def enrich(self, *, progress=None, limit: int | None = None, **options: Any):
        """Run the enrichment queue (entities, then related links); see store/enrich.py."""
        from store.enrich import run

        return run(self.db, on_stored=self.related.refresh, on_grown=self.related.refresh_grown,
                   progress=progress, limit=limit, **options)

    # -- search & stats --------------------------------------------------------------
    def search(self, query: str, *, limit: int = 20, offset: int = 0):
        from store.search import search

        return search(self.db, query, limit=limit, offset=offset)

    def search_and_count(self, query: str, *, limit: int = 20):
        """(first page of SearchHits, number of matches), the query prepared once for both."""
        from store.search.engine import search_and_count

        return search_and_count(self.db, query, limit=limit)

    def first_page_while_typing(self, query: str, *, limit: int, offset: int = 0, window: int | None = None):
        """FirstPage(hits, total, whole) for live search: the exact count, and the page ranked
        from the newest matches only when there are many (`whole` False; `search` ranks all)."""
        from store.search.first_page import first_page

        return first_page(self.db, query, limit=limit, offset=offset, window=window)

    def count(self, query: str = "") -> int:
        from store.search import count

        return count(self.db, query)

    def sidebar(self):
        """Smart views, saved searches, feeds, sources and tags with counts, for the reader's sidebar."""
        from store.search.engine import count
        from store.sidebar import VIEW_QUERIES, SidebarEntry, sidebar

        entries = sidebar(self.db.conn, {q: count(self.db, q) for q in VIEW_QUERIES})
        views = sum(1 for e in entries if e.section == "views")
        saved = [SidebarEntry("searches", s.name, s.query, s.total or 0, s.unread or 0, s.error)
                 for s in self.saved_searches()]
        return entries[:views] + saved + entries[views:]

    # -- search history, saved searches, completion, highlighting (store/search/) -------
    def remember_search(self, query: str) -> None:
        from store.search.history import remember

        remember(self.db.conn, query)

    def search_history(self, containing: str = "") -> list[str]:
        """Earlier queries, newest first, each once."""
        from store.search.history import recent

        return recent(self.db.conn, containing)

    def saved_searches(self, *, counts: bool = True):
        """[SavedSearch] in the user's order, with total and unread counts (or the error
        of a query that no longer parses)."""
        from store.search.saved import listing

        return listing(self.db, counts=counts)

    def save_search(self, name: str, query: str, *, replace: bool = False):
        from store.search.saved import add

        return add(self.db, name, query, replace=replace)

    def remove_saved_search(self, name: str) -> None:
        from store.search.saved import remove

        remove(self.db, name)

    def rename_saved_search(self, old: str, new: str) -> None:
        from store.search.saved import rename

        rename(self.db, old, new)

    def edit_saved_search(self, name: str, query: str) -> None:
        from store.search.saved import edit

        edit(self.db, name, query)

    def move_saved_search(self, name: str, delta: int) -> int:
        from store.search.saved import move

        return move(self.db, name, delta)

    def completions(self, query: str, cursor: int | None = None):
        """[Candidate] for the word at `cursor`: entities, fields, feeds, tags, saved searches."""
        from store.search.complete import candidates

        return candidates(self.db.conn, query, cursor)

    def search_matches(self, article_id: int, query: str) -> list[tuple[int, int]]:
        """(start, end) body offsets of every match of `query` in the article, in order."""
        from store.search.matches import article_matches

        body = self.db.conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_matches(self.db.conn, article_id, body[0] if body else "", query)

    @staticmethod
    def query_tokens(query: str) -> list[tuple[int, int, str]]:
        """(start, end, Pygments token type name) for every piece of a query, for colouring."""
        from store.search.pygments_lexer import spans

        return [(a, b, str(t)) for a, b, t in spans(query)]

    @staticmethod
    def query_error_span(query: str, column: int) -> tuple[int, int]:
        """The stretch of `query` a QueryError at `column` is about."""
        from store.search.pygments_lexer import error_span

        return error_span(query, column)

    @staticmethod
    def note_link_names(body: str) -> list[str]:
        """The [[names]] a note's Markdown links to, in order."""
        from store.notes.links import link_names

        return link_names(body)

    def schema(self) -> tuple[list, list[str]]:
        """The library's tables, their live columns and what each holds; and its SQL views."""
        from store.schema_docs import describe, views

        return describe(self.db.conn), views(self.db.conn)

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
        for part in (self.feeds, self.entities, self.notes, self.related, self.fulltext):
            data.update(part.stats_part())
        return data

"""What each table and column of a library holds, for `margin schema` and the README.

The live schema is read from the file itself (`PRAGMA table_xinfo`); this module only adds
the words. tests/foundation/test_schema_docs.py fails when a migration adds a table or
column that is not described here."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

# Tables margin keeps only to be fast (caches, indexes of its own); described in one line,
# their columns are internals.
INTERNAL = {
    "_migrations": "applied schema migrations, by name",
    "settings": "margin's own key/value settings",
    "related_state": "per-article state of the related-links scorer (terms, MinHash, when linked)",
    "related_terms": "distinctive terms per article, for related-link candidates",
    "term_df": "document frequency of each term, for related-link scoring",
    "minhash_bands": "MinHash band hashes, for near-duplicate candidates",
    "entity_df": "number of articles mentioning each entity",
    "related_count": "number of linked articles (one row)",
    "link_blocks": "pairs the user unlinked: never linked again automatically",
}

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "feeds": ("subscribed feeds", {
        "id": "feed id (`margin feeds`)", "url": "feed URL", "title": "feed title",
        "site_url": "the site the feed belongs to", "tags": "JSON list of tags",
        "hidden": "1: hidden from the sidebar", "disabled": "1: not fetched",
        "etag": "HTTP ETag of the last fetch", "last_modified": "HTTP Last-Modified of the last fetch",
        "last_fetched_at": "when last fetched (ISO 8601, UTC)", "last_status": "HTTP status of the last fetch",
        "last_error": "the last fetch's error, if any", "failures": "fetch failures in a row",
        "next_fetch_after": "back-off: not fetched before this time", "added_at": "when subscribed",
        "fulltext": "off, on or auto: fetch each new entry's web page for the whole article",
        "fulltext_threshold": "auto: entries shorter than this many characters (NULL: 500)",
        "fulltext_from": "the first article id the full-text setting applies to",
    }),
    "articles": ("every article, from a feed or a text file", {
        "id": "article id (`margin show ID`)", "key": "stable identity (feed + guid, or file content)",
        "feed_id": "the feed it came from (NULL for text files)", "origin": "'feed' or 'text'",
        "guid": "the feed entry's id", "url": "link to the original", "path": "the text file it came from",
        "title": "title", "author": "author", "source": "publisher or source name",
        "aggregator": "the aggregator it came through, if any", "published_at": "publication date (ISO 8601)",
        "imported_at": "when margin stored it", "updated_at": "when its text last changed",
        "sort_at": "published_at, else imported_at (generated)", "body": "normalised plain text",
        "blocks": "JSON list of [kind, start, end] blocks (paragraph, heading, quote, code, list_item)",
        "body_hash": "hash of body", "trailer": "boilerplate cut from the end of the text",
        "links": "JSON list of the body's links", "tags": "JSON list of tags",
        "read": "1: read", "starred": "1: starred", "enrich_version": "version of the entity pipeline that ran",
        "enriched_hash": "body_hash the entities were found on", "extractor": "the entity extractor used",
        "enrich_error": "why entity extraction failed, if it did",
        "date_estimated": "1: published_at was guessed from the text",
    }),
    "article_versions": ("earlier texts of an article, kept so notes can be re-anchored", {
        "id": "version id", "article_id": "the article", "body_hash": "hash of that text",
        "title": "title then", "body": "the text then", "blocks": "its blocks", "seen_at": "when it was seen",
    }),
    "entities": ("people, places, organisations and other names", {
        "id": "entity id", "name": "canonical name", "kind": "person, place, org or other",
        "key": "folded name used for matching", "hidden": "1: hidden by the user",
    }),
    "aliases": ("other names of an entity", {
        "alias_key": "folded alias", "alias": "the alias as written", "entity_id": "the entity",
    }),
    "mentions": ("where each entity is mentioned", {
        "id": "mention id", "article_id": "the article", "entity_id": "the entity",
        "start": "offset in body (code points)", "end": "end offset (exclusive)",
        "text": "the mention as written", "in_title": "1: in the title, offsets into the title",
    }),
    "entity_rules": ("the user's corrections, re-applied after every extraction", {
        "id": "rule id", "action": "merge, rename, kind or hide", "subject": "the entity it applies to",
        "value": "the new name, kind or merge target", "created_at": "when made",
    }),
    "notes": ("margin notes, anchored to a passage (Web Annotation style)", {
        "id": "note id", "article_id": "the article", "start": "passage start (code points; NULL: whole article)",
        "end": "passage end", "exact": "the quote when the note was made", "prefix": "text just before it",
        "suffix": "text just after it", "current_exact": "the passage now, when it changed",
        "body": "the note (Markdown)", "tags": "JSON list of tags", "color": "highlight colour",
        "state": "anchored, relocated, changed or orphaned", "made_on_hash": "body_hash the offsets refer to",
        "created_at": "when written", "updated_at": "when last edited or moved",
    }),
    "note_events": ("what happened to each note's anchor as the text changed", {
        "id": "event id", "note_id": "the note", "at": "when", "old_state": "state before",
        "new_state": "state after", "old_start": "start before", "old_end": "end before",
        "new_start": "start after", "new_end": "end after", "old_text": "passage before",
        "new_text": "passage after", "reason": "why it moved",
    }),
    "note_links": ("[[wiki links]] written in notes", {
        "note_id": "the note", "name": "the linked name as written", "name_key": "folded name",
    }),
    "links": ("links between articles: automatic (related, same-story, duplicate) or the user's", {
        "src": "one article", "dst": "the other", "kind": "related, same-story, duplicate or user",
        "score": "similarity", "reason": "JSON: shared entities and distinctive words",
        "note": "the user's note on a user link", "created_at": "when made",
    }),
    "saved_searches": ("named queries", {"name": "its name", "query": "the query (margin's query language)",
                                         "position": "its place in the sidebar (0 first)"}),
    "search_history": ("queries run in the reader, newest first, each once (the last 300)", {
        "id": "order of use (higher is newer)", "query": "the query as typed", "used_at": "when last run",
    }),
    "fulltext_pages": ("what fetching each article's web page gave (full text)", {
        "article_id": "the article", "url": "the page fetched", "state": "pending, done or failed",
        "reason": "why it failed, as shown on the article", "http_status": "HTTP status of the last fetch",
        "etag": "HTTP ETag of the page", "last_modified": "HTTP Last-Modified of the page",
        "summary_hash": "body_hash of the feed's own text, once the full text replaced it",
        "failures": "failed fetches in a row", "retry_after": "back-off: not retried before this time (NULL: never)",
        "fetched_at": "when last fetched",
    }),
    "pending_links": ("the user's links and unlinks restored from a backup before their articles arrived;"
                      " applied (and removed) when both articles are in the library", {
        "src_key": "one article's stable key", "dst_key": "the other's", "kind": "'link' or 'unlink'",
        "note": "the user's note on the link", "created_at": "when the user made it",
    }),
}


@dataclass
class TableDoc:
    name: str
    description: str
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, description
    internal: bool = False


def describe(conn: sqlite3.Connection) -> list[TableDoc]:
    """Every table of the open library with its live columns and what they hold."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%' ORDER BY rowid")]
    docs = []
    for name in names:
        columns = [(r[1], r[2], "") for r in conn.execute(f"PRAGMA table_xinfo({name!r})")]
        if name in INTERNAL:
            docs.append(TableDoc(name, INTERNAL[name], columns, internal=True))
            continue
        description, words = TABLES.get(name, ("(not described)", {}))
        docs.append(TableDoc(name, description,
                             [(c, t, words.get(c, "(not described)")) for c, t, _ in columns]))
    return docs


def views(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")]

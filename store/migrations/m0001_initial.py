"""The initial schema: feeds, articles (+FTS5), versions, entities, notes (+FTS5), links."""
from store.db import Database, run_script

SCHEMA = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    site_url TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    hidden INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    last_fetched_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_fetch_after TEXT,
    added_at TEXT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    origin TEXT NOT NULL CHECK (origin IN ('feed', 'text')),
    guid TEXT,
    url TEXT,
    path TEXT,
    title TEXT NOT NULL DEFAULT '',
    author TEXT,
    source TEXT,
    aggregator TEXT,
    published_at TEXT,
    imported_at TEXT NOT NULL,
    updated_at TEXT,
    sort_at TEXT GENERATED ALWAYS AS (coalesce(published_at, imported_at)) STORED,
    body TEXT NOT NULL,
    blocks TEXT NOT NULL DEFAULT '[]',
    body_hash TEXT NOT NULL,
    trailer TEXT,
    links TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    enrich_version INTEGER NOT NULL DEFAULT 0,
    enriched_hash TEXT,
    extractor TEXT,
    enrich_error TEXT
);
CREATE INDEX articles_sort ON articles(sort_at DESC, id DESC);
CREATE INDEX articles_feed ON articles(feed_id, sort_at DESC);
CREATE INDEX articles_unread ON articles(read) WHERE read = 0;
CREATE INDEX articles_source ON articles(source);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, source, author,
    content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2',
    prefix='2 3 4'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body, source, author)
    VALUES (new.id, new.title, new.body, new.source, new.author);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body, source, author)
    VALUES ('delete', old.id, old.title, old.body, old.source, old.author);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, body, source, author ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body, source, author)
    VALUES ('delete', old.id, old.title, old.body, old.source, old.author);
    INSERT INTO articles_fts(rowid, title, body, source, author)
    VALUES (new.id, new.title, new.body, new.source, new.author);
END;

CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    body_hash TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    blocks TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE INDEX article_versions_article ON article_versions(article_id, id);

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'place', 'org', 'other')),
    key TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    UNIQUE (key, kind)
);
CREATE TABLE aliases (
    alias_key TEXT NOT NULL,
    alias TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (alias_key, entity_id)
);
CREATE INDEX aliases_entity ON aliases(entity_id);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    in_title INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mentions_article ON mentions(article_id, in_title, start);
CREATE INDEX mentions_entity ON mentions(entity_id, article_id);
CREATE TABLE entity_rules (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('merge', 'rename', 'kind', 'hide')),
    subject TEXT NOT NULL,
    value TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE RESTRICT,
    start INTEGER,
    "end" INTEGER,
    exact TEXT,
    prefix TEXT,
    suffix TEXT,
    current_exact TEXT,
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    color TEXT,
    state TEXT NOT NULL DEFAULT 'anchored'
        CHECK (state IN ('anchored', 'relocated', 'changed', 'orphaned')),
    made_on_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notes_article ON notes(article_id, start);
CREATE VIRTUAL TABLE notes_fts USING fts5(
    body, exact, tags,
    content='notes', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, body, exact, tags) VALUES (new.id, new.body, new.exact, new.tags);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body, exact, tags)
    VALUES ('delete', old.id, old.body, old.exact, old.tags);
END;
CREATE TRIGGER notes_au AFTER UPDATE OF body, exact, tags ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body, exact, tags)
    VALUES ('delete', old.id, old.body, old.exact, old.tags);
    INSERT INTO notes_fts(rowid, body, exact, tags) VALUES (new.id, new.body, new.exact, new.tags);
END;
CREATE TABLE note_events (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    old_state TEXT,
    new_state TEXT NOT NULL,
    old_start INTEGER,
    old_end INTEGER,
    new_start INTEGER,
    new_end INTEGER,
    old_text TEXT,
    new_text TEXT,
    reason TEXT
);
CREATE INDEX note_events_note ON note_events(note_id, id);
CREATE TABLE note_links (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    PRIMARY KEY (note_id, name_key)
);
CREATE INDEX note_links_key ON note_links(name_key);

CREATE TABLE links (
    src INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    dst INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('related', 'same-story', 'duplicate', 'user')),
    score REAL NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '{}',
    note TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (src, dst)
);
CREATE INDEX links_dst ON links(dst);
CREATE TABLE link_blocks (
    src INTEGER NOT NULL,
    dst INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (src, dst)
);

CREATE TABLE saved_searches (name TEXT PRIMARY KEY, query TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
"""


def up(db: Database) -> None:
    # in the upgrade's transaction: executescript() would commit it and let a second process,
    # waiting for the lock, create the same tables ("table feeds already exists")
    run_script(db.conn, SCHEMA)

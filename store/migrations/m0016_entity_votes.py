"""One name, one kind across the library: each article's vote on the kind of each name it
mentions, the running tally per name, and the kind the library settled on.

`entity_rules` gains the action `split` (the user keeps one article's mentions of a name
apart as another kind); SQLite cannot change a CHECK constraint in place, so the table is
rebuilt with its rows and ids. Existing articles vote when they are next enriched
(store/enrich.py's ENRICH_VERSION was raised with this migration)."""
from store.db import Database, run_script


def up(db: Database) -> None:
    run_script(db.conn, """
CREATE TABLE entity_rules_new (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('merge', 'rename', 'kind', 'hide', 'split')),
    subject TEXT NOT NULL,
    value TEXT,
    created_at TEXT NOT NULL
);
INSERT INTO entity_rules_new (id, action, subject, value, created_at)
    SELECT id, action, subject, value, created_at FROM entity_rules;
DROP TABLE entity_rules;
ALTER TABLE entity_rules_new RENAME TO entity_rules;

CREATE TABLE entity_votes (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    weight REAL NOT NULL,
    cue TEXT,
    PRIMARY KEY (article_id, key)
);
CREATE INDEX entity_votes_key ON entity_votes(key);
CREATE TABLE entity_tally (
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (key, kind)
);
-- The tally follows the votes, also when an article (and so its votes) is deleted.
CREATE TRIGGER entity_votes_add AFTER INSERT ON entity_votes BEGIN
    INSERT INTO entity_tally (key, kind, weight) VALUES (new.key, new.kind, new.weight)
        ON CONFLICT (key, kind) DO UPDATE SET weight = weight + excluded.weight;
END;
CREATE TRIGGER entity_votes_remove AFTER DELETE ON entity_votes BEGIN
    UPDATE entity_tally SET weight = weight - old.weight WHERE key = old.key AND kind = old.kind;
    DELETE FROM entity_tally WHERE key = old.key AND kind = old.kind AND weight <= 1e-9;
END;
CREATE TABLE entity_kinds (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL
);
"""
    )

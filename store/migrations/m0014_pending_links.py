"""User links and unlinks restored before their articles exist wait here, named by stable
article keys; a trigger applies them the moment both articles are in the library (by import,
fetch or restore), so a backup restored into a fresh library loses none of them."""
from store.db import Database

SCHEMA = """
CREATE TABLE pending_links (
    src_key TEXT NOT NULL,
    dst_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('link', 'unlink')),
    note TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (src_key, dst_key, kind)
) WITHOUT ROWID;
CREATE INDEX pending_links_dst ON pending_links(dst_key);
CREATE TRIGGER pending_links_arrive AFTER INSERT ON articles
WHEN EXISTS (SELECT 1 FROM pending_links WHERE src_key = new.key OR dst_key = new.key)
BEGIN
    INSERT OR REPLACE INTO links (src, dst, kind, score, reason, note, created_at)
        SELECT s.id, d.id, 'user', 1.0, '{}', p.note, p.created_at FROM pending_links p
        JOIN articles s ON s.key = p.src_key JOIN articles d ON d.key = p.dst_key
        WHERE p.kind = 'link' AND (p.src_key = new.key OR p.dst_key = new.key);
    DELETE FROM links WHERE kind != 'user' AND (src, dst) IN (
        SELECT s.id, d.id FROM pending_links p
        JOIN articles s ON s.key IN (p.src_key, p.dst_key) JOIN articles d ON d.key IN (p.src_key, p.dst_key)
        WHERE p.kind = 'unlink' AND s.id != d.id AND (p.src_key = new.key OR p.dst_key = new.key));
    INSERT OR IGNORE INTO link_blocks (src, dst, created_at)
        SELECT min(s.id, d.id), max(s.id, d.id), p.created_at FROM pending_links p
        JOIN articles s ON s.key = p.src_key JOIN articles d ON d.key = p.dst_key
        WHERE p.kind = 'unlink' AND (p.src_key = new.key OR p.dst_key = new.key);
    DELETE FROM pending_links WHERE (src_key = new.key OR dst_key = new.key)
        AND EXISTS (SELECT 1 FROM articles WHERE key = pending_links.src_key)
        AND EXISTS (SELECT 1 FROM articles WHERE key = pending_links.dst_key);
END;
"""


def up(db: Database) -> None:
    import sqlite3

    statement = ""
    for line in SCHEMA.strip().splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):  # the trigger body holds semicolons
            db.conn.execute(statement)
            statement = ""

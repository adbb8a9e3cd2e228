"""Feeds: mark articles whose date is the fetch time because the feed gave none."""
from store.db import Database


def up(db: Database) -> None:
    db.conn.execute("ALTER TABLE articles ADD COLUMN date_estimated INTEGER NOT NULL DEFAULT 0")

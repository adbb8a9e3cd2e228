"""Feeds: mark articles whose date is the fetch time because the feed gave none."""
import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.conn.execute("ALTER TABLE articles ADD COLUMN date_estimated INTEGER NOT NULL DEFAULT 0")

"""Covering indexes for the reader's sidebar counts, so opening a 100,000-article library reads
index pages instead of every article body (figures: tests/bench/README.md)."""
from store.db import Database


def up(db: Database) -> None:
    c = db.conn
    c.execute("DROP INDEX IF EXISTS articles_unread")  # covered by articles_read_sort (m0006)
    c.execute("DROP INDEX IF EXISTS articles_source")
    # feed_id first: per-feed counts and "plain-text articles by source" both read only this index
    c.execute("CREATE INDEX articles_feed_source_read ON articles(feed_id, source, read)")
    c.execute("CREATE INDEX articles_tagged ON articles(tags) WHERE tags != '[]'")

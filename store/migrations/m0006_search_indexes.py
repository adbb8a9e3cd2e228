"""Indexes for the filter-only listings the reader pages through (newest first).

`is:unread` over 100k articles otherwise sorts every unread row per page; with the state
leading the sort key, a page at any offset is a walk along one index.

`articles_state` is a narrow copy of what filters read (state, date, feed, tags) keyed by
id: words plus filters (`talks is:unread`) check each match there instead of in the wide
article row, two to three times faster at 100k (store/search/engine.py names it)."""
from store.db import Database

SCHEMA = """
CREATE INDEX IF NOT EXISTS articles_read_sort ON articles(read, sort_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS articles_starred_sort ON articles(starred, sort_at DESC, id DESC)
    WHERE starred = 1;
CREATE INDEX IF NOT EXISTS articles_state ON articles(id, read, starred, sort_at, feed_id, tags);
"""


def up(db: Database) -> None:
    # statement by statement: executescript() would first commit the upgrade's transaction,
    # and an upgrade killed after that would be half-applied
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.conn.execute(statement)

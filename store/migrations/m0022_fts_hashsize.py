"""The articles' search index buffers 16 MB of new terms before it writes them as a segment.

FTS5's default of 1 MB cut a 500-article import batch into several small segments, and
writing and merging them cost a fifth of the insert's instructions (tests/bench/README.md,
"Importing"). What the index holds and answers is unchanged. The setting is kept in `articles_fts_config`,
where an SQLite that does not know it ignores it; one that refuses it leaves the default."""
import contextlib
import sqlite3

from store.db import Database

HASHSIZE = 16 * 1024 * 1024


def up(db: Database) -> None:
    with contextlib.suppress(sqlite3.OperationalError):
        db.conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?)", (HASHSIZE,))

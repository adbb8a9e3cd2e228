"""A small index of duplicate links, so every search can fold later copies of a syndicated
story into the first one without scanning all links."""
from store.db import Database


def up(db: Database) -> None:
    db.conn.execute("CREATE INDEX links_duplicates ON links(src, dst) WHERE kind = 'duplicate'")

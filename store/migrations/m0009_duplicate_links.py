"""A small index of duplicate links, so every search can fold later copies of a syndicated
story into the first one without scanning all links."""
import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.conn.execute("CREATE INDEX links_duplicates ON links(src, dst) WHERE kind = 'duplicate'")

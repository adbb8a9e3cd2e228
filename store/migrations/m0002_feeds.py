"""Feeds: mark articles whose date is the fetch time because the feed gave none."""
from store.db import Database


def up(db: Database) -> None:
    db.utils["articles"].add_column("date_estimated", int, not_null_default=0)

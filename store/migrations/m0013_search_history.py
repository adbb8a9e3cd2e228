"""Search history (what was typed into `/` and `margin search`), and an order for saved
searches so the reader can move them up and down. Existing saved searches keep their
alphabetical order."""
from store.db import Database


def up(db: Database) -> None:
    c = db.conn
    c.execute("CREATE TABLE search_history (id INTEGER PRIMARY KEY, query TEXT NOT NULL UNIQUE,"
              " used_at TEXT NOT NULL)")
    c.execute("ALTER TABLE saved_searches ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    c.execute("UPDATE saved_searches SET position = (SELECT count(*) FROM saved_searches s"
              " WHERE s.name < saved_searches.name)")

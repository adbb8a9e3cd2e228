"""Each article keeps its word counts (`related_state.counts`, aligned with its sorted word
list `terms`), so its vector can be computed again with the library's current document
frequencies: a list shown is ranked by scores of one moment, as a full relink ranks it.
Articles linked before keep NULL and are read from their text until they are relinked."""
from store.db import Database


def up(db: Database) -> None:
    db.conn.execute("ALTER TABLE related_state ADD COLUMN counts BLOB")

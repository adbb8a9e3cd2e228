"""Keep the number of linked articles in one row: IDF needs it for every article linked, and
count(*) over related_state read the whole table, twice a link."""
from store.db import Database


def up(db: Database) -> None:
    c = db.conn
    c.execute("CREATE TABLE related_count (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)")
    c.execute("INSERT INTO related_count VALUES (1, (SELECT count(*) FROM related_state))")
    c.execute("CREATE TRIGGER related_state_added AFTER INSERT ON related_state"
              " BEGIN UPDATE related_count SET n = n + 1; END")
    c.execute("CREATE TRIGGER related_state_removed AFTER DELETE ON related_state"
              " BEGIN UPDATE related_count SET n = n - 1; END")

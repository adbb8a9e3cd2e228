"""Related links score whole documents: each article keeps its full TF-IDF vector (BM25 term
weights, library document frequencies) in `related_state.vector`, the library size it was
linked at (`linked_n`, so the queue relinks it once the library has doubled) and its length
in words (the running total in `related_count.tokens` gives BM25 its average length).

Candidates now come from the FTS5 index, so the top-40-terms table `related_terms` goes.
Existing links stay visible; every article has `linked_n = 0` and no vector, so the
enrichment queue relinks the library in the background, oldest first."""
from store.db import Database


def up(db: Database) -> None:
    c = db.conn
    c.execute("ALTER TABLE related_state ADD COLUMN vector BLOB")
    c.execute("ALTER TABLE related_state ADD COLUMN linked_n INTEGER NOT NULL DEFAULT 0")
    c.execute("ALTER TABLE related_state ADD COLUMN length INTEGER NOT NULL DEFAULT 0")
    c.execute("CREATE INDEX related_state_linked_n ON related_state(linked_n)")
    c.execute("ALTER TABLE related_count ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0")
    c.execute("CREATE TRIGGER related_state_length_added AFTER INSERT ON related_state"
              " BEGIN UPDATE related_count SET tokens = tokens + new.length; END")
    c.execute("CREATE TRIGGER related_state_length_removed AFTER DELETE ON related_state"
              " BEGIN UPDATE related_count SET tokens = tokens - old.length; END")
    c.execute("CREATE TRIGGER related_state_length_changed AFTER UPDATE OF length ON related_state"
              " BEGIN UPDATE related_count SET tokens = tokens - old.length + new.length; END")
    # Until the queue relinks them, older articles count their distinct words x 1.5 as their
    # length (measured on Reuters: 1.44), so BM25's average length is about right at once.
    c.execute("UPDATE related_state SET length = json_array_length(terms) * 3 / 2")
    c.execute("DROP TABLE IF EXISTS related_terms")

"""Cross-link bookkeeping: per-article distinctive terms, document frequencies, MinHash bands."""
from store.db import Database

SCHEMA = """
CREATE TABLE related_state (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    body_hash TEXT NOT NULL,
    terms TEXT NOT NULL,
    minhash BLOB,
    linked_at TEXT NOT NULL
);
CREATE TABLE related_terms (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (article_id, term)
) WITHOUT ROWID;
CREATE INDEX related_terms_term ON related_terms(term, article_id);
CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE minhash_bands (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, hash, article_id)
) WITHOUT ROWID;
CREATE INDEX minhash_bands_article ON minhash_bands(article_id);
"""


def up(db: Database) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.conn.execute(statement)

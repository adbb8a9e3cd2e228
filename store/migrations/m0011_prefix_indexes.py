"""A new library's search index keeps 2- and 3-letter prefix indexes, not 2, 3 and 4.

The 4-letter index made every import slower (tests/bench/README.md) for little gain: a
4-letter stem matches few enough terms that FTS5 expands it from the term list quickly,
and the search engine reads the snippets of such prefixes in one pass.

A library that already holds articles keeps its index as it is: rebuilding it would stall
the first start after an upgrade for as long as a full reindex, and search reads which
prefixes a library has from the index's declaration (`longest_prefix_index`)."""
from store.db import Database

OLD, NEW = "prefix='2 3 4'", "prefix='2 3'"


def up(db: Database) -> None:
    c = db.conn
    if c.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
        return
    sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    if OLD not in sql:
        return
    c.execute("DROP TABLE articles_fts")  # empty; the triggers on articles name it and stay
    c.execute(sql.replace(OLD, NEW))

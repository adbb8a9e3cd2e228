"""Entity document frequencies for the linker, kept as it indexes articles (so scoring one
new article reads a few rows instead of counting every mention of a popular entity)."""
from store.db import Database


def up(db: Database) -> None:
    c = db.conn
    c.execute("CREATE TABLE entity_df (entity_id INTEGER PRIMARY KEY, df INTEGER NOT NULL)")
    db.utils["related_state"].add_column("entities", str, not_null_default="[]")
    c.execute("INSERT INTO entity_df SELECT entity_id, count(DISTINCT article_id) FROM mentions"
              " WHERE article_id IN (SELECT article_id FROM related_state) GROUP BY entity_id")
    c.execute("UPDATE related_state SET entities = coalesce((SELECT json_group_array(DISTINCT entity_id)"
              " FROM mentions m WHERE m.article_id = related_state.article_id), '[]')")

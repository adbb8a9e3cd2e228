"""Views that make the library readable in Datasette or `sqlite-utils query`: articles with
their feed, notes with their quote and article, entity mentions with names. Views hold no
data, so they cost nothing on write; the reader and the CLI never read them."""
from store.db import Database

VIEWS = {
    "articles_with_feed": """
        SELECT a.id, a.title, coalesce(f.title, a.source) AS feed, a.author, a.url, a.path,
               a.published_at, a.imported_at, a.read, a.starred, a.tags,
               length(a.body) AS characters
        FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id""",
    "notes_with_quote": """
        SELECT n.id, n.article_id, a.title AS article, n.exact AS quote, n.current_exact,
               n.body AS note, n.tags, n.color, n.state, n.created_at, n.updated_at
        FROM notes n JOIN articles a ON a.id = n.article_id""",
    "entity_mentions": """
        SELECT m.id, e.name AS entity, e.kind, m.text AS mention, m.article_id,
               a.title AS article, m.start, m."end", m.in_title
        FROM mentions m JOIN entities e ON e.id = m.entity_id
        JOIN articles a ON a.id = m.article_id""",
}


def up(db: Database) -> None:
    for name, sql in VIEWS.items():
        db.utils.create_view(name, sql.strip(), replace=True)

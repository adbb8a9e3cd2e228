"""Full text from summary-only feeds: a per-feed setting and one page record per article.

`feeds.fulltext` is off | on | auto (auto: only entries shorter than `fulltext_threshold`
characters, 500 when NULL); it applies to articles from `fulltext_from` (an article id) on,
so turning it on never fetches a feed's whole back catalogue.

`fulltext_pages` holds what happened to an article's page: pending, done (the full text
is the current version; `summary_hash` is the feed's own text, so a refetch of an
unchanged feed does not put the summary back) or failed (`reason`, shown per article;
`retry_after` NULL for failures a retry cannot mend). ETag/Last-Modified make refetches
conditional."""
from store.db import Database


def up(db: Database) -> None:
    c = db.conn
    c.execute("ALTER TABLE feeds ADD COLUMN fulltext TEXT NOT NULL DEFAULT 'off'")
    c.execute("ALTER TABLE feeds ADD COLUMN fulltext_threshold INTEGER")
    c.execute("ALTER TABLE feeds ADD COLUMN fulltext_from INTEGER")
    c.execute("""CREATE TABLE fulltext_pages (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        reason TEXT,
        http_status INTEGER,
        etag TEXT,
        last_modified TEXT,
        summary_hash TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        retry_after TEXT,
        fetched_at TEXT
    )""")
    c.execute("CREATE INDEX fulltext_pages_state ON fulltext_pages(state)")

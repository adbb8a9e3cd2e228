"""margin's store: the SQLite library, importers, entities, notes, links and search.

How the code is laid out (imports go down this list, never up; `lint-imports` checks the
contracts in pyproject.toml: store never imports tui, textual or rich):

- `library.py`: the façade, the one object the CLI and the reader call. It builds each
  feature's store on the open database and wires them together (a changed text re-anchors
  its notes; enrichment hands each batch to the related-links store).
- Feature packages, each with its store inside (`store.py`, a `FeatureStore` on the
  database, never on `Library`):
  `feeds/` (subscriptions, polite HTTP, parsing, OPML), `fulltext/` (a feed entry's web
  page, extracted), `entities/` (spaCy, clean-up rules, one kind per name, partial names),
  `notes/` (anchoring, [[links]], drafts, export), `related/` (links, duplicates, stories),
  `search/` (lexer, parser, SQL over FTS5, history, saved searches, the Pygments lexer),
  `backup/` (everything the user made, out and back in).
- Text in: `plaintext.py`, `html.py` (→ `document.py`'s Document), `importing.py`,
  `articles.py` (storing a Document, keeping old versions), `enrich.py` (the queue).
- The file: `db.py` (open, WAL, locks, migrations; sqlite-utils writes schema, backups, restores),
  `library_file.py` (is this file a margin library, damaged, newer?), `migrations/`
  (numbered), `schema_docs.py` (what each table holds: `margin schema`), `locations.py`.
"""
from store.document import Block, Document
from store.errors import LibraryError, MarginError, QueryError
from store.library import Library

__all__ = ["Block", "Document", "Library", "LibraryError", "MarginError", "QueryError"]

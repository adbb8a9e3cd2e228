"""margin's store: the SQLite library, importers, entities, notes, links and search.

This package never imports textual: the CLI and the TUI both call `Library`.
"""
from store.document import Block, Document
from store.errors import LibraryError, MarginError, QueryError
from store.library import Library

__all__ = ["Block", "Document", "Library", "LibraryError", "MarginError", "QueryError"]

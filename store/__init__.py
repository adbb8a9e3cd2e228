"""margin's store: the SQLite library, importers, entities, notes, links and search.

This package never imports textual: the CLI and the TUI both call `Library`.
"""
import sys as _sys

# sqlite_utils imports numpy at import time only to map numpy scalar types to column
# types; margin never hands it numpy values, and importing numpy is ~0.1 s of every
# command's start-up. Hide numpy while sqlite_utils loads; importing it later (the
# duplicate detector does) works as usual.
if "sqlite_utils" not in _sys.modules and "numpy" not in _sys.modules:
    _sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del _sys.modules["numpy"]

from store.document import Block, Document  # noqa: E402
from store.errors import LibraryError, MarginError, QueryError  # noqa: E402
from store.library import Library  # noqa: E402

__all__ = ["Block", "Document", "Library", "LibraryError", "MarginError", "QueryError"]

"""Exceptions the store raises for the CLI and TUI to report as one-line messages."""


class MarginError(Exception):
    """Base class: every message is meant to be shown to the user as is."""


class LibraryError(MarginError):
    """The library file cannot be used (not SQLite, from a newer margin, unwritable)."""


class QueryError(MarginError):
    """A malformed search query; `column` is the 1-based column of the problem."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.reason = message
        self.column = column


class NotFound(MarginError):
    """An article, note, feed or entity the user named does not exist."""

"""Shared CLI output: one console, one-line errors, JSON, opening the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from store.errors import LibraryError, MarginError
from store.locations import default_library_path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

# markup=False / highlight=False: article text must never be read as Rich markup.
console = Console(markup=False, highlight=False, emoji=False)
err_console = Console(stderr=True, markup=False, highlight=False, emoji=False)


def library_path(args: Any) -> Path:
    path = getattr(args, "library", None)
    return Path(path).expanduser() if path else default_library_path()


def open_library(args: Any):
    """Open the library named by --library / MARGIN_LIBRARY / the default path."""
    from store.library import Library

    return Library(library_path(args))


def error(message: str) -> None:
    """One line on stderr. Content is sanitised so it cannot move the cursor."""
    from store.document import clean_inline

    sys.stderr.write(f"margin: {clean_inline(message)}\n")


def fail(exc: BaseException) -> int:
    if isinstance(exc, LibraryError):
        error(str(exc))
        return EXIT_USAGE
    if isinstance(exc, MarginError):
        error(str(exc))
        return EXIT_PARTIAL if not isinstance(exc, (LibraryError,)) else EXIT_USAGE
    error(f"unexpected error: {type(exc).__name__}: {exc}")
    return EXIT_PARTIAL


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")

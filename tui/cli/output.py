"""Shared CLI output: one console, one-line errors, JSON, opening the library."""
from __future__ import annotations

import errno
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import LibraryError, MarginError
from store.locations import default_library_path

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class LazyConsole:
    """A rich Console built at its first use: importing rich.console is a cost a
    command should pay when it prints, not before its work starts (`margin fetch`)."""

    def __init__(self, **options: Any) -> None:
        # markup=False / highlight=False: article text must never be read as Rich markup.
        self._options = {"markup": False, "highlight": False, "emoji": False, **options}
        self._console: Console | None = None

    def get(self) -> Console:
        if self._console is None:
            self._console = _safe_console_class()(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


_C1 = re.compile(r"[\x7f-\x9f]")
# C0 and C1 controls but newline and tab: ESC, BEL, CSI (0x9b), OSC (0x9d), ...
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe_console_class():
    """A rich Console that never writes a control character that came from text: the last
    net under every table and line the CLI prints (a feed title, an entity name, a note).
    Rich's own styling and cursor codes are added after this point, so they still work."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer):
            return super()._render_buffer(
                seg if seg.control or not _CONTROLS.search(seg.text)
                else Segment(_CONTROLS.sub("\ufffd", seg.text), seg.style) for seg in buffer)

    return SafeConsole


console = LazyConsole()
err_console = LazyConsole(stderr=True)


def library_path(args: Any) -> Path:
    path = getattr(args, "library", None)
    return Path(path).expanduser() if path else default_library_path()


def open_library(args: Any, *, salvage: bool = False):
    """Open the library named by --library / MARGIN_LIBRARY / the default path."""
    from store.library import Library

    return Library(library_path(args), init=getattr(args, "init", False), salvage=salvage)


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
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        error(f"cannot write {exc.filename or 'a file'}: {exc.strerror} (disk full?); nothing partial was kept")
        return EXIT_PARTIAL
    if "database or disk is full" in str(exc):
        error("the disk holding the library is full: the last batch was not stored; free some space and run again")
        return EXIT_PARTIAL
    if "readonly database" in str(exc) or "read-only" in str(exc) and "sqlite" in type(exc).__module__:
        error("the library is read-only (its file or folder is not writable), so this command "
              "cannot save its changes; nothing was changed")
        return EXIT_PARTIAL
    from store.error_log import record

    log = record(exc, "command")
    where = f" (details in {log})" if log else ""
    error(f"unexpected error: {type(exc).__name__}: {exc}{where}")
    return EXIT_PARTIAL


def print_json(data: Any) -> None:
    # json escapes C0 controls itself; C1 ones (U+009B is CSI to some terminals) are escaped here.
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(_C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n")


def print_hanging(prefix: str | Text, text: str | Text, *, indent: int | None = None) -> None:
    """`prefix` then `text`. On a terminal, a text that wraps goes on under itself (or at
    `indent`), never back at column 0, and no line is padded with spaces; piped, it is one
    plain line whatever its length, for grep and cut (unless COLUMNS asks for a width)."""
    import os

    from rich.text import Text

    prefix = Text(prefix) if isinstance(prefix, str) else prefix
    text = Text(text) if isinstance(text, str) else text
    con = console.get()
    if not con.is_terminal and "COLUMNS" not in os.environ:
        con.print(prefix + text, soft_wrap=True)
        return
    hang = prefix.cell_len if indent is None else indent
    width = con.width
    if hang > width // 2:  # a long prefix: the text starts on its own lines, a little indented
        con.print(prefix.copy().rstrip(), soft_wrap=True)
        prefix, hang = Text(" " * 4), 4
    first = True
    for part in text.split("\n", allow_blank=True):
        lines = part.wrap(con, max(width - hang, 10)) if part.plain else [Text("")]
        for line in lines:
            line.rstrip()
            con.print((prefix if first else Text(" " * hang)) + line, soft_wrap=True)
            first = False

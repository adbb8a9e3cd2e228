"""A trace of what went wrong: unexpected exceptions with their traceback, appended to the
log file in the platform's log directory. The user sees one line; a bug report needs more."""
from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from store.locations import error_log_path

MAX_BYTES = 1_000_000  # then the log moves to margin.log.1 (one old generation kept)


def record(exc: BaseException, where: str) -> Path | None:
    """Append exc and its traceback to the log; the log's path, or None if it cannot be written
    (a log that fails must never hide the error it was meant to keep)."""
    path = error_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
        from store.version import VERSION

        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"--- {stamp} margin {VERSION} pid {os.getpid()} {where}\n"
                    f"argv: {' '.join(sys.argv)}\n{text}\n")
    except OSError:
        return None
    return path

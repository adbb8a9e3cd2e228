"""Is this file margin's to open? Decided before anything is written to it.

margin marks its libraries in the SQLite header: `application_id` says "margin" and
`user_version` holds the number of the newest migration applied. Both are read from the
first 100 bytes, so a library from a newer margin is refused without SQLite ever opening it.
Libraries made before the mark have a `_migrations` table instead; they get the mark on
their next upgrade. Anything else that is SQLite and not empty belongs to another program
and is left byte-identical: it is inspected read-only and `immutable` (no -wal/-shm files,
no lock), unless a -wal file shows it is in use, when an ordinary read connection is needed
to see its latest state.

A clean close records the file's size and mtime in `<library>-closed`; an open that finds
the file changed since (a crash, or another program wrote into it) runs `PRAGMA quick_check`
first, so damage is reported before margin writes into a malformed file.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from store.errors import LibraryError

SQLITE_MAGIC = b"SQLite format 3\x00"
MARGIN_APP_ID = int.from_bytes(b"mrgn", "big")
MARGIN_TABLES = {"articles", "notes", "feeds"}


def migration_number(name: str) -> int:
    return int(name[1:5])


def check_header(path: Path, schema_version: int) -> bool:
    """Refuse what can be refused from the header alone. True when there is a database to
    inspect further, False for a new or empty file."""
    if not path.exists():
        return False
    if path.is_dir():
        raise LibraryError(f"{path}: is a directory, not a margin library")
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read library ({exc.strerror})") from None
    if not head:
        return False
    if head[:16] != SQLITE_MAGIC:
        raise LibraryError(f"{path}: not a margin library (not an SQLite database)")
    if len(head) == 100:
        app_id, user_version = int.from_bytes(head[68:72], "big"), int.from_bytes(head[60:64], "big")
        if app_id == MARGIN_APP_ID and user_version > schema_version:
            raise LibraryError(f"{path}: made by a newer margin (schema {user_version}, this margin knows "
                               f"{schema_version}); upgrade margin to open it. The file was not changed")
    return True


def read_only_view(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file or create files beside it."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True)


def in_use(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def verdict(conn: sqlite3.Connection, path: Path, known: list[str], *, init: bool) -> None:
    """Refuse a file that is not a margin library (unless `init`), or one from a newer margin."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r[0].startswith("sqlite_")}
    if "_migrations" in tables:
        applied = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
        unknown = sorted(applied - set(known))
        if unknown:
            raise LibraryError(f"{path}: made by a newer margin (unknown migration {unknown[-1]}); "
                               "upgrade margin to open it. The file was not changed")
        return
    if not tables or init:
        return
    if app_id == MARGIN_APP_ID or tables >= MARGIN_TABLES:
        raise LibraryError(f"{path}: a margin library whose _migrations table is missing, so its schema "
                           "is unknown; refused and left untouched (`margin backup --salvage FILE` "
                           "saves what it can read)")
    shown = ", ".join(sorted(tables)[:4]) + (", …" if len(tables) > 4 else "")
    raise LibraryError(f"{path}: an SQLite database of another program (tables: {shown}), not a margin "
                       "library; refused and left untouched (give --init to add margin's tables to it)")


def inspect(path: Path, known: list[str], *, init: bool) -> None:
    """Check an existing file without changing it; raises LibraryError to refuse it."""
    if in_use(path):
        return  # checked on the real connection, before migrating (see store/db.py)
    for immutable in (True, False):
        try:
            conn = read_only_view(path) if immutable else sqlite3.connect(
                f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error as exc:
            raise LibraryError(f"{path}: cannot open library ({exc})") from None
        try:
            verdict(conn, path, known, init=init)
            return
        except sqlite3.DatabaseError as exc:
            # `immutable` reads without locks: a file another process is creating at this very
            # moment can look torn. Read it once more with locks before calling it unusable.
            if not immutable:
                raise LibraryError(f"{path}: not a usable margin library ({exc}); the file was not changed") from None
        finally:
            conn.close()


# -- clean close and quick_check -----------------------------------------------------------

def _stamp_path(path: Path) -> Path:
    return Path(f"{path}-closed")


def _stamp(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def record_clean_close(path: Path) -> None:
    """Called after the connection closed: the file is what margin left."""
    try:
        if Path(f"{path}-wal").exists():
            return  # another connection is still open; its close records the stamp
        tmp = Path(f"{path}-closed.tmp")
        tmp.write_text(json.dumps(_stamp(path)))
        os.replace(tmp, _stamp_path(path))
    except OSError:
        pass  # a read-only directory: the next open checks the file


def changed_since_clean_close(path: Path) -> bool:
    try:
        return json.loads(_stamp_path(path).read_text()) != _stamp(path)
    except (OSError, ValueError):
        return True


def damage(conn: sqlite3.Connection) -> str | None:
    """The first problem `PRAGMA quick_check` finds, or None when the file is sound."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows)[:300]


def damaged_message(path: Path, problem: str) -> str:
    return (f"{path}: the library file is damaged ({problem}); margin did not write to it. "
            f"Save what can be read with `margin backup --salvage FILE --library {path}`, then "
            "`margin restore FILE` into a new library")

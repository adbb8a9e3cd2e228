"""Open a library file: WAL, foreign keys, busy timeout, numbered migrations.

Migrations live in `store/migrations/mNNNN_name.py`, each with `up(db)`; applied
names are recorded in `_migrations`, so a library from a newer margin (one that
holds a migration this code does not know) is refused before anything is written.
"""
from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store import migrations as _migrations_pkg
from store.errors import LibraryError

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_MAGIC = b"SQLite format 3\x00"


class Database:
    """An open library: the store runs its SQL on `conn`. sqlite-utils' API (`db["t"]`,
    `db.table_names()`, ...) is there too, but built on first use: nothing on the reader's
    start path needs it, and importing sqlite-utils (click, dateutil, pluggy) is ~50 ms."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.readonly = False  # opened read-only: the file or its directory is not writable

    @cached_property
    def utils(self) -> "sqlite_utils.Database":
        # no plugins: scanning entry points costs ~30 ms
        from store.import_hiding import import_hiding

        return import_hiding("sqlite_utils", "numpy").Database(self.conn, execute_plugins=False)

    def __getattr__(self, name: str) -> Any:
        if name == "conn" or name.startswith("__"):  # copy/pickle probe before __init__ ran
            raise AttributeError(name)
        return getattr(self.utils, name)

    def __getitem__(self, table: str) -> Any:
        return self.utils[table]


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def known_migrations() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(_migrations_pkg.__path__) if m.name.startswith("m")
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise LibraryError(f"{path}: is a directory, not a margin library")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read library ({exc.strerror})") from None
    if head and head != SQLITE_MAGIC:
        raise LibraryError(f"{path}: not a margin library (not an SQLite database)")


def open_db(path: str | Path | None, *, readonly: bool = False) -> Database:
    """Open (creating if needed) and migrate a library. `None` gives an in-memory one."""
    if path is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    else:
        path = Path(path)
        _check_file(path)
        readonly = readonly or not_writable(path)
        try:
            if readonly:
                # immutable: a WAL library in a read-only directory cannot get its -shm file
                # made, and nothing can be writing a file nobody may write.
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                       check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError(f"{path}: cannot open library ({exc})") from None
    db = Database(conn)
    db.readonly = readonly
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            _check_current(db, path)
        elif path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Imports stage each batch in a temp table (store/articles.py): in memory, not a
            # temp file written and read back (2,500 articles: ~0.15 s of a 1.5 s import).
            conn.execute("PRAGMA temp_store = MEMORY")
            migrate(db, path)
        else:
            migrate(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LibraryError(f"{path}: not a usable margin library ({exc})") from None
    return db


def not_writable(path: Path) -> bool:
    """An existing library whose file or directory this user may not write: opened read-only,
    so it can still be read (searching, showing, exporting notes)."""
    import os

    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _check_current(db: Database, path: Path | None) -> None:
    """A read-only library must need no migration: it cannot be given one."""
    try:
        applied = {row[0] for row in db.conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError:
        applied = set()
    pending = [m for m in known_migrations() if m not in applied]
    if set(applied) - set(known_migrations()):
        raise LibraryError(f"{path}: made by a newer margin; upgrade margin to open it")
    if pending:
        raise LibraryError(f"{path}: read-only, and it needs an upgrade this margin cannot write "
                           f"({len(pending)} migrations); open it once where it is writable")


def migrate(db: Database, path: Path | None = None) -> list[str]:
    """Apply pending migrations in order, each in its own transaction."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    applied = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    known = known_migrations()
    unknown = sorted(applied - set(known))
    if unknown:
        raise LibraryError(
            f"{path or 'library'}: made by a newer margin (unknown migration {unknown[-1]}); "
            "upgrade margin to open it"
        )
    done = []
    for name in known:
        if name in applied:
            continue
        module = importlib.import_module(f"store.migrations.{name}")
        with conn:  # one transaction per migration
            module.up(db)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now_iso())
            )
        done.append(name)
    return done

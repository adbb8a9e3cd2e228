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
from typing import TYPE_CHECKING

from store import migrations as _migrations_pkg
from store.errors import LibraryError

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_MAGIC = b"SQLite format 3\x00"


class Database:
    """An open library. The store reads with plain sqlite3 on `conn` (hot paths: first paint,
    keypress search) and writes schema and batches through sqlite-utils on the same
    connection (`utils`), built at first write: the reader's start never needs it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @cached_property
    def utils(self) -> sqlite_utils.Database:
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)


class FeatureStore:
    """A feature's store: it works on the open library's database, never on the façade;
    `Library` hands each one what else it needs."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn


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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError(f"{path}: cannot open library ({exc})") from None
    db = Database(conn)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        if path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        migrate(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LibraryError(f"{path}: not a usable margin library ({exc})") from None
    return db


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

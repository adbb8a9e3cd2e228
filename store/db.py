"""Open a library file: WAL, foreign keys, busy timeout, numbered migrations.

Migrations live in `store/migrations/mNNNN_name.py`, each with `up(db)`; applied
names are recorded in `_migrations`, and the newest number in the header's
`user_version`, so a library from a newer margin (one that holds a migration this code
does not know) is refused before anything is written.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sqlite3
import threading
import time
import weakref
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from store import migrations as _migrations_pkg
from store.errors import LibraryError
from store.library_file import (
    MARGIN_APP_ID,
    changed_since_clean_close,
    check_header,
    damage,
    damaged_message,
    in_use,
    inspect,
    migration_number,
    record_clean_close,
    verdict,
)

if TYPE_CHECKING:
    import sqlite_utils

class Database:
    """An open library. The store reads with plain sqlite3 on `conn` (hot paths: first paint,
    keypress search) and writes schema (migrations), backups and restores through sqlite-utils
    on the same connection (`utils`), built at first use: the reader's start never needs it.
    New articles go in with one staged INSERT ... SELECT a batch (store/articles.py says why)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.readonly = False  # opened read-only: the file or its directory is not writable
        self.salvage = False  # opened only to read what a damaged file still holds
        self.held: tuple[int, int] | None = None  # the file's identity in _HELD while open

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


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction. executescript() would
    commit it first, and an upgrade killed after that would be half-applied."""
    statement = ""
    for line in script.strip().splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):  # a trigger's body holds semicolons
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def known_migrations() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(_migrations_pkg.__path__) if m.name.startswith("m")
    )


class Connection(sqlite3.Connection):
    """`with conn:` starts its transaction with BEGIN IMMEDIATE: the write lock is taken (waiting
    its turn under the busy timeout) before the first read. A deferred transaction that reads
    and then writes cannot wait: when another process wrote in between, SQLite fails it at once
    with "database is locked" whatever the busy timeout."""

    def __enter__(self) -> Connection:
        if not self.in_transaction:
            self.execute("BEGIN IMMEDIATE")
        return self


BUSY_SECONDS = 30  # as the busy timeout: how long an open waits for another process's lock


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting for other processes as the busy timeout would.

    SQLite does not call the busy handler for this pragma: when several processes open a new
    library at once (still in rollback mode), all but one fail at once with "database is
    locked". So a busy switch is tried again, with growing pauses. A switch SQLite cannot make
    (a file system without WAL) returns the old mode at once: margin works in it as it is."""
    deadline = time.monotonic() + BUSY_SECONDS
    pause = 0.002
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def schema_version() -> int:
    return max(migration_number(n) for n in known_migrations())


def open_db(path: str | Path | None, *, readonly: bool = False, init: bool = False,
            salvage: bool = False) -> Database:
    """Open (creating if needed) and migrate a library. `None` gives an in-memory one.

    A file that is not margin's, or from a newer margin, is refused before anything is
    written (store/library_file.py). `init` lets margin add its tables to another program's
    SQLite file; `salvage` opens a damaged library as it is, to read what can be read."""
    if path is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False, factory=Connection)
    else:
        path = Path(path)
        known = known_migrations()
        if not _held_here(path) and check_header(path, schema_version()):
            inspect(path, known, init=init)
        readonly = readonly or not_writable(path)
        try:
            if readonly:
                # immutable: a WAL library in a read-only directory cannot get its -shm file
                # made, and nothing can be writing a file nobody may write.
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                       check_same_thread=False, factory=Connection)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, factory=Connection)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError(f"{path}: cannot open library ({exc})") from None
    # DML outside `with conn:` (one-off statements) also takes the write lock first
    conn.isolation_level = "IMMEDIATE"
    db = Database(conn)
    db.readonly = readonly
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            _check_current(db, path)
            return db
        if path is not None:
            if in_use(path):  # not inspected read-only: check on this connection, before any write
                verdict(conn, path, known, init=init)
            if not salvage and path.stat().st_size and changed_since_clean_close(path):
                problem = damage(conn)
                if problem:
                    raise LibraryError(damaged_message(path, problem))
            if salvage:
                db.salvage = True  # never stamped clean on close: it is not
                return db
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        migrate(db, path)
    except LibraryError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LibraryError(f"{path}: not a usable margin library ({exc})") from None
    if path is not None:
        _hold(db, path)
    return db


# The library files this process holds open, by file identity. POSIX locks belong to the
# process, and closing ANY descriptor of a file drops all of them: the header check
# (Python's open and close) of a second Library in the reader (its writer, refresh and
# page workers) released the locks of the reader's own connection, and another process
# closing the library then took itself for the last user and deleted the WAL the reader
# still wrote into, losing those writes. A file this process holds was checked when it
# was first opened; SQLite's own connections share their locks and are safe.
_HELD: dict[tuple[int, int], weakref.WeakSet[Database]] = {}  # weak: a Library never closed drops out when collected
_HELD_LOCK = threading.Lock()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _held_here(path: Path) -> bool:
    ident = _identity(path)
    with _HELD_LOCK:
        return ident is not None and bool(_HELD.get(ident))


def _hold(db: Database, path: Path) -> None:
    db.held = _identity(path)
    if db.held is not None:
        with _HELD_LOCK:
            _HELD.setdefault(db.held, weakref.WeakSet()).add(db)


def close_db(db: Database, path: Path | None) -> None:
    if db.held is not None:
        with _HELD_LOCK:
            holders = _HELD.get(db.held)
            if holders is not None:
                holders.discard(db)
                if not holders:
                    del _HELD[db.held]
        db.held = None
    db.conn.close()
    if path is not None and path.exists() and not db.salvage and not db.readonly:
        record_clean_close(path)


def _applied(conn: sqlite3.Connection) -> set[str]:
    try:
        return {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError:  # no such table: a new library
        return set()


def not_writable(path: Path) -> bool:
    """An existing library whose file or directory this user may not write: opened read-only,
    so it can still be read (searching, showing, exporting notes)."""
    import os

    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _check_current(db: Database, path: Path | None) -> None:
    """A read-only library must need no migration: it cannot be given one."""
    applied, known = _applied(db.conn), known_migrations()
    _refuse_unknown(applied, known, path)
    pending = [m for m in known if m not in applied]
    if pending:
        raise LibraryError(f"{path}: read-only, and it needs an upgrade this margin cannot write "
                           f"({len(pending)} migrations); open it once where it is writable")


def migrate(db: Database, path: Path | None = None) -> list[str]:
    """Apply pending migrations, all in one transaction under the write lock.

    Concurrent first opens of a new library queue for the lock; each re-reads what is
    applied once it holds it, so no migration runs twice. A kill in the middle rolls the
    whole upgrade back: the library opens as it was and the next open upgrades it."""
    conn = db.conn
    known = known_migrations()
    applied = _applied(conn)
    if applied >= set(known):
        _refuse_unknown(applied, known, path)
        if conn.execute("PRAGMA application_id").fetchone()[0] != MARGIN_APP_ID:
            try:  # a library from before the header mark gets it; one that cannot be written opens as is
                with conn:
                    _mark(conn)
            except sqlite3.OperationalError:
                pass
        return []
    done = []
    with conn:  # BEGIN IMMEDIATE: waits for any other process's upgrade to finish
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied = _applied(conn)
        _refuse_unknown(applied, known, path)
        for name in known:
            if name in applied:
                continue
            module = importlib.import_module(f"store.migrations.{name}")
            module.up(db)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now_iso())
            )
            done.append(name)
        _mark(conn)
    return done


def _mark(conn: sqlite3.Connection) -> None:
    """margin's mark in the file header (see store/library_file.py)."""
    conn.execute(f"PRAGMA application_id = {MARGIN_APP_ID}")
    conn.execute(f"PRAGMA user_version = {schema_version()}")


def _refuse_unknown(applied: set[str], known: list[str], path: Path | None) -> None:
    unknown = sorted(applied - set(known))
    if unknown:
        raise LibraryError(
            f"{path or 'library'}: made by a newer margin (unknown migration {unknown[-1]}); "
            "upgrade margin to open it"
        )

import sqlite3

import pytest

from store.errors import LibraryError
from store.library import Library


def test_new_library_is_wal_with_foreign_keys_and_full_text_search(lib):
    conn = lib.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert "articles_fts" in lib.db.utils.table_names()


def test_reopening_applies_no_migration_twice(library_path):
    Library(library_path).close()
    lib = Library(library_path)
    names = [r[0] for r in lib.db.conn.execute("SELECT name FROM _migrations")]
    assert len(names) == len(set(names)) >= 1
    lib.close()


def test_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="not a margin library"):
        Library(path)
    assert path.read_bytes() == before


def test_library_from_newer_margin_is_refused_and_untouched(library_path):
    Library(library_path).close()
    conn = sqlite3.connect(library_path)
    conn.execute("INSERT INTO _migrations VALUES ('m9999_future', 'x')")
    conn.commit()
    conn.close()
    before = library_path.read_bytes()
    with pytest.raises(LibraryError, match="newer margin"):
        Library(library_path)
    assert library_path.read_bytes() == before

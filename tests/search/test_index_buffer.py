"""The articles' index buffers 16 MB of new terms before writing a segment (m0022): new and
upgraded libraries get the setting, and search answers exactly as before."""
from __future__ import annotations

import shutil
import sqlite3

from store.library import Library
from store.migrations.m0022_fts_hashsize import HASHSIZE
from tests.conftest import FIXTURES


def hashsize(lib: Library) -> int | None:
    row = lib.db.conn.execute("SELECT v FROM articles_fts_config WHERE k = 'hashsize'").fetchone()
    return row[0] if row else None


def test_a_new_library_buffers_sixteen_megabytes_of_index_terms(library_path):
    with Library(library_path) as lib:
        lib.import_text("Harbour strike\n\nDockworkers in Rotterdam began a strike over pay.")
        assert hashsize(lib) == HASHSIZE == 16 * 1024 * 1024
        assert [h.title for h in lib.search("strikes")] == ["Harbour strike"]  # stemmed, as before
        assert [h.title for h in lib.search("rott")] == ["Harbour strike"]  # a prefix, as before


def test_a_library_from_before_gets_the_buffer_and_finds_what_it_found(tmp_path):
    old = sorted((FIXTURES / "libraries").glob("schema-*.db"))[-1]
    path = tmp_path / "library.db"
    shutil.copy(old, path)
    with sqlite3.connect(path) as conn:
        assert not conn.execute("SELECT 1 FROM articles_fts_config WHERE k = 'hashsize'").fetchone()
    with Library(path) as lib:
        assert hashsize(lib) == HASHSIZE
        assert len(lib.search("bridge")) == 1
        lib.import_text("Bridge works\n\nThe river bridge closes for works in May.")
        assert len(lib.search("bridge")) == 2
        assert lib.db.conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")

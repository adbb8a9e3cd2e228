"""Prefix search over either layout of the FTS index: new libraries index 2- and 3-letter
prefixes (m0011); libraries that held articles before keep '2 3 4' and are not rebuilt."""
from __future__ import annotations

import sqlite3

from store.library import Library
from store.search.engine import longest_prefix_index

ARTICLES = [
    "Harbour strike\n\nDockworkers in Rotterdam began a strike over pay on Monday.",
    "Strikers return\n\nThe strikers returned after talks with the harbour board.",
    "Budget vote\n\nParliament passed the budget after a long night of debate.",
]


def fts_sql(path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]


def prefix_results(lib: Library) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for stem in ("st", "str", "stri", "strik"):
        hits = lib.search(stem)
        out[stem] = sorted((h.title, h.snippet[h.highlights[0][0]:h.highlights[0][1]]) for h in hits)
    return out


EXPECTED = {stem: [("Harbour strike", "strike"), ("Strikers return", "strikers")]
            for stem in ("str", "stri", "strik")}


def test_a_new_library_indexes_two_and_three_letter_prefixes(library_path):
    with Library(library_path) as lib:
        for text in ARTICLES:
            lib.import_text(text)
        assert longest_prefix_index(lib.db.conn) == 3
        results = prefix_results(lib)
    assert "prefix='2 3'" in fts_sql(library_path)
    assert {k: results[k] for k in EXPECTED} == EXPECTED
    assert ("Harbour strike", "strike") in results["st"]


def test_a_library_with_articles_from_before_keeps_its_index_and_finds_the_same(library_path):
    # A library as m0010 left it: articles under the old index.
    with Library(library_path) as lib:
        for text in ARTICLES:
            lib.import_text(text)
    sql = fts_sql(library_path)
    conn = sqlite3.connect(library_path)
    conn.execute("DROP TABLE articles_fts")
    conn.execute(sql.replace("prefix='2 3'", "prefix='2 3 4'"))
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM _migrations WHERE name = 'm0011_prefix_indexes'")
    conn.commit()
    conn.close()
    with Library(library_path) as lib:  # m0011 runs again, now over a library with articles
        assert longest_prefix_index(lib.db.conn) == 4
        results = prefix_results(lib)
        applied = [n for (n,) in lib.db.conn.execute("SELECT name FROM _migrations")]
    assert "prefix='2 3 4'" in fts_sql(library_path)
    assert "m0011_prefix_indexes" in applied
    assert {k: results[k] for k in EXPECTED} == EXPECTED

"""Search history, saved searches and tab completion, through the Library façade."""
from __future__ import annotations

import pytest

from store.errors import MarginError, NotFound, QueryError
from store.library import Library
from store.search.history import KEEP
from tests.search.corpus import add


def test_history_is_newest_first_deduplicated_and_capped(lib):
    for q in ["syria", "putin", "syria", "  ", "rail strike"]:
        lib.remember_search(q)
    assert lib.search_history() == ["rail strike", "syria", "putin"]
    assert lib.search_history("STRI") == ["rail strike"]
    assert lib.search_history("100%") == []  # LIKE wildcards are text
    for i in range(KEEP + 20):
        lib.remember_search(f"q{i}")
    history = lib.search_history()
    assert len(history) == KEEP and history[0] == f"q{KEEP + 19}"


def test_history_survives_reopening_the_library(library_path):
    with Library(library_path) as lib:
        lib.remember_search("@Putin since:7d")
    with Library(library_path) as again:
        assert again.search_history() == ["@Putin since:7d"]


def test_saved_searches_count_rename_reorder_remove(lib, corpus):
    lib.save_search("Syria", "syria")
    lib.save_search("Unread rail", "rail")
    lib.set_read(corpus["rail"], True)
    listed = lib.saved_searches()
    assert [(s.name, s.query, s.total, s.unread) for s in listed] == [("Syria", "syria", 2, 2),
                                                                       ("Unread rail", "rail", 1, 0)]
    lib.rename_saved_search("Unread rail", "Rail")
    assert lib.move_saved_search("Rail", -1) == 0
    assert [s.name for s in lib.saved_searches()] == ["Rail", "Syria"]
    with pytest.raises(MarginError, match="exists"):
        lib.save_search("Syria", "aleppo")
    lib.save_search("Syria", "aleppo", replace=True)
    assert lib.saved_searches()[1].query == "aleppo"
    lib.remove_saved_search("Rail")
    assert [s.name for s in lib.saved_searches()] == ["Syria"]
    with pytest.raises(NotFound):
        lib.remove_saved_search("Rail")


def test_a_saved_search_must_parse_but_one_that_stopped_parsing_is_listed_with_its_error(lib, corpus):
    with pytest.raises(QueryError, match="unclosed quote"):
        lib.save_search("bad", '"air strike')
    with lib.db.conn:  # as an older margin (or an upgrade that changed the language) left it
        lib.db.conn.execute("INSERT INTO saved_searches (name, query, position) VALUES ('Old', 'colour:red', 5)")
    old = [s for s in lib.saved_searches() if s.name == "Old"][0]
    assert old.total is None and "unknown field 'colour:'" in old.error
    entry = [e for e in lib.sidebar() if e.section == "searches"][0]
    assert entry.label == "Old" and "colour:" in entry.error
    lib.edit_saved_search("Old", "color")
    assert lib.saved_searches()[0].error is None


def test_completion_of_entities_most_written_about_first(lib, corpus):
    conn = lib.db.conn
    other = add(lib, "d", "Putin again", "Putin spoke.")
    with conn:
        vlad = conn.execute("SELECT id FROM entities WHERE name = 'Vladimir Putin'").fetchone()[0]
        conn.execute("INSERT INTO entities (name, kind, key) VALUES ('Putina Ltd', 'org', 'putina ltd')")
        putina = conn.execute("SELECT id FROM entities WHERE name = 'Putina Ltd'").fetchone()[0]
        conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?, ?, 0, 5, ?)',
                     (other, vlad, "Putin"))
        conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?, ?, 0, 5, ?)',
                     (other, putina, "Putin"))
    got = lib.completions("syria @pu")
    assert [(c.text, c.detail) for c in got] == [('@"Vladimir Putin"', "2 articles"), ('@"Putina Ltd"', "1 article")]
    assert (got[0].start, got[0].end) == (6, 9)
    assert lib.completions("@vlad")[0].text == '@"Vladimir Putin"'
    assert lib.completions('entity:"Vlad')[0].text == 'entity:"Vladimir Putin"'


def test_completion_of_fields_tags_feeds_values_and_saved_names(lib, corpus):
    assert [c.text for c in lib.completions("ti")] == ["title:"]
    assert [c.text for c in lib.completions("#tr")] == ["#transport"]
    assert [c.text for c in lib.completions("is:u")] == ["is:unread"]
    with lib.db.conn:
        lib.db.conn.execute("INSERT INTO feeds (url, title, added_at)"
                            " VALUES ('http://w.test/rss', 'Wire One Daily', 'x')")
    assert [c.text for c in lib.completions("feed:wi")] == ['feed:"Wire One Daily"']
    lib.save_search("Syria week", "syria since:7d")
    assert [(c.text, c.label) for c in lib.completions("syr")] == [("syria since:7d", "Syria week")]
    assert lib.completions("zzz") == []
    cand = lib.completions("a -ti b", 5)[0]  # completing inside a word keeps the exclusion
    assert (cand.text, cand.start, cand.end) == ("title:", 3, 5)


def test_saved_searches_travel_in_a_backup(lib, corpus, tmp_path):
    import json

    from store.backup import make_backup, restore_backup

    lib.save_search("Syria", "syria")
    with lib.db.conn:
        lib.db.conn.execute("INSERT INTO saved_searches (name, query, position) VALUES ('Old', 'colour:red', 5)")
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(make_backup(lib)))
    with Library(tmp_path / "other.db") as other:
        assert restore_backup(other, path)["saved_searches"] == 2
        assert [(s.name, s.query) for s in other.saved_searches()] == [("Syria", "syria"), ("Old", "colour:red")]
        assert restore_backup(other, path)["saved_searches"] == 0  # merged, not doubled

"""Each operator of the query language (DESIGN §5) on a small real library."""
import sqlite3
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import QueryError
from tests.search.corpus import add


def ids_of(lib, q, **kw):
    return [h.id for h in lib.search(q, **kw)]


def test_all_words_must_match_and_title_ranks_above_body(lib, corpus):
    assert ids_of(lib, "syria talks") == [corpus["putin"], corpus["syria"]] or \
        set(ids_of(lib, "syria talks")) == {corpus["putin"], corpus["syria"]}
    assert ids_of(lib, "putin")[0] == corpus["putin"]  # in the title beats in the body
    assert ids_of(lib, "putin unions") == []


def test_phrase_or_and_exclusion(lib, corpus):
    assert ids_of(lib, '"rail strike"') == [corpus["rail"]]
    assert ids_of(lib, '"strike rail"') == []
    assert set(ids_of(lib, "aleppo OR unions")) == {corpus["syria"], corpus["rail"]}
    assert ids_of(lib, "syria -aleppo") == [corpus["putin"]]
    assert set(ids_of(lib, "-syria")) == {corpus["rail"]}


def test_field_filters(lib, corpus):
    assert ids_of(lib, "title:aleppo") == [corpus["syria"]]
    assert ids_of(lib, "title:syria") == []
    assert set(ids_of(lib, 'source:"Wire One"')) == {corpus["putin"], corpus["rail"]}


def test_last_bare_word_matches_as_prefix(lib, corpus):
    assert ids_of(lib, "unio") == [corpus["rail"]]
    assert ids_of(lib, '"unio"') == []


def test_dates_and_sort(lib, corpus):
    assert ids_of(lib, "since:2015-11-25") == [corpus["rail"], corpus["putin"]]
    assert ids_of(lib, "before:2015-11-25") == [corpus["syria"]]
    assert ids_of(lib, "syria sort:date") == [corpus["putin"], corpus["syria"]]
    assert ids_of(lib, "since:36500d") == ids_of(lib, "")


def test_state_filters_and_empty_query_lists_newest_first(lib, corpus):
    assert ids_of(lib, "") == [corpus["rail"], corpus["putin"], corpus["syria"]]
    lib.set_read(corpus["rail"])
    lib.set_starred(corpus["syria"])
    assert corpus["rail"] not in ids_of(lib, "is:unread")
    assert ids_of(lib, "is:starred") == [corpus["syria"]]
    assert ids_of(lib, "has:note") == [corpus["rail"]]
    assert ids_of(lib, "is:orphaned") == [corpus["rail"]]
    assert lib.count("is:unread") == 2


def test_entity_alias_kind_tag_and_note_filters(lib, corpus):
    assert ids_of(lib, "@Putin") == [corpus["putin"]]
    assert ids_of(lib, 'entity:"vladimir PUTIN"') == [corpus["putin"]]
    assert ids_of(lib, "@Putin kind:place") == []
    assert ids_of(lib, "@Moscow kind:place") == [corpus["putin"]]
    assert ids_of(lib, "#transport") == [corpus["rail"]]
    assert ids_of(lib, "tag:labour") == [corpus["rail"]]
    assert ids_of(lib, "note:walkout") == [corpus["rail"]]
    assert ids_of(lib, 'note:"unions called"') == [corpus["rail"]]  # quote and note together
    assert ids_of(lib, "note:labour") == []  # a note's tag is not its text
    lib.db.conn.execute("UPDATE entities SET hidden = 1 WHERE id = 1")
    assert ids_of(lib, "@Putin") == []


def test_snippet_marks_matched_words(lib, corpus):
    hit = lib.search("unions")[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Unions"]
    assert "\x02" not in hit.snippet


@pytest.mark.parametrize("query", ["NEAR(", "*", "'; DROP TABLE articles; --", "AND AND", "a AND", "-",
                                   "title:NEAR(x", "(((", "putin*", '"a" ""', "^", "@x"])
def test_fts5_syntax_typed_by_users_is_read_as_words(lib, corpus, query):
    lib.search(query)
    lib.count(query)
    assert "articles" in lib.db.utils.table_names()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list('ab "-:*()^@#') + ["OR", "NOT", "AND", "since:", "x:", "title:", "is:", " "]),
                max_size=12).map("".join))
def test_parser_raises_only_query_errors_and_sql_never_fails(tmp_path_factory, text):
    from store.library import Library

    lib = getattr(test_parser_raises_only_query_errors_and_sql_never_fails, "lib", None)
    if lib is None:
        lib = Library(tmp_path_factory.mktemp("prop") / "l.db")
        add(lib, "k", "About a title", "Body text with a and b.")
        test_parser_raises_only_query_errors_and_sql_never_fails.lib = lib
    try:
        lib.search(text)
        lib.count(text)
    except QueryError:
        pass
    except sqlite3.Error as exc:  # pragma: no cover - the property under test
        raise AssertionError(f"sqlite error for {text!r}: {exc}") from exc


def test_author_and_feed_fields_and_feed_tags(lib, corpus):
    assert ids_of(lib, "author:smirnova") == [corpus["putin"]]
    with lib.db.conn as conn:
        conn.execute("INSERT INTO feeds (id, url, title, tags, added_at)"
                     " VALUES (7, 'https://kw.example/rss', 'Kremlin Watch', '[\"Russia\"]', 'x')")
        conn.execute("UPDATE articles SET feed_id = 7 WHERE id = ?", (corpus["putin"],))
    assert ids_of(lib, "feed:kremlin") == [corpus["putin"]]
    assert ids_of(lib, 'feed:"kremlin watch" talks') == [corpus["putin"]]
    assert ids_of(lib, "#russia") == [corpus["putin"]]
    assert ids_of(lib, "feed:nowhere") == []
    hit = lib.search("@Putin")[0]
    assert (hit.feed_id, hit.source) == (7, "Wire One")


def test_negated_filters(lib, corpus):
    lib.set_read(corpus["rail"])
    assert set(ids_of(lib, "-is:read")) == {corpus["putin"], corpus["syria"]}
    assert set(ids_of(lib, "-@Putin")) == {corpus["syria"], corpus["rail"]}
    assert set(ids_of(lib, "-#transport")) == {corpus["putin"], corpus["syria"]}
    assert ids_of(lib, "talks -has:note") == ids_of(lib, "talks")


def test_not_operator_lowercase_or_and_explicit_prefix(lib, corpus):
    assert ids_of(lib, "syria NOT aleppo") == [corpus["putin"]]
    assert ids_of(lib, "aleppo or unions") == []  # "or" is a word no article has
    assert ids_of(lib, "uni* strike") == [corpus["rail"]]


def test_entity_names_fold_case_and_diacritics_and_kind_alone(lib, corpus):
    conn = lib.db.conn
    hollande = conn.execute("SELECT id FROM entities WHERE name = 'François Hollande'").fetchone()[0]
    with conn:
        conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?, ?, 0, 8, ?)',
                     (corpus["putin"], hollande, "Hollande"))
    assert ids_of(lib, '@"FRANCOIS  hollande"') == [corpus["putin"]]
    assert ids_of(lib, 'entity:"françois hollande" kind:person') == [corpus["putin"]]
    assert ids_of(lib, "kind:person") == [corpus["putin"]]
    assert ids_of(lib, "kind:org") == []


def test_partial_dates_and_filter_only_ignores_rank(lib, corpus):
    assert ids_of(lib, "since:2015-12") == [corpus["rail"]]
    assert ids_of(lib, "before:2015") == []
    assert ids_of(lib, "sort:rank") == ids_of(lib, "sort:date") == ids_of(lib, "")


def test_paging_and_count_agree_with_search(lib, corpus):
    everything = ids_of(lib, "", limit=100)
    assert [ids_of(lib, "", limit=1, offset=i)[0] for i in range(3)] == everything
    assert ids_of(lib, "", offset=3) == []
    assert ids_of(lib, "syria", limit=0) == [] and ids_of(lib, "syria", offset=-5) == ids_of(lib, "syria")
    for q in ("", "syria", "syria -aleppo", "-syria", "aleppo OR unions", "is:unread", "@Putin",
              "talks is:unread", "note:walkout", "title:aleppo OR unions", "#transport", "sort:date putin"):
        assert lib.count(q) == len(ids_of(lib, q, limit=100)), q


def test_snippets_filter_only_and_title_only_matches_show_the_body_start(lib, corpus):
    hit = lib.search("@Putin")[0]
    assert hit.snippet.startswith("Talks on Syria") and hit.highlights == []
    hit = lib.search("hollande")[0]  # only in the title
    assert hit.snippet.startswith("Talks on Syria")
    hit = lib.search("stall")[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["stall"]
    assert hit.score > 0 and not hit.read and not hit.starred


def test_prefix_matches_are_highlighted(lib, corpus):
    hit = lib.search("rail netw")[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["network"]


def test_prefixes_longer_than_the_prefix_indexes_get_the_same_snippets(lib, corpus):
    from store.search.engine import _snippets, prepare

    c = prepare(lib.db.conn, "netwo*")
    assert c.long_prefix
    ids = [h.id for h in lib.search("netwo*")]
    assert ids and _snippets(lib.db.conn, c, ids) == _snippets(lib.db.conn, replace(c, long_prefix=False), ids)
    hit = lib.search("rail netwo")[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["network"]


def test_a_common_last_word_is_taken_as_typed_a_rare_one_also_as_a_prefix(lib):
    from store.search.engine import COMPLETE_AT

    show = add(lib, "show", "Late night", "The talkshow host left.")
    add(lib, "t0", "Summit", "Leaders held talks.")
    assert show in ids_of(lib, "talks")  # rare as typed: a fragment, so a prefix too
    for i in range(COMPLETE_AT):
        add(lib, f"t{i + 1}", f"Summit {i}", "Leaders held talks again.")
    found = ids_of(lib, "talks", limit=100)
    assert show not in found and len(found) == COMPLETE_AT + 1 == lib.count("talks")
    assert show in ids_of(lib, "talks*", limit=100)  # asked for explicitly, a prefix it stays


def test_the_unread_listing_walks_an_index(lib, corpus):
    plan = lib.db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT a.id FROM articles a WHERE a.read = 0"
        " ORDER BY a.sort_at DESC, a.id DESC LIMIT 20 OFFSET 50").fetchall()
    assert "articles_read_sort" in str(plan) and "TEMP B-TREE" not in str(plan)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_results_or_a_query_error(tmp_path_factory, text):
    from store.library import Library

    holder = test_any_text_gives_results_or_a_query_error
    if not hasattr(holder, "lib"):
        holder.lib = Library(tmp_path_factory.mktemp("anytext") / "l.db")
        from tests.search.corpus import build

        build(holder.lib)
    try:
        hits = holder.lib.search(text)
        assert holder.lib.count(text) >= len(hits)
    except QueryError:
        pass
    except sqlite3.Error as exc:  # pragma: no cover - the property under test
        raise AssertionError(f"sqlite error for {text!r}: {exc}") from exc


def test_equal_scores_put_the_newer_article_first(lib):
    old = add(lib, "old", "Same story", "Identical wire copy.", published="2015-11-01")
    new = add(lib, "new", "Same story", "Identical wire copy.", published="2015-11-02")
    older_again = add(lib, "older", "Same story", "Identical wire copy.", published="2015-10-01")
    assert ids_of(lib, "wire copy") == [new, old, older_again]
    assert ids_of(lib, "wire copy is:unread") == [new, old, older_again]
    assert [ids_of(lib, "wire copy", limit=1, offset=i)[0] for i in range(3)] == [new, old, older_again]


def test_tags_that_are_not_json_never_break_a_query(lib, corpus):
    with lib.db.conn as conn:
        conn.execute("UPDATE articles SET tags = 'not json' WHERE id = ?", (corpus["putin"],))
    assert ids_of(lib, "#transport") == [corpus["rail"]]
    assert lib.count("-#transport") == 2


def test_search_and_count_agree_with_search_and_count_apart(lib, corpus):
    for query in ("syria", "putin OR rail", "is:unread", "", "zebra", "-syria"):
        for limit in (1, 2, 20):
            hits, total = lib.search_and_count(query, limit=limit)
            assert [h.id for h in hits] == [h.id for h in lib.search(query, limit=limit)]
            assert total == lib.count(query), (query, limit)

"""The query text -> AST step alone: columns, operators, prefixes, dates, and that nothing
but QueryError ever escapes it."""
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import QueryError
from store.search import parse
from store.search.compile import compile_query
from store.search.lexer import lex
from store.search.parser import MAX_TERMS, Term

NOW = datetime(2016, 1, 31, 12, 0, tzinfo=UTC)


def words(q):
    return [[t.text for t in group] for group in parse(q, now=NOW).groups]


def test_tokens_carry_their_one_based_columns():
    toks = lex('putin  -"air strike" title:x @Name OR #tag')
    assert [(t.kind, t.text, t.column) for t in toks] == [
        ("word", "putin", 1), ("phrase", "air strike", 8), ("field", "x", 22),
        ("field", "Name", 30), ("or", "OR", 36), ("field", "tag", 39)]
    assert toks[1].negated and toks[3].field == "entity" and toks[5].field == "tag"


def test_uppercase_or_is_the_operator_lowercase_or_is_a_word():
    assert words("aleppo OR unions") == [["aleppo", "unions"]]
    assert words("aleppo or unions") == [["aleppo"], ["or"], ["unions"]]
    assert words("a OR b OR c d") == [["a", "b", "c"], ["d"]]


def test_not_and_minus_exclude_and_and_is_implicit():
    q = parse("syria NOT aleppo AND talks -strike", now=NOW)
    assert [t.text for t in q.negated] == ["aleppo", "strike"]
    assert words("syria NOT aleppo AND talks -strike") == [["syria"], ["talks"]]


def test_only_the_last_bare_word_is_a_prefix_and_only_from_two_letters():
    q = parse("rail stri", now=NOW)
    assert q.groups[0][0].prefix is False
    assert q.groups[1][0] == Term("stri", prefix=True, typing=True)
    assert parse("rail s", now=NOW).groups[1][0].prefix is False
    assert parse('rail "stri"', now=NOW).groups[1][0].prefix is False
    assert parse("stri is:unread", now=NOW).groups[0][0].prefix is False


def test_an_explicit_star_is_a_prefix_anywhere():
    q = parse("presid* election", now=NOW)
    assert q.groups[0][0] == Term("presid", prefix=True)


def test_fts5_syntax_is_quoted_never_passed_through():
    match = compile_query(parse('NEAR(a "b c" title:x^ *', now=NOW)).match
    assert match == '"NEAR(a" AND "b c" AND title : "x^"'
    assert compile_query(parse('say "he said ""no"""', now=NOW)).match.startswith('"say" AND "he said "')


@pytest.mark.parametrize("q, name, value", [
    ("since:7d", "since", "2016-01-24T12:00:00+00:00"),
    ("since:2w", "since", "2016-01-17T12:00:00+00:00"),
    ("since:3m", "since", "2015-11-02T12:00:00+00:00"),
    ("since:1y", "since", "2015-01-31T12:00:00+00:00"),
    ("since:2015-11-01", "since", "2015-11-01T00:00:00+00:00"),
    ("before:2015-12", "before", "2015-12-01T00:00:00+00:00"),
    ("before:2015", "before", "2015-01-01T00:00:00+00:00"),
    ("since:2015-11-01T10:00:00+02:00", "since", "2015-11-01T08:00:00+00:00"),
    ("is:UNREAD", "is", "unread"),
    ("has:note", "has", "note"),
    ("@Putin", "entity", "Putin"),
    ('entity:"Vladimir Putin"', "entity", "Vladimir Putin"),
    ("#Transport", "tag", "Transport"),
    ("note:walkout", "note", "walkout"),
    ("feed:kremlin", "feed", "kremlin"),
    ("kind:Person", "kind", "person"),
])
def test_filters(q, name, value):
    (f,) = parse(q, now=NOW).filters
    assert (f.name, f.value) == (name, value)


def test_negated_filters_and_sort():
    q = parse("-is:read -@Putin sort:date", now=NOW)
    assert [(f.name, f.value) for f in q.negated_filters] == [("is", "read"), ("entity", "Putin")]
    assert q.sort == "date" and parse("x", now=NOW).sort == "rank"


def test_urls_are_words_not_fields():
    assert words("https://example.com/a") == [["https://example.com/a"]]


@pytest.mark.parametrize("q, column, reason", [
    ('putin "air', 7, "unclosed quote"),
    ("putin title:", 7, "'title:' needs a value"),
    ("a foo:bar", 3, "unknown field"),
    ("OR putin", 1, "OR needs"),
    ("putin OR", 7, "OR needs"),
    ("is:sleepy", 1, "unknown state"),
    ("since:soon", 1, "not a date"),
    ("kind:animal", 1, "kind:"),
    ("sort:random", 1, "sort:"),
    ("since:99999y", 1, "before the year 1"),
    ("-foo:bar", 2, "unknown field 'foo:'"),
    ("x @", 3, "'@' needs a value"),
    ("#", 1, "'#' needs a value"),
    ("note:(", 1, "note: needs words"),
    ("a OR OR b", 6, "OR needs"),
    ("has:tags", 1, "unknown state"),
    ("before:2015-13", 1, "not a date"),
    ("x " * (MAX_TERMS + 1), 2 * MAX_TERMS + 1, "too many words"),
])
def test_errors_name_the_problem_and_column(q, column, reason):
    with pytest.raises(QueryError) as info:
        parse(q, now=NOW)
    assert (info.value.column, reason in info.value.reason) == (column, True), info.value


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_parser_raises_nothing_but_query_error_on_any_text(text):
    try:
        q = parse(text)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1
        return
    compile_query(q)  # compiling a parsed query never fails either

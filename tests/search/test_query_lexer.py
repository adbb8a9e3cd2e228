"""The Pygments lexer of the query language: every token type, the whole text covered,
and agreement with the parser's token rules on generated queries."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import lex
from pygments.token import (
    Error,
    Keyword,
    Literal,
    Name,
    Operator,
    String,
    Text,
    Whitespace,
)

from store.errors import QueryError
from store.search.lexer import lex as parser_lex
from store.search.parser import parse
from store.search.pygments_lexer import QueryLexer, error_span, spans


def kinds(query: str) -> list[tuple[str, object]]:
    return [(value, token) for value, token in
            ((query[a:b], t) for a, b, t in spans(query)) if token is not Whitespace]


def test_every_token_type_has_its_own_pygments_type():
    got = kinds('talks presid* "air strike" OR NOT -aleppo title:x @Putin #rail since:7d is:unread colour:red')
    assert got == [
        ("talks", Text), ("presid*", Name.Other), ('"air strike"', String.Double), ("OR", Operator.Word),
        ("NOT", Operator.Word), ("-", Operator), ("aleppo", Text), ("title:", Keyword), ("x", Text),
        ("@", Name.Entity), ("Putin", Name.Entity), ("#", Name.Tag), ("rail", Name.Tag),
        ("since:", Keyword), ("7d", Literal.Date), ("is:", Keyword), ("unread", Keyword.Constant),
        ("colour:", Error), ("red", Text),
    ]


def test_an_unclosed_quote_is_an_error_token_to_the_end():
    assert kinds('putin "air strike') == [("putin", Text), ('"air strike', Error)]
    assert kinds("@") == [("@", Error)]
    assert kinds("#") == [("#", Error)]


def test_pygments_api_gives_back_the_text_it_was_given():
    query = 'a -"b c" @"Vladimir Putin" feed:"Wire One" before:2015-12'
    tokens = list(lex(query, QueryLexer()))
    assert "".join(v for _, v in tokens) == query + "\n"
    assert (Name.Entity, '"Vladimir Putin"') in tokens and (Literal.Date, "2015-12") in tokens


def test_error_span_marks_the_bad_part_the_parser_names():
    for query, bad in [('putin "air strike', '"air strike'), ("colour:red x", "colour:"),
                       ("a since:someday b", "since:someday"), ("a OR", "OR"), ("x title:", "title:")]:
        try:
            parse(query)
        except QueryError as exc:
            start, end = error_span(query, exc.column)
            assert query[start:end] == bad, (query, exc)
        else:
            raise AssertionError(f"{query!r} parsed")


ATOMS = st.sampled_from([
    "putin", "talks", "presid*", "OR", "AND", "NOT", "-", "-x", '"air strike"', '"', "@", "@Putin",
    '@"Vladimir Putin"', "#", "#rail", "title:", "title:x", "feed:wire", "is:unread", "is:bogus", "since:7d",
    "since:bad", "colour:red", "http://x.test/a", ":", "*", "(", "é", "🙂", "שלום", "[bold]", "\x1b[31m", "\x00",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(ATOMS, max_size=8), st.lists(st.sampled_from([" ", "", "  ", "\t"]), min_size=8, max_size=8))
def test_lexer_and_parser_agree_on_generated_queries(atoms, gaps):
    query = "".join(a + g for a, g in zip(atoms, gaps, strict=False))
    pieces = spans(query)
    # the pieces cover the whole text, in order, with no gap
    assert [a for a, _, _ in pieces] == ([0] + [b for _, b, _ in pieces][:-1] if pieces else [])
    assert (pieces[-1][1] if pieces else 0) == len(query)
    errors = [(a, b) for a, b, t in pieces if t is Error]
    try:
        tokens = parser_lex(query)
    except QueryError as exc:
        # the parser's first lexing error is the lexer's first error token
        assert errors and errors[0][0] == exc.column - 1
        return
    assert not errors
    # every token the parser reads starts where the lexer starts a non-space piece
    starts = {a for a, _, t in pieces if t is not Whitespace}
    assert all(t.column - 1 in starts for t in tokens)
    fields = [query[a:b].lower().rstrip(":") for a, b, t in pieces if t is Keyword]
    assert fields == [t.field for t in tokens
                      if t.kind == "field" and query[t.column - 1 + (1 if t.negated else 0)] not in "@#"]

"""A Pygments lexer for the query language: the reader colours the search line with it and
`margin search` marks the bad part of a malformed query. It reads `scan`'s pieces (the
parser's own token rules), so it cannot drift from what the parser accepts."""
from __future__ import annotations

from collections.abc import Iterator

from pygments.lexer import Lexer
from pygments.token import (
    Error,
    Keyword,
    Literal,
    Name,
    Operator,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from store.search.lexer import Piece, scan

# What each piece is called in Pygments' vocabulary (so any Pygments style colours it).
FIELD = Keyword
ENTITY = Name.Entity
TAG = Name.Tag
DATE = Literal.Date
STATE = Keyword.Constant
PREFIX = Name.Other  # a word ending in * (presid*)
WORD = Text
PHRASE = String.Double
OPERATOR = Operator.Word
NEGATION = Operator
ERROR = Error

_VALUE = {"entity": ENTITY, "tag": TAG, "since": DATE, "before": DATE, "is": STATE, "has": STATE,
          "sort": STATE, "kind": STATE}


def piece_token(piece: Piece, text: str) -> _TokenType:
    if piece.kind == "space":
        return Whitespace
    if piece.kind == "negate":
        return NEGATION
    if piece.kind == "operator":
        return OPERATOR
    if piece.kind == "error":
        return ERROR
    if piece.kind == "phrase":
        return PHRASE
    if piece.kind == "prefix":
        return _VALUE.get(piece.field, FIELD) if piece.field in ("entity", "tag") else FIELD
    if piece.kind == "value":
        if text.startswith('"') and piece.field not in ("entity", "tag"):
            return PHRASE
        return _VALUE.get(piece.field, WORD)
    if text.endswith("*") and any(ch.isalnum() for ch in text):
        return PREFIX
    return WORD


class QueryLexer(Lexer):
    name = "margin query"
    aliases = ["margin-query"]
    filenames: list[str] = []

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        # Pygments hands over the text with a newline added; scan sees it as a space.
        for piece in scan(text).pieces:
            value = text[piece.start:piece.end]
            yield piece.start, piece_token(piece, value), value


def spans(query: str) -> list[tuple[int, int, _TokenType]]:
    """(start, end, token type) for every piece of `query`, whitespace included."""
    return [(p.start, p.end, piece_token(p, query[p.start:p.end])) for p in scan(query).pieces]


def error_span(query: str, column: int) -> tuple[int, int]:
    """Where to mark a QueryError raised at 1-based `column`: the error piece the lexer
    found there, else the whole token that starts at that column (a bad date, a lone OR)."""
    pieces = [p for p in scan(query).pieces if p.kind != "space"]
    at = column - 1
    for p in pieces:
        if p.kind == "error" and p.start <= at < max(p.end, p.start + 1):
            return p.start, max(p.end, p.start + 1)
    start = end = min(max(at, 0), len(query))
    for p in pieces:  # the pieces that touch from `start` on make one token
        if p.start == end and p.end > end:
            end = p.end
    return start, max(end, start + 1)

"""Query text -> tokens, each with its 1-based column. Knows quoting and field prefixes only;
what a token means is the parser's business.

`scan` is the one set of token rules: it cuts the whole text into pieces (spaces, `-`,
field prefixes, values, errors) and never stops at a mistake; `lex` (the parser's input)
and the Pygments lexer (highlighting, store/search/pygments_lexer.py) are both built on it,
so what is coloured as a field is what the parser reads as one."""
from __future__ import annotations

import re
from dataclasses import dataclass

from store.errors import QueryError

TEXT_FIELDS = ("title", "author", "source")
FILTER_FIELDS = ("feed", "entity", "kind", "tag", "note", "is", "has", "since", "before", "sort")
_FIELD = re.compile(r"([A-Za-z]+):")
_BARE = re.compile(r'[^\s"]*')
# Control characters (NUL ends an FTS5 string early) and lone surrogates (not encodable)
# cannot be meant; they become spaces, one for one, so columns stay true.
_UNUSABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class Token:
    kind: str  # word, phrase, or, not, and, field
    text: str
    column: int
    negated: bool = False
    field: str | None = None
    quoted: bool = False


@dataclass(frozen=True)
class Piece:
    """A stretch of the query text, `text[start:end]`, with what it is:
    space, negate (a leading `-`), prefix (`title:`, `@`, `#`), value (a field's value),
    word, phrase, operator (OR, AND, NOT) or error (with `reason`)."""

    kind: str
    start: int
    end: int
    field: str | None = None
    reason: str | None = None


@dataclass
class Scan:
    pieces: list[Piece]
    tokens: list[Token]
    error: QueryError | None  # the first mistake, as the parser reports it


def clean(query: str) -> str:
    return _UNUSABLE.sub(" ", query)


def scan(query: str) -> Scan:
    query = clean(query)
    pieces: list[Piece] = []
    tokens: list[Token] = []
    first_error: list[QueryError] = []

    def fail(reason: str, column: int, start: int, end: int) -> None:
        pieces.append(Piece("error", start, end, reason=reason))
        if not first_error:
            first_error.append(QueryError(reason, column))

    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            j = i
            while j < n and query[j].isspace():
                j += 1
            pieces.append(Piece("space", i, j))
            i = j
            continue
        start = i
        negated = False
        if ch == "-" and i + 1 < n and not query[i + 1].isspace():
            pieces.append(Piece("negate", i, i + 1))
            negated, i = True, i + 1
        fld, typed, known = None, "", True
        if query[i] in "@#":
            fld, typed = ("entity" if query[i] == "@" else "tag"), query[i]
            pieces.append(Piece("prefix", i, i + 1, fld))
            i += 1
        else:
            m = _FIELD.match(query, i)
            # "http://…" is a word to look for, not a field.
            if m and not query.startswith("//", m.end()):
                fld, typed = m.group(1).lower(), m.group(0)
                if fld not in TEXT_FIELDS and fld not in FILTER_FIELDS:
                    names = ", ".join(f + ":" for f in TEXT_FIELDS + FILTER_FIELDS)
                    fail(f"unknown field '{typed}' (known: {names})", i + 1, i, m.end())
                    known = False
                else:
                    pieces.append(Piece("prefix", i, m.end(), fld))
                i = m.end()
        if i < n and query[i] == '"':
            end = query.find('"', i + 1)
            if end < 0:
                fail("unclosed quote", i + 1, i, n)
                break
            value, vstart, i, quoted = query[i + 1:end], i, end + 1, True
        else:
            value, vstart, quoted = _BARE.match(query, i).group(0), i, False
            i += len(value)
        if fld is not None:
            if not value.strip():
                if known:
                    pieces.pop()  # the prefix: the error piece covers it instead
                    fail(f"'{typed}' needs a value", start + 1 + negated, start + negated, i)
                continue
            if known:
                pieces.append(Piece("value", vstart, i, fld))
                tokens.append(Token("field", value, start + 1, negated, fld, quoted))
            else:
                pieces.append(Piece("phrase" if quoted else "word", vstart, i))
        elif quoted:
            pieces.append(Piece("phrase", vstart, i))
            tokens.append(Token("phrase", value, start + 1, negated, quoted=True))
        elif value in ("OR", "NOT", "AND") and not negated:
            pieces.append(Piece("operator", vstart, i))
            tokens.append(Token(value.lower(), value, start + 1))
        else:
            pieces.append(Piece("word", vstart, i))
            tokens.append(Token("word", value, start + 1, negated))
    return Scan(pieces, tokens, first_error[0] if first_error else None)


def lex(query: str) -> list[Token]:
    result = scan(query)
    if result.error is not None:
        raise result.error
    return result.tokens

"""Query text -> tokens, each with its 1-based column. Knows quoting and field prefixes only;
what a token means is the parser's business."""
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
    kind: str  # word, phrase, or, not, field
    text: str
    column: int
    negated: bool = False
    field: str | None = None
    quoted: bool = False


def lex(query: str) -> list[Token]:
    tokens: list[Token] = []
    query = _UNUSABLE.sub(" ", query)
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        negated = False
        if ch == "-" and i + 1 < n and not query[i + 1].isspace():
            negated, i = True, i + 1
        fld, typed = None, ""
        if query[i] in "@#":
            fld, typed = ("entity" if query[i] == "@" else "tag"), query[i]
            i += 1
        else:
            m = _FIELD.match(query, i)
            # "http://…" is a word to look for, not a field.
            if m and not query.startswith("//", m.end()):
                fld, typed = m.group(1).lower(), m.group(0)
                if fld not in TEXT_FIELDS and fld not in FILTER_FIELDS:
                    known = ", ".join(f + ":" for f in TEXT_FIELDS + FILTER_FIELDS)
                    raise QueryError(f"unknown field '{typed}' (known: {known})", i + 1)
                i = m.end()
        if i < n and query[i] == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError("unclosed quote", i + 1)
            value, i, quoted = query[i + 1:end], end + 1, True
        else:
            value, quoted = _BARE.match(query, i).group(0), False
            i += len(value)
        if fld is not None:
            if not value.strip():
                raise QueryError(f"'{typed}' needs a value", start + 1 + negated)
            tokens.append(Token("field", value, start + 1, negated, fld, quoted))
        elif quoted:
            tokens.append(Token("phrase", value, start + 1, negated, quoted=True))
        elif value == "OR" and not negated:
            tokens.append(Token("or", value, start + 1))
        elif value in ("NOT", "AND") and not negated:
            tokens.append(Token(value.lower(), value, start + 1))
        else:
            tokens.append(Token("word", value, start + 1, negated))
    return tokens

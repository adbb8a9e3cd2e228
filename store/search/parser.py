"""The query language (DESIGN §5) -> a small AST. User text never reaches FTS5 unparsed.

    words, "phrases", a OR b, -word, NOT word, field:value, field:"a phrase",
    @Name, @"Full Name", #tag, is:/has:, since:/before:, sort:date|rank
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from store.errors import QueryError

TEXT_FIELDS = ("title", "author", "source")
FILTER_FIELDS = ("feed", "entity", "kind", "tag", "note", "is", "has", "since", "before", "sort")
STATES = {"is": ("unread", "read", "starred", "orphaned"), "has": ("note",)}
KINDS = ("person", "place", "org", "other")
_RELATIVE = re.compile(r"^(\d{1,5})([dwmy])$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """A word or phrase matched in the FTS index, optionally restricted to one column."""

    text: str
    phrase: bool = False
    column: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Filter:
    name: str  # feed, entity, kind, tag, note, is, has, since, before
    value: str
    column: int = 0


@dataclass
class Query:
    # Conjunction of groups; each group is a disjunction of terms (a OR b).
    groups: list[list[Term]] = field(default_factory=list)
    negated: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    negated_filters: list[Filter] = field(default_factory=list)
    sort: str = "rank"

    @property
    def has_text(self) -> bool:
        return bool(self.groups)


@dataclass
class _Token:
    kind: str  # word, phrase, or, not, field
    text: str
    column: int
    negated: bool = False
    field: str | None = None
    quoted: bool = False


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
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
        fld = None
        if query[i] in "@#":
            fld = "entity" if query[i] == "@" else "tag"
            i += 1
        else:
            m = re.match(r"([A-Za-z]+):", query[i:])
            if m:
                fld = m.group(1).lower()
                if fld not in TEXT_FIELDS and fld not in FILTER_FIELDS:
                    raise QueryError(f"unknown field '{m.group(1)}:'", start + 1 + negated)
                i += len(m.group(0))
        if i < n and query[i] == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError("unclosed quote", i + 1)
            value, i, quoted = query[i + 1:end], end + 1, True
        else:
            m = re.match(r'[^\s"]*', query[i:])
            value, quoted = m.group(0), False
            i += len(value)
        if fld is not None:
            if not value.strip():
                raise QueryError(f"'{fld}:' needs a value", start + 1)
            tokens.append(_Token("field", value, start + 1, negated, fld, quoted))
        elif quoted:
            tokens.append(_Token("phrase", value, start + 1, negated, quoted=True))
        elif value == "OR" and not negated:
            tokens.append(_Token("or", value, start + 1))
        elif value in ("NOT", "AND") and not negated:
            tokens.append(_Token(value.lower(), value, start + 1))
        else:
            tokens.append(_Token("word", value, start + 1, negated))
    return tokens


def _date_value(value: str, column: int, now: datetime) -> str:
    m = _RELATIVE.match(value.lower())
    if m:
        try:
            return (now - timedelta(days=int(m.group(1)) * _DAYS[m.group(2)])).isoformat()
        except OverflowError:
            raise QueryError(f"'{value}' reaches before the year 1", column) from None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"'{value}' is not a date (use 2015-11-01 or 7d, 2w, 3m, 1y)", column) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _searchable(text: str) -> bool:
    return bool(_WORD_CHAR.search(text))


def parse(query: str, *, now: datetime | None = None) -> Query:
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    out = Query()
    pending_or = False
    negate_next = False
    last_word: tuple[int, int] | None = None  # (group index, term index) of the last bare word
    tokens = _lex(query)
    for pos, tok in enumerate(tokens):
        if tok.kind == "and":
            continue
        if tok.kind == "not":
            negate_next = True
            continue
        if tok.kind == "or":
            if not out.groups or pending_or or pos == len(tokens) - 1:
                raise QueryError("OR needs a term on both sides", tok.column)
            pending_or = True
            continue
        negated = tok.negated or negate_next
        negate_next = False
        if tok.kind == "field" and tok.field not in TEXT_FIELDS:
            _add_filter(out, tok, negated, now)
            pending_or = False
            continue
        if not _searchable(tok.text):
            pending_or = False
            continue  # punctuation only ("*", "(", "'"): nothing to match
        term = Term(tok.text, phrase=tok.quoted, column=tok.field)
        if negated:
            out.negated.append(term)
        elif pending_or:
            out.groups[-1].append(term)
        else:
            out.groups.append([term])
        if tok.kind == "word" and not negated:
            last_word = (len(out.groups) - 1, len(out.groups[-1]) - 1)
        elif not negated:
            last_word = None
        pending_or = False
    if last_word is not None and tokens and tokens[-1].kind == "word":
        g, t = last_word
        old = out.groups[g][t]
        out.groups[g][t] = Term(old.text, old.phrase, old.column, prefix=True)
    return out


def _add_filter(out: Query, tok: _Token, negated: bool, now: datetime) -> None:
    name, value = tok.field, tok.text.strip()
    if name == "sort":
        if value.lower() not in ("date", "rank"):
            raise QueryError(f"sort: takes date or rank, not '{value}'", tok.column)
        out.sort = value.lower()
        return
    if name in STATES:
        if value.lower() not in STATES[name]:
            allowed = ", ".join(f"{name}:{s}" for s in STATES[name])
            raise QueryError(f"unknown state '{name}:{value}' (use {allowed})", tok.column)
        value = value.lower()
    elif name == "kind":
        if value.lower() not in KINDS:
            raise QueryError(f"kind: takes one of {', '.join(KINDS)}, not '{value}'", tok.column)
        value = value.lower()
    elif name in ("since", "before"):
        value = _date_value(value, tok.column, now)
    elif name == "note" and not _searchable(value):
        raise QueryError("note: needs words to look for", tok.column)
    (out.negated_filters if negated else out.filters).append(Filter(name, value, tok.column))

"""The query language (DESIGN §5) -> a small AST. User text never reaches FTS5 unparsed.

    words, "phrases", a OR b, -word, NOT word, field:value, field:"a phrase",
    @Name, @"Full Name", #tag, is:/has:, since:/before:, sort:date|rank
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from store.errors import QueryError
from store.search.lexer import TEXT_FIELDS, Token, lex

# FTS5 refuses expressions deeper than 256; a query is never that long on purpose.
MAX_TERMS = 64
STATES = {"is": ("unread", "read", "starred", "orphaned"), "has": ("note",)}
KINDS = ("person", "place", "org", "other")
_RELATIVE = re.compile(r"^(\d{1,5})([dwmy])$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class Term:
    """A word or phrase matched in the FTS index, optionally restricted to one column."""

    text: str
    phrase: bool = False
    column: str | None = None
    prefix: bool = False
    # The last bare word, still being typed: the engine keeps it as a prefix only while
    # it is not already a common word on its own (store/search/engine.py settle_typing).
    typing: bool = False


@dataclass(frozen=True)
class Filter:
    name: str  # feed, entity, kind, tag, note, is, has, since, before
    value: str
    column: int = 0
    also: tuple[str, ...] = ()  # entity: more names it means (a lone surname's full name)


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


def date_value(value: str, column: int, now: datetime) -> str:
    m = _RELATIVE.match(value.lower())
    if m:
        try:
            return (now - timedelta(days=int(m.group(1)) * _DAYS[m.group(2)])).isoformat()
        except OverflowError:
            raise QueryError(f"'{value}' reaches before the year 1", column) from None
    partial = _PARTIAL_DATE.match(value)
    try:
        if partial:  # 2015 or 2015-11: the first day of that year or month
            dt = datetime(int(partial.group(1)), int(partial.group(2) or 1), 1)
        else:
            dt = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"'{value}' is not a date (use 2015-11-01 or 7d, 2w, 3m, 1y)", column) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0).isoformat()


def _searchable(text: str) -> bool:
    """True when FTS5's unicode61 tokenizer finds a token in `text` (letters, digits)."""
    return any(ch.isalnum() for ch in text)


def _prefixable(text: str) -> bool:
    return sum(ch.isalnum() for ch in text) >= 2


def parse(query: str, *, now: datetime | None = None) -> Query:
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    out = Query()
    pending_or = False
    negate_next = False
    last_word: tuple[int, int] | None = None  # (group index, term index) of the last bare word
    tokens = lex(query)
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
        text, starred = tok.text, False
        if tok.kind == "word" and text.endswith("*") and _prefixable(text.rstrip("*")):
            text, starred = text.rstrip("*"), True  # an explicit prefix: presid*
        term = Term(text, phrase=tok.quoted, column=tok.field, prefix=starred)
        if sum(map(len, out.groups)) + len(out.negated) >= MAX_TERMS:
            raise QueryError(f"too many words (at most {MAX_TERMS})", tok.column)
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
        # One letter would expand to a large slice of the vocabulary; the prefix indexes
        # start at two letters, so that is where typing-ahead starts too.
        if _prefixable(old.text) and not old.prefix:
            out.groups[g][t] = Term(old.text, old.phrase, old.column, prefix=True, typing=True)
    return out


def _add_filter(out: Query, tok: Token, negated: bool, now: datetime) -> None:
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
        value = date_value(value, tok.column, now)
    elif name == "note" and not _searchable(value):
        raise QueryError("note: needs words to look for", tok.column)
    (out.negated_filters if negated else out.filters).append(Filter(name, value, tok.column))

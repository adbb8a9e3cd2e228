"""newsboat `query:` feeds -> saved searches: its filter language translated into margin's
query language where margin can say the same thing.

    "query:Unread news:unread = \\"yes\\" and tags # \\"news\\""  ->  is:unread #news

Translated: conditions joined by `and`; `or` between text conditions; unread, title,
content, author, tags, feedtitle, feedurl and age, with =, !=, =~, !~ (plain words only,
no regular expressions), #, !#, <, >. Anything else has no translation and is reported.
"""
from __future__ import annotations

import re

from store.errors import QueryError
from store.search.parser import parse

_TOKEN = re.compile(r'\s*(\(|\)|"(?:\\.|[^"\\])*"|!=|=~|!~|!#|<=|>=|=|<|>|#|[A-Za-z_][\w-]*|\S+)')
_PLAIN = re.compile(r"^[\w\s'’.,-]+$", re.UNICODE)
_TEXT = {"title": "title:", "content": "", "description": "", "author": "author:"}


class Untranslatable(Exception):
    """The filter says something margin's language has no words for; the message says what."""


def _tokens(expr: str) -> list[str]:
    out, i = [], 0
    while i < len(expr):
        m = _TOKEN.match(expr, i)
        if m is None or not m.group(1):
            break
        out.append(m.group(1))
        i = m.end()
    return out


def _value(tok: str) -> str:
    if tok.startswith('"') and tok.endswith('"') and len(tok) >= 2:
        return re.sub(r"\\(.)", r"\1", tok[1:-1])
    return tok


def _quoted(text: str) -> str:
    text = text.strip()
    return text if re.fullmatch(r"\w+", text) else '"' + text.replace('"', "") + '"'


def _condition(attr: str, op: str, raw: str) -> tuple[str, bool]:
    """One `attr op value` as margin query text, and whether it is a text term (OR-able)."""
    value = _value(raw)
    negate = op in ("!=", "!~", "!#")
    sign = "-" if negate else ""
    if attr == "unread" and op in ("=", "!="):
        unread = (value == "yes") != negate
        return ("is:unread" if unread else "is:read"), False
    if attr in _TEXT and op in ("=~", "!~", "=", "!=", "#", "!#"):
        if not value.strip() or not _PLAIN.match(value):
            raise Untranslatable(f"'{attr} {op} {raw}' is a regular expression")
        return sign + _TEXT[attr] + _quoted(value), not negate
    if attr == "tags" and op in ("#", "!#", "=~", "!~"):
        if not _PLAIN.match(value) or " " in value.strip():
            raise Untranslatable(f"'{attr} {op} {raw}' is not one tag")
        return f"{sign}#{value.strip()}", False
    if attr in ("feedtitle", "feedurl", "rssurl") and op in ("=", "=~", "!=", "!~"):
        if not value.strip() or not _PLAIN.match(value.replace("/", "").replace(":", "")):
            raise Untranslatable(f"'{attr} {op} {raw}' is a regular expression")
        return f"{sign}feed:{_quoted(value)}", False
    if attr == "age" and op in ("<", "<=", ">", ">=") and value.isdigit():
        return ("since:" if op.startswith("<") else "before:") + f"{int(value)}d", False
    raise Untranslatable(f"'{attr} {op} {raw}' has no margin equivalent")


def translate(expr: str) -> str:
    """newsboat filter expression -> margin query (checked to parse); raises Untranslatable."""
    toks = _tokens(expr.strip())
    while len(toks) >= 2 and toks[0] == "(" and toks[-1] == ")" and "(" not in toks[1:-1]:
        toks = toks[1:-1]
    if "(" in toks or ")" in toks:
        raise Untranslatable("grouping with parentheses has no margin equivalent")
    parts: list[str] = []
    kinds: list[bool] = []
    joins: list[str] = []
    i = 0
    while i < len(toks):
        if len(toks) - i < 3:
            raise Untranslatable(f"cannot read '{' '.join(toks[i:])}'")
        text, is_text = _condition(toks[i].lower(), toks[i + 1], toks[i + 2])
        parts.append(text)
        kinds.append(is_text)
        i += 3
        if i < len(toks):
            join = toks[i].lower()
            if join not in ("and", "or"):
                raise Untranslatable(f"expected 'and' or 'or', found '{toks[i]}'")
            joins.append(join)
            i += 1
    if not parts:
        raise Untranslatable("empty filter")
    out = [parts[0]]
    for k, join in enumerate(joins):
        if join == "or":
            if not (kinds[k] and kinds[k + 1]):
                raise Untranslatable("'or' between filters (not words) has no margin equivalent")
            out.append("OR")
        out.append(parts[k + 1])
    query = " ".join(out)
    try:
        parse(query)
    except QueryError as exc:
        raise Untranslatable(f"translates to a query margin refuses ({exc})") from None
    return query


def query_line(url_word: str) -> tuple[str, str]:
    """`query:NAME:FILTER` -> (name, filter)."""
    rest = url_word[len("query:"):]
    name, sep, expr = rest.partition(":")
    if not sep:
        raise Untranslatable("no filter after the name")
    return name.strip() or "newsboat query", expr

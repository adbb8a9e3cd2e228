"""What `tab` offers in the search line: `@` entity names (most written about first),
field names, `feed:` titles, `#tags`, field values and saved-search names, from the library."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from store.names import name_key
from store.search.lexer import FILTER_FIELDS, TEXT_FIELDS
from store.search.parser import KINDS, STATES

LIMIT = 12
_VALUES = {"is": STATES["is"], "has": STATES["has"], "kind": KINDS, "sort": ("date", "rank"),
           "since": ("1d", "7d", "30d", "1y"), "before": ("7d", "30d", "1y")}


@dataclass
class Candidate:
    text: str  # what replaces query[start:end]
    label: str  # what the list shows
    detail: str = ""  # e.g. "42 articles"
    start: int = 0
    end: int = 0


def _quote(value: str) -> str:
    return '"' + value.replace('"', "") + '"' if any(ch.isspace() or ch in '":' for ch in value) else value


def _fragment(query: str, cursor: int) -> tuple[int, str]:
    """The start of the word being typed at `cursor`, and its text (a quote opened inside
    the word is followed to the cursor: `@"Vladimir Pu`)."""
    start = cursor
    in_quote = query[:cursor].count('"') % 2 == 1
    if in_quote:
        start = query.rfind('"', 0, cursor)
    while start > 0 and not query[start - 1].isspace():
        start -= 1
    if query[start:start + 1] == "-" and cursor > start + 1:
        start += 1  # the exclusion stays; the word after it is completed
    return start, query[start:cursor]


def candidates(conn: sqlite3.Connection, query: str, cursor: int | None = None) -> list[Candidate]:
    cursor = len(query) if cursor is None else max(0, min(cursor, len(query)))
    start, frag = _fragment(query, cursor)
    end = cursor
    while end < len(query) and not query[end].isspace() and not frag.startswith('"'):
        end += 1  # completing in the middle of a word replaces all of it
    if frag.startswith("@"):
        out = _entities(conn, frag[1:].lstrip('"'))
    elif frag.startswith("#"):
        out = _tags(conn, frag[1:])
    elif ":" in frag:
        field, _, value = frag.partition(":")
        field = field.lower()
        value = value.lstrip('"')
        if field == "feed":
            out = _feeds(conn, value)
        elif field == "entity":
            out = [Candidate(f"entity:{c.text[1:]}", c.label, c.detail) for c in _entities(conn, value)]
        elif field == "tag":
            out = [Candidate(f"tag:{_quote(c.label[1:])}", c.label, c.detail) for c in _tags(conn, value)]
        elif field in _VALUES:
            out = [Candidate(f"{field}:{v}", f"{field}:{v}") for v in _VALUES[field] if v.startswith(value.lower())]
        else:
            out = []
    else:
        out = _fields(frag) + _saved(conn, frag)
    for c in out:
        c.start, c.end = start, end
    return out[:LIMIT]


def _fields(frag: str) -> list[Candidate]:
    low = frag.lower()
    return [Candidate(f + ":", f + ":", "field") for f in TEXT_FIELDS + FILTER_FIELDS if f.startswith(low)]


def _saved(conn: sqlite3.Connection, frag: str) -> list[Candidate]:
    """A saved search's name typed into the line becomes its query."""
    if not frag:
        return []
    key = frag.casefold()
    return [Candidate(q, n, "saved search") for n, q in conn.execute(
        "SELECT name, query FROM saved_searches ORDER BY position, name") if n.casefold().startswith(key)]


def _entities(conn: sqlite3.Connection, prefix: str) -> list[Candidate]:
    key = name_key(prefix)
    like = "% " + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # The name's start (an index range), or the start of a later word in it (@put: Vladimir Putin).
    rows = conn.execute(
        "SELECT e.id, e.name FROM entities e WHERE e.hidden = 0 AND ((e.key >= ? AND e.key < ?)"
        " OR e.key LIKE ? ESCAPE '\\') LIMIT 400",
        (key, key + "\U0010ffff", like),
    ).fetchall() if key else conn.execute(
        "SELECT e.id, e.name FROM entities e WHERE e.hidden = 0 AND e.id IN"
        " (SELECT entity_id FROM mentions GROUP BY entity_id ORDER BY count(*) DESC LIMIT 100)"
    ).fetchall()
    counted = []
    for entity_id, name in rows:
        n = conn.execute("SELECT count(DISTINCT article_id) FROM mentions WHERE entity_id = ?",
                         (entity_id,)).fetchone()[0]
        if n:
            counted.append((n, name))
    counted.sort(key=lambda t: (-t[0], t[1].casefold()))
    seen, out = set(), []
    for n, name in counted:
        if name in seen:  # the same name as a person and an org: one completion covers both
            continue
        seen.add(name)
        out.append(Candidate("@" + _quote(name), "@" + name, f"{n} article{'' if n == 1 else 's'}"))
    return out


def _tags(conn: sqlite3.Connection, prefix: str) -> list[Candidate]:
    tags: dict[str, int] = {}
    for (raw,) in conn.execute(
        "SELECT tags FROM feeds WHERE tags != '[]' UNION ALL SELECT tags FROM notes WHERE tags != '[]'"
        " UNION ALL SELECT tags FROM articles WHERE tags != '[]'"
    ):
        try:
            values = json.loads(raw or "[]")
        except ValueError:
            continue
        for tag in values if isinstance(values, list) else []:
            if isinstance(tag, str):
                tags[tag.casefold()] = tags.get(tag.casefold(), 0) + 1
    low = prefix.casefold()
    found = sorted((t for t in tags if t.startswith(low)), key=lambda t: (-tags[t], t))
    return [Candidate("#" + t if not any(ch.isspace() or ch == '"' for ch in t) else f"tag:{_quote(t)}",
                      "#" + t, f"{tags[t]}") for t in found]


def _feeds(conn: sqlite3.Connection, prefix: str) -> list[Candidate]:
    low = prefix.casefold()
    out = []
    for title, url, n in conn.execute(
        "SELECT f.title, f.url, (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) FROM feeds f"
        " WHERE f.hidden = 0 ORDER BY 3 DESC, lower(coalesce(f.title, f.url))"
    ):
        label = title or url
        if label.casefold().startswith(low) or any(w.startswith(low) for w in label.casefold().split()):
            out.append(Candidate(f"feed:{_quote(label)}", label, f"{n} article{'' if n == 1 else 's'}"))
    return out

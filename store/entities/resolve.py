"""Which entity a name the user typed means: `margin entity`, `@Name`, `[[Name]]`.

A name or alias matches exactly (case and accents ignored). Failing that, a partial name
means the one entity whose name begins or ends with it word for word ("Erdogan" ->
"Recep Tayyip Erdogan", "Syrian Observatory" -> "Syrian Observatory for Human
Rights"); when several names qualify the user is shown them, never one picked at random.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.errors import MarginError, NotFound
from store.names import name_key

SHOWN = 8  # candidates named in the message


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    kind: str
    hidden: bool
    mentions: int


class Ambiguous(MarginError):
    """A partial name that fits several entities; `candidates` lists them."""

    def __init__(self, name: str, candidates: list[Candidate]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{c.name} ({c.kind})" for c in candidates[:SHOWN])
        more = f"; and {len(candidates) - SHOWN} more" if len(candidates) > SHOWN else ""
        super().__init__(f"{name!r} could mean {len(candidates)} entities: {listed}{more}; give the full name")


_COLS = ("SELECT e.id, e.name, e.kind, e.hidden,"
         " (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n FROM entities e")


def exact(conn: sqlite3.Connection, name: str, *, hidden: bool = True) -> list[Candidate]:
    """Entities whose name or an alias is `name`, the name itself first, then most mentioned."""
    key = name_key(name)
    where = "" if hidden else " AND e.hidden = 0"
    rows = conn.execute(
        _COLS + " WHERE (e.key = ? OR e.id IN (SELECT entity_id FROM aliases WHERE alias_key = ?))"
        + where + " ORDER BY e.key = ? DESC, n DESC, e.id",
        (key, key, key),
    ).fetchall()
    return [Candidate(i, n, k, bool(h), c) for i, n, k, h, c in rows]


def partial(conn: sqlite3.Connection, name: str, *, hidden: bool = True) -> list[list[Candidate]]:
    """Entities whose name (or an alias) starts or ends with the words of `name`, grouped
    by name (the kinds of one name are one candidate), most mentioned first."""
    key = name_key(name)
    if len(key) < 2:
        return []
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    where = "" if hidden else " AND e.hidden = 0"
    rows = conn.execute(
        _COLS + " WHERE (e.key LIKE ? ESCAPE '\\' OR e.key LIKE ? ESCAPE '\\' OR e.id IN"
        " (SELECT entity_id FROM aliases WHERE alias_key LIKE ? ESCAPE '\\' OR alias_key LIKE ? ESCAPE '\\'))"
        + where + " ORDER BY n DESC, e.id",
        (f"% {like}", f"{like} %", f"% {like}", f"{like} %"),
    ).fetchall()
    groups: dict[str, list[Candidate]] = {}
    for i, n, k, h, c in rows:
        groups.setdefault(name_key(n), []).append(Candidate(i, n, k, bool(h), c))
    return sorted(groups.values(), key=lambda g: -sum(c.mentions for c in g))


def resolve(conn: sqlite3.Connection, name: str, *, hidden: bool = True) -> list[Candidate]:
    """The entities (one name, most mentioned kind first) `name` means.

    NotFound when nothing matches; Ambiguous when a partial name fits several names."""
    found = exact(conn, name, hidden=hidden)
    if found and " " in name_key(name):
        return found
    if found:
        # A lone surname stored as its own entity ("Erdogan", from an article that never
        # gave the full name) leads to the one full name of that kind, shown with it.
        fuller = [g for g in partial(conn, name, hidden=hidden) if any(c.kind == found[0].kind for c in g)]
        if len(fuller) == 1 and name_key(found[0].name) == name_key(name):
            main = [c for c in fuller[0] if c.kind == found[0].kind]
            return main + [c for c in found if c.id not in {m.id for m in main}]
        return found
    groups = partial(conn, name, hidden=hidden)
    if len(groups) == 1:
        return groups[0]
    if groups:
        raise Ambiguous(name, [g[0] for g in groups])
    raise NotFound(f"no entity named {name!r}")


def keys_of(conn: sqlite3.Connection, entity_ids: list[int]) -> set[str]:
    """Every key that names these entities: their own and their aliases'."""
    if not entity_ids:
        return set()
    marks = ",".join("?" * len(entity_ids))
    keys = {k for (k,) in conn.execute(f"SELECT key FROM entities WHERE id IN ({marks})", entity_ids)}
    keys |= {k for (k,) in conn.execute(f"SELECT alias_key FROM aliases WHERE entity_id IN ({marks})", entity_ids)}
    return keys

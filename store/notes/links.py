"""`[[Name]]` links inside note bodies."""
from __future__ import annotations

import re

from store.names import name_key

_LINK = WIKI_LINK = re.compile(r"\[\[([^\[\]\n|]{1,200})(?:\|[^\[\]\n]*)?\]\]")  # group 1: the name


def link_names(body: str) -> list[str]:
    seen, out = set(), []
    for m in _LINK.finditer(body or ""):
        name = " ".join(m.group(1).split())
        if name and name_key(name) not in seen:
            seen.add(name_key(name))
            out.append(name)
    return out


def save_note_links(conn, note_id: int, body: str) -> None:
    conn.execute("DELETE FROM note_links WHERE note_id = ?", (note_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO note_links (note_id, name, name_key) VALUES (?, ?, ?)",
        [(note_id, name, name_key(name)) for name in link_names(body)],
    )


def link_keys(conn, name: str) -> set[str]:
    """The link keys that mean what NAME means: NAME itself and, when it names an
    entity (in full, by an alias or by a partial name with one candidate), every
    name of that entity and every linked name that resolves to it. An ambiguous
    partial name raises store.entities.resolve.Ambiguous, which lists the candidates."""
    from store.entities.resolve import keys_of, resolve
    from store.errors import MarginError, NotFound

    keys = {name_key(name)}
    try:
        ids = {c.id for c in resolve(conn, name)}
    except NotFound:
        return keys
    keys |= keys_of(conn, sorted(ids))
    for link_name, key in conn.execute("SELECT DISTINCT name, name_key FROM note_links").fetchall():
        if key in keys:
            continue
        try:
            if ids & {c.id for c in resolve(conn, link_name)}:
                keys.add(key)
        except MarginError:  # a link to nothing, or to several: not this entity's
            continue
    return keys

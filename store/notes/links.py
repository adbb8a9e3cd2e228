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


def store_links(conn, note_id: int, body: str) -> None:
    conn.execute("DELETE FROM note_links WHERE note_id = ?", (note_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO note_links (note_id, name, name_key) VALUES (?, ?, ?)",
        [(note_id, name, name_key(name)) for name in link_names(body)],
    )

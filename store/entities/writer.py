"""Store one article's final mentions: rules applied, entities found or created by key."""
from __future__ import annotations

import sqlite3

from store.entities.canonical import name_key  # cached
from store.entities.protocol import Found
from store.entities.rules import Rules
from store.entities.vote import article_votes, settle, store_votes


class EntityWriter:
    """Resolves (name, kind) to entity ids within one transaction, caching lookups."""

    def __init__(self, conn: sqlite3.Connection, rules: Rules) -> None:
        self.conn = conn
        self.rules = rules
        self.ids: dict[tuple[str, str], int] = {}
        self.written: dict[tuple[int, str], str] = {}  # (article id, key) -> kind stored

    def entity_id(self, name: str, kind: str, hidden: bool) -> int:
        key = name_key(name)
        cached = self.ids.get((key, kind))
        if cached is not None:
            return cached
        row = self.conn.execute(
            "SELECT id, hidden FROM entities WHERE key = ? AND kind = ?", (key, kind)
        ).fetchone()
        if row is None:
            eid = self.conn.execute(
                "INSERT INTO entities (name, kind, key, hidden) VALUES (?,?,?,?)",
                (name, kind, key, int(hidden)),
            ).lastrowid
        else:
            eid = row[0]
            if hidden and not row[1]:
                self.conn.execute("UPDATE entities SET hidden = 1 WHERE id = ?", (eid,))
        self.ids[(key, kind)] = eid
        return eid

    def write(self, article_id: int, found: list[Found], vote: bool = True) -> int:
        """Replace the article's mentions and its votes; returns how many were stored."""
        conn = self.conn
        conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        rows, aliases, voting = [], set(), []
        for f in found:
            name, kind, hidden = self.rules.resolve(f.name, f.kind)
            key = name_key(name)
            split = self.rules.splits.get((key, article_id))
            if split is not None:
                kind = split
            else:
                voting.append((key, kind, f))
            eid = self.entity_id(name, kind, hidden)
            rows.append((article_id, eid, f.start, f.end, f.text, int(f.in_title)))
            # Both the surface form and the pre-rule canonical name find the entity again
            # (search's @Name and `margin entity NAME` go through aliases).
            for alias in (f.text, f.name):
                alias = " ".join(alias.split())
                aliases.add((name_key(alias), alias, eid))
        conn.executemany(
            'INSERT INTO mentions (article_id, entity_id, start, "end", text, in_title)'
            " VALUES (?,?,?,?,?,?)",
            rows,
        )
        conn.executemany(
            "INSERT OR IGNORE INTO aliases (alias_key, alias, entity_id) VALUES (?,?,?)",
            sorted(aliases),
        )
        votes = article_votes(voting) if vote else {}
        store_votes(conn, article_id, votes)
        for key, (kind, _, _) in votes.items():
            self.written[(article_id, key)] = kind
        return len(rows)

    def settle(self) -> set[int]:
        """The library's kind for every name this writer stored (store/entities/vote.py);
        the ids of other articles whose mentions moved."""
        moved = settle(self.conn, self.written, self.rules, self.entity_id)
        self.written.clear()
        return moved


def drop_orphans(conn: sqlite3.Connection) -> int:
    """Entities no article mentions any more (rules keep their corrections by name)."""
    return conn.execute(
        "DELETE FROM entities WHERE NOT EXISTS"
        " (SELECT 1 FROM mentions m WHERE m.entity_id = entities.id)"
    ).rowcount

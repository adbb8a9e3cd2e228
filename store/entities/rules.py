"""The user's corrections to entities, kept in `entity_rules` and re-applied whenever
articles are (re-)enriched, so a correction is made once.

Rules are keyed by name (store.names.name_key), whatever the kind:
- merge  subject=B value=A   B is an alias of A (B's mentions are A's)
- rename subject=OLD value=NEW
- kind   subject=NAME value=KIND
- hide   subject=NAME        a false positive: stored, never shown
- split  subject=NAME value={"kind": KIND, "article": ARTICLE KEY} (JSON)
                             in that article the name is KIND, whatever the library's
                             vote says (a homonym kept apart)
`unhide` deletes the hide rules of a name. The latest rule for a subject wins.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from store.db import now_iso
from store.names import name_key

ACTIONS = ("merge", "rename", "kind", "hide", "split")


@dataclass
class Rules:
    target: dict[str, str] = field(default_factory=dict)  # key -> new name (merge/rename)
    kinds: dict[str, str] = field(default_factory=dict)  # key -> kind
    hidden: set[str] = field(default_factory=set)  # keys
    splits: dict[tuple[str, int], str] = field(default_factory=dict)  # (key, article id) -> kind

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Rules:
        rules = cls()
        for action, subject, value in conn.execute(
            "SELECT action, subject, value FROM entity_rules ORDER BY id"
        ):
            key = name_key(subject)
            if action in ("merge", "rename"):
                rules.target[key] = value
            elif action == "kind":
                rules.kinds[key] = value
            elif action == "hide":
                rules.hidden.add(key)
            elif action == "split":
                split = _split_value(value)
                if split is None:
                    continue  # a damaged rule is skipped, never fatal
                row = conn.execute("SELECT id FROM articles WHERE key = ?", (split[1],)).fetchone()
                if row is not None:  # a rule for a deleted article waits, harmless
                    rules.splits[(key, row[0])] = split[0]
        return rules

    def __bool__(self) -> bool:
        return bool(self.target or self.kinds or self.hidden or self.splits)

    def resolve(self, name: str, kind: str) -> tuple[str, str, bool]:
        """(final name, final kind, hidden) for a canonical name the extractor produced."""
        seen: set[str] = set()
        key = name_key(name)
        hidden = key in self.hidden
        while key in self.target and key not in seen:  # follow merges/renames, no cycles
            seen.add(key)
            name = self.target[key]
            key = name_key(name)
            hidden = hidden or key in self.hidden
        return name, self.kinds.get(key, kind), hidden


def _split_value(value: str | None) -> tuple[str, str] | None:
    try:
        data = json.loads(value or "")
        return str(data["kind"]), str(data["article"])
    except (ValueError, TypeError, KeyError):
        return None


def split_value(kind: str, article_key: str) -> str:
    return json.dumps({"kind": kind, "article": article_key}, ensure_ascii=False)


def add_rule(conn: sqlite3.Connection, action: str, subject: str, value: str | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown entity rule {action!r}")
    conn.execute(
        "INSERT INTO entity_rules (action, subject, value, created_at) VALUES (?,?,?,?)",
        (action, subject, value, now_iso()),
    )


def remove_hide(conn: sqlite3.Connection, names: list[str]) -> None:
    keys = {name_key(n) for n in names}
    for rule_id, subject in conn.execute(
        "SELECT id, subject FROM entity_rules WHERE action = 'hide'"
    ).fetchall():
        if name_key(subject) in keys:
            conn.execute("DELETE FROM entity_rules WHERE id = ?", (rule_id,))

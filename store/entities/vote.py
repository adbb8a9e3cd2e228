"""One name, one kind across the library.

The small model labels each article on its own, so one name can come out a person in
three articles and `other` in a fourth. Every article votes on the kind of each name it
mentions (stored in `entity_votes`; triggers keep `entity_tally`, the sum per name and
kind): the weight is the evidence the article holds, a mention the model found itself
counting more than one margin spread from another mention, and a context cue (a title
before a person, "in"/"at" before a place) counting most. The kind with most weight is
the name's kind everywhere (`entity_kinds`), except in an article whose own cue says
otherwise: a real homonym kept apart on evidence. The user's `kind` rule overrides the
vote; a `split` rule keeps one article's mentions apart as another kind.
"""
from __future__ import annotations

import re
import sqlite3
from collections import defaultdict

from store.entities.protocol import KINDS, Found

PROPAGATED = 0.3  # evidence of a mention copied from another one (not the model's own)
CUE_BONUS = 2.0  # an article whose context says the kind outright

# A title or office right before a name says it is a person.
_PERSON_BEFORE = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|president|premier|minister|senator|sen"
    r"|governor|gov|mayor|chancellor|king|queen|prince|princess|pope|judge|justice|general|gen"
    r"|colonel|col|captain|capt|sergeant|sgt|professor|prof|rev|reverend|father|sister|coach"
    r"|manager|spokesman|spokeswoman|chairman|chairwoman|ceo|secretary|ambassador|striker"
    r"|goalkeeper|midfielder|defender|singer|actor|actress|author|writer|director)\.?\s+$",
    re.IGNORECASE,
)
# A preposition of place right before a name says it is a place.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|throughout"
    r"|(?:village|town|city|county|province|state|region|district|island)\s+of)\s+$")


def mark_cues(body: str, found: list[Found]) -> None:
    """Set each body mention's context cue: the kind its left context names, if any."""
    for f in found:
        if f.in_title:
            continue
        before = body[max(0, f.start - 24):f.start]
        if _PERSON_BEFORE.search(before):
            f.cue = "person"
        elif f.kind != "org" and _PLACE_BEFORE.search(before):
            # "in"/"at" tell a place from a person or a thing, not from an organisation
            # ("analysts at Meridian Capital", "shares in ASML").
            f.cue = "place"


def _prior(key: str, kind: str) -> float:
    """How much a label is worth before context: news introduces a person by full name,
    so a one-word "person" is weak evidence, and `other` is the model's catch-all."""
    if kind == "other" or (kind == "person" and " " not in key):
        return 0.5
    return 1.0


def article_votes(rows: list[tuple[str, str, Found]]) -> dict[str, tuple[str, float, str | None]]:
    """{key: (kind, weight, cue)} of one article from (key, final kind, mention) rows."""
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    cues: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, kind, f in rows:
        weights[key][kind] += f.evidence * _prior(key, kind)
        if f.cue:
            cues[key][f.cue] += 1
    out = {}
    for key, by_kind in weights.items():
        kind = max(by_kind, key=lambda k: (by_kind[k], -KINDS.index(k)))
        cue = max(cues[key], key=cues[key].get) if cues[key] else None
        weight = sum(by_kind.values()) + (CUE_BONUS if cue == kind else 0.0)
        out[key] = (kind, round(weight, 3), cue)
    return out


def store_votes(conn: sqlite3.Connection, article_id: int, votes: dict[str, tuple[str, float, str | None]]) -> None:
    conn.execute("DELETE FROM entity_votes WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT INTO entity_votes (article_id, key, kind, weight, cue) VALUES (?,?,?,?,?)",
        [(article_id, key, kind, weight, cue) for key, (kind, weight, cue) in sorted(votes.items())],
    )


def _winner(tally: dict[str, float], previous: str | None) -> str:
    top = max(tally.values())
    best = [k for k in KINDS if tally.get(k, 0.0) >= top - 1e-9]
    return previous if previous in best else best[0]


def _in_chunks(conn: sqlite3.Connection, sql: str, keys: list[str]):
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        yield from conn.execute(sql.format(marks=",".join("?" * len(part))), part)


def settle(conn: sqlite3.Connection, written: dict[tuple[int, str], str], rules, entity_id) -> set[int]:
    """Give every name touched by this batch its library kind.

    `written` maps (article id, key) to the kind just stored for it; `entity_id(name,
    kind, hidden)` finds or creates an entity. Returns the ids of articles outside the
    batch whose mentions changed entity."""
    keys = sorted({key for _, key in written})
    if not keys:
        return set()
    tallies: dict[str, dict[str, float]] = defaultdict(dict)
    for key, kind, weight in _in_chunks(
            conn, "SELECT key, kind, weight FROM entity_tally WHERE key IN ({marks})", keys):
        tallies[key][kind] = weight
    previous = dict(_in_chunks(conn, "SELECT key, kind FROM entity_kinds WHERE key IN ({marks})", keys))
    batch_articles = defaultdict(list)
    for (article_id, key), _kind in written.items():
        batch_articles[key].append(article_id)
    moved: set[int] = set()
    for key in keys:
        forced = rules.kinds.get(key)
        if forced is None and not tallies.get(key):
            continue
        winner = forced or _winner(tallies[key], previous.get(key))
        if winner != previous.get(key):
            conn.execute("INSERT OR REPLACE INTO entity_kinds (key, kind) VALUES (?, ?)", (key, winner))
            rows = conn.execute(
                "SELECT article_id, kind, cue FROM entity_votes WHERE key = ?", (key,)).fetchall()
        else:
            ids = batch_articles[key]
            rows = conn.execute(
                "SELECT article_id, kind, cue FROM entity_votes WHERE key = ?"
                f" AND article_id IN ({','.join('?' * len(ids))})", (key, *ids)).fetchall()
        for article_id, kind, cue in rows:
            if (key, article_id) in rules.splits:
                continue
            final = kind if (forced is None and cue == kind and kind != winner) else winner
            if written.get((article_id, key)) == final:
                continue
            if repoint(conn, article_id, key, final, entity_id) and (article_id, key) not in written:
                moved.add(article_id)
    return moved


def repoint(conn: sqlite3.Connection, article_id: int, key: str, kind: str, entity_id) -> bool:
    """The article's mentions of the name `key` point to the entity of that name and kind."""
    ents = conn.execute("SELECT id, kind, name, hidden FROM entities WHERE key = ?", (key,)).fetchall()
    others = [eid for eid, k, _, _ in ents if k != kind]
    if not others or not conn.execute(
            f"SELECT 1 FROM mentions WHERE article_id = ? AND entity_id IN ({','.join('?' * len(others))}) LIMIT 1",
            (article_id, *others)).fetchone():
        return False
    name = ents[0][2]
    target = entity_id(name, kind, any(h for *_, h in ents))
    marks = ",".join("?" * len(others))
    conn.execute(f"UPDATE mentions SET entity_id = ? WHERE article_id = ? AND entity_id IN ({marks})",
                 (target, article_id, *others))
    # Whatever found the old entity finds the new one too (its aliases go with orphans).
    conn.execute(
        "INSERT OR IGNORE INTO aliases (alias_key, alias, entity_id)"
        f" SELECT alias_key, alias, ? FROM aliases WHERE entity_id IN ({marks})", (target, *others))
    return True

"""A full relink, as a batch: every article read and counted once, document frequencies
counted in memory, every vector computed once with the final ones and held in memory with
an index of them by word (the candidate generator, see `Postings`), and the links written
in bulk.

Linking article by article (index, then vector, then an FTS5 query, then offer its link to
60 neighbours and trim each of their lists) made a relink of 10,000 articles take tens of
minutes (figures: tests/bench/README.md, Related links, Speed). The
lists are made the same way: an article's own MAX_LINKS best, and the links its neighbours
offered it (here every neighbour, not only those linked after it), KEEP_LINKS best kept.
Memory: about 28 bytes per distinct word of each article, some 700 MB for 100,000 articles
of 250 distinct words.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

import numpy as np

from store.db import now_iso
from store.related import dedupe
from store.related.candidates import CANDIDATE_TERMS
from store.related.linker import (
    KEEP_LINKS,
    MAX_CHARS,
    MAX_LINKS,
    OFFERS,
    Indexed,
    candidate_count,
    score_article,
)
from store.related.terms import pack, pack_counts, term_counts, unpack, unpack_counts, vector

CHUNK = 1000  # rows per executemany


# SQLite's page cache during a relink, in KiB (default: 2 MB). The relink is one transaction
# that rewrites every article's state and links: with the default cache its dirty pages
# spilled and were read back over and over (at 10,000 articles, a 170 MB file: 11.6 GB read,
# against 0.7 GB with this cache).
CACHE_KIB = 256 * 1024


def relink_all(conn) -> int:
    """Recompute every automatic link; user links and unlinks stay. The caller owns the
    transaction."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        return _relink_all(conn)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def _relink_all(conn) -> int:
    conn.execute("DELETE FROM term_df")
    conn.execute("DELETE FROM entity_df")
    conn.execute("DELETE FROM related_state")
    conn.execute("DELETE FROM minhash_bands")
    conn.execute("DELETE FROM links WHERE kind != 'user'")
    df, sigs = _index_all(conn)
    n_docs, tokens = conn.execute("SELECT n, tokens FROM related_count").fetchone()
    avg = tokens / n_docs if n_docs > 0 and tokens > 0 else 0.0
    vectors = _vectors_all(conn, df, n_docs, avg)
    _link_all(conn, vectors, sigs, lambda counts: vector(counts, df, n_docs, avg))
    return len(vectors)


def _entities(conn) -> dict[int, list[int]]:
    out: dict[int, set[int]] = {}
    for aid, eid in conn.execute("SELECT DISTINCT article_id, entity_id FROM mentions"):
        out.setdefault(aid, set()).add(eid)
    return {aid: sorted(e) for aid, e in out.items()}


def _index_all(conn) -> tuple[Counter, dict[int, np.ndarray]]:
    """What linker.index_article stores, for every article at once."""
    df: Counter = Counter()
    entity_df: Counter = Counter()
    sigs: dict[int, np.ndarray] = {}
    entities = _entities(conn)
    now = now_iso()
    states, bands = [], []

    def flush() -> None:
        conn.executemany("INSERT INTO related_state (article_id, body_hash, terms, minhash, linked_at, entities,"
                         " length, counts) VALUES (?,?,?,?,?,?,?,?)", states)
        conn.executemany("INSERT OR IGNORE INTO minhash_bands (band, hash, article_id) VALUES (?,?,?)", bands)
        states.clear()
        bands.clear()

    rows = conn.execute(f"SELECT id, title, substr(body, 1, {MAX_CHARS}), body_hash FROM articles ORDER BY id")
    for aid, title, body, body_hash in rows:
        counts = term_counts(title, body)
        df.update(counts.keys())
        ents = entities.get(aid, [])
        entity_df.update(ents)
        sig = dedupe.signature(body)
        if sig is not None:
            sigs[aid] = sig
            bands.extend((b, h, aid) for b, h in dedupe.bands(sig))
        states.append((aid, body_hash, json.dumps(sorted(counts)), dedupe.to_blob(sig), now, json.dumps(ents),
                       sum(counts.values()), pack_counts(counts)))
        if len(states) >= CHUNK:
            flush()
    flush()
    conn.executemany("INSERT INTO term_df (term, df) VALUES (?, ?)", df.items())
    conn.executemany("INSERT INTO entity_df (entity_id, df) VALUES (?, ?)", entity_df.items())
    return df, sigs


def _vectors_all(conn, df: Counter, n_docs: int, avg: float) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    updates = []
    for aid, terms, blob in conn.execute("SELECT article_id, terms, counts FROM related_state").fetchall():
        packed = pack(vector(unpack_counts(json.loads(terms), blob), df, n_docs, avg))
        out[aid] = unpack(packed)
        updates.append((packed, n_docs, aid))
        if len(updates) >= CHUNK:
            conn.executemany("UPDATE related_state SET vector = ?, linked_n = ? WHERE article_id = ?", updates)
            updates.clear()
    conn.executemany("UPDATE related_state SET vector = ?, linked_n = ? WHERE article_id = ?", updates)
    return out


def _link_all(conn, vectors: dict[int, tuple[np.ndarray, np.ndarray]], sigs: dict[int, np.ndarray],
              make_vector: Callable[[Counter], dict[str, float]]) -> None:
    """Each article's OFFERS best: its MAX_LINKS best go in its list, and each of them is
    offered to the neighbour's list (scores are symmetric); then every list keeps its
    KEEP_LINKS best."""
    blocked = {(a, b) for a, b in conn.execute("SELECT src, dst FROM link_blocks")}
    blocked |= {(b, a) for a, b in blocked}
    cache = {"vectors": vectors}
    postings = Postings(vectors)
    now = now_iso()
    rows = []
    insert = ("INSERT INTO links (src, dst, kind, score, reason, created_at) VALUES (?,?,?,?,?,?)"
              " ON CONFLICT(src, dst) DO NOTHING")
    # an article's vector by word (its query words and a link's reasons) is made again from its
    # counts, one at a time: held for every article it would take ten times the packed ones
    for aid, terms, blob in conn.execute("SELECT article_id, terms, counts FROM related_state ORDER BY article_id"):
        indexed = Indexed(make_vector(unpack_counts(json.loads(terms), blob)), sigs.get(aid))
        cands = postings.candidates(aid, candidate_count(OFFERS))
        for rank, s in enumerate(score_article(conn, aid, indexed, limit=OFFERS, candidates=cands, cache=cache)):
            if (aid, s.dst) in blocked:
                continue
            reason = json.dumps({"entities": s.entities, "terms": s.terms})
            if rank < MAX_LINKS:
                rows.append((aid, s.dst, s.kind, s.score, reason, now))
            rows.append((s.dst, aid, s.kind, s.score, reason, now))
        if len(rows) >= CHUNK:
            conn.executemany(insert, rows)
            rows.clear()
    conn.executemany(insert, rows)
    conn.execute(
        "DELETE FROM links WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER"
        " (PARTITION BY src ORDER BY score DESC, dst) AS r FROM links WHERE kind != 'user') WHERE r > ?)",
        (KEEP_LINKS,))


class Postings:
    """Every vector's entries by word: the candidate generator of a relink. It ranks articles
    by their dot product over the article's CANDIDATE_TERMS heaviest words, the words the
    FTS5 query of an incremental link asks for (candidates.py), without a query per article:
    on Reuters both find the true top 5 for 99.41 % of articles, and this one costs a fraction
    of an FTS5 query per article (tests/bench/README.md)."""

    def __init__(self, vectors: dict[int, tuple[np.ndarray, np.ndarray]]) -> None:
        self.ids = np.array(list(vectors), dtype=np.int64)
        self.row = {aid: i for i, aid in enumerate(self.ids.tolist())}
        self.vectors = vectors
        if not vectors:
            self.terms = np.zeros(0, dtype=np.uint64)
            self.owner = np.zeros(0, dtype=np.int32)
            self.weights = np.zeros(0, dtype=np.float32)
            return
        terms = np.concatenate([v[0] for v in vectors.values()])
        owner = np.repeat(np.arange(len(vectors), dtype=np.int32), [len(v[0]) for v in vectors.values()])
        weights = np.concatenate([v[1] for v in vectors.values()])
        order = np.argsort(terms, kind="stable")
        self.terms, self.owner, self.weights = terms[order], owner[order], weights[order]

    def candidates(self, article_id: int, limit: int) -> list[int]:
        terms, weights = self.vectors[article_id]
        top = np.argsort(-weights, kind="stable")[:CANDIDATE_TERMS]
        lo = np.searchsorted(self.terms, terms[top])
        hi = np.searchsorted(self.terms, terms[top], side="right")
        if not (hi - lo).sum():
            return []
        at = np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
        partial = np.bincount(self.owner[at], minlength=len(self.ids),
                              weights=self.weights[at].astype(np.float64)
                              * np.repeat(weights[top].astype(np.float64), hi - lo))
        partial[self.row[article_id]] = 0.0
        found = np.flatnonzero(partial > 0)
        if len(found) > limit:
            found = found[np.argpartition(-partial[found], limit)[:limit]]
        return self.ids[found].tolist()

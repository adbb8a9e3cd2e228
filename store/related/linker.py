"""Link one article to its neighbours, incrementally, with a constant number of queries.

Candidates come from two small indexes: articles sharing its most distinctive terms
(`related_terms`, top terms only) and articles sharing its rarest entities (`mentions`).
Each candidate is scored by a blend of IDF-weighted entity overlap and TF-IDF cosine;
near-duplicates are found through MinHash bands.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

from store.db import now_iso
from store.related import dedupe
from store.related.terms import cosine, idf, term_counts, tfidf

W_ENTITY = 0.35  # middle of the plateau measured by tests/bench/eval_related.py (0.25-0.4 best)
RELATED_MIN = 0.08
SAME_STORY_MIN = 0.2  # on the demo corpus: cross-story links score <= 0.13, same-story median 0.24
SAME_STORY_DAYS = 10
MAX_LINKS = 12
CANDIDATE_TERMS = 12
CANDIDATE_ENTITIES = 8
CANDIDATES = 150
MAX_CHARS = 200_000  # of a body, for its terms and MinHash (see index_article)


@dataclass
class Scored:
    dst: int
    score: float
    kind: str
    entities: list[dict]
    terms: list[str]


def _entity_df(conn, entity_ids) -> dict[int, int]:
    ids = list(entity_ids)
    if not ids:
        return {}
    return dict(conn.execute(
        f"SELECT entity_id, df FROM entity_df WHERE entity_id IN ({','.join('?' * len(ids))})", ids))


def _entity_weights(conn, article_id: int, n_docs: int) -> dict[int, tuple[str, float]]:
    rows = conn.execute(
        "SELECT DISTINCT e.id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " WHERE m.article_id = ? AND m.in_title = 0 AND e.hidden = 0 AND e.kind != 'other'",
        (article_id,)).fetchall()
    df = _entity_df(conn, [eid for eid, _ in rows])
    return {eid: (name, idf(n_docs, df.get(eid, 1))) for eid, name in rows}


def _entity_idf(conn, entity_ids: set[int], n_docs: int) -> dict[int, float]:
    return {eid: idf(n_docs, df) for eid, df in _entity_df(conn, entity_ids).items()}


def _update_df(conn, old_terms: list[str], new_terms: list[str]) -> None:
    if old_terms:
        conn.executemany("UPDATE term_df SET df = max(df - 1, 0) WHERE term = ?", [(t,) for t in old_terms])
    conn.executemany(
        "INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
        [(t,) for t in new_terms])


def _update_entity_df(conn, old: list[int], new: list[int]) -> None:
    gone, added = set(old) - set(new), set(new) - set(old)
    conn.executemany("UPDATE entity_df SET df = max(df - 1, 0) WHERE entity_id = ?", [(e,) for e in gone])
    conn.executemany("INSERT INTO entity_df (entity_id, df) VALUES (?, 1)"
                     " ON CONFLICT(entity_id) DO UPDATE SET df = df + 1", [(e,) for e in added])


def linked_count(conn) -> int:
    """Articles with link state (the N of IDF), from the counter that migration m0010 keeps."""
    return conn.execute("SELECT n FROM related_count").fetchone()[0]


def index_article(conn, article_id: int) -> tuple[dict[str, float], object] | None:
    """(Re)compute the article's term vector and MinHash; None when the text is unchanged."""
    # A cost cap like enrichment's: terms and MinHash of a 5 MB body took 380 MB; the first
    # MAX_CHARS characters say what an article is about and whether it is a copy.
    row = conn.execute("SELECT title, substr(body, 1, ?), body_hash FROM articles WHERE id = ?",
                       (MAX_CHARS, article_id)).fetchone()
    if row is None:
        return None
    title, body, body_hash = row
    state = conn.execute("SELECT body_hash, terms, entities FROM related_state WHERE article_id = ?",
                         (article_id,)).fetchone()
    counts = term_counts(title, body)
    unique = sorted(counts)
    _update_df(conn, json.loads(state[1]) if state else [], unique)
    entities = sorted({e for (e,) in conn.execute("SELECT entity_id FROM mentions WHERE article_id = ?", (article_id,))})
    _update_entity_df(conn, json.loads(state[2]) if state else [], entities)
    n_docs = linked_count(conn) + (0 if state else 1)
    placeholders = ",".join("?" * len(unique))
    df = dict(conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({placeholders})", unique)) if unique else {}
    vector = tfidf(counts, df, n_docs)
    sig = dedupe.signature(body)
    conn.execute("DELETE FROM related_terms WHERE article_id = ?", (article_id,))
    conn.executemany("INSERT INTO related_terms (article_id, term, weight) VALUES (?,?,?)",
                     [(article_id, t, w) for t, w in vector.items()])
    conn.execute("DELETE FROM minhash_bands WHERE article_id = ?", (article_id,))
    if sig is not None:
        conn.executemany("INSERT OR IGNORE INTO minhash_bands (band, hash, article_id) VALUES (?,?,?)",
                         [(b, h, article_id) for b, h in dedupe.bands(sig)])
    # an upsert, not INSERT OR REPLACE: REPLACE's delete would not fire the count trigger (m0010)
    conn.execute(
        "INSERT INTO related_state (article_id, body_hash, terms, minhash, linked_at, entities)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT(article_id) DO UPDATE SET body_hash = excluded.body_hash,"
        " terms = excluded.terms, minhash = excluded.minhash, linked_at = excluded.linked_at,"
        " entities = excluded.entities",
        (article_id, body_hash, json.dumps(unique), dedupe.to_blob(sig), now_iso(), json.dumps(entities)))
    return vector, sig


def score_article(conn, article_id: int, vector: dict[str, float], sig, *, w_entity: float = W_ENTITY) -> list[Scored]:
    n_docs = max(linked_count(conn), 1)
    ents = _entity_weights(conn, article_id, n_docs)
    top_terms = sorted(vector, key=vector.get, reverse=True)[:CANDIDATE_TERMS]
    rare_ents = sorted(ents, key=lambda e: -ents[e][1])[:CANDIDATE_ENTITIES]
    cands: dict[int, float] = {}
    if top_terms:
        for aid, s in conn.execute(
            f"SELECT article_id, sum(weight) FROM related_terms WHERE term IN ({','.join('?' * len(top_terms))})"
            " AND article_id != ? GROUP BY article_id ORDER BY 2 DESC LIMIT ?", [*top_terms, article_id, CANDIDATES]):
            cands[aid] = s
    if rare_ents:
        for (aid,) in conn.execute(
            f"SELECT DISTINCT article_id FROM mentions WHERE entity_id IN ({','.join('?' * len(rare_ents))})"
            " AND article_id != ? LIMIT ?", [*rare_ents, article_id, CANDIDATES]):
            cands.setdefault(aid, 0.0)
    dup_scores: dict[int, float] = {}
    if sig is not None:
        pairs = dedupe.bands(sig)
        where = " OR ".join("(band = ? AND hash = ?)" for _ in pairs)
        rows = conn.execute(
            f"SELECT s.article_id, s.minhash FROM related_state s WHERE s.article_id IN"
            f" (SELECT article_id FROM minhash_bands WHERE {where}) AND s.article_id != ?",
            [x for p in pairs for x in p] + [article_id]).fetchall()
        for aid, blob in rows:
            other = dedupe.from_blob(blob)
            if other is not None:
                dup_scores[aid] = dedupe.jaccard(sig, other)
                cands.setdefault(aid, 0.0)
    if not cands:
        return []
    ids = list(cands)
    marks = ",".join("?" * len(ids))
    vectors: dict[int, dict[str, float]] = {}
    for aid, term, weight in conn.execute(
            f"SELECT article_id, term, weight FROM related_terms WHERE article_id IN ({marks})", ids):
        vectors.setdefault(aid, {})[term] = weight
    their_ents: dict[int, set[int]] = {}
    for aid, eid in conn.execute(
            f"SELECT DISTINCT m.article_id, m.entity_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
            f" WHERE m.article_id IN ({marks}) AND m.in_title = 0 AND e.hidden = 0 AND e.kind != 'other'", ids):
        their_ents.setdefault(aid, set()).add(eid)
    ent_idf = _entity_idf(conn, set().union(*their_ents.values()) if their_ents else set(), n_docs)
    dates = dict(conn.execute(f"SELECT id, sort_at FROM articles WHERE id IN ({marks})", ids))
    my_date = conn.execute("SELECT sort_at FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    my_norm = math.sqrt(sum(w * w for _, w in ents.values())) or 1.0
    out = []
    for aid in ids:
        text = cosine(vector, vectors.get(aid, {}))
        shared = [e for e in their_ents.get(aid, ()) if e in ents]
        other_norm = math.sqrt(sum(ent_idf.get(e, 0.0) ** 2 for e in their_ents.get(aid, ())))
        ent = sum(ents[e][1] ** 2 for e in shared) / (my_norm * max(other_norm, 1e-9)) if shared else 0.0
        has_entities = bool(ents) and bool(their_ents.get(aid))
        score = w_entity * min(ent, 1.0) + (1 - w_entity) * text if has_entities else text
        jac = dup_scores.get(aid, 0.0)
        if jac >= dedupe.DUPLICATE_JACCARD:
            kind, score = "duplicate", max(score, jac)
        elif score >= SAME_STORY_MIN and _days_apart(my_date, dates.get(aid)) <= SAME_STORY_DAYS:
            kind = "same-story"
        elif score >= RELATED_MIN:
            kind = "related"
        else:
            continue
        reasons_e = sorted(({"name": ents[e][0], "weight": round(ents[e][1], 2)} for e in shared),
                           key=lambda d: -d["weight"])[:6]
        other_vec = vectors.get(aid, {})
        terms = sorted((t for t in vector if t in other_vec), key=lambda t: -vector[t] * other_vec[t])[:6]
        out.append(Scored(aid, round(score, 4), kind, reasons_e, terms))
    out.sort(key=lambda s: -s.score)
    return out[:MAX_LINKS]


def _days_apart(a: str | None, b: str | None) -> float:
    from datetime import datetime

    if not a or not b:
        return 0.0
    try:
        return abs((datetime.fromisoformat(a) - datetime.fromisoformat(b)).total_seconds()) / 86400
    except ValueError:
        return 0.0


def store_links(conn, article_id: int, scored: list[Scored]) -> None:
    """Replace this article's automatic links (both directions); user links and unlinks stay."""
    blocked = {(s, d) for s, d in conn.execute(
        "SELECT src, dst FROM link_blocks WHERE src = ? OR dst = ?", (article_id, article_id))}
    conn.execute("DELETE FROM links WHERE (src = ? OR dst = ?) AND kind != 'user'", (article_id, article_id))
    now = now_iso()
    rows = []
    for s in scored:
        if (article_id, s.dst) in blocked or (s.dst, article_id) in blocked:
            continue
        reason = json.dumps({"entities": s.entities, "terms": s.terms})
        rows += [(article_id, s.dst, s.kind, s.score, reason, now), (s.dst, article_id, s.kind, s.score, reason, now)]
    conn.executemany("INSERT OR IGNORE INTO links (src, dst, kind, score, reason, created_at) VALUES (?,?,?,?,?,?)", rows)

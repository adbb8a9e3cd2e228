"""Link one article to its neighbours, incrementally, with a bounded number of queries.

Every article keeps its whole-document vector (BM25 term weights x IDF over the library's
document frequencies, unit length). Candidates come from the FTS5 index: a bm25-ranked OR
of the article's most distinctive words (see candidates.py), plus near-duplicates through
MinHash bands; each candidate is then scored by the exact cosine of the two vectors.

Entities are not part of the score: tests/bench/eval_related.py measures the blend, and on
the Reuters dev set every entity weight tried lowers precision (shared companies and places
cut across topics). `w_entity` stays a parameter so the evaluation can keep measuring it;
shared entities are still given as a link's reasons.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from store.db import now_iso
from store.related import dedupe
from store.related.candidates import duplicate_candidates, text_candidates
from store.related.terms import dot_many, idf, pack, pack_counts, term_counts, term_id, unpack
from store.related.terms import vector as make_vector

W_ENTITY = 0.0
# Labels, never filters. Measured on Reuters (all pairs, relinked library; tests/bench/README.md):
# pairs scoring >= 0.3 are 98.6 % same-category and half of all articles have a best
# neighbour above it, so SAME_STORY_MIN marks the closest; within SAME_STORY_DAYS.
SAME_STORY_MIN = 0.3
SAME_STORY_DAYS = 10
# The floor hides only measured noise: pairs below 0.03 are same-category less often (12 %,
# 7 % below 0.02) than two random articles (13.6 %). It never cut a Reuters top 5.
RELATED_MIN = 0.03
MAX_LINKS = 20  # computed and stored per article; `related --limit` beyond it scores live
KEEP_LINKS = 2 * MAX_LINKS  # an article's list with the links others gave it, best kept
# A new article offers itself to this many of its best neighbours (kept in a neighbour's list
# only if among its KEEP_LINKS best): a later article that is in an older one's top 5 is then
# in its list without waiting for a relink (incremental vs relink agreement, eval_related).
OFFERS = 60
CANDIDATES = 600  # rescored exactly; see candidates.py for the recall this buys
GROWTH = 2  # relink an article once the library has doubled since it was linked
MAX_CHARS = 200_000  # of a body, for its terms and MinHash (see index_article)


@dataclass
class Scored:
    dst: int
    score: float
    kind: str
    entities: list[dict]
    terms: list[str]


@dataclass
class Indexed:
    vector: dict[str, float]
    sig: object

    def packed(self) -> tuple[np.ndarray, np.ndarray]:
        return unpack(pack(self.vector))


def linked_count(conn) -> int:
    """Articles with link state (the N of IDF), from the counter that migration m0010 keeps."""
    return conn.execute("SELECT n FROM related_count").fetchone()[0]


def _update_df(conn, old_terms: list[str], new_terms: list[str]) -> None:
    gone, added = set(old_terms) - set(new_terms), set(new_terms) - set(old_terms)
    conn.executemany("UPDATE term_df SET df = max(df - 1, 0) WHERE term = ?", [(t,) for t in gone])
    conn.executemany(
        "INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
        [(t,) for t in added])


def _update_entity_df(conn, old: list[int], new: list[int]) -> None:
    gone, added = set(old) - set(new), set(new) - set(old)
    conn.executemany("UPDATE entity_df SET df = max(df - 1, 0) WHERE entity_id = ?", [(e,) for e in gone])
    conn.executemany("INSERT INTO entity_df (entity_id, df) VALUES (?, 1)"
                     " ON CONFLICT(entity_id) DO UPDATE SET df = df + 1", [(e,) for e in added])


def document_frequencies(conn, terms) -> dict[str, int]:
    terms = list(terms)
    out: dict[str, int] = {}
    for i in range(0, len(terms), 500):
        chunk = terms[i:i + 500]
        out.update(conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})", chunk))
    return out


def average_length(conn) -> float:
    n, tokens = conn.execute("SELECT n, tokens FROM related_count").fetchone()
    return tokens / n if n > 0 and tokens > 0 else 0.0


def index_article(conn, article_id: int) -> Indexed | None:
    """(Re)compute the article's vector and MinHash against the library as it is now."""
    # A cost cap like enrichment's: terms and MinHash of a 5 MB body took 380 MB; the first
    # MAX_CHARS characters say what an article is about and whether it is a copy.
    row = conn.execute("SELECT title, substr(body, 1, ?), body_hash FROM articles WHERE id = ?",
                       (MAX_CHARS, article_id)).fetchone()
    if row is None:
        return None
    title, body, body_hash = row
    state = conn.execute("SELECT terms, entities FROM related_state WHERE article_id = ?", (article_id,)).fetchone()
    counts = term_counts(title, body)
    unique = sorted(counts)
    _update_df(conn, json.loads(state[0]) if state else [], unique)
    rows = conn.execute("SELECT entity_id FROM mentions WHERE article_id = ?", (article_id,))
    entities = sorted({e for (e,) in rows})
    _update_entity_df(conn, json.loads(state[1]) if state else [], entities)
    sig = dedupe.signature(body)
    conn.execute("DELETE FROM minhash_bands WHERE article_id = ?", (article_id,))
    if sig is not None:
        conn.executemany("INSERT OR IGNORE INTO minhash_bands (band, hash, article_id) VALUES (?,?,?)",
                         [(b, h, article_id) for b, h in dedupe.bands(sig)])
    # an upsert, not INSERT OR REPLACE: REPLACE's delete would not fire the count triggers
    length = sum(counts.values())
    conn.execute(
        "INSERT INTO related_state (article_id, body_hash, terms, minhash, linked_at, entities, length, counts)"
        " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(article_id) DO UPDATE SET body_hash = excluded.body_hash,"
        " terms = excluded.terms, minhash = excluded.minhash, linked_at = excluded.linked_at,"
        " entities = excluded.entities, length = excluded.length, counts = excluded.counts",
        (article_id, body_hash, json.dumps(unique), dedupe.to_blob(sig), now_iso(), json.dumps(entities), length,
         pack_counts(counts)))
    n_docs = linked_count(conn)
    vec = make_vector(counts, document_frequencies(conn, unique), n_docs, average_length(conn))
    conn.execute("UPDATE related_state SET vector = ?, linked_n = ? WHERE article_id = ?",
                 (pack(vec), n_docs, article_id))
    return Indexed(vec, sig)


def stored(conn, article_id: int) -> Indexed | None:
    """The vector and MinHash an article was last linked with."""
    row = conn.execute("SELECT vector, minhash, terms FROM related_state WHERE article_id = ?",
                       (article_id,)).fetchone()
    if row is None:
        return None
    if row[0] is None:
        counts = term_counts(*conn.execute("SELECT title, body FROM articles WHERE id = ?", (article_id,)).fetchone())
        vec = make_vector(counts, document_frequencies(conn, counts), linked_count(conn), average_length(conn))
    else:
        ids, weights = unpack(row[0])
        by_id = dict(zip(ids.tolist(), weights.tolist(), strict=False))
        vec = {t: by_id[i] for t in json.loads(row[2]) if (i := term_id(t)) in by_id}
    return Indexed(vec, dedupe.from_blob(row[1]))


def _vectors(conn, ids: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Stored vectors of linked articles; an article linked before vectors were kept (m0015)
    gets one computed from its text until the queue relinks it."""
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    missing = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for aid, blob in conn.execute(
                "SELECT article_id, vector FROM related_state"
                f" WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
            if blob is None:
                missing.append(aid)
            else:
                out[aid] = unpack(blob)
    if missing:
        texts = {aid: term_counts(t, b) for aid, t, b in conn.execute(
            f"SELECT id, title, body FROM articles WHERE id IN ({','.join('?' * len(missing))})", missing)}
        df = document_frequencies(conn, set().union(*texts.values()))
        n_docs, avg = linked_count(conn), average_length(conn)
        for aid, counts in texts.items():
            out[aid] = unpack(pack(make_vector(counts, df, n_docs, avg)))
    return out


def _entities_of(conn, ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for aid, eid in conn.execute(
                f"SELECT DISTINCT m.article_id, m.entity_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
                f" WHERE m.article_id IN ({','.join('?' * len(chunk))}) AND m.in_title = 0 AND e.hidden = 0"
                f" AND e.kind != 'other'", chunk):
            out.setdefault(aid, set()).add(eid)
    return out


def _entity_idf(conn, entity_ids: set[int], n_docs: int) -> dict[int, float]:
    ids = list(entity_ids)
    out: dict[int, float] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update((eid, idf(n_docs, df)) for eid, df in conn.execute(
            f"SELECT entity_id, df FROM entity_df WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk))
    return out


def _entity_cosine(mine: set[int], theirs: set[int], weights: dict[int, float]) -> float:
    shared = mine & theirs
    if not shared:
        return 0.0
    a = math.sqrt(sum(weights.get(e, 0.0) ** 2 for e in mine))
    b = math.sqrt(sum(weights.get(e, 0.0) ** 2 for e in theirs))
    return min(sum(weights.get(e, 0.0) ** 2 for e in shared) / (a * b), 1.0) if a > 0 and b > 0 else 0.0


def candidate_count(limit: int) -> int:
    """Candidates asked of the index for `limit` neighbours (recall measured by the eval)."""
    return max(CANDIDATES, 5 * limit)


def score_article(conn, article_id: int, indexed: Indexed, *, w_entity: float = W_ENTITY,
                  limit: int = MAX_LINKS, candidates: list[int] | None = None,
                  floor: float = RELATED_MIN, cache: dict | None = None) -> list[Scored]:
    """The article's best `limit` neighbours, best first. `candidates` replaces the candidate
    generator (the evaluation passes every article for an exhaustive scan, and a `cache` dict
    so the vectors and entities of the library are read once, not once per article)."""
    vector, sig = indexed.vector, indexed.sig
    dup_scores = duplicate_candidates(conn, article_id, sig) if sig is not None else {}
    if candidates is None:
        cands = set(text_candidates(conn, article_id, vector, candidate_count(limit))) | set(dup_scores)
    else:
        cands = (set(candidates) | set(dup_scores)) - {article_id}
    if cache is None:
        vectors = _vectors(conn, sorted(cands))  # only linked articles have one
    else:
        if "vectors" not in cache:
            cache["vectors"] = _vectors(conn, sorted(cands | {article_id}))
        vectors = {a: cache["vectors"][a] for a in sorted(cands) if a in cache["vectors"]}
    n_docs = max(linked_count(conn), 1)
    ents: dict[int, set[int]] = {}
    ent_idf: dict[int, float] = {}
    if w_entity > 0:
        if cache is None:
            ents = _entities_of(conn, [article_id, *vectors])
        else:
            if "entities" not in cache:
                cache["entities"] = _entities_of(conn, [article_id, *cache["vectors"]])
            ents = cache["entities"]
        if cache is None or "entity_idf" not in cache:
            ent_idf = _entity_idf(conn, set().union(*ents.values()) if ents else set(), n_docs)
            if cache is not None:
                cache["entity_idf"] = ent_idf
        else:
            ent_idf = cache["entity_idf"]
    mine = ents.get(article_id, set())
    scored: list[tuple[float, int, float]] = []
    ids, weights = cache["vectors"][article_id] if cache and article_id in cache.get("vectors", {}) \
        else indexed.packed()
    order = list(vectors)
    texts = dot_many(ids, weights, [vectors[aid] for aid in order])
    for aid, text in zip(order, texts.tolist(), strict=False):
        score = text
        if w_entity > 0 and mine and ents.get(aid):
            score = w_entity * _entity_cosine(mine, ents[aid], ent_idf) + (1 - w_entity) * text
        jac = dup_scores.get(aid, 0.0)
        if jac >= dedupe.DUPLICATE_JACCARD:
            score = max(score, jac)
        if math.isfinite(score) and (score >= floor or jac >= dedupe.DUPLICATE_JACCARD):
            scored.append((score, aid, jac))
    scored.sort(key=lambda s: (-s[0], s[1]))
    scored = scored[:limit]
    return _label(conn, article_id, vector, vectors, scored, cache)


def _label(conn, article_id: int, vector: dict[str, float], vectors: dict[int, tuple[np.ndarray, np.ndarray]],
           scored: list[tuple[float, int, float]], cache: dict | None = None) -> list[Scored]:
    """Kind and reasons of the kept neighbours: the label never decides whether a link shows."""
    if not scored:
        return []
    ids = [aid for _, aid, _ in scored]
    dates, ents, names, weights = _label_facts(conn, article_id, ids, cache)
    my_date = dates.get(article_id)
    mine = ents.get(article_id, set())
    my_ids, my_terms = _sorted_terms(vector)
    out = []
    for score, aid, jac in scored:
        if jac >= dedupe.DUPLICATE_JACCARD:
            kind = "duplicate"
        elif score >= SAME_STORY_MIN and _days_apart(my_date, dates.get(aid)) <= SAME_STORY_DAYS:
            kind = "same-story"
        else:
            kind = "related"
        shared = mine & ents.get(aid, set())
        reasons_e = sorted(({"name": names[e], "weight": round(weights.get(e, 1.0), 2)} for e in shared if e in names),
                           key=lambda d: (-d["weight"], d["name"]))[:6]
        out.append(Scored(aid, round(score, 4), kind, reasons_e, _shared_terms(vector, my_ids, my_terms, vectors[aid])))
    return out


def _label_facts(conn, article_id: int, ids: list[int], cache: dict | None) -> tuple[dict, dict, dict, dict]:
    """Dates, label entities, entity names and entity weights of an article and its neighbours.
    A relink passes a `cache` and reads them once for the whole library: read per article,
    their pages made a 100,000-article relink wait on I/O most of its time."""
    if cache is not None:  # "entities" and "entity_idf" are score_article's, when it weighs entities
        if "dates" not in cache:
            cache["dates"] = dict(conn.execute("SELECT id, sort_at FROM articles"))
            cache["names"] = dict(conn.execute("SELECT id, name FROM entities WHERE hidden = 0 AND kind != 'other'"))
        if "entities" not in cache:
            cache["entities"] = _entities_of(conn, list(cache["dates"]))
        if "entity_idf" not in cache:
            cache["entity_idf"] = _entity_idf(conn, set(cache["names"]), max(linked_count(conn), 1))
        return cache["dates"], cache["entities"], cache["names"], cache["entity_idf"]
    marks = ",".join("?" * (len(ids) + 1))
    dates = dict(conn.execute(f"SELECT id, sort_at FROM articles WHERE id IN ({marks})", [article_id, *ids]))
    ents = _entities_of(conn, [article_id, *ids])
    mine = ents.get(article_id, set())
    names = {}
    if mine:
        names = dict(conn.execute(
            f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(mine))})", list(mine)))
    return dates, ents, names, _entity_idf(conn, mine, max(linked_count(conn), 1))


def _sorted_terms(vector: dict[str, float]) -> tuple[np.ndarray, list[str]]:
    pairs = sorted((term_id(t), t) for t in vector)
    return np.array([i for i, _ in pairs], dtype=np.uint64), [t for _, t in pairs]


def _shared_terms(vector: dict[str, float], my_ids: np.ndarray, my_terms: list[str],
                  other: tuple[np.ndarray, np.ndarray], most: int = 6) -> list[str]:
    """The words that weigh most in both vectors (the link's reason), heaviest first."""
    other_ids, other_w = other
    if not len(my_ids) or not len(other_ids):
        return []
    pos = np.minimum(np.searchsorted(my_ids, other_ids), len(my_ids) - 1)
    hit = my_ids[pos] == other_ids
    shared = {my_terms[p]: w for p, w in zip(pos[hit].tolist(), other_w[hit].tolist(), strict=True)}
    return sorted(shared, key=lambda t: (-vector[t] * shared[t], t))[:most]


def _days_apart(a: str | None, b: str | None) -> float:
    from datetime import datetime

    if not a or not b:
        return 0.0
    try:
        return abs((datetime.fromisoformat(a) - datetime.fromisoformat(b)).total_seconds()) / 86400
    except ValueError:
        return 0.0


def save_article_links(conn, article_id: int, scored: list[Scored], *, text_changed: bool = True) -> None:
    """Replace this article's automatic links (its MAX_LINKS best of `scored`) and offer the
    link back to every neighbour in `scored` (scores are symmetric), keeping each neighbour's
    list to its KEEP_LINKS best. When the text did not change, links other articles gave
    this one stay: they are their lists, not its own. User links and unlinks stay."""
    blocked = {(s, d) for s, d in conn.execute(
        "SELECT src, dst FROM link_blocks WHERE src = ? OR dst = ?", (article_id, article_id))}
    if text_changed:
        conn.execute("DELETE FROM links WHERE (src = ? OR dst = ?) AND kind != 'user'", (article_id, article_id))
    else:
        conn.execute("DELETE FROM links WHERE src = ? AND kind != 'user'", (article_id,))
    now = now_iso()
    rows = []
    for rank, s in enumerate(scored):
        if (article_id, s.dst) in blocked or (s.dst, article_id) in blocked:
            continue
        reason = json.dumps({"entities": s.entities, "terms": s.terms})
        if rank < MAX_LINKS:
            rows.append((article_id, s.dst, s.kind, s.score, reason, now))
        rows.append((s.dst, article_id, s.kind, s.score, reason, now))
    conn.executemany(
        "INSERT INTO links (src, dst, kind, score, reason, created_at) VALUES (?,?,?,?,?,?)"
        " ON CONFLICT(src, dst) DO UPDATE SET kind = excluded.kind, score = excluded.score,"
        " reason = excluded.reason, created_at = excluded.created_at WHERE links.kind != 'user'", rows)
    conn.executemany(
        "DELETE FROM links WHERE src = ? AND kind != 'user' AND rowid NOT IN (SELECT rowid FROM links"
        " WHERE src = ? AND kind != 'user' ORDER BY score DESC, dst LIMIT ?)",
        [(s.dst, s.dst, KEEP_LINKS) for s in scored])


def grown(conn, limit: int) -> list[int]:
    """Articles linked when the library was at most half its size now, oldest first."""
    n = linked_count(conn)
    return [r[0] for r in conn.execute(
        "SELECT article_id FROM related_state WHERE linked_n <= ? ORDER BY linked_n, article_id LIMIT ?",
        (n // GROWTH, limit))]

"""Vectors and scores with the library's document frequencies of now.

An article's stored vector is made with the document frequencies of the moment it was
linked. In a library that grew, an older list mixes scores of several moments and near-ties
swap: on Reuters, lists built incrementally agreed with a full `margin relink` on 78.6 % of
top-5 sets. So a list is ranked again when it is shown: every article keeps its word counts,
and the vectors of the article and of its stored links (at most KEEP_LINKS) are computed
from them with the current frequencies, which are the scores a full relink gives. The queue
still relinks articles as the library grows, so their stored lists hold the right members.
"""
from __future__ import annotations

import json
from collections import Counter

from store.related import dedupe
from store.related.linker import (
    MAX_CHARS,
    Indexed,
    Scored,
    average_length,
    document_frequencies,
    linked_count,
    score_article,
)
from store.related.terms import pack, term_counts, unpack, unpack_counts, vector


def word_counts(conn, ids: list[int]) -> dict[int, Counter]:
    """Word counts of linked articles; one linked before counts were kept (m0021) is read
    from its text, as its indexing read it."""
    out: dict[int, Counter] = {}
    missing = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for aid, terms, blob in conn.execute(
                "SELECT article_id, terms, counts FROM related_state"
                f" WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
            if blob is None:
                missing.append(aid)
            else:
                out[aid] = unpack_counts(json.loads(terms), blob)
    for i in range(0, len(missing), 500):
        chunk = missing[i:i + 500]
        for aid, title, body in conn.execute(
                f"SELECT id, title, substr(body, 1, {MAX_CHARS}) FROM articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            out[aid] = term_counts(title, body)
    return out


def vectors_now(conn, ids: list[int]) -> dict[int, dict[str, float]]:
    counts = word_counts(conn, ids)
    df = document_frequencies(conn, set().union(*counts.values()) if counts else set())
    n_docs, avg = linked_count(conn), average_length(conn)
    return {aid: vector(c, df, n_docs, avg) for aid, c in counts.items()}


def scored_now(conn, article_id: int, others: list[int]) -> dict[int, Scored]:
    """`others` (the article's stored links) scored, labelled and given reasons as a full
    relink would now: same scorer, same vectors. Articles not linked are left out."""
    vectors = vectors_now(conn, [article_id, *others])
    mine = vectors.pop(article_id, None)
    row = conn.execute("SELECT minhash FROM related_state WHERE article_id = ?", (article_id,)).fetchone()
    if mine is None or row is None or not vectors:
        return {}
    cache = {"vectors": {aid: unpack(pack(v)) for aid, v in vectors.items()}}
    scored = score_article(conn, article_id, Indexed(mine, dedupe.from_blob(row[0])), limit=len(vectors),
                           candidates=list(vectors), floor=-1.0, cache=cache)
    return {s.dst: s for s in scored}

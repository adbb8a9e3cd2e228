"""Cheap candidate neighbours for one article, rescored exactly by the linker.

Text: the FTS5 index the library keeps for search anyway, asked for a bm25-ranked OR of the
article's most distinctive words (title and body columns only). Rare words have short
posting lists, so the cost grows with how common the chosen words are, not with the
library. Duplicates: articles sharing a MinHash band.
"""
from __future__ import annotations

from store.related import dedupe
from store.related.terms import distinctive

# Words in the OR query. With the linker's 600 candidates, the true top 5 (exhaustive scan)
# is found for 99.4 % of Reuters articles at 40 words, 95 % at 40 words and 200 candidates,
# 89 % at 24 words (tests/bench/eval_related.py prints the recall).
CANDIDATE_TERMS = 40
DUPLICATE_CANDIDATES = 500  # 10,000 copies of one story: the first 500 are enough to group them


def fts_query(terms: list[str]) -> str:
    """An FTS5 OR of quoted terms: a quote inside a term is doubled, so no word is syntax."""
    return "{title body} : (" + " OR ".join('"' + t.replace('"', '""') + '"' for t in terms) + ")"


def text_candidates(conn, article_id: int, vector: dict[str, float], limit: int) -> list[int]:
    terms = distinctive(vector, CANDIDATE_TERMS)
    if not terms:
        return []
    return [r[0] for r in conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid != ?"
        " ORDER BY bm25(articles_fts, 1.0, 1.0, 0.0, 0.0) LIMIT ?",
        (fts_query(terms), article_id, limit))]


def duplicate_candidates(conn, article_id: int, sig) -> dict[int, float]:
    """Articles sharing a MinHash band with this one, with their estimated Jaccard."""
    pairs = dedupe.bands(sig)
    where = " OR ".join("(band = ? AND hash = ?)" for _ in pairs)
    rows = conn.execute(
        f"SELECT s.article_id, s.minhash FROM related_state s WHERE s.article_id IN"
        f" (SELECT article_id FROM minhash_bands WHERE {where} LIMIT ?) AND s.article_id != ?",
        [x for p in pairs for x in p] + [DUPLICATE_CANDIDATES, article_id]).fetchall()
    out = {}
    for aid, blob in rows:
        other = dedupe.from_blob(blob)
        if other is not None:
            out[aid] = dedupe.jaccard(sig, other)
    return out

"""Article vectors for related links: BM25 term weights x smoothed IDF over every word, with
library-wide document frequencies; cosine between unit vectors."""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

BM25_K1, BM25_B = 1.2, 0.75  # the textbook defaults, not tuned to any corpus
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{3,}", re.UNICODE)
STOPWORDS = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "said", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    "yours", "yourself", "yourselves", "says", "say", "told", "new", "year", "years", "one", "two", "three", "week",
    "day", "days", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "percent", "per",
    "cent", "would", "could", "may", "might", "must", "shall", "us", "its", "it's", "that's", "mr", "mrs", "ms",
    "last", "first", "next", "since", "still", "also", "however",
])


def words(text: str) -> list[str]:
    return [w for w in (m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text))
            if len(w) >= 3 and w not in STOPWORDS]


def term_counts(title: str, body: str) -> Counter:
    """Word counts of the whole article, the title read as one more line of it."""
    return Counter(words(title) + words(body))


def idf(n_docs: int, df: int) -> float:
    """Smoothed IDF (scikit-learn's): >= 1 even for a term every article has, so a library of
    one article, one topic or 10,000 copies still gives finite, positive weights."""
    return math.log((1 + max(n_docs, 0)) / (1 + max(df, 0))) + 1.0


def vector(counts: Counter, df: dict[str, int], n_docs: int, avg_length: float) -> dict[str, float]:
    """Unit-length vector over every word of the article: BM25's saturating term frequency
    with its usual k1 and b (a word said ten times is not ten times as telling, and a long
    article is not related to everything) x `idf`, for all its words at once."""
    if not counts:
        return {}
    terms = list(counts)
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(terms))
    freq = np.fromiter((df.get(t, 0) for t in terms), dtype=np.float64, count=len(terms))
    length = tf.sum()
    norm_length = 1 - BM25_B + BM25_B * length / avg_length if avg_length > 0 else 1.0
    weights = tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm_length)
    weights *= np.log((1 + max(n_docs, 0)) / (1 + np.maximum(freq, 0))) + 1.0
    norm = math.sqrt(float(weights @ weights))
    if not norm or not math.isfinite(norm):
        return {}
    return dict(zip(terms, (weights / norm).tolist(), strict=True))


def distinctive(vec: dict[str, float], n: int) -> list[str]:
    """The n heaviest terms, heaviest first (ties by term, so a relink is reproducible)."""
    return [t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


@lru_cache(maxsize=1 << 18)  # a word's id is asked for again by every vector it is in
def term_id(term: str) -> int:
    """A stable 64-bit id for a word (a collision would only blur one weight of one pair)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def pack(vec: dict[str, float]) -> bytes:
    """A vector as sorted uint64 word ids then float32 weights: loads without parsing and
    scores against many others at once (see `dot_many`)."""
    ids = np.fromiter((term_id(t) for t in vec), dtype=np.uint64, count=len(vec))
    weights = np.fromiter(vec.values(), dtype=np.float64, count=len(vec)).astype(np.float32)
    order = np.argsort(ids, kind="stable")
    return ids[order].tobytes() + weights[order].tobytes()


def pack_counts(counts: Counter) -> bytes:
    """Word counts in the order of the article's sorted word list (`related_state.terms`): with
    its length they give its vector again under any later document frequencies."""
    return np.array([counts[t] for t in sorted(counts)], dtype=np.uint32).tobytes()


def unpack_counts(terms: list[str], blob: bytes) -> Counter:
    return Counter(dict(zip(terms, np.frombuffer(blob, dtype=np.uint32).tolist(), strict=True)))


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 12
    return np.frombuffer(blob, dtype=np.uint64, count=n), np.frombuffer(blob, dtype=np.float32, offset=8 * n)


def dot_many(ids: np.ndarray, weights: np.ndarray, others: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Dot products of one packed vector with many: one pass over all their entries."""
    if not others:
        return np.zeros(0)
    sizes = np.array([len(o[0]) for o in others])
    if not len(ids) or not sizes.sum():
        return np.zeros(len(others))
    all_ids = np.concatenate([o[0] for o in others])
    all_w = np.concatenate([o[1] for o in others]).astype(np.float64)
    pos = np.searchsorted(ids, all_ids)
    pos[pos >= len(ids)] = 0
    prod = np.where(ids[pos] == all_ids, weights[pos].astype(np.float64) * all_w, 0.0)
    sums = np.concatenate([[0.0], np.cumsum(prod)])
    ends = np.cumsum(sizes)
    return sums[ends] - sums[ends - sizes]

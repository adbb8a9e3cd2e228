"""Distinctive terms of an article: TF-IDF over words, with library-wide document frequencies."""
from __future__ import annotations

import math
import re
from collections import Counter

TOP_TERMS = 40  # terms kept per article: enough for cosine, small enough for cheap candidates
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{3,}", re.UNICODE)
STOPWORDS = frozenset("""
a about above after again against all also an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own said same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves says say told new year years one two three
week day days monday tuesday wednesday thursday friday saturday sunday percent per cent would could
may might must shall us its it's that's mr mrs ms last first next since still also however
""".split())


def words(text: str) -> list[str]:
    return [w for w in (m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text))
            if len(w) >= 3 and w not in STOPWORDS]


def term_counts(title: str, body: str) -> Counter:
    counts = Counter(words(body))
    for w in words(title):  # a title word counts as much as a few body mentions
        counts[w] += 2
    return counts


def idf(n_docs: int, df: int) -> float:
    """Smoothed IDF, positive even for a term every article has (a two-article library links too)."""
    return math.log(1 + max(n_docs, 1) / max(df, 1))


def tfidf(counts: Counter, df: dict[str, int], n_docs: int) -> dict[str, float]:
    """Unit-length TF-IDF vector of the TOP_TERMS heaviest terms."""
    weights = {t: (1 + math.log(c)) * idf(n_docs, df.get(t, 0)) for t, c in counts.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top if w > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())

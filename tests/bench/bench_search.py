"""Search benchmark: `Library.search()` beside a raw FTS5 bm25 top-20 query with snippet.

    .venv/bin/python tests/bench/bench_search.py [--articles 100000] [--rebuild]

Builds (once, cached in /tmp) a library of synthetic news-like articles (~2.5 KB each):
Zipf-distributed words from a 30,000-word English-like vocabulary (real function and
news words at the top ranks, generated words below, person and place names mixed in),
inserted by direct batched INSERTs through the real schema and FTS triggers. Then times,
in the same run on the same database, each query through `Library.search()` (ranked page of
20 with snippets and highlights) and through the raw FTS5 statement below, and prints
median and p95 per query class, plus the filter-only listing (newest first, deep offsets).
Figures are noisy: the machine has 2 cores and other work runs beside it.
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.library import Library  # noqa: E402

SEED = 20151127
FORMAT = 3  # bump when the generator or the schema changes so the cached library is rebuilt
RAW_SQL = (
    "SELECT rowid, bm25(articles_fts, 10.0, 1.0, 3.0, 3.0) AS r,"
    " snippet(articles_fts, 1, '[', ']', '…', 24)"
    " FROM articles_fts WHERE articles_fts MATCH ? ORDER BY r LIMIT 20"
)

FUNCTION = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it", "as", "by", "at", "from", "his", "said", "be", "has", "have", "are", "not", "this", "an", "but", "which", "they", "were", "had", "its", "who", "their", "been", "after", "also", "will", "would", "more", "over", "than", "when", "one", "two", "new", "there", "up", "about", "out", "into", "could", "year", "people", "government", "president", "minister", "state", "country", "police", "officials", "report", "week", "city", "military", "forces", "security", "party", "election", "court", "company", "market", "police", "told", "percent", "million", "last", "first", "group", "national", "public", "health", "war", "united", "leaders", "talks", "agreement", "power", "support", "since", "against", "during", "under", "made", "world", "news", "day", "time"]
NAMES = ["putin", "merkel", "hollande", "obama", "assad", "erdogan", "cameron", "modi", "abe", "xi", "netanyahu", "rouhani", "kerry", "lavrov", "juncker", "tusk", "renzi", "rajoy", "trudeau", "turnbull", "zuma", "buhari", "sisi", "salman", "moscow", "berlin", "paris", "washington", "damascus", "ankara", "london", "delhi", "tokyo", "beijing", "aleppo", "tehran", "brussels", "rome", "madrid", "ottawa", "canberra", "pretoria", "abuja", "cairo", "riyadh", "kiev"]
ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr", "ch"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ie", "ou", "oa"]
CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rt", "ng"]


def vocabulary(rng: np.random.Generator, size: int = 30_000) -> list[str]:
    words = list(dict.fromkeys(FUNCTION))
    seen = set(words) | set(NAMES)
    while len(words) < size - len(NAMES):
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                    for _ in range(int(rng.integers(1, 4))))
        if w not in seen and len(w) > 2:
            seen.add(w)
            words.append(w)
    # Names sit at middling ranks: frequent enough to matter, far from stop words.
    for i, name in enumerate(NAMES):
        words.insert(200 + i * 37, name)
    return words


def build(path: Path, n: int) -> None:
    rng = np.random.default_rng(SEED)
    vocab = np.array(vocabulary(rng), dtype=object)
    ranks = np.arange(1, len(vocab) + 1)
    p = 1.0 / ranks ** 1.05
    p /= p.sum()
    content = np.arange(150, len(vocab))  # titles skip the function words
    pc = p[content] / p[content].sum()
    sources = [f"Wire {c}" for c in "ABCDEFGHIJKLMNOPQRST"] + ["Daily Courier", "The Observer"]
    path.unlink(missing_ok=True)
    lib = Library(path)
    conn = lib.db.conn
    conn.execute("PRAGMA synchronous = OFF")
    start = time.perf_counter()
    batch = 2_000
    for lo in range(0, n, batch):
        rows = []
        draws = rng.choice(len(vocab), size=(batch, 380), p=p)
        title_draws = content[rng.choice(len(content), size=(batch, 8), p=pc)]
        for j in range(min(batch, n - lo)):
            i = lo + j
            words = vocab[draws[j]]
            sentences = [" ".join(words[k:k + 19]) for k in range(0, len(words), 19)]
            paras = ["  ".join(s.capitalize() + "." for s in sentences[k:k + 4])
                     for k in range(0, len(sentences), 4)]
            body = "\n\n".join(paras)
            title = " ".join(vocab[title_draws[j][: 5 + i % 4]]).capitalize()
            day = 16_000 + (i * 7919) % 3650  # ten years of dates, not in id order
            published = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(day * 86400 + i % 86400))
            rows.append((f"bench:{i}", "text", title, sources[i % len(sources)], published,
                         "2026-01-01T00:00:00+00:00", body, hashlib.sha1(body.encode()).hexdigest(),
                         i % 3 == 0))
        with conn:
            conn.executemany(
                "INSERT INTO articles (key, origin, title, source, published_at, imported_at, body,"
                " body_hash, read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if (lo // batch) % 10 == 0:
            print(f"  built {lo + len(rows):,} articles ({time.perf_counter() - start:.0f} s)", flush=True)
    with conn:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('bench_format', ?)", (f"{FORMAT}:{n}",))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lib.close()
    print(f"  built {n:,} articles in {time.perf_counter() - start:.0f} s", flush=True)


def cached(path: Path, n: int) -> bool:
    if not path.exists():
        return False
    lib = Library(path)
    try:
        row = lib.db.conn.execute("SELECT value FROM settings WHERE key = 'bench_format'").fetchone()
    finally:
        lib.close()
    return row is not None and row[0] == f"{FORMAT}:{n}"


def queries(conn, rng: np.random.Generator) -> dict[str, list[tuple[str, str]]]:
    """(margin query, raw FTS5 MATCH) pairs per class, taken from the built vocabulary."""
    # Document frequencies from the index itself decide which words are common or rare.
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, 'articles_fts', 'row')")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    common = [t for t, in conn.execute(
        "SELECT term FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? AND length(term) > 3 LIMIT 60",
        (total // 10, total * 9 // 10))]
    rare = [t for t, in conn.execute(
        "SELECT term FROM temp.bench_vocab WHERE doc BETWEEN 20 AND 400 AND length(term) > 4 LIMIT 400")]
    names = [n for n in NAMES if n in set(common) | set(rare)] or NAMES
    bodies = [b for b, in conn.execute("SELECT body FROM articles WHERE id % 997 = 1 LIMIT 40")]
    pick = lambda xs: xs[int(rng.integers(len(xs)))]  # noqa: E731
    out: dict[str, list[tuple[str, str]]] = {k: [] for k in (
        "1 common word", "2 common words", "3 words mixed", "1 rare word", "rare + common", "2 rare words",
        "phrase", "name + common", "prefix")}
    for k in range(12):
        a, b, c = pick(common), pick(common), pick(common)
        r1, r2 = pick(rare), pick(rare)
        out["1 common word"].append((a, a))
        out["2 common words"].append((f"{a} {b}", f"{a} {b}"))
        out["3 words mixed"].append((f"{a} {b} {r1}", f"{a} {b} {r1}"))
        out["1 rare word"].append((r1, r1))
        out["rare + common"].append((f"{r1} {c}", f"{r1} {c}"))
        out["2 rare words"].append((f"{r1} {r2}", f"{r1} {r2}"))
        words = bodies[k % len(bodies)].replace(".", "").lower().split()
        at = int(rng.integers(len(words) - 3))
        phrase = " ".join(words[at:at + 2])
        out["phrase"].append((f'"{phrase}"', f'"{phrase}"'))
        name = pick(names)
        out["name + common"].append((f"{name} {a}", f"{name} {a}"))
        stem = a[: 3 + k % 3]
        out["prefix"].append((f"{stem}", f"{stem}*"))
    return out


def timed(fn, runs: int) -> list[float]:
    fn()  # warm the page cache for this query
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--path", default=None)
    args = ap.parse_args()
    path = Path(args.path or f"/tmp/margin-bench-search-{args.articles}.db")
    if args.rebuild or not cached(path, args.articles):
        print(f"building {args.articles:,} articles in {path} …", flush=True)
        build(path, args.articles)
    lib = Library(path)
    conn = lib.db.conn
    n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    kb = conn.execute("SELECT avg(length(body)) / 1000.0 FROM articles").fetchone()[0]
    print(f"library: {path} · {n:,} articles · {kb:.2f} KB body on average · "
          f"{path.stat().st_size / 1e6:.0f} MB")
    qs = queries(conn, np.random.default_rng(SEED + 1))
    print(f"\n{'query class':<16} {'n':>3} {'margin med':>11} {'margin p95':>11} {'raw med':>9} "
          f"{'raw p95':>9} {'p95 ratio':>9}")
    all_m, all_r = [], []
    for name, pairs in qs.items():
        m_times, r_times = [], []
        for q, raw in pairs:
            r_times += timed(lambda raw=raw: conn.execute(RAW_SQL, (raw,)).fetchall(), args.runs)
            m_times += timed(lambda q=q: lib.search(q, limit=20), args.runs)
        all_m += m_times
        all_r += r_times
        print(f"{name:<16} {len(pairs):>3} {statistics.median(m_times):>9.1f}ms {p95(m_times):>9.1f}ms "
              f"{statistics.median(r_times):>7.1f}ms {p95(r_times):>7.1f}ms {p95(m_times) / p95(r_times):>8.2f}×")
    print(f"{'all 1-3 word':<16} {len(all_m) // args.runs:>3} {statistics.median(all_m):>9.1f}ms "
          f"{p95(all_m):>9.1f}ms {statistics.median(all_r):>7.1f}ms {p95(all_r):>7.1f}ms "
          f"{p95(all_m) / p95(all_r):>8.2f}×")
    print("\nwords with filters (no raw counterpart; every match is joined to its article)")
    for name, make in (("common word is:unread", lambda q: f"{q} is:unread"),
                       ("common word sort:date", lambda q: f"{q} sort:date"),
                       ("rare word since:2020", lambda q: f"{q} since:2020-01-01")):
        src = qs["1 rare word"] if name.startswith("rare") else qs["1 common word"]
        t = [x for q, _ in src for x in timed(lambda q=make(q): lib.search(q, limit=20), args.runs)]  # noqa: B008  binds this query now
        print(f"  {name:<24} median {statistics.median(t):6.1f} ms  p95 {p95(t):6.1f} ms")
    print("\nfilter-only listing (newest first, page of 20) and count")
    for q in ("", "is:unread", "since:2020-01-01", "sort:date is:unread", "#politics", "has:note"):
        for offset in (0, 1_000, n // 2, max(0, n - 20)):
            t = timed(lambda q=q, o=offset: lib.search(q, limit=20, offset=o), args.runs)
            print(f"  search({q!r:<22}, offset={offset:>6,}) median {statistics.median(t):6.1f} ms  "
                  f"p95 {p95(t):6.1f} ms")
        t = timed(lambda q=q: lib.count(q), args.runs)
        print(f"  count({q!r:<23})                 median {statistics.median(t):6.1f} ms")
    lib.close()


if __name__ == "__main__":
    main()

"""Linking one new article into libraries of 1,000 / 10,000 / 100,000 articles, a full re-link
of 10,000, and 10,000 copies of one article. Libraries are synthetic (Zipf words, Zipf
entities; every article linked as the library grew, as the queue would) and cached in /tmp.

    .venv/bin/python tests/bench/bench_related.py [--sizes 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import vocabulary  # noqa: E402

from store.document import Document  # noqa: E402
from store.library import Library  # noqa: E402
from store.related.terms import pack, term_counts, vector  # noqa: E402

N_ENTITIES = 20_000


def synth(rng, vocab, p, n_words=380):
    return " ".join(vocab[i] for i in rng.choice(len(vocab), size=n_words, p=p))


def add_entities(conn) -> np.ndarray:
    """N_ENTITIES named entities; returns the Zipf weights articles draw their mentions from."""
    with conn:
        conn.executemany("INSERT INTO entities (id, name, kind, key) VALUES (?, ?, ?, ?)",
                         [(i, f"Entity {i}", ("person", "place", "org")[i % 3], f"entity {i}")
                          for i in range(1, N_ENTITIES + 1)])
    pe = 1.0 / np.arange(1, N_ENTITIES + 1) ** 1.1
    return pe / pe.sum()


def mention_rows(rng, pe: np.ndarray, article_id: int, body: str, k: int = 8) -> list[tuple]:
    """Up to k Zipf-drawn entities, each mentioned at one word of the body (offsets and text
    are the body's, as the enrichment stores them)."""
    rows = []
    for e in set(rng.choice(N_ENTITIES, size=k, p=pe).tolist()):
        start = body.find(" ", int(rng.integers(len(body)))) + 1 if body else 0
        end = body.find(" ", start)
        end = len(body) if end < 0 else end
        rows.append((article_id, e + 1, start, end, body[start:end]))
    return rows


def build(path: Path, n: int) -> None:
    rng = np.random.default_rng(11)
    vocab = vocabulary(rng)
    p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    p /= p.sum()
    path.unlink(missing_ok=True)
    lib = Library(path)
    c = lib.db.conn
    c.execute("PRAGMA synchronous = OFF")
    pe = add_entities(c)
    df: dict[str, int] = {}
    tokens = 0
    t = time.perf_counter()
    for lo in range(0, n, 1000):
        arts, ments, states = [], [], []
        bodies = [synth(rng, vocab, p) for _ in range(min(1000, n - lo))]
        for j, body in enumerate(bodies):
            aid = lo + j + 1
            arts.append((aid, f"bench:{aid}", "text", f"T{aid}", body, f"h{aid}", "2026-01-01T00:00:00+00:00"))
            counts = term_counts(f"T{aid}", body)
            for term in counts:
                df[term] = df.get(term, 0) + 1
            length = sum(counts.values())
            tokens += length
            vec = vector(counts, df, aid, tokens / aid)
            ments += mention_rows(rng, pe, aid, body)
            states.append((aid, f"h{aid}", json.dumps(sorted(counts)), None, "x", pack(vec), aid, length))
        with c:
            c.executemany("INSERT INTO articles (id, key, origin, title, body, body_hash, imported_at) VALUES (?,?,?,?,?,?,?)", arts)
            c.executemany('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?,?,?,?,?)', ments)
            c.executemany("INSERT INTO related_state (article_id, body_hash, terms, minhash, linked_at, vector,"
                          " linked_n, length) VALUES (?,?,?,?,?,?,?,?)", states)
        print(f"  built {lo + len(bodies):,} ({time.perf_counter() - t:.0f} s)", flush=True)
    with c:
        c.executemany("INSERT OR REPLACE INTO term_df VALUES (?, ?)", df.items())
        c.execute("INSERT INTO entity_df SELECT entity_id, count(DISTINCT article_id) FROM mentions GROUP BY entity_id")
        c.execute("UPDATE related_state SET entities = (SELECT json_group_array(DISTINCT entity_id) FROM mentions m"
                  " WHERE m.article_id = related_state.article_id)")
        c.execute("INSERT OR REPLACE INTO settings VALUES ('bench_related', ?)", (str(n),))
    lib.close()


def copies(n: int) -> None:
    """n copies of one article, each linked as it arrives: one duplicate group, no blow-up."""
    rng = np.random.default_rng(3)
    vocab = vocabulary(np.random.default_rng(11))
    p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    p /= p.sum()
    body = synth(rng, vocab, p)
    path = Path(f"/tmp/margin-bench-copies-{n}.db")
    path.unlink(missing_ok=True)
    with Library(path) as lib:
        c = lib.db.conn
        t = time.perf_counter()
        last = t
        for k in range(n):
            with c:
                art = lib.store_document(f"copy:{k}", Document.from_parts("Same", [("paragraph", body)]), origin="text")
                lib.related.refresh([art.id])
            if (k + 1) % (n // 4) == 0:
                now = time.perf_counter()
                print(f"  {k + 1:>6,} copies linked: {now - t:.0f} s, {(now - last) / (n // 4) * 1000:.1f} ms per copy"
                      f" in the last {n // 4:,}", flush=True)
                last = now
        groups = lib.related.duplicates()
        print(f"{n:,} copies: {len(groups)} duplicate group(s) of {[len(g['ids']) for g in groups]}, "
              f"{time.perf_counter() - t:.0f} s")
    path.unlink()


def link_new_articles(lib: Library, rng, vocab, p, count: int = 20) -> list[float]:
    """Seconds to link each of `count` new articles (stored, 6 mentions) into the library;
    each is deleted again after."""
    c = lib.db.conn
    times = []
    for k in range(count):
        with c:
            art = lib.store_document(f"new:{k}:{time.time()}", Document.from_parts(
                "New", [("paragraph", synth(rng, vocab, p))]), origin="text")
            for e in rng.integers(1, 200, size=6).tolist():
                c.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?,?,0,1,?)',
                          (art.id, e, "x"))
        t = time.perf_counter()
        with c:
            lib.related.refresh([art.id])
        times.append(time.perf_counter() - t)
        with c:
            c.execute("DELETE FROM articles WHERE id = ?", (art.id,))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--copies", type=int, default=0, help="also link this many copies of one article")
    args = parser.parse_args()
    if args.copies:
        copies(args.copies)
    rng = np.random.default_rng(5)
    vocab = vocabulary(np.random.default_rng(11))
    p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    p /= p.sum()
    for n in (int(x) for x in args.sizes.split(",") if x):
        path = Path(f"/tmp/margin-bench-related-{n}.db")
        if not path.exists():
            build(path, n)
        with Library(path) as lib:
            times = sorted(link_new_articles(lib, rng, vocab, p))
            print(f"link one new article into {n:>7,} articles: median {times[10] * 1000:.1f} ms,"
                  f" max {times[-1] * 1000:.1f} ms")
    path = Path("/tmp/margin-bench-related-10000.db")
    if path.exists():
        with Library(path) as lib:
            t, cpu = time.perf_counter(), time.process_time()
            lib.related.relink_all()
            # CPU time too: on a shared machine the wall clock mostly measures the others
            print(f"full re-link of 10,000 articles: {time.perf_counter() - t:.1f} s"
                  f" ({time.process_time() - cpu:.1f} s CPU)")
        path.unlink()  # the re-link changed it; rebuild next time


if __name__ == "__main__":
    main()

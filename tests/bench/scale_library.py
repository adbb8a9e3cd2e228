"""The scale benchmark's library: bench_import's text corpus imported by the real `margin import`,
bench_related's Zipf entities mentioned in every article, every article indexed for related
links by the store's own first pass, notes spread over the library, read and starred states.

    build(path, n=100_000, notes=10_000)   # cached: is_current(path, n, notes) says if it can be reused

Automatic links are not computed here (a full relink is one of the measured steps, hours at 100k).
"""
from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_import import make_corpus  # noqa: E402
from bench_related import add_entities, mention_rows  # noqa: E402

from store.db import known_migrations  # noqa: E402
from store.enrich import ENRICH_VERSION  # noqa: E402
from store.library import Library  # noqa: E402
from store.related.linker import index_article  # noqa: E402

FORMAT = 1  # bump when what build() makes changes, so cached libraries are rebuilt
BATCH = 1000


def stamp(n: int, notes: int) -> str:
    """What a cached library must carry to be reused: this builder's format, its size and the
    schema (the newest migration) it was built with."""
    return f"{FORMAT}:{n}:{notes}:{max(known_migrations())}"


def is_current(path: Path, n: int, notes: int) -> bool:
    import sqlite3

    if not path.exists():
        return False
    with sqlite3.connect(path) as conn:
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'bench_scale'").fetchone()
        except sqlite3.Error:
            return False
    return row is not None and row[0] == stamp(n, notes)


def corpus_dir(n: int, root: Path = Path("/tmp")) -> Path:
    """bench_import's corpus of n text files, written once under `root`."""
    folder = root / f"margin-bench-scale-corpus-{n}"
    done = folder / ".complete"
    if not done.exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        folder.mkdir(parents=True)
        make_corpus(folder, n)
        done.write_text(str(n))
    return folder


def run_import(corpus: Path, library: Path) -> tuple[float, int, str]:
    """`margin import CORPUS --no-enrich` as a whole process: (seconds, max RSS in MB, last line)."""
    from bench_hostile import measured

    return measured(["import", str(corpus), "--no-enrich", "--library", str(library)])


def add_mentions(lib: Library, log) -> int:
    """bench_related's entities, k Zipf-drawn ones mentioned in each article; the enrichment
    marked done, as the queue would leave it."""
    conn = lib.db.conn
    rng = np.random.default_rng(11)
    pe = add_entities(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    total = 0
    for lo in range(0, len(ids), BATCH):
        rows = []
        for aid, body in conn.execute("SELECT id, body FROM articles WHERE id BETWEEN ? AND ? ORDER BY id",
                                      (ids[lo], ids[min(lo + BATCH, len(ids)) - 1])):
            rows += mention_rows(rng, pe, aid, body)
        with conn:
            conn.executemany('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?,?,?,?,?)',
                             rows)
        total += len(rows)
    with conn:
        conn.execute("UPDATE articles SET enrich_version = ?, enriched_hash = body_hash, extractor = 'bench'",
                     (ENRICH_VERSION,))
    log(f"  {total:,} mentions of {conn.execute('SELECT count(DISTINCT entity_id) FROM mentions').fetchone()[0]:,}"
        " entities")
    return total


def index_all(lib: Library, log) -> None:
    """The related store's first pass over every article (vector, MinHash, document
    frequencies as the library grows), as the queue leaves an article it has linked."""
    conn = lib.db.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    t = time.perf_counter()
    for lo in range(0, len(ids), BATCH):
        with conn:
            for article_id in ids[lo:lo + BATCH]:
                index_article(conn, article_id)
        if (lo // BATCH) % 10 == 9 or lo + BATCH >= len(ids):
            log(f"  indexed {min(lo + BATCH, len(ids)):,} for related links ({time.perf_counter() - t:.0f} s)")


def add_notes(lib: Library, notes: int) -> None:
    """`notes` notes, two per article on evenly spread articles (bench_reanchor's kind: a
    passage of 8-40 characters, a body; some tagged and coloured); every third article read,
    one in a hundred starred."""
    rng = random.Random(19)
    conn = lib.db.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    per_article = 2 if notes <= 2 * len(ids) else -(-notes // len(ids))
    noted = ids[:: max(1, len(ids) // -(-notes // per_article))][: -(-notes // per_article)]
    made = 0
    for aid in noted:
        body = conn.execute("SELECT body FROM articles WHERE id = ?", (aid,)).fetchone()[0]
        for _ in range(min(per_article, notes - made)):
            start = rng.randrange(0, max(1, len(body) - 40))
            tags = ("bench", f"topic{made % 7}") if made % 5 == 0 else ()
            lib.notes.add(aid, start=start, end=start + rng.randint(8, 40), body=f"note {made}", tags=tags,
                          color="yellow" if made % 9 == 0 else None)
            made += 1
    with conn:
        conn.execute("UPDATE articles SET read = 1 WHERE id % 3 = 0")
        conn.execute("UPDATE articles SET starred = 1 WHERE id % 100 = 7")


def build(path: Path, n: int, notes: int, log=print, corpus_root: Path = Path("/tmp")) -> dict[str, float]:
    """Build the library at `path` from scratch; returns how long each part took (s)."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    corpus = corpus_dir(n, corpus_root)
    times["corpus"] = time.perf_counter() - t
    log(f"  corpus of {n:,} files in {corpus} ({times['corpus']:.0f} s)")
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    times["import"], _rss, line = run_import(corpus, path)
    log(f"  margin import: {times['import']:.0f} s: {line}")
    lib = Library(path)
    try:
        lib.db.conn.execute("PRAGMA synchronous = OFF")
        t = time.perf_counter()
        add_mentions(lib, log)
        times["mentions"] = time.perf_counter() - t
        t = time.perf_counter()
        index_all(lib, log)
        times["index"] = time.perf_counter() - t
        t = time.perf_counter()
        add_notes(lib, notes)
        times["notes"] = time.perf_counter() - t
        log(f"  {notes:,} notes ({times['notes']:.0f} s)")
        with lib.db.conn:
            lib.db.conn.execute("INSERT OR REPLACE INTO settings VALUES ('bench_scale', ?)", (stamp(n, notes),))
        lib.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        lib.close()
    return times

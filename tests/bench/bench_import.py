"""Import throughput: `margin import DIR --no-enrich` as a whole process, against a baseline
script that reads the same files and does a raw sqlite-utils insert_all with FTS triggers.

    .venv/bin/python tests/bench/bench_import.py [--articles 2500] [--runs 3] [--inserts] [--against DIR]

`--against /work/main` also runs the margin of another checkout in the same turns, so a
change is measured against the code before it under the same load.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
WORDS = ["the", "government", "said", "on", "monday", "that", "talks", "with", "unions", "over", "pay", "and", "hours", "would", "resume", "next", "week", "while", "ministers", "in", "berlin", "paris", "and", "madrid", "warned", "of", "strikes", "at", "ports", "airports", "and", "railways", "analysts", "expect", "inflation", "to", "ease", "as", "energy", "prices", "fall", "but", "wages", "keep", "rising", "in", "most", "sectors", "the", "central", "bank", "held", "rates", "and", "signalled", "a", "cut", "officials", "in", "brussels", "proposed", "new", "rules", "for", "exports", "of", "chips", "and", "the", "summit", "in", "lisbon", "agreed", "a", "deadline", "for", "coal", "power", "plants"]
BASELINE = r"""
import sys, time
from pathlib import Path
import sqlite_utils
t = time.perf_counter()
db = sqlite_utils.Database(sys.argv[2])
db.conn.execute("PRAGMA journal_mode = WAL")
rows = []
for p in sorted(Path(sys.argv[1]).rglob("*.txt")):
    text = p.read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    rows.append({"path": str(p), "title": title, "body": body})
table = db["articles"]
table.insert_all(rows, pk="path", batch_size=500) if table.exists() else None
if not table.exists():
    table.create({"path": str, "title": str, "body": str}, pk="path")
    table.enable_fts(["title", "body"], create_triggers=True)
    table.insert_all(rows, batch_size=500)
print(time.perf_counter() - t)
"""


SEED = 7


def zipf(size: int):
    """Word-rank probabilities of the corpus (Zipf, exponent 1.05)."""
    import numpy as np

    p = 1.0 / np.arange(1, size + 1) ** 1.05
    return p / p.sum()


def make_corpus(folder: Path, n: int) -> None:
    """News-like text: a 30,000-word Zipf vocabulary (the search benchmark's), so the FTS
    index does realistic work; a tiny vocabulary would make both sides look cheap."""
    import numpy as np
    from bench_search import vocabulary

    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    vocab = vocabulary(nrng)
    p = zipf(len(vocab))

    def stream(chunk: int = 520 * 1000):
        # drawn in chunks (the same sequence as one draw): 100,000 articles' words in one
        # list of Python ints would take ~2 GB
        left = n * 520
        while left > 0:
            yield from nrng.choice(len(vocab), size=min(chunk, left), p=p).tolist()
            left -= chunk

    draws = stream()
    for i in range(n):
        paras = []
        while sum(len(p) for p in paras) < 2400:
            words = [vocab[next(draws)] for _ in range(rng.randint(35, 70))]
            paras.append(" ".join(words).capitalize() + ".")
        title = " ".join(vocab[next(draws)] for _ in range(7)).capitalize()
        (folder / f"{i // 500:02d}").mkdir(exist_ok=True)
        (folder / f"{i // 500:02d}" / f"a{i:05d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n")


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the process and the workers it waited for: on a loaded
    machine the wall time says more about the other processes than about this one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare_inserts(corpus: Path, tmp: Path, runs: int) -> None:
    """margin's insert of new articles (store/articles.py: staged, one INSERT ... SELECT a batch)
    against sqlite-utils' insert_all of the same rows, in this process, 500 articles a transaction."""
    from store.articles import blocks_json, insert_new, iso
    from store.db import now_iso, open_db
    from store.document import links_json
    from store.plaintext import parse_plaintext

    def insert_all(db, items) -> None:
        now = now_iso()
        db.utils["articles"].insert_all(({
            "key": key, "feed_id": None, "origin": meta["origin"], "guid": None, "url": doc.url,
            "path": meta["path"], "title": doc.title, "author": doc.author, "source": doc.source,
            "aggregator": doc.aggregator, "published_at": iso(doc.published_at), "imported_at": now,
            "body": doc.body, "blocks": blocks_json(doc.blocks), "body_hash": doc.body_hash,
            "trailer": doc.trailer, "links": links_json(doc)} for key, doc, meta in items), batch_size=500)

    items = [(f"path:{p}", parse_plaintext(p.read_text()), {"origin": "text", "path": str(p)})
             for p in sorted(corpus.rglob("*.txt"))]
    best: dict[str, list[float]] = {"staged (margin)": [], "sqlite-utils insert_all": []}
    for run in range(runs):
        for way, (name, insert) in enumerate((("staged (margin)", insert_new), ("sqlite-utils insert_all", insert_all))):
            db = open_db(tmp / f"insert-{run}-{way}.db")
            cpu = time.process_time()
            for lo in range(0, len(items), 500):
                with db.conn:
                    insert(db, items[lo:lo + 500])
            best[name].append(time.process_time() - cpu)
            db.conn.close()
    for name, cpus in best.items():
        print(f"  insert only, {name}: best {min(cpus):.2f} s CPU of {runs}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=3,
                        help="margin and the baseline take turns this many times; the best of each counts")
    parser.add_argument("--inserts", action="store_true", help="also time the insert alone, staged against insert_all")
    parser.add_argument("--against", type=Path, help="another checkout whose margin takes its turn too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.articles)
        margin_runs, base_runs, other_runs = [], [], []
        for run in range(args.runs):  # in turns, so a change in the machine's load falls on both
            margin_db, base_db = Path(tmp) / f"margin{run}.db", Path(tmp) / f"base{run}.db"
            margin_runs.append(timed([sys.executable, "-c", "from tui.cli import entry; entry()", "import",
                                      str(corpus), "--no-enrich", "--library", str(margin_db)]))
            base_runs.append(timed([sys.executable, "-c", BASELINE, str(corpus), str(base_db)]))
            (mw, mc), (bw, bc) = margin_runs[-1], base_runs[-1]
            other = ""
            if args.against:
                other_runs.append(timed([sys.executable, "-c", "from tui.cli import entry; entry()", "import",
                                         str(corpus), "--no-enrich", "--library", str(Path(tmp) / f"other{run}.db")],
                                        cwd=args.against))
                ow, oc = other_runs[-1]
                other = f"; {args.against}: {ow:.2f} s ({oc:.2f} s CPU), ratio {bw / ow:.2f}"
            print(f"  run {run + 1}: margin {mw:.2f} s ({mc:.2f} s CPU), baseline {bw:.2f} s ({bc:.2f} s CPU),"
                  f" ratio {bw / mw:.2f} (CPU {bc / mc:.2f}){other}", flush=True)
        margin_s, base_s = min(w for w, _ in margin_runs), min(w for w, _ in base_runs)
        margin_cpu, base_cpu = min(c for _, c in margin_runs), min(c for _, c in base_runs)
        size = sum(p.stat().st_size for p in Path(tmp).glob("margin0.db*"))
        print(f"articles: {args.articles} (~2.5 KB each), whole processes on this machine, best of {args.runs}")
        print(f"  margin import --no-enrich: {margin_s:.2f} s = {args.articles / margin_s:,.0f} articles/s")
        print(f"  raw sqlite-utils insert_all + FTS triggers: {base_s:.2f} s = {args.articles / base_s:,.0f} articles/s")
        print(f"  margin throughput / baseline throughput: {base_s / margin_s:.2f}")
        print(f"  the same in CPU time (margin {margin_cpu:.2f} s, baseline {base_cpu:.2f} s): {base_cpu / margin_cpu:.2f}")
        print(f"  library size: {size / args.articles * 1000 / 1e6:.2f} MB per 1,000 articles")
        ratios = sorted(b / m for (m, _), (b, _) in zip(margin_runs, base_runs, strict=True))
        print(f"  paired runs' ratios: median {statistics.median(ratios):.2f} ({', '.join(f'{r:.2f}' for r in ratios)})")
        if other_runs:
            other_s, other_cpu = min(w for w, _ in other_runs), min(c for _, c in other_runs)
            others = [b / o for (o, _), (b, _) in zip(other_runs, base_runs, strict=True)]
            print(f"  {args.against}: {other_s:.2f} s ({other_cpu:.2f} s CPU): ratio {base_s / other_s:.2f},"
                  f" paired median {statistics.median(others):.2f}")
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.inserts:
            compare_inserts(corpus, Path(tmp), args.runs)


if __name__ == "__main__":
    main()

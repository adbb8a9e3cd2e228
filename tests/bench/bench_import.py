"""Import throughput: `margin import DIR --no-enrich` as a whole process, against a baseline
script that reads the same files and does a raw sqlite-utils insert_all with FTS triggers.

    .venv/bin/python tests/bench/bench_import.py [--articles 2500]
"""
from __future__ import annotations

import argparse
import random
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


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.articles)
        margin_db = Path(tmp) / "margin.db"
        margin_s = timed([sys.executable, "-c", "from tui.cli import entry; entry()", "import", str(corpus),
                          "--no-enrich", "--library", str(margin_db)])
        base_s = timed([sys.executable, "-c", BASELINE, str(corpus), str(Path(tmp) / "base.db")])
        size = sum(p.stat().st_size for p in Path(tmp).glob("margin.db*"))
        print(f"articles: {args.articles} (~2.5 KB each), whole processes on this machine")
        print(f"  margin import --no-enrich: {margin_s:.2f} s = {args.articles / margin_s:,.0f} articles/s")
        print(f"  raw sqlite-utils insert_all + FTS triggers: {base_s:.2f} s = {args.articles / base_s:,.0f} articles/s")
        print(f"  margin throughput / baseline throughput: {base_s / margin_s:.2f}")
        print(f"  library size: {size / args.articles * 1000 / 1e6:.2f} MB per 1,000 articles")


if __name__ == "__main__":
    main()

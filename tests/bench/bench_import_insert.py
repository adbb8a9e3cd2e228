"""The import's insert alone, under settings to compare: 2,500 parsed articles of
bench_import's corpus stored in batches, as the importer stores them. Prints CPU seconds;
for counts that do not move with the machine's load, run it under callgrind and subtract
a `--setup-only` run:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python \
        tests/bench/bench_import_insert.py [--hashsize BYTES] [--automerge N] [--batch 500] \
        [--drop-indexes] [--no-fts] [--setup-only] [--corpus DIR]

`--corpus DIR` reads a corpus made before (bench_import's, written there if DIR is empty):
under callgrind, making it costs twenty times the insert.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

LISTING_INDEXES = ("articles_sort", "articles_feed", "articles_read_sort", "articles_starred_sort",
                   "articles_state", "articles_feed_source_read", "articles_tagged")


def main() -> None:
    from bench_import import make_corpus

    from store.articles import insert_new
    from store.db import open_db
    from store.plaintext import parse_plaintext

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2500)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--hashsize", type=int, help="FTS5 hashsize (m0022 sets 16 MB; FTS5's default is 1 MB)")
    parser.add_argument("--automerge", type=int)
    parser.add_argument("--drop-indexes", action="store_true", help="without the seven listing indexes")
    parser.add_argument("--no-fts", action="store_true", help="without the trigger that indexes new articles")
    parser.add_argument("--setup-only", action="store_true", help="everything but the insert")
    parser.add_argument("--corpus", type=Path, help="a folder holding the corpus, or an empty one to write it to")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        corpus.mkdir(exist_ok=True)
        if not any(corpus.iterdir()):
            make_corpus(corpus, args.articles)
        items = [(f"path:{p}", parse_plaintext(p.read_text()), {"origin": "text", "path": str(p)})
                 for p in sorted(corpus.rglob("*.txt"))]
        db = open_db(Path(tmp) / "library.db")
        conn = db.conn
        for name, value in (("hashsize", args.hashsize), ("automerge", args.automerge)):
            if value is not None:
                conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES (?, ?)", (name, value))
        for name in LISTING_INDEXES if args.drop_indexes else ():
            conn.execute(f"DROP INDEX {name}")
        if args.no_fts:
            conn.execute("DROP TRIGGER articles_ai")
        if args.setup_only:
            return
        cpu = time.process_time()
        for lo in range(0, len(items), args.batch):
            with conn:
                insert_new(db, items[lo:lo + args.batch])
        print(f"insert of {len(items)} articles, batches of {args.batch}: {time.process_time() - cpu:.3f} s CPU")
        conn.close()


if __name__ == "__main__":
    main()

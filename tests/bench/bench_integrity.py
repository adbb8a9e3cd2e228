"""What the integrity checks cost: opening a library after a clean close (no check), opening
one changed since (PRAGMA quick_check first), and `backup` (which checks too).

    .venv/bin/python tests/bench/bench_integrity.py --path COPY_OF_A_LIBRARY.db

Works on the file given (it is migrated and backed up to /tmp): give a copy, e.g. of the
100,000-article library tests/bench/bench_search.py builds in /tmp.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.backup import write_backup  # noqa: E402
from store.library import Library  # noqa: E402
from store.library_file import changed_since_clean_close  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", required=True)
    args = ap.parse_args()
    path = Path(args.path)
    Library(path).close()  # migrated and stamped clean
    n = Library(path)
    articles = n.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    n.close()
    print(f"library: {path} · {articles:,} articles · {path.stat().st_size / 1e6:.0f} MB")
    assert not changed_since_clean_close(path)
    print(f"open after a clean close (no check): {timed(lambda: Library(path).close()):.3f} s")
    os.utime(path)  # as if another program had written to it
    assert changed_since_clean_close(path)
    print(f"open after the file changed (quick_check): {timed(lambda: Library(path).close()):.3f} s")
    out = Path("/tmp/margin-bench-integrity-backup.json")
    with Library(path) as lib:
        print(f"backup (quick_check + write): {timed(lambda: write_backup(lib, out)):.3f} s")
    out.unlink()


if __name__ == "__main__":
    main()

"""SIGKILL `margin import`, `margin fetch` and `margin enrich` at random moments, many times.

    .venv/bin/python tests/bench/bench_crash.py --runs 50

After every kill: PRAGMA integrity_check is ok, no note, feed, user link or article
committed before is missing, and no article is stored twice; at the end each command
re-runs to completion. Prints how many kills landed mid-run and any failure."""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from tests.feeds.conftest import Route, Server  # noqa: E402
from tests.hostile.crash import (  # noqa: E402
    N_ENTRIES,
    N_FEEDS,
    N_FILES,
    check_after,
    committed_library,
    feed_xml,
    kill_at_random,
    make_files,
    rerun,
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50, help="kills per command")
    ap.add_argument("--seed", type=int, default=19)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    srv = Server()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    for f in range(N_FEEDS):
        srv.routes[f"/{f}.xml"] = Route(feed_xml(f), delay=0.2 * f)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = make_files(tmp / "in")
        lib = tmp / "l.db"
        before = committed_library(lib, [srv.url(f"/{f}.xml") for f in range(N_FEEDS)])
        plans = {
            "import": (["import", str(folder), "--no-enrich", "--library", str(lib)], 0.3, 3.0),
            "fetch": (["fetch", "--force", "--no-enrich", "--library", str(lib)], 0.3, 2.0),
            "enrich": (["enrich", "--library", str(lib)], 1.0, 10.0),
        }
        started = time.perf_counter()
        for name, (cmd, lo, hi) in plans.items():
            landed = 0
            for _ in range(args.runs):
                if name == "enrich":  # re-queue some work so a kill has something to interrupt
                    import sqlite3

                    with sqlite3.connect(lib) as conn:
                        conn.execute("UPDATE articles SET enrich_version = 0 WHERE id % 7 = ?", (rng.randrange(7),))
                landed += kill_at_random(cmd, rng, min_delay=lo, max_delay=hi) >= 0
                before = check_after(lib, before)
            rerun(cmd)
            before = check_after(lib, before)
            print(f"{name:7} {args.runs} runs, {landed} killed mid-run: integrity ok, nothing lost, no duplicates")
        assert len(before["articles"]) == N_FILES + N_FEEDS * N_ENTRIES + 2
        print(f"all checks passed in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start-up of a worker pool by start method: time until both workers have answered.

    .venv/bin/python tests/bench/bench_pool_start.py

Why store/worker_pool.py still forks when margin is single-threaded."""
from __future__ import annotations

import time

from store.entities.spacy_backend import load_model
from store.feeds.parse import _import_feedparser
from store.worker_pool import process_pool


def _noop(_: int) -> int:
    return 0


def first_answers(method: str, initializer, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        with process_pool(2, initializer, method=method) as pool:
            list(pool.map(_noop, range(2)))
            best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    import feedparser  # noqa: F401  (as in `margin fetch`: the parent has it loaded)

    load_model()  # as in `margin enrich`, which loads the model before forking
    for name, init in (("feed parsing", _import_feedparser), ("enrichment (spaCy model)", load_model)):
        for method in ("fork", "forkserver", "spawn"):
            print(f"{name:26} {method:10} {first_answers(method, init):6.2f} s")

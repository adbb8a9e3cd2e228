"""Reader start-up: time to first paint and max RSS with libraries of 1k / 10k / 100k articles
(synthetic, the search benchmark's generator, cached in /tmp). Each run is a fresh process.

    .venv/bin/python tests/bench/bench_tui_startup.py [--sizes 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

CHILD = r"""
import time
t0 = time.perf_counter()
import asyncio, json, resource, sys
from tui.app import make_app
from tui.widgets.article_list import ArticleList

async def main():
    app = make_app(sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        first = time.perf_counter() - t0
        for _ in range(200):
            await pilot.press("j")
        await pilot.press("G")
        await pilot.pause()
        scrolled = time.perf_counter() - t0 - first
        return first, scrolled, articles.total

first, scrolled, total = asyncio.run(main())
print(json.dumps({"first_paint": first, "scroll_200_and_end": scrolled, "articles": total,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "spacy_imported": "spacy" in sys.modules}))
"""


def main() -> None:
    from bench_search import build, cached

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    for n in (int(x) for x in args.sizes.split(",")):
        path = Path(f"/tmp/margin-bench-search-{n}.db")
        if not cached(path, n):
            build(path, n)
        out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                             cwd=HERE.parents[1], check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['articles']:>7,} articles: first paint {r['first_paint']:.2f} s (process start included),"
              f" 200 x j + G {r['scroll_200_and_end']:.2f} s, max RSS {r['max_rss_mb']:.0f} MB,"
              f" spaCy imported: {r['spacy_imported']}")


if __name__ == "__main__":
    main()

"""Typing into the reader's search line on a 100,000-article library, through the app (Pilot).

    .venv/bin/python tests/bench/bench_search_typing.py [--articles 100000] [--queries 3]

Uses bench_search.py's generated library (built once, cached in /tmp) and its 1–3 word
query classes. Three figures:

1. keypress to updated results: each query is typed one key at a time; after each key the
   clock runs until the list holds the rows for the text typed so far (debounce, worker,
   count and first page included). Median and p95 over every key of every query.
2. no dropped or reordered keys: 20 characters typed at 30 ms intervals; the search line
   must hold exactly what was typed and the list must end on that query.
3. count with the rows: after each update the list header's count is compared with the
   rows just shown (same call, same frame) and with `Library.count` of the query.
Figures are noisy: 2 cores shared with other work. `--compare N` times only figure 1,
N rounds each of the page ranked whole at every key (as before store/search/first_page.py)
and of the newest matches ranked first, interleaved so both see the same load.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from textual import events

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench_search import SEED, build, cached, p95, queries  # noqa: E402

from store.library import Library  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.screens.reader_search import SearchFlow  # noqa: E402
from tui.widgets.article_list import ArticleList  # noqa: E402
from tui.widgets.search_line import SearchLine  # noqa: E402

CLASSES = ("1 common word", "2 common words", "3 words mixed", "1 rare word", "rare + common",
           "2 rare words", "name + common")
KEY_NAMES = {" ": "space"}


async def wait_for(predicate, timeout: float = 5.0) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if predicate():
            return True
        await asyncio.sleep(0.0005)
    return False


async def run(path: Path, per_class: int, *, keys_only: bool = False) -> dict[str, list[float]]:
    with Library(path) as lib:
        qs = queries(lib.db.conn, np.random.default_rng(SEED + 1))
        counts_lib = Library(path)
    typed = [q for name in CLASSES for q, _ in qs[name][:per_class]]
    app = make_app(path)
    latencies: list[float] = []
    per_class_ms: dict[str, list[float]] = {name: [] for name in CLASSES}
    count_problems: list[str] = []
    press_ms: list[float] = []  # the same, from Pilot's press call (its own overhead included)
    whole_ms: list[float] = []  # key to the whole ranking shown, for keys whose first page was partial
    partial_keys: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        reader = app.screen
        shown: list[tuple[float, str, int]] = []
        ready = reader._search_ready

        whole_at: dict[str, float] = {}  # when the whole ranking of a text was shown

        def recorded(generation, query, total, rows, snippets, whole=True):
            before = reader._search_generation
            ready(generation, query, total, rows, snippets, whole)
            if generation == before and whole:
                whole_at.setdefault(query, time.perf_counter())
            if generation == before:
                articles = reader.query_one(ArticleList)
                head = str(reader.query_one("#list-header").render()) if query else ""
                shown.append((time.perf_counter(), query, articles.total))
                if query and not head.endswith(f"— {articles.total}"):
                    count_problems.append(f"{query!r}: header {head!r} beside {articles.total} rows")

        reader._search_ready = recorded
        changed_at: dict[str, float] = {}  # when the search line took each value (the key's arrival)
        on_changed = SearchFlow.on_input_changed

        def changed(self, event):
            changed_at[event.value.strip()] = time.perf_counter()
            on_changed(self, event)

        SearchFlow.on_input_changed = changed  # Textual finds handlers on the class
        await pilot.press("slash")
        search = reader.query_one(SearchLine)
        for name in CLASSES:
            for q, _ in qs[name][:per_class]:
                search.value = ""
                await pilot.pause(0.1)
                for i, ch in enumerate(q):
                    want = q[: i + 1].strip()
                    whole_at.pop(want, None)  # the same text was typed in an earlier query
                    seen = len(shown)
                    t0 = time.perf_counter()
                    await pilot.press(KEY_NAMES.get(ch, ch))
                    if ch == " ":
                        continue  # a space does not change the query: nothing to wait for

                    def first_for(want=want, seen=seen):
                        # the first update for this text (Pilot's press may return after a later one)
                        return next((s for s in shown[seen:] if s[1] == want), None)

                    if not await wait_for(lambda want=want, seen=seen: first_for() is not None
                                          or (want == reader.query_text and not shown[seen:]
                                              and (not shown or shown[-1][1] == want))):
                        print(f"  no results for {want!r} within 5 s")
                        continue
                    at, _, rows_total = first_for() or (time.perf_counter(), want, reader.query_one(ArticleList).total)
                    ms = (at - changed_at.get(want, t0)) * 1000
                    latencies.append(ms)
                    per_class_ms[name].append(ms)
                    press_ms.append((at - t0) * 1000)
                    partial = want not in whole_at or whole_at[want] > at
                    total = counts_lib.count(want)
                    if rows_total != total:
                        count_problems.append(f"{want!r}: list {rows_total} != count {total}")
                    await pilot.pause(0.05)
                    if partial:  # ranked from the newest matches: when did the whole ranking land?
                        partial_keys.append(want)
                        if want in whole_at:
                            whole_ms.append((whole_at[want] - changed_at.get(want, t0)) * 1000)
        print(f"\nkeypress to updated results ({len(latencies)} keys of {len(typed)} queries, 100k articles)")
        for name, ms in per_class_ms.items():
            if ms:
                print(f"  {name:<16} median {statistics.median(ms):6.1f} ms  p95 {p95(ms):6.1f} ms  max {max(ms):6.1f} ms")
        print(f"  {'all':<16} median {statistics.median(latencies):6.1f} ms  p95 {p95(latencies):6.1f} ms"
              f"  max {max(latencies):6.1f} ms")
        print(f"  {'from Pilot press':<16} median {statistics.median(press_ms):6.1f} ms  p95 {p95(press_ms):6.1f} ms")
        if partial_keys:
            print(f"  {len(partial_keys)} keys showed a page ranked from the newest matches first; the whole ranking"
                  f" replaced it before the next key for {len(whole_ms)}"
                  + (f": key to whole ranking median {statistics.median(whole_ms):6.1f} ms, max {max(whole_ms):6.1f} ms"
                     if whole_ms else ""))
        print(f"count beside its rows: {len(count_problems)} problems" + "".join(f"\n  {p}" for p in count_problems[:5]))
        per_class_ms["all"] = latencies
        if keys_only:
            counts_lib.close()
            return per_class_ms

        # 20 characters at 30 ms intervals
        words = [w for q in typed for w in q.split()]
        text = " ".join(words)[:20].rstrip()
        text = (text + "abcdefghijklmnopqrst")[:20] if len(text) < 20 else text
        for attempt in range(3):
            search.value = ""
            await pilot.pause(0.2)
            shown.clear()
            start = time.perf_counter()
            for i, ch in enumerate(text):
                await asyncio.sleep(max(0.0, start + i * 0.030 - time.perf_counter()))
                # as a terminal sends them: posted, not waited for (Pilot's press waits for the
                # app to be idle after each key, which is no test of keys arriving every 30 ms)
                app.post_message(events.Key(KEY_NAMES.get(ch, ch), ch))
            await wait_for(lambda: shown and shown[-1][1] == text.strip(), 10)
            await app.workers.wait_for_complete()
            keys_ok = search.value == text
            final = shown[-1][1] if shown else None
            span = (time.perf_counter() - start) * 1000
            print(f"20 keys at 30 ms (run {attempt + 1}): line holds {search.value!r} "
                  f"({'all keys, in order' if keys_ok else 'KEYS LOST OR REORDERED'}); list ends on {final!r}; "
                  f"{len(shown)} list updates while typing; done {span:.0f} ms after the first key")
    # The same texts through the store alone (the worker's call, no app): what the engine costs
    # on this machine at this hour, to read the figures above against.
    from tui.screens.data import run_search

    alone, alone_whole = [], []
    for q in typed:
        for i in range(len(q)):
            want = q[: i + 1].strip()
            if q[i] != " ":
                t = time.perf_counter()
                run_search(counts_lib, want, 37, typing=True)
                alone.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                run_search(counts_lib, want, 37)
                alone_whole.append((time.perf_counter() - t) * 1000)
    print(f"store alone, same texts, first page while typing: median {statistics.median(alone):6.1f} ms"
          f"  p95 {p95(alone):6.1f} ms")
    print(f"store alone, same texts, whole ranking: median {statistics.median(alone_whole):6.1f} ms"
          f"  p95 {p95(alone_whole):6.1f} ms")
    counts_lib.close()
    return per_class_ms


async def compare(path: Path, per_class: int, rounds: int) -> None:
    """Before/after in one run: the page ranked whole at every key (as before first_page.py)
    and ranked from the newest matches, alternating, so both see the same machine load."""
    from store.search import first_page

    window = first_page.WINDOW
    got: dict[str, dict[str, list[float]]] = {"whole": {}, "newest": {}}
    for r in range(rounds):
        for mode in ("whole", "newest"):
            first_page.WINDOW = 10**12 if mode == "whole" else window
            print(f"\n--- round {r + 1}: {'whole ranking at every key' if mode == 'whole' else 'newest matches first'}")
            for name, ms in (await run(path, per_class, keys_only=True)).items():
                got[mode].setdefault(name, []).extend(ms)
    first_page.WINDOW = window
    print(f"\nbefore/after, {rounds} rounds each, interleaved (ms)")
    print(f"  {'class':<16} {'whole: median':>14} {'p95':>7} {'newest: median':>15} {'p95':>7}")
    for name in got["whole"]:
        b, a = got["whole"][name], got["newest"][name]
        print(f"  {name:<16} {statistics.median(b):14.1f} {p95(b):7.1f} {statistics.median(a):15.1f} {p95(a):7.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=3, help="queries per class")
    ap.add_argument("--path", default=None)
    ap.add_argument("--compare", type=int, default=0, metavar="ROUNDS",
                    help="key latencies only: ranked whole at every key vs newest matches first, interleaved")
    args = ap.parse_args()
    path = Path(args.path or f"/tmp/margin-bench-search-{args.articles}.db")
    if not cached(path, args.articles):
        print(f"building {args.articles:,} articles in {path} …", flush=True)
        build(path, args.articles)
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    asyncio.run(compare(path, args.queries, args.compare) if args.compare else run(path, args.queries))
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

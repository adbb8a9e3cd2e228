"""Scale (issue 19): every figure on ONE library of 100,000 articles with 10,000 notes and entity
mentions, built by scale_library.py from the existing generators and cached in /tmp.

    .venv/bin/python tests/bench/bench_scale.py [--articles 100000] [--notes 10000]
        [--steps import,search,paint,scroll,link,backup,fetch,fetch-enrich,relink-sample,relink]
        [--skip relink] [--relink-articles 10000] [--relink-timeout 1800] [--feeds 100] [--enrich-feeds 10]

Steps: `margin import` of the articles into a fresh library (articles/s, max RSS); search
p50/p95 (bench_search's query classes, entity and filter queries, `Library.search`); reader
first paint, 200 x j + G and max RSS (the real `margin` in a pseudo-terminal, bench_tui_startup);
per-key scrolling through the list and an article (the same pty, one key at a time); linking one new article
(bench_related); `margin backup`; `margin fetch` of --feeds feeds x 100 items from 127.0.0.1
(bench_fetch's feeds) into a copy of the library (time, max RSS), --no-enrich; the same with
enrichment and linking, as a user runs it, for --enrich-feeds feeds (fetch-enrich); the scoring of a full relink
timed on 60 spread articles of a copy and extrapolated (relink-sample); a full `margin relink`
of a library of --relink-articles built the same way, killed after --relink-timeout seconds.
Each figure is printed with the load average when it was taken: 2 cores, shared.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_hostile import MARGIN, measured  # noqa: E402
from bench_import import SEED as CORPUS_SEED  # noqa: E402
from bench_import import zipf  # noqa: E402
from bench_search import SEED, p95, queries, timed, vocabulary  # noqa: E402
from scale_library import build, corpus_dir, is_current, run_import  # noqa: E402

from store.library import Library  # noqa: E402

STEPS = ("import", "search", "paint", "scroll", "link", "backup", "fetch", "fetch-enrich", "relink-sample", "relink")
ROWS: list[tuple[str, str, str]] = []  # (step, figure, load) for the closing table


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def report(step: str, figure: str) -> None:
    ROWS.append((step, figure, load()))
    print(f"{step:<28} {figure}   [{load()}]", flush=True)


def ms(xs: list[float]) -> str:
    return f"p50 {statistics.median(xs):.1f} ms, p95 {p95(xs):.1f} ms (n={len(xs)})"


def step_import(n: int) -> None:
    scratch = Path(f"/tmp/margin-bench-scale-import-{n}.db")
    for p in scratch.parent.glob(scratch.name + "*"):
        p.unlink()
    seconds, rss, line = run_import(corpus_dir(n), scratch)
    size = scratch.stat().st_size / 1e6
    report("import", f"{n:,} articles in {seconds:.1f} s = {n / seconds:,.0f} articles/s, max RSS {rss} MB, "
           f"{size:,.0f} MB ({line})")
    for p in scratch.parent.glob(scratch.name + "*"):
        p.unlink()


def step_search(path: Path) -> None:
    with Library(path) as lib:
        conn = lib.db.conn
        qs = queries(conn, np.random.default_rng(SEED + 1))
        names = [r[0] for r in conn.execute(
            "SELECT e.name FROM entities e JOIN entity_df d ON d.entity_id = e.id ORDER BY d.df DESC LIMIT 400")]
        qs["entity (@name)"] = [(f'@"{names[k * 33]}"', "") for k in range(12)]
        qs["entity + word"] = [(f'@"{names[k * 33 + 1]}" {qs["1 common word"][k][0]}', "") for k in range(12)]
        qs["filters"] = [(q, "") for q in ("is:unread", "is:starred", "has:note", "#bench", "since:2020-01-01",
                                           "is:unread sort:date")]
        everything = []
        for name, pairs in qs.items():
            t = [x for q, _ in pairs for x in timed(lambda q=q: lib.search(q, limit=20), 3)]
            everything += t if name != "filters" else []
            print(f"  {name:<16} {ms(t)}")
        report("search (1-3 words, @entity)", ms(everything))
        counts = [x for q in ("", "is:unread", "has:note") for x in timed(lambda q=q: lib.count(q), 3)]
        report("count (empty, is:unread, has:note)", ms(counts))


def step_paint(path: Path, runs: int) -> None:
    from bench_tui_startup import run

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tui"), str(ROOT / "store")],
                   check=True, stdout=subprocess.DEVNULL)
    rs = [run(path) for _ in range(runs)]
    paint = sorted(r["first_paint"] for r in rs)
    report("reader first paint", f"{statistics.median(paint):.2f} s ({paint[0]:.2f}-{paint[-1]:.2f}, {runs} runs, "
           f"process start included); spaCy imported: {any(r['spacy_imported'] for r in rs)}")
    report("reader 200 x j + G (pty)", f"{statistics.median(r['scroll_200_and_end'] for r in rs):.2f} s")
    report("reader max RSS", f"{max(r['max_rss_mb'] for r in rs):.0f} MB")


def _key_times(term, keys: list[bytes], count: int, quiet: float = 0.15) -> tuple[list[float], list[float]]:
    """Per key (`keys` in turn, `count` in all): ms until the terminal's first output for it, and
    until its output went quiet (the preview of a newly highlighted article included). A key
    that draws nothing within 2 s is not counted (the end of an article)."""
    first, settled = [], []
    for k in range(count):
        mark = len(term.output)
        t = time.perf_counter()
        term.type(keys[k % len(keys)])
        while len(term.output) == mark and time.perf_counter() - t < 2:
            term._read(0.005)
        if len(term.output) == mark:
            continue
        first.append((time.perf_counter() - t) * 1000)
        last = time.perf_counter()
        while time.perf_counter() - last < quiet:
            before = len(term.output)
            term._read(0.01)
            if len(term.output) != before:
                last = time.perf_counter()
        settled.append((last - t) * 1000)
    return first, settled


def step_scroll(path: Path) -> None:
    """Keys one at a time in the real reader on a pseudo-terminal, each waited for."""
    from bench_tui_startup import Terminal, _marker, _titles

    with Terminal([*MARGIN, "--library", str(path)]) as term:
        term.wait_for(_marker(_titles(path)[0]))
        time.sleep(1.0)
        term._read(0.1)
        every = []
        # in the article, down and back up in turn: a key at its end would draw nothing
        for name, keys, count in (("list j", [b"j"], 100), ("list pagedown", [b"\x1b[6~"], 20),
                                  ("open article (enter)", [b"\r"], 1), ("article j/k", [b"j", b"k"], 60),
                                  ("article space/pageup", [b" ", b"\x1b[5~"], 20)):
            first, settled = _key_times(term, keys, count)
            every += settled
            report(f"scroll: {name} (pty)", f"first output {ms(first)}; settled {ms(settled)}")
        report("scroll: every key, settled", ms(every))
        term.quit()


def step_link(path: Path) -> None:
    from bench_related import link_new_articles

    vocab = vocabulary(np.random.default_rng(CORPUS_SEED))
    with Library(path) as lib:
        times = [t * 1000 for t in link_new_articles(lib, np.random.default_rng(5), vocab, zipf(len(vocab)))]
    report("link one new article", f"{ms(times)}, max {max(times):.0f} ms")


def step_backup(path: Path) -> None:
    out = Path("/tmp/margin-bench-scale-backup.json")
    seconds, rss, line = measured(["backup", str(out), "--library", str(path)])
    report("margin backup", f"{seconds:.1f} s, max RSS {rss} MB, {out.stat().st_size / 1e6:.1f} MB written ({line})")
    out.unlink()


def step_fetch(path: Path, feeds: int, *, enrich: bool = False) -> None:
    """`margin fetch` of `feeds` new feeds into a copy of the library: --no-enrich, or (enrich)
    the whole job a user runs, entities found and every new article linked into the library."""
    from bench_fetch import ITEMS, feed_xml

    from tests.feeds.conftest import Route, Server

    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for k in range(feeds):
        server.routes[f"/f{k}.xml"] = Route(feed_xml(k), etag=f'"e{k}"',
                                           headers={"Content-Type": "application/rss+xml"})
    urls = Path("/tmp/margin-bench-scale-urls")
    urls.write_text("".join(server.url(f"/f{k}.xml") + "\n" for k in range(feeds)))
    subprocess.run([*MARGIN, "feeds", "import", str(urls), "--library", str(path)], check=True, capture_output=True,
                   cwd=ROOT)
    runs = (("first", ["fetch"]),) if enrich else (("first", ["fetch", "--no-enrich"]),
                                                   ("again, all 304", ["fetch", "--no-enrich"]))
    for label, args in runs:
        seconds, rss, line = measured([*args, "--library", str(path)])
        report(f"margin {' '.join(args)} ({label})", f"{feeds} feeds x {ITEMS} items: {seconds:.1f} s, "
               f"max RSS {rss} MB ({line})")
    server.shutdown()


def step_relink(n: int, notes: int, timeout: float) -> None:
    """A full `margin relink` of a copy, killed (its transaction rolled back) after `timeout`."""
    src = Path(f"/tmp/margin-bench-scale-{n}.db")
    if not is_current(src, n, notes):
        build(src, n, notes)
    work = working_copy(src)
    t = time.perf_counter()
    timed = ["/usr/bin/time", "-f", "%U s user + %S s system CPU, max RSS %M KB, %I/%O blocks in/out"]
    proc = subprocess.Popen([*timed, *MARGIN, "relink", "--library", str(work)], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
        lines = out.decode().strip().splitlines()
        report(f"margin relink, {n:,} articles", f"{time.perf_counter() - t:.0f} s = "
               f"{(time.perf_counter() - t) / n * 1000:.0f} ms an article; {' | '.join(lines[-2:])}")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
        report(f"margin relink, {n:,} articles", f"NOT FINISHED: killed after {timeout:.0f} s")
    remove(work)


def step_relink_sample(path: Path, sample: int = 60) -> None:
    """A full relink at 100k takes hours: its per-article scoring (the third pass, what costs)
    timed on `sample` evenly spread articles of a copy, and the whole extrapolated. The first
    pass (indexing every article) is what build() times as "index"."""
    from store.related import linker

    with Library(path) as lib:
        c = lib.db.conn
        n = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        ids = [r[0] for r in c.execute("SELECT id FROM articles ORDER BY id")][:: max(1, n // sample)][:sample]
        times = []
        for article_id in ids:
            t = time.perf_counter()
            with c:
                indexed = linker.stored(c, article_id)
                linker.save_article_links(c, article_id, linker.score_article(c, article_id, indexed,
                                                                              limit=linker.OFFERS),
                                          text_changed=False)
            times.append((time.perf_counter() - t) * 1000)
    report(f"relink scoring, sample of {len(ids)} at {n:,}",
           f"{ms(times)}; mean {statistics.mean(times):.0f} ms -> the scoring pass of a full relink "
           f"~{statistics.mean(times) * n / 3.6e6:.1f} h (not run)")


def working_copy(src: Path) -> Path:
    """A copy to change (links, fetched articles), so the cached library stays as built."""
    dst = src.with_name(src.stem + "-work.db")
    remove(dst)
    Library(src).close()  # checkpointed: the main file holds everything
    shutil.copyfile(src, dst)
    return dst


def remove(path: Path) -> None:
    for p in path.parent.glob(path.name + "*"):
        p.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--steps", default=",".join(STEPS))
    ap.add_argument("--skip", default="")
    ap.add_argument("--runs", type=int, default=3, help="reader start-ups")
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--enrich-feeds", type=int, default=10, help="feeds of the fetch-enrich step")
    ap.add_argument("--relink-articles", type=int, default=10_000)
    ap.add_argument("--relink-notes", type=int, default=1_000)
    ap.add_argument("--relink-timeout", type=float, default=1800.0)
    args = ap.parse_args()
    steps = [s for s in args.steps.split(",") if s and s not in args.skip.split(",")]
    unknown = set(steps) - set(STEPS)
    if unknown:
        sys.exit(f"bench_scale: unknown step(s) {', '.join(sorted(unknown))}; known: {', '.join(STEPS)}")
    path = Path(f"/tmp/margin-bench-scale-{args.articles}.db")
    if not is_current(path, args.articles, args.notes):
        print(f"building {args.articles:,} articles, {args.notes:,} notes in {path} … [{load()}]", flush=True)
        build(path, args.articles, args.notes)
    with Library(path) as lib:
        c = lib.db.conn
        counts = [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "notes", "mentions")]
    print(f"library {path}: {counts[0]:,} articles, {counts[1]:,} notes, {counts[2]:,} mentions, "
          f"{path.stat().st_size / 1e6:,.0f} MB   [{load()}]", flush=True)
    for step in steps:
        if step == "import":
            step_import(args.articles)
        elif step == "search":
            step_search(path)
        elif step == "paint":
            step_paint(path, args.runs)
        elif step == "scroll":
            step_scroll(path)
        elif step == "backup":
            step_backup(path)
        elif step == "relink":
            step_relink(args.relink_articles, args.relink_notes, args.relink_timeout)
        else:  # link, relink-sample and fetch change the library: a copy
            work = working_copy(path)
            {"link": step_link, "relink-sample": step_relink_sample,
             "fetch-enrich": lambda w: step_fetch(w, args.enrich_feeds, enrich=True)}.get(
                step, lambda w: step_fetch(w, args.feeds))(work)
            remove(work)
    print("\n| step | figure | load (1/5/15 min) |\n| --- | --- | --- |")
    for step, figure, when in ROWS:
        print(f"| {step} | {figure} | {when.removeprefix('load ')} |")


if __name__ == "__main__":
    main()

"""Fetching 20 feeds x 100 items (~2.5 KB HTML each) from 127.0.0.1: first fetch, re-fetch
when every feed answers 304, and every response delayed 200 ms; against newsboat when it is
installed (`apt-get install newsboat`), plus feedparser alone on the same bytes.

    .venv/bin/python tests/bench/bench_fetch.py [--runs 3]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.feeds.conftest import Route, Server  # noqa: E402

FEEDS, ITEMS = 20, 100
PARA = ("<p>The minister said on Monday that talks with the unions would resume next week, while "
        "officials in Brussels and Berlin prepared new rules for exports of machines used to make chips.</p>")


def feed_xml(n: int) -> bytes:
    items = []
    for i in range(ITEMS):
        body = "".join(PARA.replace("Monday", f"day {i} of feed {n}") for _ in range(13))
        items.append(f"<item><title>Feed {n} story {i}</title><link>http://bench.test/{n}/{i}</link>"
                     f"<guid>bench-{n}-{i}</guid><pubDate>Tue, 24 Nov 2026 10:{i % 60:02d}:00 +0000</pubDate>"
                     f"<description><![CDATA[{body}]]></description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<link>http://bench.test/{n}</link><description>d</description>{''.join(items)}</channel></rss>").encode()


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def margin(*args: str, lib: Path) -> list[str]:
    return [sys.executable, "-c", "from tui.cli import entry; entry()", *args, "--library", str(lib)]


def newsboat(tmp: Path, urls: Path, cache: Path) -> list[str]:
    config = tmp / "nb-config"
    config.write_text("")
    return ["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config), "-x", "reload"]


def set_delay(servers: list[Server], delay: float) -> None:
    for server in servers:
        for route in server.routes.values():
            route.delay = delay


def one_run(tmp: Path, n: int, urls: Path, site_urls: Path, servers: list[Server]) -> dict[str, float]:
    """Every case once, margin then newsboat, each into fresh files (run n of several)."""
    def subscribed(name: str, source: Path) -> Path:
        lib = tmp / f"{name}-{n}.db"
        subprocess.run(margin("feeds", "import", str(source), lib=lib), check=True, capture_output=True)
        return lib

    out: dict[str, float] = {}
    set_delay(servers, 0.0)
    lib = subscribed("margin", urls)
    out["m_first"] = timed(margin("fetch", "--no-enrich", lib=lib))
    out["m_again"] = timed(margin("fetch", "--no-enrich", lib=lib))
    set_delay(servers, 0.2)
    out["m_delayed"] = timed(margin("fetch", "--no-enrich", lib=subscribed("margin-delayed", urls)))
    out["m_sites"] = timed(margin("fetch", "--no-enrich", lib=subscribed("margin-sites", site_urls)))
    if shutil.which("newsboat"):
        set_delay(servers, 0.0)
        cache = tmp / f"nb-{n}.db"
        out["n_first"] = timed(newsboat(tmp, urls, cache))
        out["n_again"] = timed(newsboat(tmp, urls, cache))
        # newsboat 2.21 sends no If-None-Match on its second reload, only from its third on:
        # the "second reload" is a full re-download for it. Shown for comparison.
        out["n_third"] = timed(newsboat(tmp, urls, cache))
        set_delay(servers, 0.2)
        out["n_delayed"] = timed(newsboat(tmp, urls, tmp / f"nb-delayed-{n}.db"))
        out["n_sites"] = timed(newsboat(tmp, site_urls, tmp / f"nb-sites-{n}.db"))
    set_delay(servers, 0.0)
    return out


def main() -> None:
    import argparse
    import statistics

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs of every case, in turns; medians are printed")
    args = parser.parse_args()
    # Byte-compiled as an installed copy is: with PYTHONDONTWRITEBYTECODE set, every edited
    # module would be recompiled on each start and timed as margin's.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tui"), str(ROOT / "store")],
                   check=True, stdout=subprocess.DEVNULL)
    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies = [feed_xml(n) for n in range(FEEDS)]
    for n, body in enumerate(bodies):
        server.routes[f"/f{n}.xml"] = Route(body, etag=f'"e{n}"', headers={"Content-Type": "application/rss+xml"})
    # The same feeds as 20 sites (one server, one port each): margin may open 2 connections
    # per host, so on one host 10 rounds of 200 ms are its floor; feeds in the wild are
    # spread over many hosts.
    sites = []
    for n, body in enumerate(bodies):
        site = Server()
        threading.Thread(target=site.serve_forever, daemon=True).start()
        site.routes["/feed.xml"] = Route(body, etag=f'"e{n}"', headers={"Content-Type": "application/rss+xml"})
        sites.append(site)
    import feedparser

    t = time.perf_counter()
    for body in bodies:
        feedparser.parse(body)
    parse_only = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        urls = tmp / "urls"
        urls.write_text("".join(server.url(f"/f{n}.xml") + "\n" for n in range(FEEDS)))
        site_urls = tmp / "site-urls"
        site_urls.write_text("".join(site.url("/feed.xml") + "\n" for site in sites))
        runs = [one_run(tmp, n, urls, site_urls, [server, *sites]) for n in range(args.runs)]
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    spread = {key: (min(r[key] for r in runs), max(r[key] for r in runs)) for key in runs[0]}
    print(f"{FEEDS} feeds x {ITEMS} items (~2.5 KB HTML each) from 127.0.0.1; median of {args.runs} runs"
          " (min-max), taken in turns")
    print(f"  feedparser alone on the same bytes (one core): {parse_only:.2f} s")
    rows = [("first fetch, empty library", "first"), ("re-fetch, every feed 304", "again"),
            ("first fetch, responses delayed 200 ms", "delayed"), ("the same, each feed on its own port", "sites")]

    def fig(key: str) -> str:
        lo, hi = spread[key]
        return f"{med[key]:5.2f} s ({lo:.2f}-{hi:.2f})"

    for label, key in rows:
        if f"n_{key}" in med:
            ratios = sorted(r[f"m_{key}"] / r[f"n_{key}"] for r in runs)
            print(f"  {label:<40} margin {fig('m_' + key)}   newsboat {fig('n_' + key)}"
                  f"   ratio {statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})")
        else:
            print(f"  {label:<40} margin {fig('m_' + key)}")
    if "n_third" in med:
        print(f"  (newsboat's third reload, its first that sends If-None-Match and gets 304s: {med['n_third']:.2f} s;"
              f" margin's 304 run is {med['m_again'] / med['n_third']:.2f}x that)")
    else:
        print("  newsboat is not installed: margin's figures alone")
    for site in (server, *sites):
        site.shutdown()


if __name__ == "__main__":
    main()

"""Fetching 20 feeds x 100 items (~2.5 KB HTML each) from 127.0.0.1: first fetch, re-fetch
when every feed answers 304, and every response delayed 200 ms; against newsboat when it is
installed (`apt-get install newsboat`), plus feedparser alone on the same bytes.

    .venv/bin/python tests/bench/bench_fetch.py
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


def main() -> None:
    # Byte-compiled as an installed copy is: with PYTHONDONTWRITEBYTECODE set, every edited
    # module would be recompiled on each start and timed as margin's.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "tui"), str(ROOT / "store")],
                   check=True, stdout=subprocess.DEVNULL)
    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies = [feed_xml(n) for n in range(FEEDS)]
    for n, body in enumerate(bodies):
        server.routes[f"/f{n}.xml"] = Route(body, etag=f'"e{n}"', headers={"Content-Type": "application/rss+xml"})
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        urls = tmp / "urls"
        urls.write_text("".join(server.url(f"/f{n}.xml") + "\n" for n in range(FEEDS)))
        lib = tmp / "margin.db"
        subprocess.run(margin("feeds", "import", str(urls), lib=lib), check=True, capture_output=True)
        import feedparser

        t = time.perf_counter()
        for body in bodies:
            feedparser.parse(body)
        parse_only = time.perf_counter() - t
        first = timed(margin("fetch", "--no-enrich", lib=lib))
        again = timed(margin("fetch", "--no-enrich", lib=lib))
        for route in server.routes.values():
            route.delay = 0.2
        lib2 = tmp / "margin2.db"
        subprocess.run(margin("feeds", "import", str(urls), lib=lib2), check=True, capture_output=True)
        delayed = timed(margin("fetch", "--no-enrich", lib=lib2))
        # The same feeds as 20 sites (one server, one port each): margin may open 2 connections
        # per host, so on one host 10 rounds of 200 ms are its floor; feeds in the wild are
        # spread over many hosts.
        sites = []
        for n, body in enumerate(bodies):
            site = Server()
            threading.Thread(target=site.serve_forever, daemon=True).start()
            site.routes["/feed.xml"] = Route(body, etag=f'"e{n}"', headers={"Content-Type": "application/rss+xml"},
                                             delay=0.2)
            sites.append(site)
        site_urls = tmp / "site-urls"
        site_urls.write_text("".join(site.url("/feed.xml") + "\n" for site in sites))
        lib3 = tmp / "margin3.db"
        subprocess.run(margin("feeds", "import", str(site_urls), lib=lib3), check=True, capture_output=True)
        delayed_sites = timed(margin("fetch", "--no-enrich", lib=lib3))
        for route in server.routes.values():
            route.delay = 0.0
        print(f"{FEEDS} feeds x {ITEMS} items (~2.5 KB HTML each) from 127.0.0.1")
        print(f"  feedparser alone on the same bytes (one core): {parse_only:.2f} s")
        rows = [("first fetch, empty library", first), ("re-fetch, every feed 304", again),
                ("first fetch, responses delayed 200 ms", delayed),
                ("the same, each feed on its own port", delayed_sites)]
        if shutil.which("newsboat"):
            nb_first = timed(newsboat(tmp, urls, tmp / "nb.db"))
            nb_again = timed(newsboat(tmp, urls, tmp / "nb.db"))
            # newsboat 2.21 sends no If-None-Match on its second reload, only from its third on:
            # the "second reload" is a full re-download for it. Shown for comparison.
            nb_third = timed(newsboat(tmp, urls, tmp / "nb.db"))
            for route in server.routes.values():
                route.delay = 0.2
            nb_delayed = timed(newsboat(tmp, urls, tmp / "nb2.db"))
            nb_sites = timed(newsboat(tmp, site_urls, tmp / "nb3.db"))
            for (label, m), nb in zip(rows, (nb_first, nb_again, nb_delayed, nb_sites)):
                print(f"  {label:<40} margin {m:5.2f} s   newsboat {nb:5.2f} s   ratio {m / nb:.2f}")
            print(f"  (newsboat's third reload, its first that sends If-None-Match and gets 304s: {nb_third:.2f} s;"
                  f" margin's 304 run is {again / nb_third:.2f}x that)")
        else:
            print("  newsboat is not installed: margin's figures alone")
            for label, m in rows:
                print(f"  {label:<40} margin {m:5.2f} s")
    server.shutdown()
    for site in sites:
        site.shutdown()


if __name__ == "__main__":
    main()

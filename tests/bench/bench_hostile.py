"""Hostile inputs at full size, with the max RSS of each command (issue 19).

    .venv/bin/python tests/bench/bench_hostile.py [--feeds]   (--feeds: only the fetch)

Generates (never commits) a 5 MB article, a 1-million-character single line, a feed with
a 9.7 MB entry, a 50 MB feed, a 100,000-entry feed, a gzip bomb, a server that never
answers and one that sends a byte a second; runs `margin import`, `enrich` and `fetch`
on them in fresh processes and prints time and max RSS; then opens the reader on the
5 MB article and prints how long keys take to be handled while it lays out."""
from __future__ import annotations

import asyncio
import gzip
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import long_text  # noqa: E402
from tests.feeds.conftest import Route, Server  # noqa: E402

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]


def measured(args: list[str]) -> tuple[float, int, str]:
    """(seconds, max RSS in MB of the command and its workers, last line of its output)."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter();"
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
               "print((r.stdout.strip().splitlines() or [''])[-1][:150]);"
               "print((r.stderr.strip().splitlines() or [''])[-1][:150])")
    out = subprocess.run([sys.executable, "-c", wrapper, *MARGIN, *args], capture_output=True, text=True,
                         cwd=ROOT).stdout.splitlines()
    secs, rss = out[0].split()
    return float(secs), int(rss) // 1024, (out[1] or out[2])


def rss_feed(n: int, body: str = "Moscow and Paris.") -> bytes:
    items = "".join(f"<item><title>Story {i}</title><guid>g{i}</guid><description>{body} {i}</description></item>"
                    for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


class Trickle(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        try:
            for byte in rss_feed(50):
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass


def row(label: str, result: tuple[float, int, str]) -> None:
    secs, rss, line = result
    print(f"{label:44} {secs:7.1f} s  {rss:5d} MB  {line}")


async def reader_keys(library: Path) -> None:
    from tui.app import make_app
    from tui.widgets.article_view import ArticleView

    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        worst = 0.0
        for key in ["j", "space", "right_curly_bracket", "pagedown", "v", "w", "escape", "k"] * 3:
            before = (view.scroll_offset.y, view.cursor, view.selection)
            started = time.perf_counter()
            task = asyncio.create_task(pilot.press(key))
            while (view.scroll_offset.y, view.cursor, view.selection) == before and time.perf_counter() - started < 10:
                await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - started)
            await task
        print(f"{'reader on the 5 MB article: slowest key':44} {worst:7.3f} s  "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:5d} MB  "
              f"({len(view._pieces)} pieces, {len(view._blocks)} laid out)")


def main() -> None:
    only_feeds = "--feeds" in sys.argv
    srv = Server()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    trickle = Server()
    trickle.RequestHandlerClass = Trickle
    threading.Thread(target=trickle.serve_forever, daemon=True).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts (the kernel does) and never answers
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big = tmp / "big.txt"
        big.write_bytes(long_text(4_950_000).encode()[:4_990_000].decode("utf-8", "ignore").encode())
        line = tmp / "line.txt"
        line.write_text("One line\n\n" + " ".join(["Moscow said Putin met Assad in Damascus."] * 25_000))
        lib = tmp / "a.db"
        if not only_feeds:
            row("import 5 MB article + 1 M-char line", measured(["import", str(big), str(line), "--no-enrich",
                                                                   "--library", str(lib)]))
            row("enrich them (cost caps)", measured(["enrich", "--library", str(lib)]))
        srv.routes["/huge-entry.xml"] = Route(rss_feed(3) .replace(b"Moscow and Paris. 1",
                                              b"&lt;p&gt;" + b"Paris and Moscow. " * 540_000 + b"&lt;/p&gt;"))
        srv.routes["/50mb.xml"] = Route(rss_feed(250_000, "Moscow and Paris with padding " * 4)[:50_000_000])
        srv.routes["/100k.xml"] = Route(rss_feed(100_000))
        srv.routes["/bomb.xml"] = Route(gzip.compress(b"\0" * 200_000_000, 9), headers={"Content-Encoding": "gzip"})
        print(f"(50 MB feed: {len(srv.routes['/50mb.xml'].body) / 1e6:.0f} MB on the wire)")
        feeds = tmp / "feeds.db"
        from store.feeds.lists import Subscription
        from store.library import Library

        with Library(feeds) as opened:
            for url in (srv.url("/huge-entry.xml"), srv.url("/50mb.xml"), srv.url("/100k.xml"),
                        srv.url("/bomb.xml"), trickle.url("/slow.xml"),
                        f"http://127.0.0.1:{silent.getsockname()[1]}/never.xml"):
                opened.feeds.subscribe(Subscription(url))
        row("fetch 6 hostile feeds", measured(["fetch", "--no-enrich", "--json", "--library", str(feeds)]))
        with Library(feeds) as opened:
            for f in opened.feeds.list():
                print(f"    {f['url'].rsplit('/', 1)[-1]:16} {f['articles']:7d} articles  {f['last_error'] or 'ok'}")
        if only_feeds:
            return
        single = tmp / "single.db"
        subprocess.run([*MARGIN, "import", str(big), "--no-enrich", "--library", str(single)], capture_output=True,
                       cwd=ROOT)
        asyncio.run(reader_keys(single))


if __name__ == "__main__":
    main()

"""A real HTTP server on 127.0.0.1 with programmable routes, and feed documents to serve."""
from __future__ import annotations

import contextlib
import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    gate: threading.Event | None = None  # answer only once the test opens it (order, not timing)


class Server(ThreadingHTTPServer):
    request_queue_size = 64  # concurrent clients would otherwise pay 1 s SYN retries
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, dict]] = []
        self.answered: list[str] = []  # paths whose response was written, in order
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        server: Server = self.server
        with server.lock:
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        self._waiting = True
        try:
            self._answer(server)
        finally:
            self._done_waiting(server)
            with server.lock:
                server.answered.append(self.path)

    def _done_waiting(self, server: Server) -> None:
        # counted until the answer starts: once the client has it, it may send its next
        # request before this thread has finished writing
        if getattr(self, "_waiting", False):
            self._waiting = False
            with server.lock:
                server.in_flight -= 1

    def send_response(self, code, message=None) -> None:
        self._done_waiting(self.server)
        super().send_response(code, message)

    def _answer(self, server: Server) -> None:
        server.hits.append((self.path, dict(self.headers)))
        route = server.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        if route.delay:
            time.sleep(route.delay)
        if route.gate is not None:
            route.gate.wait(timeout=30)
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self.send_response(304)
            self.send_header("ETag", route.etag)
            self.end_headers()
            return
        self.send_response(route.status)
        for k, v in route.headers.items():
            self.send_header(k, v)
        if route.etag:
            self.send_header("ETag", route.etag)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(route.body)


@pytest.fixture
def server():
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def rss(items: list[dict], title: str = "Test Feed", encoding: str = "utf-8") -> bytes:
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>',
             '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
             f"<title>{title}</title><link>http://example.test/</link><description>d</description>"]
    for it in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "pubDate", "description"):
            if key in it:
                parts.append(f"<{key}>{it[key]}</{key}>")
        if "content" in it:
            parts.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding, "xmlcharrefreplace")


def item(n: int, **extra) -> dict:
    return {"title": f"Story {n}", "link": f"http://example.test/{n}", "guid": f"id-{n}",
            "pubDate": "Tue, 24 Nov 2026 10:00:00 +0000",
            "content": f"<p>Paragraph one of story {n} about the rail strike.</p><p>Second paragraph {n}.</p>",
            **extra}


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Test</title><id>urn:a</id><updated>2026-11-24T10:00:00Z</updated>
<entry><title type="html">Atom &lt;b&gt;one&lt;/b&gt;</title><id>urn:a:1</id><link href="http://example.test/a1"/>
<updated>2026-11-24T10:00:00Z</updated><author><name>Ann Writer</name></author>
<content type="html">&lt;h2&gt;Sub&lt;/h2&gt;&lt;p&gt;Body of atom one.&lt;/p&gt;</content></entry>
</feed>"""

RDF = (b'<?xml version="1.0" encoding="utf-8"?>\n'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">\n'
       b'<channel rdf:about="http://example.test/"><title>RDF Test</title><link>http://example.test/</link>'
       b'<description>x</description></channel>\n'
       b'<item rdf:about="http://example.test/r1"><title>RDF one</title><link>http://example.test/r1</link>'
       b'<description>RDF body text.</description></item>\n'
       b'</rdf:RDF>')


def gzip_bomb(size: int = 120_000_000) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)

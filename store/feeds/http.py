"""Polite concurrent fetching with httpx: bounded connections (8, at most 2 per host),
timeouts, conditional GET, size limits on the wire and after decompression."""
from __future__ import annotations

import asyncio
import inspect
import os
import ssl
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from store.feeds.urls import url_problem


def _import_httpx_without_its_cli():
    """httpx imports its command-line client (click, rich, pygments: a cost paid by every
    `margin fetch`, see tests/bench/README.md) unless click is missing; margin never
    runs that client, so click is made unimportable while httpx loads."""
    import importlib
    import sys

    if "httpx" in sys.modules or "click" in sys.modules:
        return importlib.import_module("httpx")
    sys.modules["click"] = None  # type: ignore[assignment]  # `import click` raises ImportError
    try:
        return importlib.import_module("httpx")
    finally:
        del sys.modules["click"]


httpx = _import_httpx_without_its_cli()

MAX_BYTES = 20_000_000
MAX_DECOMPRESSED = 50_000_000
CONCURRENCY, PER_HOST = 8, 2
CONNECT_TIMEOUT, TOTAL_TIMEOUT = 10.0, 30.0


def user_agent() -> str:
    from store.version import VERSION

    return f"margin/{VERSION} (terminal newsreader; +https://github.com/margin-reader/margin)"


@dataclass
class Request:
    key: int  # the caller's feed id
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Response:
    key: int
    url: str
    status: int | None = None
    # Not in the repr: asyncio.run formats the result of its task while it resets the SIGINT
    # handler (signal.getsignal → enum error message → repr of the handler's partial), and
    # a repr of every body would be built at the end of every run.
    body: bytes = field(default=b"", repr=False)
    headers: dict = field(default_factory=dict)
    final_url: str | None = None
    permanent_url: str | None = None  # set after a 301/308 chain
    error: str | None = None


class _TooBig(Exception):
    pass


class _LazyTLS:
    """One TLS context for the client, its CA bundle loaded before the first https request.

    Loading certifi's bundle is a start-up cost (tests/bench/README.md) that a run of
    plain-http feeds (a LAN server, the local benchmark) need not pay; verification is as strict as httpx's default."""

    def __init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname
        self.loaded = False

    def ready_for(self, url: str) -> None:
        if self.loaded or not url.lower().startswith("https:"):
            return
        cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if not cafile and not capath:
            import certifi

            cafile = certifi.where()
        self.context.load_verify_locations(cafile=cafile, capath=capath)
        self.loaded = True


class _FirstWave:
    """Calls `on_sent` once each request of the first wave (as many as the connection limits
    let start at once) has been written or has ended, or after half a second if a host is
    slow to accept: work that can wait for the responses (drawing a progress bar, starting
    parser processes) then runs while they travel instead of before they leave."""

    FALLBACK = 0.5

    def __init__(self, requests: list[Request], concurrency: int, on_sent: Callable[[], None]) -> None:
        per_host = Counter(urlsplit(r.url).netloc for r in requests)
        self.size = min(concurrency, sum(min(PER_HOST, n) for n in per_host.values()))
        self.on_sent = on_sent
        self.settled: set[int] = set()
        self.fired = False
        self.error: Exception | None = None
        self.timer = asyncio.get_running_loop().call_later(self.FALLBACK, self.fire)

    def settle(self, key: int) -> None:
        self.settled.add(key)
        if len(self.settled) >= self.size:
            asyncio.get_running_loop().call_soon(self.fire)  # after the request's own task moves on

    def fire(self) -> None:
        if not self.fired:
            self.fired = True
            self.timer.cancel()
            try:
                self.on_sent()
            except Exception as exc:  # a loop callback's error would only be logged: keep it for the caller
                self.error = exc


class _Pacer:
    """Spaces request starts to one host by `delay` seconds. Each request takes its turn when
    it is created, before it waits for a connection slot, so no slot is held while pacing."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.turns: dict[str, float] = {}

    async def wait(self, url: str) -> None:
        if self.delay <= 0:
            return
        host, now = urlsplit(url).netloc, asyncio.get_running_loop().time()
        turn = max(now, self.turns.get(host, now))
        self.turns[host] = turn + self.delay
        if turn > now:
            await asyncio.sleep(turn - now)


async def _read_limited(resp: httpx.Response, limit_wire: int, limit_plain: int) -> bytes:
    """Stream the raw body, count wire bytes, then decompress with a ceiling (gzip bombs)."""
    chunks, wire = [], 0
    async for chunk in resp.aiter_raw():
        wire += len(chunk)
        if wire > limit_wire:
            raise _TooBig(f"response larger than {limit_wire} bytes; aborted")
        chunks.append(chunk)
    raw = b"".join(chunks)
    encoding = resp.headers.get("content-encoding", "").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        d = zlib.decompressobj(wbits)
        try:
            out = d.decompress(raw, limit_plain + 1)
        except zlib.error as exc:
            raise _TooBig(f"corrupt {encoding} body ({exc})") from None
        if len(out) > limit_plain or d.unconsumed_tail:
            raise _TooBig(f"decompressed body larger than {limit_plain} bytes; aborted (gzip bomb?)")
        return out
    return raw


async def _one(client: httpx.AsyncClient, tls: _LazyTLS, req: Request, hosts: dict[str, asyncio.Semaphore],
               limit: asyncio.Semaphore, max_bytes: int, total_timeout: float, wave: _FirstWave | None,
               accept: Callable[[dict], str | None] | None = None,
               max_decompressed: int = MAX_DECOMPRESSED) -> Response:
    out = Response(req.key, req.url)
    headers = {"Accept-Encoding": "gzip, deflate"}
    if req.etag:
        headers["If-None-Match"] = req.etag
    if req.last_modified:
        headers["If-Modified-Since"] = req.last_modified
    url, permanent = req.url, True
    host = urlsplit(url).netloc
    if (urlsplit(url).hostname or "").endswith(".example"):  # RFC 2606: never resolves (the demo's feeds)
        out.error = "an offline example feed (its .example address leads nowhere)"
        if wave is not None:
            wave.settle(req.key)
        return out
    # The host's slot first, then a global one: a feed waiting for its busy host must not
    # hold one of the 8 global slots that feeds on other hosts could use.
    async with hosts.setdefault(host, asyncio.Semaphore(PER_HOST)), limit:
        extensions = {}
        if wave is not None and not wave.fired:  # only the first wave needs watching
            async def trace(event: str, info: dict) -> None:  # httpcore's trace hook
                if event.endswith("receive_response_headers.started"):  # the request is written
                    wave.settle(req.key)

            extensions["trace"] = trace
        try:
            async with asyncio.timeout(total_timeout):
                for _ in range(10):  # redirects, followed by hand to know which were permanent
                    problem = url_problem(url)
                    if problem:
                        out.error = problem if url == req.url else f"redirected to {url[:200]}: {problem}"
                        break
                    tls.ready_for(url)
                    async with client.stream("GET", url, headers=headers, extensions=extensions) as resp:
                        if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                            permanent = permanent and resp.status_code in (301, 308)
                            # urljoin, not httpx's join: that raises on a file: target instead of returning it
                            url = urljoin(str(resp.url), resp.headers["location"].strip())
                            if permanent:
                                out.permanent_url = url
                            continue
                        out.status = resp.status_code
                        out.headers = {k.lower(): v for k, v in resp.headers.items()}
                        out.final_url = url
                        if resp.status_code == 200 and accept is not None and (refused := accept(out.headers)):
                            out.error = refused  # the body is never downloaded
                        elif resp.status_code == 200:
                            out.body = await _read_limited(resp, max_bytes, max_decompressed)
                        return out
                else:
                    out.error = "too many redirects"
        except TimeoutError:
            out.error = f"timed out after {total_timeout:.0f} s"
        except _TooBig as exc:
            out.error = str(exc)
        except httpx.InvalidURL as exc:  # httpx parses a redirect's target itself and may choke on it
            out.error = f"refused: invalid URL or redirect target ({exc})"
        except httpx.HTTPError as exc:
            from store.feeds.errors import plain_reason

            out.error = plain_reason(exc, urlsplit(url).hostname)
    if wave is not None:
        wave.settle(req.key)  # a request that ended without being sent (refused, timed out)
    return out


async def fetch_all(requests: list[Request], *, max_bytes: int = MAX_BYTES, concurrency: int = CONCURRENCY,
                    connect_timeout: float = CONNECT_TIMEOUT, total_timeout: float = TOTAL_TIMEOUT,
                    on_done: Callable[[Response], Awaitable[None] | None] | None = None,
                    on_sent: Callable[[], None] | None = None, host_delay: float = 0.0,
                    accept: Callable[[dict], str | None] | None = None,
                    max_decompressed: int = MAX_DECOMPRESSED) -> list[Response]:
    """Fetch every request; `on_done` sees each response as it completes (and is awaited
    when it returns an awaitable, so the caller's work overlaps the other downloads);
    `on_sent` is called once, when the first requests are on their way (see _FirstWave).
    `host_delay` spaces the starts of requests to one host; `accept` sees a 200's headers
    and returns a reason to skip its body (it becomes the response's error)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    timeout = httpx.Timeout(total_timeout, connect=connect_timeout)
    hosts: dict[str, asyncio.Semaphore] = {}
    limit = asyncio.Semaphore(concurrency)
    tls = _LazyTLS()
    wave = _FirstWave(requests, concurrency, on_sent) if on_sent is not None and requests else None
    async with httpx.AsyncClient(limits=limits, timeout=timeout, follow_redirects=False, verify=tls.context,
                                 headers={"User-Agent": user_agent()}) as client:
        pacer = _Pacer(host_delay)

        async def run(req: Request) -> Response:
            await pacer.wait(req.url)
            resp = await _one(client, tls, req, hosts, limit, max_bytes, total_timeout, wave, accept, max_decompressed)
            # One turn of the loop first: the request waiting for the slot this one just freed
            # goes out before the caller's work on this response begins.
            await asyncio.sleep(0)
            if on_done is not None:
                handled = on_done(resp)
                if inspect.isawaitable(handled):  # the caller parses and stores while others download
                    await handled
            return resp

        responses = list(await asyncio.gather(*(run(r) for r in requests)))
    if wave is not None and wave.error is not None:
        raise wave.error
    return responses


def fetch(requests: list[Request], **kwargs) -> list[Response]:
    return asyncio.run(fetch_all(requests, **kwargs))

"""Parse downloaded feed bytes with feedparser (in worker processes when there are several)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.feeds.entries import MAX_ENTRY_CHARS, Entry, to_entry
from store.html import html_to_text

MAX_ENTRIES = 100_000
INLINE_MAX = 1_000_000  # bytes: a feed this small may be parsed in the downloading process
WORKER_NICENESS = 10


@dataclass
class ParsedFeed:
    title: str | None = None
    site_url: str | None = None
    entries: list[Entry] = field(default_factory=list)
    warning: str | None = None
    error: str | None = None


_XML_DECL = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)


def _utf8_declared_otherwise(data: bytes, headers: dict) -> tuple[bytes, dict, str | None]:
    """Bytes that are valid UTF-8 with non-ASCII text but declare a legacy encoding (a
    CMS that says windows-1251 and writes UTF-8) are read as UTF-8, with a warning: decoded
    as declared they would be mojibake. Text really in a legacy encoding is almost never
    valid UTF-8, so this does not misfire on it."""
    m = _XML_DECL.match(data[:200])
    declared = m.group(2).decode().lower() if m else None
    header = _CHARSET.search(headers.get("content-type", ""))
    declared = (header.group(1).lower() if header else None) or declared
    if not declared or declared.replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
        return data, headers, None
    if data.isascii():
        return data, headers, None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data, headers, None
    if m:
        data = m.group(1) + b"utf-8" + m.group(3) + data[m.end():]
    if header:
        headers = {**headers, "content-type": _CHARSET.sub("charset=utf-8", headers["content-type"])}
    return data, headers, f"declared {declared} but is UTF-8; read as UTF-8"


def parse_feed(data: bytes, headers: dict | None, url: str) -> ParsedFeed:
    import feedparser

    headers = {k.lower(): v for k, v in (headers or {}).items()}
    data, headers, recoded = _utf8_declared_otherwise(data, headers)
    try:
        parsed = feedparser.parse(data, response_headers=headers,
                                  sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser raises arbitrary errors on hostile input: report, never crash
        return ParsedFeed(error=f"cannot parse feed ({type(exc).__name__}: {exc})")
    reason = str(parsed.get("bozo_exception") or "") if parsed.get("bozo") else None
    if not parsed.entries:
        if parsed.get("version") and not reason:
            return ParsedFeed(title=html_to_text(parsed.feed.get("title") or ""), site_url=parsed.feed.get("link"))
        return ParsedFeed(error=f"not a feed ({reason or 'no entries and no feed markup'})")
    out = ParsedFeed(title=html_to_text(parsed.feed.get("title") or "") or None, site_url=parsed.feed.get("link"),
                     warning=f"malformed feed, read anyway ({reason})" if reason else None)
    seen: set[str] = set()
    notes, cut, broken = [w for w in (recoded, out.warning) if w], 0, []
    for n, raw in enumerate(parsed.entries[:MAX_ENTRIES], 1):
        try:
            entry = to_entry(raw, url)
        except Exception as exc:  # one hostile entry must not cost the feed's others
            broken.append(f"entry {n} skipped ({type(exc).__name__}: {str(exc)[:100]})")
            continue
        cut += entry.cut
        if entry.guid not in seen:  # duplicates inside one feed are stored once
            seen.add(entry.guid)
            out.entries.append(entry)
    if len(parsed.entries) > MAX_ENTRIES:
        notes.append(f"feed has {len(parsed.entries)} entries; kept the first {MAX_ENTRIES}")
    if cut:
        notes.append(f"{cut} entries over {MAX_ENTRY_CHARS:,} characters were cut there")
    notes += broken[:3] + ([f"and {len(broken) - 3} more entries skipped"] if len(broken) > 3 else [])
    out.warning = "; ".join(notes) or None
    return out


class ParsePool:
    """Parses feeds as they arrive: in two worker processes when a run has several
    feeds (feedparser is pure Python, so this is what puts the second core to work), in
    this process for a single feed. Workers start at the first feed that needs parsing:
    a run of 304s starts none."""

    def __init__(self, parallel: bool) -> None:
        self.parallel = parallel
        self._executor = None
        self._started = None  # done once a worker has started and answered

    def warm(self) -> None:
        """Start the workers now (each imports feedparser) so that happens while the first
        responses are on their way; for runs where a 200 is certain (never-fetched feeds)."""
        if self.parallel:
            self._pool()

    async def parse(self, data: bytes, headers: dict | None, url: str) -> ParsedFeed:
        pool = self._pool() if self.parallel else None
        if pool is None or not self._started.done() and len(data) <= INLINE_MAX:
            # Workers still starting (under forkserver that takes most of a second): a small
            # feed is parsed here rather than kept waiting for them. A big one waits: parsed
            # here it would stall the downloads (a 100,000-entry feed timed the others out).
            return parse_feed(data, headers, url)
        import asyncio

        return await asyncio.wrap_future(pool.submit(parse_feed, data, headers, url))

    def _pool(self):
        if self._executor is None:
            from store.worker_pool import process_pool

            self._executor = process_pool(2, _import_feedparser)
            self._started = self._executor.submit(_ready)
        return self._executor

    def shutdown(self, wait: bool = True) -> None:
        """wait=False: the workers exit on their own (joined by the executor's thread and at
        interpreter exit) while the caller goes on closing the library and reporting."""
        if self._executor is not None:
            self._executor.shutdown(wait=wait)
            self._executor = None


def _import_feedparser() -> None:
    import gc
    import os

    gc.enable()  # a parent that forked with its collector paused must not pass that on

    # Parsing is background work: at a lower priority, a worker never delays the process
    # that reads the network (or the reader's keypresses during `r`) when both cores are busy.
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    import feedparser  # noqa: F401


def _ready() -> None:
    pass

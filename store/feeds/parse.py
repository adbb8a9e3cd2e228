"""Parse downloaded feed bytes with feedparser (in worker processes when there are several)."""
from __future__ import annotations

from dataclasses import dataclass, field

from store.feeds.entries import Entry, to_entry
from store.html import html_to_text

MAX_ENTRIES = 100_000


@dataclass
class ParsedFeed:
    title: str | None = None
    site_url: str | None = None
    entries: list[Entry] = field(default_factory=list)
    warning: str | None = None
    error: str | None = None


def parse_feed(data: bytes, headers: dict | None, url: str) -> ParsedFeed:
    import feedparser

    try:
        parsed = feedparser.parse(data, response_headers={k.lower(): v for k, v in (headers or {}).items()},
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
    for raw in parsed.entries[:MAX_ENTRIES]:
        entry = to_entry(raw, url)
        if entry.guid not in seen:  # duplicates inside one feed are stored once
            seen.add(entry.guid)
            out.entries.append(entry)
    if len(parsed.entries) > MAX_ENTRIES:
        out.warning = f"feed has {len(parsed.entries)} entries; kept the first {MAX_ENTRIES}"
    return out

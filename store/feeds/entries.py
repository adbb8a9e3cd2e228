"""feedparser entries -> (guid, Document): identity, dates in UTC, the longest content."""
from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from store.document import Document
from store.html import html_to_document, html_to_text


@dataclass
class Entry:
    guid: str
    doc: Document
    dated: bool  # False: the feed gave no date; published_at falls back to fetch time
    cut: bool = False  # the entry's HTML was over MAX_ENTRY_CHARS and was cut there


def _date(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:  # feedparser's struct_time is UTC: timegm, never mktime
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _content(entry) -> tuple[str, str]:
    """(html, base) of the longest of content[] and summary."""
    candidates = []
    for c in entry.get("content") or []:
        candidates.append((c.get("value") or "", (c.get("base") or "")))
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary") or "", detail.get("base") or ""))
    return max(candidates, key=lambda c: len(c[0]))


def entry_guid(entry) -> str:
    """The feed's id or link; else its title and date; else (nothing names the entry) its
    content, so distinct anonymous entries stay distinct articles."""
    guid = (entry.get("id") or entry.get("link") or "").strip()
    if guid:
        return guid
    title = entry.get("title", "") or ""
    date = entry.get("published", "") or entry.get("updated", "") or ""
    if title.strip() or date.strip():  # the identity libraries already hold: kept as it was
        basis = f"{title}\x00{date}"
    else:
        html, _ = _content(entry)
        basis = "content\x00" + html
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


# An entry is at most as large as the biggest file `margin import` takes (5 MB): everything
# downstream (parsing, enrichment, the reader) grows with an entry's size.
MAX_ENTRY_CHARS = 5_000_000


def to_entry(entry, feed_url: str) -> Entry:
    html, base = _content(entry)
    cut = len(html) > MAX_ENTRY_CHARS
    html = html[:MAX_ENTRY_CHARS]
    link = entry.get("link") or None
    when = _date(entry)
    doc = html_to_document(
        entry.get("title") or "", html, base_url=base or link or feed_url,
        url=link, author=html_to_text(entry.get("author") or "") or None, published_at=when,
    )
    if not doc.title:
        doc.title = (doc.body[:80].split("\n")[0] + "…") if doc.body else "(untitled)"
    return Entry(entry_guid(entry), doc, when is not None, cut)

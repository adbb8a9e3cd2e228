"""What the reader's sidebar lists: smart views, feeds, plain-text sources and tags,
each with total and unread counts and the query that shows it."""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class SidebarEntry:
    section: str  # views, searches, feeds, sources, tags
    label: str
    query: str
    total: int
    unread: int
    error: str | None = None  # a saved search whose query no longer parses


def _quoted(value: str) -> str:
    return '"' + value.replace('"', " ") + '"'


VIEW_QUERIES = ("", "is:unread", "is:starred", "has:note")


def sidebar(conn, view_counts: dict[str, int]) -> list[SidebarEntry]:
    """`view_counts` answers each of VIEW_QUERIES as the list does (duplicates folded), so
    a view's count is the number of rows it shows. Feeds and sources count every stored
    copy: a copy in another feed is only folded where its earlier copy is listed too."""
    total, unread, starred, noted = (view_counts[q] for q in VIEW_QUERIES)
    out = [
        SidebarEntry("views", "All articles", "", total, unread),
        SidebarEntry("views", "Unread", "is:unread", unread, unread),
        SidebarEntry("views", "Starred", "is:starred", starred, 0),
        SidebarEntry("views", "With notes", "has:note", noted, 0),
    ]
    for title, url, n, u in conn.execute(
        "SELECT f.title, f.url, count(a.feed_id), coalesce(sum(a.read = 0), 0) FROM feeds f"
        " LEFT JOIN articles a ON a.feed_id = f.id WHERE f.hidden = 0 GROUP BY f.id"
        " ORDER BY lower(coalesce(f.title, f.url))"
    ):
        out.append(SidebarEntry("feeds", title or url, f"feed:{_quoted(title or url)}", n, u))
    for source, n, u in conn.execute(
        "SELECT source, count(*), sum(read = 0) FROM articles WHERE feed_id IS NULL AND source IS NOT NULL"
        " GROUP BY source ORDER BY count(*) DESC LIMIT 30"
    ):
        out.append(SidebarEntry("sources", source, f"source:{_quoted(source)}", n, u))
    tags: dict[str, int] = {}
    for (raw,) in conn.execute(
        "SELECT tags FROM feeds WHERE tags != '[]' UNION ALL SELECT tags FROM notes WHERE tags != '[]'"
        " UNION ALL SELECT tags FROM articles WHERE tags != '[]'"
    ):
        for tag in json.loads(raw or "[]"):
            tags[tag.casefold()] = tags.get(tag.casefold(), 0) + 1
    for tag in sorted(tags):
        out.append(SidebarEntry("tags", f"#{tag}", f"tag:{_quoted(tag)}", tags[tag], 0))
    return out

"""Write a backup: one JSON file with every row the user made.

What is the user's own: notes and their events (quotes, bodies, tags, colours), article tags and
read/starred state, feeds and their settings (title, tags, hidden, disabled), entity rules, user
links and unlinks (`link_blocks`), saved searches and settings. Everything else (entities,
mentions, automatic links, indexes) is recomputed from the articles. An article's text travels
only when the user marked it (notes sit on it), so a backup stays small."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from store.errors import MarginError

FORMAT, VERSION = "margin-backup", 2
NOTE_COLS = ("start", "end", "exact", "prefix", "suffix", "current_exact", "body", "tags", "color",
             "state", "made_on_hash", "created_at", "updated_at")
EVENT_COLS = ("at", "old_state", "new_state", "old_start", "old_end", "new_start", "new_end",
              "old_text", "new_text", "reason")
FEED_COLS = ("url", "title", "site_url", "tags", "hidden", "disabled")


def rows(conn, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def make_backup(lib) -> dict[str, Any]:
    c = lib.db.conn
    # one read transaction: a writer in another process cannot make the parts disagree
    c.execute("BEGIN")
    try:
        events: dict[int, list[dict]] = {}
        for e in rows(c, "SELECT note_id, " + ", ".join(EVENT_COLS) + " FROM note_events ORDER BY id"):
            events.setdefault(e.pop("note_id"), []).append(e)
        notes = rows(c, "SELECT n.id, a.key AS article_key, " + ", ".join(f'n."{k}"' for k in NOTE_COLS)
                     + " FROM notes n JOIN articles a ON a.id = n.article_id ORDER BY n.id")
        for n in notes:
            n["events"] = events.get(n.pop("id"), [])
        return {
            "format": FORMAT, "version": VERSION,
            "feeds": rows(c, "SELECT " + ", ".join(FEED_COLS) + " FROM feeds ORDER BY id"),
            "articles": rows(c, "SELECT a.key, a.read, a.starred, a.tags, a.title, a.body, a.blocks,"
                                " a.origin, a.url, a.path, f.url AS feed_url FROM articles a"
                                " LEFT JOIN feeds f ON f.id = a.feed_id"
                                " WHERE a.read = 1 OR a.starred = 1 OR a.tags != '[]'"
                                " OR a.id IN (SELECT article_id FROM notes) ORDER BY a.id"),
            "notes": notes,
            "entity_rules": rows(c, "SELECT action, subject, value, created_at FROM entity_rules ORDER BY id"),
            "links": rows(c, "SELECT s.key AS src, d.key AS dst, l.note, l.created_at FROM links l"
                             " JOIN articles s ON s.id = l.src JOIN articles d ON d.id = l.dst"
                             " WHERE l.kind = 'user'"
                             " UNION ALL SELECT src_key, dst_key, note, created_at FROM pending_links"
                             " WHERE kind = 'link'"),
            "link_blocks": rows(c, "SELECT s.key AS src, d.key AS dst, b.created_at FROM link_blocks b"
                                   " JOIN articles s ON s.id = b.src JOIN articles d ON d.id = b.dst"
                                   " UNION ALL SELECT src_key, dst_key, created_at FROM pending_links"
                                   " WHERE kind = 'unlink'"),
            "saved_searches": rows(c, "SELECT name, query FROM saved_searches ORDER BY name"),
            "settings": rows(c, "SELECT key, value FROM settings ORDER BY key"),
        }
    finally:
        c.execute("COMMIT")


def write_backup(lib, path: Path) -> dict[str, int]:
    """Write atomically: the old backup stays whole until the new one is complete on disk."""
    data = make_backup(lib)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MarginError(f"{path}: cannot write backup ({exc.strerror or exc})") from None
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}


def read_backup(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MarginError(f"{path}: not a margin backup ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MarginError(f"{path}: not a margin backup")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise MarginError(f"{path}: backup from a newer margin (version {data.get('version')}); upgrade margin")
    return data

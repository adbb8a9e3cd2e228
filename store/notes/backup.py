"""Backup and restore of everything that is the user's own: notes (+ their history), article
tags and read/starred state, feeds, entity rules, user links. Articles are named by their
stable `key`, so a backup restores into any library that has (or later gets) them."""
from __future__ import annotations

import json
from pathlib import Path

from store.document import text_hash
from store.errors import MarginError

FORMAT, VERSION = "margin-backup", 1
NOTE_COLS = ("start", "end", "exact", "prefix", "suffix", "current_exact", "body", "tags", "color",
             "state", "made_on_hash", "created_at", "updated_at")


def _rows(conn, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def make_backup(lib) -> dict:
    c = lib.db.conn
    return {
        "format": FORMAT, "version": VERSION,
        "feeds": _rows(c, "SELECT url, title, site_url, tags, hidden FROM feeds ORDER BY id"),
        "articles": _rows(c, "SELECT a.key, a.read, a.starred, a.tags, a.title, a.body, a.blocks,"
                             " a.origin, a.url, a.path, f.url AS feed_url FROM articles a"
                             " LEFT JOIN feeds f ON f.id = a.feed_id"
                             " WHERE a.read = 1 OR a.starred = 1 OR a.tags != '[]'"
                             " OR a.id IN (SELECT article_id FROM notes)"),
        "notes": [
            {**n, "events": _rows(c, "SELECT at, old_state, new_state, old_start, old_end, new_start, new_end,"
                                     " old_text, new_text, reason FROM note_events WHERE note_id = ?", (n.pop("id"),))}
            for n in _rows(c, 'SELECT n.id, a.key AS article_key, ' + ", ".join(f'n."{k}"' for k in NOTE_COLS)
                           + " FROM notes n JOIN articles a ON a.id = n.article_id ORDER BY n.id")
        ],
        "entity_rules": _rows(c, "SELECT action, subject, value, created_at FROM entity_rules ORDER BY id"),
        "links": _rows(c, "SELECT s.key AS src, d.key AS dst, l.note, l.created_at FROM links l"
                          " JOIN articles s ON s.id = l.src JOIN articles d ON d.id = l.dst WHERE l.kind = 'user'"),
        "link_blocks": _rows(c, "SELECT s.key AS src, d.key AS dst, b.created_at FROM link_blocks b"
                                " JOIN articles s ON s.id = b.src JOIN articles d ON d.id = b.dst"),
    }


def write_backup(lib, path: Path) -> dict[str, int]:
    data = make_backup(lib)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a full disk: no half-written .tmp is left beside the old backup
        tmp.unlink(missing_ok=True)
        raise
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}


def read_backup(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MarginError(f"{path}: not a margin backup ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MarginError(f"{path}: not a margin backup")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise MarginError(f"{path}: backup from a newer margin (version {data.get('version')}); upgrade margin")
    return data


def restore_backup(lib, path: Path) -> dict[str, int]:
    """Merge a backup in one transaction: nothing is duplicated, an error changes nothing."""
    data = read_backup(path)
    c = lib.db.conn
    counts = {"feeds": 0, "articles": 0, "notes": 0, "entity_rules": 0, "links": 0}
    from store.db import now_iso

    with c:
        for f in data.get("feeds", []):
            cur = c.execute("INSERT OR IGNORE INTO feeds (url, title, site_url, tags, hidden, added_at)"
                            " VALUES (?,?,?,?,?,?)", (f["url"], f["title"], f.get("site_url"), f.get("tags") or "[]",
                                                      f.get("hidden", 0), now_iso()))
            counts["feeds"] += cur.rowcount
        ids = {}
        for a in data.get("articles", []):
            row = c.execute("SELECT id FROM articles WHERE key = ?", (a["key"],)).fetchone()
            if row is None:  # the text travels with notes, so they always have an article to sit on
                feed = c.execute("SELECT id FROM feeds WHERE url = ?", (a.get("feed_url"),)).fetchone()
                cur = c.execute(
                    "INSERT INTO articles (key, feed_id, origin, url, path, title, body, blocks, body_hash,"
                    " imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (a["key"], feed[0] if feed else None, a["origin"], a.get("url"), a.get("path"), a["title"],
                     a["body"], a["blocks"], text_hash(a["body"]), now_iso()))
                row = (cur.lastrowid,)
                counts["articles"] += 1
            ids[a["key"]] = row[0]
            c.execute("UPDATE articles SET read = max(read, ?), starred = max(starred, ?), tags = ? WHERE id = ?",
                      (a["read"], a["starred"], _merge_tags(c, row[0], a.get("tags")), row[0]))
        for n in data.get("notes", []):
            art = ids.get(n["article_key"])
            if art is None or c.execute(
                    "SELECT 1 FROM notes WHERE article_id = ? AND created_at = ? AND body = ?",
                    (art, n["created_at"], n["body"])).fetchone():
                continue
            cur = c.execute(
                "INSERT INTO notes (article_id, " + ", ".join(f'"{k}"' for k in NOTE_COLS) + ") VALUES (?"
                + ",?" * len(NOTE_COLS) + ")", (art, *(n[k] for k in NOTE_COLS)))
            from store.notes.links import store_links

            store_links(c, cur.lastrowid, n["body"])
            for e in n.get("events", []):
                c.execute("INSERT INTO note_events (note_id, at, old_state, new_state, old_start, old_end,"
                          " new_start, new_end, old_text, new_text, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                          (cur.lastrowid, e["at"], e["old_state"], e["new_state"], e["old_start"], e["old_end"],
                           e["new_start"], e["new_end"], e["old_text"], e["new_text"], e["reason"]))
            counts["notes"] += 1
        for r in data.get("entity_rules", []):
            if not c.execute("SELECT 1 FROM entity_rules WHERE action = ? AND subject = ? AND value IS ?",
                             (r["action"], r["subject"], r["value"])).fetchone():
                c.execute("INSERT INTO entity_rules (action, subject, value, created_at) VALUES (?,?,?,?)",
                          (r["action"], r["subject"], r["value"], r["created_at"]))
                counts["entity_rules"] += 1
        for table, rows in (("links", data.get("links", [])), ("link_blocks", data.get("link_blocks", []))):
            for link in rows:
                src, dst = _article_id(c, link["src"]), _article_id(c, link["dst"])
                if src is None or dst is None:
                    continue
                if table == "links":
                    cur = c.execute("INSERT OR REPLACE INTO links (src, dst, kind, score, reason, note, created_at)"
                                    " VALUES (?, ?, 'user', 1.0, '{}', ?, ?)", (src, dst, link.get("note"), link["created_at"]))
                    counts["links"] += 1
                else:
                    c.execute("INSERT OR IGNORE INTO link_blocks (src, dst, created_at) VALUES (?,?,?)",
                              (src, dst, link["created_at"]))
    return counts


def _article_id(c, key: str) -> int | None:
    row = c.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _merge_tags(c, article_id: int, tags_json: str | None) -> str:
    current = json.loads(c.execute("SELECT tags FROM articles WHERE id = ?", (article_id,)).fetchone()[0] or "[]")
    for tag in json.loads(tags_json or "[]"):
        if tag not in current:
            current.append(tag)
    return json.dumps(current)

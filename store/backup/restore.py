"""Restore a backup by merging it into a library, in one transaction (an error changes nothing).

Merging never drops a row silently: what is already there is kept and counted, a saved search
whose name is taken under another query comes back under a new name, links between articles
not in the library yet wait in `pending_links` for them, and a note whose article text differs
from the text it was made on is re-anchored the way an edit re-anchors it."""
from __future__ import annotations

import json
from pathlib import Path

from store.backup.make import EVENT_COLS, NOTE_COLS, read_backup
from store.db import now_iso
from store.document import text_hash
from store.errors import MarginError
from store.notes.links import save_note_links


def restore_backup(lib, path: Path) -> dict[str, int]:
    data = read_backup(path)
    c = lib.db.conn
    counts = {k: 0 for k in ("feeds", "articles", "notes", "notes_reanchored", "entity_rules", "links",
                             "unlinks", "links_waiting", "saved_searches", "settings", "already_there")}
    try:
        with c:
            _restore(lib, c, data, counts)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        reason = f"{exc.__class__.__name__}: {exc}"
        raise MarginError(f"{path}: backup is damaged ({reason}); nothing was restored") from None
    return counts


def _restore(lib, c, data: dict, counts: dict[str, int]) -> None:
    full_text_feeds: list[int] = []
    feed_ids = _feeds(c, data.get("feeds", []), counts, full_text_feeds)
    rekey = _rekey(feed_ids)
    for a in data.get("articles", []):
        a["key"] = rekey(a["key"])
    for n in data.get("notes", []):
        n["article_key"] = rekey(n["article_key"])
    for link in data.get("links", []) + data.get("link_blocks", []):
        link["src"], link["dst"] = rekey(link["src"]), rekey(link["dst"])
    ids, texts = _articles(c, data.get("articles", []), counts)
    # a restored full-text feed fetches pages for entries that come after, not for what was restored
    c.executemany("UPDATE feeds SET fulltext_from = (SELECT coalesce(max(id), 0) + 1 FROM articles) WHERE id = ?",
                  [(feed_id,) for feed_id in full_text_feeds])
    _notes(lib, c, data.get("notes", []), ids, texts, counts)
    for r in data.get("entity_rules", []):
        if c.execute("SELECT 1 FROM entity_rules WHERE action = ? AND subject = ? AND value IS ?",
                     (r["action"], r["subject"], r["value"])).fetchone():
            counts["already_there"] += 1
            continue
        c.execute("INSERT INTO entity_rules (action, subject, value, created_at) VALUES (?,?,?,?)",
                  (r["action"], r["subject"], r["value"], r["created_at"]))
        counts["entity_rules"] += 1
    for link in data.get("links", []):
        _link(c, link, "link", counts)
    for block in data.get("link_blocks", []):
        _link(c, block, "unlink", counts)
    _saved_searches(c, data.get("saved_searches", []), counts)
    for s in data.get("settings", []):
        counts["settings" if c.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                                       (s["key"], s["value"])).rowcount else "already_there"] += 1


def _merge_json_list(current: str | None, extra: str | None) -> str:
    out = json.loads(current or "[]")
    for item in json.loads(extra or "[]"):
        if item not in out:
            out.append(item)
    return json.dumps(out)


def _rekey(feed_ids: dict[int, int]):
    """Feed articles are keyed `feed:FEED_ID:guid`, and the feed has another id here."""
    def rekey(key: str) -> str:
        if key.startswith("feed:"):
            _, old, rest = key.split(":", 2)
            if old.isdigit() and int(old) in feed_ids:
                return f"feed:{feed_ids[int(old)]}:{rest}"
        return key
    return rekey


def _feeds(c, feeds: list[dict], counts: dict[str, int], full_text_feeds: list[int]) -> dict[int, int]:
    """Merge the feeds; returns {id in the backup: id here}. New full-text feeds go in `full_text_feeds`."""
    ids = {}
    for f in feeds:
        row = c.execute("SELECT tags, id FROM feeds WHERE url = ?", (f["url"],)).fetchone()
        if row is None:
            fulltext = f.get("fulltext") if f.get("fulltext") in ("on", "auto") else "off"
            cur = c.execute("INSERT INTO feeds (url, title, site_url, tags, hidden, disabled, added_at, fulltext,"
                            " fulltext_threshold) VALUES (?,?,?,?,?,?,?,?,?)",
                            (f["url"], f["title"], f.get("site_url"), f.get("tags") or "[]", f.get("hidden", 0),
                             f.get("disabled", 0), now_iso(), fulltext, f.get("fulltext_threshold")))
            new_id = cur.lastrowid
            counts["feeds"] += 1
            if fulltext != "off":
                full_text_feeds.append(new_id)
        else:  # the library's own settings win; tags are merged
            c.execute("UPDATE feeds SET tags = ? WHERE url = ?", (_merge_json_list(row[0], f.get("tags")), f["url"]))
            new_id = row[1]
            counts["already_there"] += 1
        if isinstance(f.get("id"), int):
            ids[f["id"]] = new_id
    return ids


def _articles(c, articles: list[dict], counts: dict[str, int]) -> tuple[dict[str, int], dict[str, str]]:
    ids, texts = {}, {}
    for a in articles:
        row = c.execute("SELECT id, tags FROM articles WHERE key = ?", (a["key"],)).fetchone()
        if row is None:  # the text travels with notes, so they always have an article to sit on
            feed = c.execute("SELECT id FROM feeds WHERE url = ?", (a.get("feed_url"),)).fetchone()
            cur = c.execute(
                "INSERT INTO articles (key, feed_id, origin, url, path, title, body, blocks, body_hash,"
                " imported_at, read, starred, tags, guid, author, source, published_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a["key"], feed[0] if feed else None, a["origin"], a.get("url"), a.get("path"), a["title"],
                 a["body"], a["blocks"], text_hash(a["body"]), now_iso(), a["read"], a["starred"],
                 a.get("tags") or "[]", a.get("guid"), a.get("author"), a.get("source"), a.get("published_at")))
            row = (cur.lastrowid, None)
            counts["articles"] += 1
        else:
            c.execute("UPDATE articles SET read = max(read, ?), starred = max(starred, ?), tags = ? WHERE id = ?",
                      (a["read"], a["starred"], _merge_json_list(row[1], a.get("tags")), row[0]))
        ids[a["key"]] = row[0]
        texts[a["key"]] = a["body"]
    return ids, texts


def _notes(lib, c, notes: list[dict], ids: dict[str, int], texts: dict[str, str],
           counts: dict[str, int]) -> None:
    moved: dict[int, list[int]] = {}  # article id -> restored notes made on another text
    for n in notes:
        art = ids.get(n["article_key"])
        if art is None:
            row = c.execute("SELECT id FROM articles WHERE key = ?", (n["article_key"],)).fetchone()
            art = row[0] if row else None
        if art is None:
            raise_missing(n)
        if c.execute("SELECT 1 FROM notes WHERE article_id = ? AND created_at = ? AND body = ?",
                     (art, n["created_at"], n["body"])).fetchone():
            counts["already_there"] += 1
            continue
        cur = c.execute(
            "INSERT INTO notes (article_id, " + ", ".join(f'"{k}"' for k in NOTE_COLS) + ") VALUES (?"
            + ",?" * len(NOTE_COLS) + ")", (art, *(n[k] for k in NOTE_COLS)))
        note_id = cur.lastrowid
        save_note_links(c, note_id, n["body"])
        c.executemany("INSERT INTO note_events (note_id, " + ", ".join(EVENT_COLS) + ") VALUES (?"
                      + ",?" * len(EVENT_COLS) + ")",
                      [(note_id, *(e.get(k) for k in EVENT_COLS)) for e in n.get("events", [])])
        counts["notes"] += 1
        if n["start"] is not None:
            moved.setdefault(art, []).append(note_id)
    for art, note_ids in moved.items():
        key, body, body_hash = c.execute("SELECT key, body, body_hash FROM articles WHERE id = ?", (art,)).fetchone()
        old = texts.get(key)
        if old is not None and old == body:
            continue
        states = lib.notes.reanchor(art, old, body, note_ids=note_ids, reason="restored onto another text")
        counts["notes_reanchored"] += sum(states.values())


def raise_missing(note: dict) -> None:
    raise ValueError(f"note made {note.get('created_at')} names article {note.get('article_key')!r},"
                     " whose text is not in the backup")


def _link(c, link: dict, kind: str, counts: dict[str, int]) -> None:
    found = dict(c.execute("SELECT key, id FROM articles WHERE key IN (?, ?)", (link["src"], link["dst"])).fetchall())
    src, dst = found.get(link["src"]), found.get(link["dst"])
    if src is None or dst is None:
        c.execute("INSERT OR IGNORE INTO pending_links (src_key, dst_key, kind, note, created_at) VALUES (?,?,?,?,?)",
                  (link["src"], link["dst"], kind, link.get("note"), link["created_at"]))
        counts["links_waiting"] += 1
        return
    if kind == "link":
        if c.execute("SELECT 1 FROM links WHERE src = ? AND dst = ? AND kind = 'user'", (src, dst)).fetchone():
            counts["already_there"] += 1
            return
        c.execute("DELETE FROM link_blocks WHERE (src = ? AND dst = ?) OR (src = ? AND dst = ?)", (src, dst, dst, src))
        c.execute("INSERT OR REPLACE INTO links (src, dst, kind, score, reason, note, created_at)"
                  " VALUES (?, ?, 'user', 1.0, '{}', ?, ?)", (src, dst, link.get("note"), link["created_at"]))
        counts["links"] += 1
    else:
        lo, hi = min(src, dst), max(src, dst)
        if not c.execute("INSERT OR IGNORE INTO link_blocks (src, dst, created_at) VALUES (?,?,?)",
                         (lo, hi, link["created_at"])).rowcount:
            counts["already_there"] += 1
            return
        c.execute("DELETE FROM links WHERE kind != 'user' AND ((src = ? AND dst = ?) OR (src = ? AND dst = ?))",
                  (lo, hi, hi, lo))
        counts["unlinks"] += 1


def _saved_searches(c, searches: list[dict], counts: dict[str, int]) -> None:
    for s in searches:
        name = s["name"]
        row = c.execute("SELECT query FROM saved_searches WHERE name = ?", (name,)).fetchone()
        if row is not None and row[0] == s["query"]:
            counts["already_there"] += 1
            continue
        n = 1
        while row is not None and row[0] != s["query"]:  # the name is taken by another query: keep both
            name = f"{s['name']} (restored{'' if n == 1 else f' {n}'})"
            row = c.execute("SELECT query FROM saved_searches WHERE name = ?", (name,)).fetchone()
            n += 1
        if row is not None:
            counts["already_there"] += 1
            continue
        c.execute("INSERT INTO saved_searches (name, query, position)"
                  " VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM saved_searches))", (name, s["query"]))
        counts["saved_searches"] += 1

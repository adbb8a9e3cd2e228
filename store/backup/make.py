"""Write a backup: one JSON file with every row the user made.

What is the user's own: notes and their events (quotes, bodies, tags, colours), article tags and
read/starred state, feeds and their settings (title, tags, hidden, disabled), entity rules, user
links and unlinks (`link_blocks`), saved searches and settings. Everything else (entities,
mentions, automatic links, indexes) is recomputed from the articles. An article's text travels
only when the user marked it (notes sit on it), so a backup stays small."""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.errors import LibraryError, MarginError
from store.library_file import damage, damaged_message

FORMAT, VERSION = "margin-backup", 2
NOTE_COLS = ("start", "end", "exact", "prefix", "suffix", "current_exact", "body", "tags", "color",
             "state", "made_on_hash", "created_at", "updated_at")
EVENT_COLS = ("at", "old_state", "new_state", "old_start", "old_end", "new_start", "new_end",
              "old_text", "new_text", "reason")
FEED_COLS = ("url", "title", "site_url", "tags", "hidden", "disabled", "fulltext", "fulltext_threshold")


def rows(conn, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur]


ARTICLES = ("SELECT a.key, a.read, a.starred, a.tags, a.title, a.body, a.blocks, a.origin, a.url, a.path,"
            " a.guid, a.author, a.source, a.published_at,"
            " f.url AS feed_url FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id"
            " WHERE (a.read = 1 OR a.starred = 1 OR a.tags != '[]' OR a.id IN (SELECT article_id FROM notes))")


def _row_by_row(c, part: str) -> tuple[list[dict], int]:
    """Salvage: the rows of a part one id at a time, skipping the ones on damaged pages."""
    table = "articles" if part == "articles" else "notes"
    top = c.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
    found, lost = [], 0
    for i in range(1, top + 1):
        try:
            if part == "articles":
                found += rows(c, ARTICLES + " AND a.id = ?", (i,))
            else:
                found += _notes(c, i)
        except sqlite3.DatabaseError:
            lost += 1
    return found, lost


def _notes(c, only: int | None = None) -> list[dict]:
    events: dict[int, list[dict]] = {}
    where = "" if only is None else f" WHERE note_id = {int(only)}"
    for e in rows(c, "SELECT note_id, " + ", ".join(EVENT_COLS) + f" FROM note_events{where} ORDER BY id"):
        events.setdefault(e.pop("note_id"), []).append(e)
    notes = rows(c, "SELECT n.id, a.key AS article_key, " + ", ".join(f'n."{k}"' for k in NOTE_COLS)
                 + " FROM notes n JOIN articles a ON a.id = n.article_id"
                 + ("" if only is None else f" WHERE n.id = {int(only)}") + " ORDER BY n.id")
    for n in notes:
        n["events"] = events.get(n.pop("id"), [])
    return notes


def _waiting(c, kind: str, extra: str) -> list[dict]:
    """Restored links still waiting for their articles (none in a library made before m0014,
    which a salvage opens as it is)."""
    if not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'pending_links'").fetchone():
        return []
    return rows(c, f"SELECT src_key AS src, dst_key AS dst, {extra}created_at FROM pending_links"
                   " WHERE kind = ?", (kind,))


PARTS: dict[str, Callable[[Any], list[dict]]] = {
    # the id travels so that feed article keys (`feed:ID:guid`) can be renamed on restore
    "feeds": lambda c: rows(c, "SELECT id, " + ", ".join(FEED_COLS) + " FROM feeds ORDER BY id"),
    "articles": lambda c: rows(c, ARTICLES),
    "notes": _notes,
    "entity_rules": lambda c: rows(c, "SELECT action, subject, value, created_at FROM entity_rules ORDER BY id"),
    "links": lambda c: rows(c, "SELECT s.key AS src, d.key AS dst, l.note, l.created_at FROM links l"
                               " JOIN articles s ON s.id = l.src JOIN articles d ON d.id = l.dst"
                               " WHERE l.kind = 'user'") + _waiting(c, "link", "note, "),
    "link_blocks": lambda c: rows(c, "SELECT s.key AS src, d.key AS dst, b.created_at FROM link_blocks b"
                                     " JOIN articles s ON s.id = b.src JOIN articles d ON d.id = b.dst")
    + _waiting(c, "unlink", ""),
    "saved_searches": lambda c: rows(c, "SELECT name, query FROM saved_searches ORDER BY position, name"),
    "settings": lambda c: rows(c, "SELECT key, value FROM settings ORDER BY key"),
}


def make_backup(lib, *, salvage: bool = False) -> dict[str, Any]:
    """Every part, read in one read transaction (a writer in another process cannot make the
    parts disagree). `salvage`: a part that cannot be read from a damaged file is left out
    and named in `unreadable`, instead of failing the whole backup."""
    c = lib.db.conn
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    unreadable: dict[str, str] = {}
    c.execute("BEGIN")
    try:
        for part, read in PARTS.items():
            try:
                data[part] = read(c)
            except sqlite3.DatabaseError as exc:
                if not salvage:
                    raise
                data[part], lost = [], None
                if part in ("articles", "notes"):
                    with contextlib.suppress(sqlite3.DatabaseError):
                        data[part], lost = _row_by_row(c, part)
                if lost != 0:
                    unreadable[part] = str(exc) if lost is None else f"{lost} rows on damaged pages"
    finally:
        c.rollback()  # it only read: ending it cannot lose anything, and works on a damaged file
    if salvage:
        data["unreadable"] = unreadable
    return data


def write_backup(lib, path: Path, *, salvage: bool = False) -> dict[str, int]:
    """Write atomically: the old backup stays whole until the new one is complete on disk.
    The library is checked first (`PRAGMA quick_check`): a backup of a damaged file would
    carry the damage, so that takes `salvage`."""
    if not salvage:
        problem = damage(lib.db.conn)
        if problem:
            raise LibraryError(damaged_message(lib.path, problem))
    data = make_backup(lib, salvage=salvage)
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
    counts: dict[str, Any] = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    if data.get("unreadable"):
        counts["unreadable"] = data["unreadable"]
    return counts


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

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
from typing import TYPE_CHECKING, Any

from store.errors import LibraryError, MarginError
from store.library_file import damage, damaged_message

if TYPE_CHECKING:
    import sqlite_utils

FORMAT, VERSION = "margin-backup", 2
NOTE_COLS = ("start", "end", "exact", "prefix", "suffix", "current_exact", "body", "tags", "color",
             "state", "made_on_hash", "created_at", "updated_at")
EVENT_COLS = ("at", "old_state", "new_state", "old_start", "old_end", "new_start", "new_end",
              "old_text", "new_text", "reason")
FEED_COLS = ("url", "title", "site_url", "tags", "hidden", "disabled", "fulltext", "fulltext_threshold")
# an article travels when it is the user's: read, starred, tagged or noted
USERS_ARTICLES = "read = 1 OR starred = 1 OR tags != '[]' OR id IN (SELECT article_id FROM notes)"
ARTICLE_COLS = ("key, read, starred, tags, title, body, blocks, origin, url, path, guid, author, source,"
                " published_at, (SELECT url FROM feeds WHERE feeds.id = articles.feed_id) AS feed_url")
KEY_OF = "(SELECT key FROM articles WHERE articles.id = {}) AS {}"


def _articles(db: sqlite_utils.Database, only: int | None = None) -> list[dict]:
    where = USERS_ARTICLES if only is None else f"({USERS_ARTICLES}) AND id = {int(only)}"
    return list(db["articles"].rows_where(where, select=ARTICLE_COLS))


def _notes(db: sqlite_utils.Database, only: int | None = None) -> list[dict]:
    """Notes name their article by key; each carries its events, oldest first."""
    where = None if only is None else f"note_id = {int(only)}"
    events: dict[int, list[dict]] = {}
    for e in db["note_events"].rows_where(where, select="note_id, " + ", ".join(EVENT_COLS), order_by="id"):
        events.setdefault(e.pop("note_id"), []).append(e)
    notes = list(db["notes"].rows_where(None if only is None else f"id = {int(only)}", order_by="id",
                                        select="id, " + KEY_OF.format("article_id", "article_key") + ", "
                                        + ", ".join(f'"{k}"' for k in NOTE_COLS)))
    for n in notes:
        n["events"] = events.get(n.pop("id"), [])
    return notes


def _row_by_row(db: sqlite_utils.Database, part: str) -> tuple[list[dict], int]:
    """Salvage: the rows of a part one id at a time, skipping the ones on damaged pages."""
    read = _articles if part == "articles" else _notes
    top = db.execute(f"SELECT max(id) FROM {part}").fetchone()[0] or 0
    found, lost = [], 0
    for i in range(1, top + 1):
        try:
            found += read(db, i)
        except sqlite3.DatabaseError:
            lost += 1
    return found, lost


def _links(db: sqlite_utils.Database, table: str, kind: str, extra: str = "") -> list[dict]:
    """User links (or unlinks) by article key, then the restored ones still waiting for their
    articles (`pending_links`; none in a library made before m0014, which a salvage opens as it is)."""
    where = "kind = 'user'" if table == "links" else None
    rows = db[table].rows_where(where, select=f"{KEY_OF.format('src', 'src')}, {KEY_OF.format('dst', 'dst')},"
                                              f" {extra}created_at")
    found = [r for r in rows if r["src"] and r["dst"]]  # an unlink outlives a deleted article
    return found + list(db["pending_links"].rows_where(
        "kind = ?", [kind], select=f"src_key AS src, dst_key AS dst, {extra}created_at"))


PARTS: dict[str, Callable[[sqlite_utils.Database], list[dict]]] = {
    # the id travels so that feed article keys (`feed:ID:guid`) can be renamed on restore
    "feeds": lambda db: list(db["feeds"].rows_where(select="id, " + ", ".join(FEED_COLS), order_by="id")),
    "articles": _articles,
    "notes": _notes,
    "entity_rules": lambda db: list(db["entity_rules"].rows_where(select="action, subject, value, created_at",
                                                                  order_by="id")),
    "links": lambda db: _links(db, "links", "link", "note, "),
    "link_blocks": lambda db: _links(db, "link_blocks", "unlink"),
    "saved_searches": lambda db: list(db["saved_searches"].rows_where(select="name, query", order_by="position, name")),
    "settings": lambda db: list(db["settings"].rows_where(select="key, value", order_by="key")),
}


def make_backup(lib, *, salvage: bool = False) -> dict[str, Any]:
    """Every part, read in one read transaction (a writer in another process cannot make the
    parts disagree). `salvage`: a part that cannot be read from a damaged file is left out
    and named in `unreadable`, instead of failing the whole backup."""
    c, db = lib.db.conn, lib.db.utils
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    unreadable: dict[str, str] = {}
    c.execute("BEGIN")
    try:
        for part, read in PARTS.items():
            try:
                data[part] = read(db)
            except sqlite3.DatabaseError as exc:
                if not salvage:
                    raise
                data[part], lost = [], None
                if part in ("articles", "notes"):
                    with contextlib.suppress(sqlite3.DatabaseError):
                        data[part], lost = _row_by_row(db, part)
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

"""Restore a backup by merging it into a library, table by table, in one transaction (an error
changes nothing). The rows are written with sqlite-utils on the library's own connection.

Merging never drops a row silently: what is already there is kept and counted, a saved search
whose name is taken under another query comes back under a new name, links between articles
not in the library yet wait in `pending_links` for them, and a note whose article text differs
from the text it was made on is re-anchored the way an edit re-anchors it."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from store.backup.make import EVENT_COLS, NOTE_COLS, read_backup
from store.db import now_iso
from store.document import text_hash
from store.errors import MarginError
from store.notes.links import save_note_links

if TYPE_CHECKING:
    import sqlite_utils

BATCH = 500  # rows per INSERT; sqlite-utils lowers it to stay under SQLite's variable limit
Counts = dict[str, int]


def restore_backup(lib, path: Path) -> Counts:
    data = read_backup(path)
    counts = {k: 0 for k in ("feeds", "articles", "notes", "notes_reanchored", "entity_rules", "links",
                             "unlinks", "links_waiting", "saved_searches", "settings", "already_there")}
    try:
        with lib.db.conn:  # sqlite-utils writes inside it (savepoints), so the restore is all or nothing
            _restore(lib, lib.db.utils, data, counts)
    except (KeyError, TypeError, ValueError, AttributeError, sqlite3.IntegrityError) as exc:
        reason = f"{exc.__class__.__name__}: {exc}"
        raise MarginError(f"{path}: backup is damaged ({reason}); nothing was restored") from None
    return counts


def _restore(lib, db: sqlite_utils.Database, data: dict, counts: Counts) -> None:
    feed_ids, full_text_feeds = _feeds(db, data.get("feeds", []), counts)
    _rekey(data, feed_ids)
    ids, texts = _articles(db, data.get("articles", []), counts)
    # a restored full-text feed fetches pages for entries that come after, not for what was restored
    after = (db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
    for feed_id in full_text_feeds:
        db["feeds"].update(feed_id, {"fulltext_from": after})
    _notes(lib, db, data.get("notes", []), ids, texts, counts)
    rules = [{"action": r["action"], "subject": r["subject"], "value": r["value"], "created_at": r["created_at"]}
             for r in data.get("entity_rules", [])]
    _add_new(db["entity_rules"], counts, "entity_rules", rules, lambda r: (r["action"], r["subject"], r["value"]),
             db["entity_rules"].rows_where(select="action, subject, value"))
    _links(db, data.get("links", []), counts)
    _unlinks(db, data.get("link_blocks", []), counts)
    _saved_searches(db, data.get("saved_searches", []), counts)
    settings = [{"key": s["key"], "value": s["value"]} for s in data.get("settings", [])]
    _add_new(db["settings"], counts, "settings", settings, lambda s: s["key"], db["settings"].rows_where(select="key"))


def _add_new(table: sqlite_utils.Table, counts: Counts, part: str, records: list[dict],
             identity: Callable[[dict], Hashable], here: Iterable[dict], replace: bool = False) -> list[dict]:
    """Insert the records whose identity is not among `here` (rows of the library) yet, in
    batches; the others are counted as already there."""
    seen = {identity(r) for r in here}
    new = []
    for r in records:
        if identity(r) in seen:
            counts["already_there"] += 1
        else:
            seen.add(identity(r))
            new.append(r)
    table.insert_all(new, replace=replace, batch_size=BATCH)
    counts[part] += len(new)
    return new


def _ids_by_key(db: sqlite_utils.Database, keys: list[str], select: str = "key, id") -> dict[str, dict]:
    """The library's articles among `keys`, by key (in chunks under SQLite's variable limit)."""
    found: dict[str, dict] = {}
    unique = list(dict.fromkeys(keys))
    for lo in range(0, len(unique), BATCH):
        chunk = unique[lo:lo + BATCH]
        found.update((r["key"], r) for r in db["articles"].rows_where(
            f"key IN ({','.join('?' * len(chunk))})", chunk, select=select))
    return found


def _merge_json_list(current: str | None, extra: str | None) -> str:
    out = json.loads(current or "[]")
    for item in json.loads(extra or "[]"):
        if item not in out:
            out.append(item)
    return json.dumps(out)


def _feeds(db: sqlite_utils.Database, feeds: list[dict], counts: Counts) -> tuple[dict[int, int], list[int]]:
    """Merge the feeds: the library's own settings win, tags are merged. Returns {id in the
    backup: id here} and the new full-text feeds."""
    here = {r["url"]: r for r in db["feeds"].rows_where(select="id, url, tags")}
    for f in feeds:
        if f["url"] in here:
            db["feeds"].update(here[f["url"]]["id"], {"tags": _merge_json_list(here[f["url"]]["tags"], f.get("tags"))})
    now = now_iso()
    new = _add_new(db["feeds"], counts, "feeds", [
        {"url": f["url"], "title": f["title"], "site_url": f.get("site_url"), "tags": f.get("tags") or "[]",
         "hidden": f.get("hidden", 0), "disabled": f.get("disabled", 0), "added_at": now,
         "fulltext": f.get("fulltext") if f.get("fulltext") in ("on", "auto") else "off",
         "fulltext_threshold": f.get("fulltext_threshold")} for f in feeds], lambda f: f["url"], here.values())
    id_of = {r["url"]: r["id"] for r in db["feeds"].rows_where(select="id, url")}
    ids = {f["id"]: id_of[f["url"]] for f in feeds if isinstance(f.get("id"), int)}
    return ids, [id_of[f["url"]] for f in new if f["fulltext"] != "off"]


def _rekey(data: dict, feed_ids: dict[int, int]) -> None:
    """Feed articles are keyed `feed:FEED_ID:guid`, and the feed has another id here."""
    def rekey(key: str) -> str:
        if key.startswith("feed:"):
            _, old, rest = key.split(":", 2)
            if old.isdigit() and int(old) in feed_ids:
                return f"feed:{feed_ids[int(old)]}:{rest}"
        return key
    for a in data.get("articles", []):
        a["key"] = rekey(a["key"])
    for n in data.get("notes", []):
        n["article_key"] = rekey(n["article_key"])
    for link in data.get("links", []) + data.get("link_blocks", []):
        link["src"], link["dst"] = rekey(link["src"]), rekey(link["dst"])


def _articles(db: sqlite_utils.Database, articles: list[dict], counts: Counts) -> tuple[dict[str, int], dict[str, str]]:
    """New articles go in whole (the text travels with notes, so they always have an article to
    sit on); one already here keeps its text and gains the backup's read, starred and tags."""
    here = _ids_by_key(db, [a["key"] for a in articles], "key, id, read, starred, tags")
    for a in articles:
        row = here.get(a["key"])
        if row is not None:
            db["articles"].update(row["id"], {"read": max(row["read"], a["read"]),
                                              "starred": max(row["starred"], a["starred"]),
                                              "tags": _merge_json_list(row["tags"], a.get("tags"))})
    feed_of = {r["url"]: r["id"] for r in db["feeds"].rows_where(select="id, url")}
    now = now_iso()
    new = {a["key"]: {
        "key": a["key"], "feed_id": feed_of.get(a.get("feed_url")), "origin": a["origin"], "url": a.get("url"),
        "path": a.get("path"), "title": a["title"], "body": a["body"], "blocks": a["blocks"],
        "body_hash": text_hash(a["body"]), "imported_at": now, "read": a["read"], "starred": a["starred"],
        "tags": a.get("tags") or "[]", "guid": a.get("guid"), "author": a.get("author"),
        "source": a.get("source"), "published_at": a.get("published_at"),
    } for a in articles if a["key"] not in here}
    db["articles"].insert_all(new.values(), batch_size=BATCH)
    counts["articles"] += len(new)
    ids = {key: row["id"] for key, row in _ids_by_key(db, [a["key"] for a in articles]).items()}
    return ids, {a["key"]: a["body"] for a in articles}


def _notes(lib, db: sqlite_utils.Database, notes: list[dict], ids: dict[str, int], texts: dict[str, str],
           counts: Counts) -> None:
    """Each note goes in with its events and its [[links]]; the ones made on another text than
    their article has here are re-anchored, as an edit re-anchors them."""
    missing = [n["article_key"] for n in notes if n["article_key"] not in ids]
    ids = {**ids, **{key: row["id"] for key, row in _ids_by_key(db, missing).items()}}
    moved: dict[int, list[int]] = {}  # article id -> restored notes made on another text
    for n in notes:
        art = ids.get(n["article_key"])
        if art is None:
            raise ValueError(f"note made {n.get('created_at')} names article {n.get('article_key')!r},"
                             " whose text is not in the backup")
        if db["notes"].count_where("article_id = ? AND created_at = ? AND body = ?", [art, n["created_at"], n["body"]]):
            counts["already_there"] += 1
            continue
        note_id = db["notes"].insert({"article_id": art, **{k: n[k] for k in NOTE_COLS}}).last_pk
        save_note_links(db.conn, note_id, n["body"])
        db["note_events"].insert_all(({"note_id": note_id, **{k: e.get(k) for k in EVENT_COLS}}
                                      for e in n.get("events", [])), batch_size=BATCH)
        counts["notes"] += 1
        if n["start"] is not None:
            moved.setdefault(art, []).append(note_id)
    for art, note_ids in moved.items():
        article = db["articles"].get(art)
        old = texts.get(article["key"])
        if old is not None and old == article["body"]:
            continue
        states = lib.notes.reanchor(art, old, article["body"], note_ids=note_ids, reason="restored onto another text")
        counts["notes_reanchored"] += sum(states.values())


def _waiting(db: sqlite_utils.Database, links: list[dict], kind: str, counts: Counts) -> list[tuple[int, int, dict]]:
    """Links whose articles are both here, as (src id, dst id, link); the others wait for their
    articles in `pending_links`."""
    ids = {key: row["id"] for key, row in _ids_by_key(db, [k for x in links for k in (x["src"], x["dst"])]).items()}
    waiting = [x for x in links if x["src"] not in ids or x["dst"] not in ids]
    db["pending_links"].insert_all(({"src_key": x["src"], "dst_key": x["dst"], "kind": kind, "note": x.get("note"),
                                     "created_at": x["created_at"]} for x in waiting), ignore=True, batch_size=BATCH)
    counts["links_waiting"] += len(waiting)
    return [(ids[x["src"]], ids[x["dst"]], x) for x in links if x["src"] in ids and x["dst"] in ids]


def _links(db: sqlite_utils.Database, links: list[dict], counts: Counts) -> None:
    """A user link replaces an automatic one between the same articles and lifts an unlink."""
    new = [{"src": src, "dst": dst, "kind": "user", "score": 1.0, "reason": "{}", "note": x.get("note"),
            "created_at": x["created_at"]} for src, dst, x in _waiting(db, links, "link", counts)]
    added = _add_new(db["links"], counts, "links", new, lambda r: (r["src"], r["dst"]),
                     db["links"].rows_where("kind = 'user'", select="src, dst"), replace=True)
    for r in added:
        db["link_blocks"].delete_where("(src = :a AND dst = :b) OR (src = :b AND dst = :a)",
                                       {"a": r["src"], "b": r["dst"]})


def _unlinks(db: sqlite_utils.Database, blocks: list[dict], counts: Counts) -> None:
    """An unlink is kept once per pair of articles and removes their automatic link."""
    pairs = [(min(src, dst), max(src, dst), x["created_at"]) for src, dst, x in _waiting(db, blocks, "unlink", counts)]
    added = _add_new(db["link_blocks"], counts, "unlinks",
                     [{"src": lo, "dst": hi, "created_at": at} for lo, hi, at in pairs],
                     lambda b: (b["src"], b["dst"]), db["link_blocks"].rows_where(select="src, dst"))
    for b in added:
        db["links"].delete_where("kind != 'user' AND ((src = :lo AND dst = :hi) OR (src = :hi AND dst = :lo))",
                                 {"lo": b["src"], "hi": b["dst"]})


def _saved_searches(db: sqlite_utils.Database, searches: list[dict], counts: Counts) -> None:
    """A name taken by another query keeps both: the restored one becomes "NAME (restored)"."""
    table = db["saved_searches"]
    here = {r["name"]: r["query"] for r in table.rows_where(select="name, query")}
    position = max((r["position"] for r in table.rows_where(select="position")), default=-1) + 1
    new = []
    for s in searches:
        name, n = s["name"], 1
        while here.get(name, s["query"]) != s["query"]:
            name = f"{s['name']} (restored{'' if n == 1 else f' {n}'})"
            n += 1
        if name in here:
            counts["already_there"] += 1
            continue
        here[name] = s["query"]
        new.append({"name": name, "query": s["query"], "position": position + len(new)})
    table.insert_all(new, batch_size=BATCH)
    counts["saved_searches"] += len(new)

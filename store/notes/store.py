"""Notes: add, edit, delete (only ever by the user), list, re-anchor, backlinks."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from store.db import FeatureStore, now_iso
from store.document import strip_controls, text_hash
from store.errors import MarginError, NotFound
from store.notes.anchor import Anchor, TextDiff, make_anchor, place, place_by_quote, place_changed
from store.notes.links import link_keys, save_note_links

COLUMNS = ("id", "article_id", "start", "end", "exact", "prefix", "suffix", "current_exact", "body",
           "tags", "color", "state", "made_on_hash", "created_at", "updated_at")
_SELECT = "SELECT " + ", ".join(f'n."{c}"' for c in COLUMNS) + " FROM notes n"
NOTE_COLOURS = ("yellow", "green", "blue", "red", "purple")  # the palette the reader draws
EVENT_COLUMNS = ("at", "old_state", "new_state", "old_start", "old_end", "new_start", "new_end",
                 "old_text", "new_text", "reason")


@dataclass
class Note:
    id: int
    article_id: int
    start: int | None
    end: int | None
    exact: str | None
    prefix: str | None
    suffix: str | None
    current_exact: str | None
    body: str
    tags: list[str]
    color: str | None
    state: str
    made_on_hash: str | None
    created_at: str
    updated_at: str
    article_title: str | None = field(default=None)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("made_on_hash")
        return data


def _note(row, title: str | None = None) -> Note:
    data = dict(zip(COLUMNS, row, strict=False))
    data["tags"] = json.loads(data["tags"] or "[]")
    return Note(**data, article_title=title)


def check_colour(color: str | None) -> str | None:
    """A palette colour (any case), or a MarginError listing the choices."""
    if color is None:
        return None
    name = color.strip().lower()
    if name not in NOTE_COLOURS:
        raise MarginError(f"colour {strip_controls(color)!r} is not in the palette; choose one of: "
                          + ", ".join(NOTE_COLOURS))
    return name


def occurrences(text: str, quote: str) -> int:
    """How many times `quote` occurs in `text`, overlapping ones counted (as --occurrence counts)."""
    count, pos = 0, text.find(quote)
    while pos >= 0:
        count += 1
        pos = text.find(quote, pos + 1)
    return count


def _clean_tags(tags) -> list[str]:
    out = []
    for tag in tags or ():
        tag = " ".join(strip_controls(str(tag)).lstrip("#").split())
        if tag and tag not in out:
            out.append(tag)
    return out


class NoteStore(FeatureStore):

    # -- façade contributions ------------------------------------------------------------
    def record_part(self, article_id: int) -> dict:
        return {"notes": [n.to_json() for n in self.for_article(article_id)]}

    def stats_part(self) -> dict:
        total, orphaned = self.conn.execute(
            "SELECT count(*), coalesce(sum(state = 'orphaned'), 0) FROM notes").fetchone()
        return {"notes": total, "notes_orphaned": orphaned}

    # -- reading -----------------------------------------------------------------------
    def get(self, note_id: int) -> Note:
        row = self.conn.execute(_SELECT + " WHERE n.id = ?", (note_id,)).fetchone()
        if row is None:
            raise NotFound(f"no note with id {note_id}")
        return _note(row)

    def for_article(self, article_id: int) -> list[Note]:
        rows = self.conn.execute(_SELECT + " WHERE n.article_id = ? ORDER BY n.start IS NULL, n.start, n.id",
                                 (article_id,))
        return [_note(r) for r in rows]

    def list(self, query: str | None = None, *, limit: int = 500) -> list[Note]:
        """Newest first; a query matches note bodies, quotes and tags (words, all required)."""
        sql = _SELECT + ", articles a WHERE a.id = n.article_id"
        params: list = []
        if query and query.strip():
            words = [w for w in query.replace('"', " ").split() if any(ch.isalnum() for ch in w)]
            if words:
                sql += " AND n.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)"
                params.append(" AND ".join(f'"{w}"' for w in words))
        sql += " ORDER BY n.created_at DESC, n.id DESC LIMIT ?"
        rows = self.conn.execute(sql.replace(_SELECT, _SELECT.replace(" FROM notes n", ", a.title FROM notes n")),
                                 [*params, limit])
        return [_note(r[:-1], r[-1]) for r in rows]

    def events(self, note_id: int) -> list[dict]:
        """What happened to a note: created, edited, moved or changed with its text. Notes made
        before creation was recorded get their creation from the note itself."""
        note = self.get(note_id)
        rows = self.conn.execute(
            "SELECT " + ", ".join(EVENT_COLUMNS) + " FROM note_events WHERE note_id = ? ORDER BY id", (note_id,))
        events = [dict(zip(EVENT_COLUMNS, r, strict=False)) for r in rows]
        if not any(e["reason"] == "created" for e in events):
            events.insert(0, dict(zip(EVENT_COLUMNS, (note.created_at, None, "anchored", None, None, None, None,
                                                      None, note.exact, "created"), strict=False)))
        return events

    def backlinks(self, name: str) -> list[Note]:
        """Notes whose [[links]] name NAME, or the entity NAME means under any of its
        names ([[Hollande]] and [[Francois Hollande]] alike)."""
        keys = sorted(link_keys(self.conn, name))
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            _SELECT.replace(" FROM notes n", ", a.title FROM notes n")
            + " JOIN articles a ON a.id = n.article_id"
            f" WHERE n.id IN (SELECT note_id FROM note_links WHERE name_key IN ({marks}))"
            " ORDER BY n.created_at DESC",
            keys)
        return [_note(r[:-1], r[-1]) for r in rows]

    # -- writing -------------------------------------------------------------------------
    def add(self, article_id: int, *, quote: str | None = None, occurrence: int = 1,
            start: int | None = None, end: int | None = None, body: str = "", tags=(),
            color: str | None = None) -> Note:
        row = self.conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id}")
        body_text = row[0]
        if quote is not None:
            quote = strip_controls(quote)
            if not quote.strip():
                raise MarginError("the quote is empty")
            if occurrence < 1:
                raise MarginError("--occurrence counts from 1")
            pos, found = -1, 0
            while found < occurrence:
                pos = body_text.find(quote, pos + 1)
                if pos < 0:
                    where = "does not occur" if found == 0 else f"occurs only {found} time(s)"
                    raise MarginError(f"quote “{quote[:60]}” {where} in article {article_id}")
                found += 1
            start, end = pos, pos + len(quote)
        elif start is not None or end is not None:
            if start is None or end is None:
                raise MarginError("give both --start and --end")
            if not 0 <= start < end <= len(body_text):
                raise MarginError(f"offsets {start}..{end} are outside the body (0..{len(body_text)})")
            for edge in (start, end):
                if 0 < edge < len(body_text) and "\udc00" <= body_text[edge] <= "\udfff":
                    raise MarginError(f"offset {edge} splits a character")
        color = check_colour(color)
        anchor = make_anchor(body_text, start, end) if start is not None else None
        now = now_iso()
        with self.conn:
            cur = self.conn.execute(
                'INSERT INTO notes (article_id, start, "end", exact, prefix, suffix, body, tags, color,'
                " state, made_on_hash, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article_id, start, end, anchor.exact if anchor else None, anchor.prefix if anchor else None,
                 anchor.suffix if anchor else None, strip_controls(body), json.dumps(_clean_tags(tags)),
                 color, "anchored", text_hash(body_text), now, now))
            save_note_links(self.conn, cur.lastrowid, body)
            self._event(cur.lastrowid, now, None, "anchored", None, None, start, end, None,
                        anchor.exact if anchor else None, "created")
        return self.get(cur.lastrowid)

    def _event(self, note_id: int, *values) -> None:
        self.conn.execute("INSERT INTO note_events (note_id, " + ", ".join(EVENT_COLUMNS) + ")"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?)", (note_id, *values))

    def edit(self, note_id: int, *, body: str | None = None, tags=None, color: str | None = None) -> Note:
        note = self.get(note_id)
        color = check_colour(color)
        changed = [what for what, new, old in (
            ("body", strip_controls(body) if body is not None else None, note.body),
            ("tags", _clean_tags(tags) if tags is not None else None, note.tags),
            ("colour", color, note.color)) if new is not None and new != old]
        now = now_iso()
        with self.conn:
            self.conn.execute(
                "UPDATE notes SET body = ?, tags = ?, color = ?, updated_at = ? WHERE id = ?",
                (strip_controls(body) if body is not None else note.body,
                 json.dumps(_clean_tags(tags)) if tags is not None else json.dumps(note.tags),
                 color if color is not None else note.color, now, note_id))
            if body is not None:
                save_note_links(self.conn, note_id, body)
            if changed:
                self._event(note_id, now, note.state, note.state, note.start, note.end, note.start, note.end,
                            None, None, "edited " + ", ".join(changed))
        return self.get(note_id)

    def delete(self, note_id: int) -> None:
        """Only the user deletes notes; nothing in margin calls this on its own."""
        self.get(note_id)
        with self.conn:
            self.conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))

    def reanchor(self, article_id: int, old_body: str | None, new_body: str, *,
                 note_ids: list[int] | None = None, reason: str = "text changed") -> dict[str, int]:
        """Place the notes of an article (or just `note_ids`) on its new text. Runs inside the
        caller's transaction. Without the old text (`None`) a note is placed by its quote and
        context alone."""
        rows = self.conn.execute(
            'SELECT id, start, "end", exact, prefix, suffix, state, current_exact FROM notes'
            " WHERE article_id = ? AND start IS NOT NULL", (article_id,)).fetchall()
        if note_ids is not None:
            wanted = set(note_ids)
            rows = [r for r in rows if r[0] in wanted]
        counts: dict[str, int] = {}
        if not rows:
            return counts
        diff = TextDiff(old_body, new_body) if old_body is not None else None
        now = now_iso()
        updates, events = [], []
        for note_id, start, end, exact, prefix, suffix, state, current in rows:
            if state == "orphaned" or start is None:
                counts["orphaned"] = counts.get("orphaned", 0) + 1
                continue
            anchor = Anchor(start, end, exact or "", prefix or "", suffix or "")
            if diff is None:
                p = place_by_quote(anchor, new_body)
            elif state == "changed":
                p = place_changed(anchor, current or "", diff)
            else:
                p = place(anchor, diff)
            counts[p.state] = counts.get(p.state, 0) + 1
            current = p.text if p.state == "changed" else None
            updates.append((p.start if p.state != "orphaned" else start, p.end if p.state != "orphaned" else end,
                            p.state, current, now, note_id))
            if p.state != state or (p.start, p.end) != (start, end):
                events.append((note_id, now, state, p.state, start, end, p.start, p.end,
                               old_body[start:end] if end is not None and old_body is not None else exact,
                               p.text, reason))
        self.conn.executemany(
            'UPDATE notes SET start = ?, "end" = ?, state = ?, current_exact = ?, updated_at = ?'
            " WHERE id = ?", updates)
        self.conn.executemany(
            "INSERT INTO note_events (note_id, at, old_state, new_state, old_start, old_end, new_start,"
            " new_end, old_text, new_text, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?)", events)
        return counts

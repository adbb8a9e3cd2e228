"""Cross-links as the reader sees them: related articles with reasons, user links, duplicates, stories."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from store.db import FeatureStore, now_iso
from store.errors import MarginError, NotFound
from store.related import groups, linker, relink
from store.related.fresh import scored_now
from store.related.linker import index_article, save_article_links, score_article
from store.search.fold import also_in

KIND_ORDER = {"user": 0, "duplicate": 1, "same-story": 2, "related": 3}


class RelatedStore(FeatureStore):
    """Links between articles (the `links` table): related, same-story, duplicate and the user's."""

    # -- façade contributions ------------------------------------------------------------
    def record_part(self, article_id: int) -> dict:
        return {"related": self.for_article(article_id, limit=5),
                "also_in": also_in(self.conn, [article_id]).get(article_id, [])}

    def stats_part(self) -> dict:
        return {"links": self.conn.execute("SELECT count(*) FROM links").fetchone()[0] // 2,
                "duplicate_groups": len(self.duplicates())}

    # -- computing -----------------------------------------------------------------------
    def refresh(self, article_ids, *, force: bool = False) -> int:
        """Link new or changed articles to their neighbours. The caller owns the transaction."""
        linked = 0
        for article_id in article_ids:
            state = self.conn.execute(
                "SELECT s.body_hash = a.body_hash FROM articles a LEFT JOIN related_state s ON s.article_id = a.id"
                " WHERE a.id = ?", (article_id,)).fetchone()
            if state is None or (state[0] and not force):
                continue
            indexed = index_article(self.conn, article_id)
            if indexed is not None:
                scored = score_article(self.conn, article_id, indexed, limit=linker.OFFERS)
                save_article_links(self.conn, article_id, scored)
                linked += 1
        return linked

    def refresh_grown(self, limit: int) -> int:
        """Relink up to `limit` articles linked when the library was at most half its size now:
        their words' document frequencies, and so their neighbours, may have changed since.
        Each doubling relinks every article once, so this costs about one relink per article
        added. The caller owns the transaction."""
        ids = linker.grown(self.conn, limit)
        for article_id in ids:
            indexed = index_article(self.conn, article_id)
            if indexed is not None:
                scored = score_article(self.conn, article_id, indexed, limit=linker.OFFERS)
                save_article_links(self.conn, article_id, scored, text_changed=False)
        return len(ids)

    def grown_count(self) -> int:
        n = linker.linked_count(self.conn)
        return self.conn.execute("SELECT count(*) FROM related_state WHERE linked_n <= ?",
                                 (n // linker.GROWTH,)).fetchone()[0]

    def relink_all(self) -> int:
        """Recompute every automatic link, all articles against the final document
        frequencies, in one transaction (see relink.py)."""
        with self.conn:
            return relink.relink_all(self.conn)

    # -- reading -------------------------------------------------------------------------
    def for_article(self, article_id: int, limit: int = 10) -> list[dict]:
        """User links first, then the best neighbours. Each article stores its MAX_LINKS best
        (and the links others gave it); a longer list is scored on the spot."""
        rows = self.conn.execute(
            "SELECT l.dst, a.title, l.score, l.kind, l.reason, l.note FROM links l JOIN articles a ON a.id = l.dst"
            " WHERE l.src = ? UNION SELECT l.src, a.title, l.score, l.kind, l.reason, l.note FROM links l"
            " JOIN articles a ON a.id = l.src WHERE l.dst = ? AND l.kind = 'user'",
            (article_id, article_id)).fetchall()
        if len(rows) < limit and limit > linker.MAX_LINKS:
            rows += self._live(article_id, limit)
        best: dict[int, dict] = {}
        rows = self._scored_now(article_id, rows)
        for dst, title, score, kind, reason, note in rows:
            item = {"id": dst, "title": title, "score": round(score, 4), "kind": kind,
                    "reasons": json.loads(reason or "{}") or {"entities": [], "terms": []}}
            if note:
                item["note"] = note
            old = best.get(dst)
            if old is None or KIND_ORDER[kind] < KIND_ORDER[old["kind"]]:
                best[dst] = item
        items = sorted(best.values(), key=lambda i: (KIND_ORDER[i["kind"]] != 0, -i["score"], i["id"]))
        for item in items:
            item["reasons"].setdefault("entities", [])
            item["reasons"].setdefault("terms", [])
        return items[:limit]

    def _scored_now(self, article_id: int, rows: list[tuple]) -> list[tuple]:
        """Automatic links with the scores, labels and reasons a full relink would give them
        now (see fresh.py): what is shown does not depend on when each link was scored."""
        auto = sorted({r[0] for r in rows if r[3] != "user"})
        now = scored_now(self.conn, article_id, auto) if auto else {}
        out = []
        for row in rows:
            s = now.get(row[0]) if row[3] != "user" else None
            out.append(row if s is None else (s.dst, row[1], s.score, s.kind,
                                              json.dumps({"entities": s.entities, "terms": s.terms}), row[5]))
        return out

    def _live(self, article_id: int, limit: int) -> list[tuple]:
        """Neighbours scored now, for a list longer than the stored one (never stored: reading
        does not write). Unlinked pairs stay away."""
        indexed = linker.stored(self.conn, article_id)
        if indexed is None:
            return []
        blocked = {b if a == article_id else a for a, b in self.conn.execute(
            "SELECT src, dst FROM link_blocks WHERE src = ? OR dst = ?", (article_id, article_id))}
        scored = [s for s in score_article(self.conn, article_id, indexed, limit=limit + len(blocked))
                  if s.dst not in blocked][:limit]
        if not scored:
            return []
        titles = dict(self.conn.execute(
            f"SELECT id, title FROM articles WHERE id IN ({','.join('?' * len(scored))})", [s.dst for s in scored]))
        return [(s.dst, titles.get(s.dst, ""), s.score, s.kind,
                 json.dumps({"entities": s.entities, "terms": s.terms}), None) for s in scored]

    def duplicates_of(self, article_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute(
            "SELECT dst FROM links WHERE src = ? AND kind = 'duplicate' ORDER BY dst", (article_id,))]

    def duplicates(self) -> list[dict]:
        # both directions: an article's list keeps its best links only, so a pair may be one-way
        edges = self.conn.execute("SELECT src, dst FROM links WHERE kind = 'duplicate'").fetchall()
        out = []
        for ids in groups.components(edges):
            arts = self.conn.execute(
                f"SELECT id, title, coalesce(source, (SELECT title FROM feeds WHERE id = feed_id)) FROM articles"
                f" WHERE id IN ({','.join('?' * len(ids))}) ORDER BY sort_at, id", ids).fetchall()
            out.append({"ids": [a[0] for a in arts], "title": arts[0][1], "sources": [a[2] for a in arts]})
        return out

    def stories(self, since: str | None = None) -> list[dict]:
        cutoff = None
        if since:
            from store.search.parser import date_value

            cutoff = date_value(since, 1, datetime.now(UTC).replace(microsecond=0))
        edges = self.conn.execute(
            "SELECT l.src, l.dst FROM links l JOIN articles a ON a.id = l.src JOIN articles b ON b.id = l.dst"
            " WHERE l.kind IN ('same-story', 'duplicate')"
            + (" AND a.sort_at >= ? AND b.sort_at >= ?" if cutoff else ""),
            (cutoff, cutoff) if cutoff else ()).fetchall()
        out = []
        for ids in groups.components(edges):
            arts = self.conn.execute(
                f"SELECT id, title, sort_at FROM articles WHERE id IN ({','.join('?' * len(ids))}) ORDER BY sort_at",
                ids).fetchall()
            out.append({"label": groups.label(self.conn, ids), "articles": [
                {"id": i, "title": t, "date": (d or "")[:10]} for i, t, d in arts],
                "from": (arts[0][2] or "")[:10], "to": (arts[-1][2] or "")[:10]})
        out.sort(key=lambda s: s["to"], reverse=True)
        return out

    # -- the user's own links ------------------------------------------------------------------
    def _check(self, a: int, b: int) -> None:
        if a == b:
            raise MarginError("an article cannot link to itself")
        for art in (a, b):
            if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (art,)).fetchone() is None:
                raise NotFound(f"no article with id {art}")

    def link(self, a: int, b: int, note: str | None = None) -> None:
        self._check(a, b)
        with self.conn:
            self.conn.execute("DELETE FROM link_blocks WHERE (src = ? AND dst = ?) OR (src = ? AND dst = ?)",
                              (a, b, b, a))
            self.conn.execute(
                "INSERT OR REPLACE INTO links (src, dst, kind, score, reason, note, created_at)"
                " VALUES (?, ?, 'user', 1.0, '{}', ?, ?)", (a, b, note, now_iso()))

    def unlink(self, a: int, b: int) -> int:
        """Remove a link either way; an automatic one is blocked so it never comes back."""
        self._check(a, b)
        with self.conn:
            removed = self.conn.execute(
                "DELETE FROM links WHERE (src = ? AND dst = ?) OR (src = ? AND dst = ?)", (a, b, b, a)).rowcount
            self.conn.execute("INSERT OR IGNORE INTO link_blocks (src, dst, created_at) VALUES (?, ?, ?)",
                              (min(a, b), max(a, b), now_iso()))
        return removed

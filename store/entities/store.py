"""Entities, aliases and mentions as the reader sees them, and the user's corrections.

Writing mentions is the enrichment queue's job (store/enrich.py); this store reads
them and applies merge/rename/kind/hide/unhide both to what is stored now and, as
rules in `entity_rules`, to every later enrichment.
"""
from __future__ import annotations

from store.db import FeatureStore
from store.entities.protocol import KINDS, Mention
from store.entities.resolve import resolve
from store.entities.rules import add_rule, remove_hide, split_value
from store.errors import MarginError
from store.names import name_key


class EntityStore(FeatureStore):

    # -- façade contributions ------------------------------------------------------
    def record_part(self, article_id: int) -> dict:
        return {"mentions": [m.to_json() for m in self.mentions_for(article_id) if not m.in_title]}

    def stats_part(self) -> dict:
        from store.enrich import failed_count, link_pending_count, pending_count

        c = self.conn
        return {
            "entities": c.execute("SELECT count(*) FROM entities WHERE hidden = 0").fetchone()[0],
            "mentions": c.execute(
                "SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id"
                " WHERE e.hidden = 0 AND m.in_title = 0"
            ).fetchone()[0],
            "enrich_pending": pending_count(c),
            "link_pending": link_pending_count(c),
            "enrich_failed": failed_count(c),
        }

    # -- reading -------------------------------------------------------------------
    def mentions_for(self, article_id: int) -> list[Mention]:
        """Visible mentions of an article: body ones first, then title ones, by offset."""
        rows = self.conn.execute(
            'SELECT m.start, m."end", m.text, e.name, e.kind, e.id, m.in_title'
            " FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.article_id = ? AND e.hidden = 0 ORDER BY m.in_title, m.start",
            (article_id,),
        ).fetchall()
        return [Mention(s, e, t, n, k, i, bool(title)) for s, e, t, n, k, i, title in rows]

    def list(self, kind: str | None = None) -> list[dict]:
        """Visible entities with article and mention counts, most mentioned first."""
        if kind is not None and kind not in KINDS:
            raise MarginError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        sql = (
            "SELECT e.id, e.name, e.kind, count(DISTINCT m.article_id), count(*)"
            " FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE e.hidden = 0"
            + (" AND e.kind = ?" if kind else "")
            + " GROUP BY e.id ORDER BY 4 DESC, 5 DESC, e.name"
        )
        return [
            {"id": i, "name": n, "kind": k, "articles": a, "mentions": m}
            for i, n, k, a, m in self.conn.execute(sql, (kind,) if kind else ())
        ]

    def find(self, name: str, *, hidden: bool = True) -> tuple[int, str, str, int]:
        """(id, name, kind, hidden) of the entity a name, alias or partial name means
        (store/entities/resolve.py); the most mentioned kind when a name has several.
        NotFound if none, Ambiguous (listing them) if a partial name fits several."""
        c = resolve(self.conn, name, hidden=hidden)[0]
        return c.id, c.name, c.kind, int(c.hidden)

    def get(self, name: str) -> dict:
        """Kind, aliases, articles newest first and the entities it appears with most."""
        found = resolve(self.conn, name, hidden=False)
        eid, ename, kind = found[0].id, found[0].name, found[0].kind
        # A lone surname's own entity shows with the full name it stands for.
        ids = [eid] + [f.id for f in found[1:] if f.kind == kind and name_key(f.name) != name_key(ename)]
        marks = ",".join("?" * len(ids))
        c = self.conn
        names = {a for (a,) in c.execute(f"SELECT alias FROM aliases WHERE entity_id IN ({marks})", ids)}
        names |= {f.name for f in found[1:] if f.id in ids}
        by_key = {name_key(a): a for a in sorted(names, key=str.casefold)}
        aliases = sorted((a for k, a in by_key.items() if k != name_key(ename)), key=str.casefold)
        articles = [
            {"id": i, "title": t, "source": s, "published_at": p, "mentions": n}
            for i, t, s, p, n in c.execute(
                "SELECT a.id, a.title, a.source, a.published_at, count(*) FROM mentions m"
                f" JOIN articles a ON a.id = m.article_id WHERE m.entity_id IN ({marks})"
                " GROUP BY a.id ORDER BY a.sort_at DESC, a.id DESC",
                ids,
            )
        ]
        with_ = [
            {"name": n, "kind": k, "articles": a}
            for n, k, a in c.execute(
                "SELECT e.name, e.kind, count(DISTINCT m.article_id) AS n FROM mentions m"
                " JOIN entities e ON e.id = m.entity_id"
                f" WHERE m.article_id IN (SELECT article_id FROM mentions WHERE entity_id IN ({marks}))"
                f" AND m.entity_id NOT IN ({marks}) AND e.hidden = 0"
                " GROUP BY m.entity_id ORDER BY n DESC, e.name LIMIT 10",
                (*ids, *ids),
            )
        ]
        return {
            "id": eid, "name": ename, "kind": kind, "aliases": aliases,
            "mentions": sum(a["mentions"] for a in articles),
            "articles": articles, "co_occurring": with_,
        }

    # -- corrections (stored now, and as rules for every later enrichment) -----------
    def merge(self, a: str, b: str) -> dict:
        """B becomes an alias of A: B's mentions are A's from now on."""
        a_id, a_name, a_kind, _ = self.find(a)
        b_id, b_name, _, _ = self.find(b)
        if a_id == b_id:
            raise MarginError(f"{b!r} is already {a_name!r}")
        with self.conn:
            for other in self._same_name(b_name):
                if other != a_id:
                    self._absorb(other, a_id)
            add_rule(self.conn, "merge", b_name, a_name)
            add_rule(self.conn, "kind", a_name, a_kind)
        return self.get(a_name)

    def rename(self, old: str, new: str) -> dict:
        new = " ".join(new.split())
        if not new:
            raise MarginError("the new name is empty")
        _, old_name, _, _ = self.find(old)
        with self.conn:
            for eid in self._same_name(old_name):
                kind = self.conn.execute("SELECT kind FROM entities WHERE id = ?", (eid,)).fetchone()[0]
                into = self.conn.execute(
                    "SELECT id FROM entities WHERE key = ? AND kind = ? AND id != ?",
                    (name_key(new), kind, eid),
                ).fetchone()
                self._alias(eid, old_name)
                if into:
                    self._absorb(eid, into[0])
                else:
                    self.conn.execute(
                        "UPDATE entities SET name = ?, key = ? WHERE id = ?", (new, name_key(new), eid)
                    )
            add_rule(self.conn, "rename", old_name, new)
        return self.get(new)

    def set_kind(self, name: str, kind: str) -> dict:
        if kind not in KINDS:
            raise MarginError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        _, ename, _, _ = self.find(name)
        with self.conn:
            for eid in self._same_name(ename):
                into = self.conn.execute(
                    "SELECT id FROM entities WHERE key = ? AND kind = ? AND id != ?",
                    (name_key(ename), kind, eid),
                ).fetchone()
                if into:
                    self._absorb(eid, into[0])
                else:
                    self.conn.execute("UPDATE entities SET kind = ? WHERE id = ?", (kind, eid))
            add_rule(self.conn, "kind", ename, kind)
            self.conn.execute("INSERT OR REPLACE INTO entity_kinds (key, kind) VALUES (?, ?)",
                              (name_key(ename), kind))
        return self.get(ename)

    kind = set_kind  # the brief's name for it (`margin entities kind NAME KIND`)

    def split(self, name: str, kind: str, article_ids: list[int]) -> dict:
        """In these articles NAME is KIND, apart from the library's vote (a homonym: the
        town "Washington" in a story that is otherwise about the president). Kept as a
        rule, so re-enrichment keeps it."""
        from store.entities.rules import Rules
        from store.entities.vote import repoint
        from store.entities.writer import EntityWriter, drop_orphans

        if kind not in KINDS:
            raise MarginError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if not article_ids:
            raise MarginError("name at least one article to split (--article ID)")
        _, ename, _, _ = self.find(name)
        key = name_key(ename)
        c = self.conn
        for aid in article_ids:
            row = c.execute("SELECT key FROM articles WHERE id = ?", (aid,)).fetchone()
            if row is None:
                raise MarginError(f"no article {aid}")
            if not c.execute("SELECT 1 FROM mentions m JOIN entities e ON e.id = m.entity_id"
                             " WHERE m.article_id = ? AND e.key = ? LIMIT 1", (aid, key)).fetchone():
                raise MarginError(f"article {aid} does not mention {ename!r}")
        writer = EntityWriter(c, Rules())
        with c:
            for aid in article_ids:
                art_key = c.execute("SELECT key FROM articles WHERE id = ?", (aid,)).fetchone()[0]
                add_rule(c, "split", ename, split_value(kind, art_key))
                c.execute("DELETE FROM entity_votes WHERE article_id = ? AND key = ?", (aid, key))
                repoint(c, aid, key, kind, writer.entity_id)
            drop_orphans(c)
        return {"name": ename, "kind": kind, "articles": sorted(article_ids)}

    def hide(self, name: str) -> str:
        _, ename, _, _ = self.find(name)
        with self.conn:
            self.conn.execute("UPDATE entities SET hidden = 1 WHERE key = ?", (name_key(ename),))
            add_rule(self.conn, "hide", ename)
        return ename

    def unhide(self, name: str) -> str:
        _, ename, _, _ = self.find(name)
        with self.conn:
            self.conn.execute("UPDATE entities SET hidden = 0 WHERE key = ?", (name_key(ename),))
            remove_hide(self.conn, [ename, name])
        return ename

    # -- helpers ---------------------------------------------------------------------
    def _same_name(self, name: str) -> list[int]:
        """Rules act by name, so every kind under one name moves together."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM entities WHERE key = ?", (name_key(name),))]

    def _alias(self, eid: int, alias: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO aliases (alias_key, alias, entity_id) VALUES (?,?,?)",
            (name_key(alias), alias, eid),
        )

    def _absorb(self, src: int, dst: int) -> None:
        c = self.conn
        name = c.execute("SELECT name FROM entities WHERE id = ?", (src,)).fetchone()[0]
        c.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (dst, src))
        c.execute(
            "INSERT OR IGNORE INTO aliases (alias_key, alias, entity_id)"
            " SELECT alias_key, alias, ? FROM aliases WHERE entity_id = ?",
            (dst, src),
        )
        self._alias(dst, name)
        c.execute("DELETE FROM entities WHERE id = ?", (src,))

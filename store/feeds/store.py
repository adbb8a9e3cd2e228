"""Feeds as the user manages them: subscribe (with discovery), list, remove, tag, rename,
import/export subscription lists, fetch politely and store entries as articles."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store.articles import StoredArticle, insert_new
from store.db import Database, FeatureStore, now_iso
from store.errors import MarginError, NotFound
from store.feeds import http, schedule
from store.wal_checkpointer import WalCheckpointer

if TYPE_CHECKING:  # imported where used: `margin fetch` needs neither lists (defusedxml) nor parsing up front
    from store.feeds.lists import Subscription
    from store.feeds.parse import ParsedFeed

@dataclass
class FetchReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    fulltext: object | None = None  # the FulltextReport of the page pass run after the feeds, if any

    def to_json(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "not_modified": self.not_modified, "skipped": self.skipped,
                "failed": [{"feed": f, "reason": r} for f, r in self.failed],
                "warnings": [{"feed": f, "reason": r} for f, r in self.warnings],
                "seconds": round(self.seconds, 3),
                "fulltext": self.fulltext.to_json() if self.fulltext is not None else None}


class FeedStore(FeatureStore):
    COLUMNS = ("id", "url", "title", "site_url", "tags", "hidden", "disabled", "etag", "last_modified",
               "last_fetched_at", "last_status", "last_error", "failures", "next_fetch_after", "added_at")

    def __init__(self, db: Database, path: Path | None, store_document: Callable[..., StoredArticle],
                 keep_stored: Callable[[int, list], set[str]] | None = None) -> None:
        """`store_document` is the façade's: a changed entry re-anchors the notes on it.
        `keep_stored(feed_id, [(key, entry)])` names known entries whose stored article must
        stay as it is (the façade points it at the full-text store)."""
        super().__init__(db)
        self.path = path
        self.store_document = store_document
        self.keep_stored = keep_stored

    def record_part(self, article_id: int) -> dict:
        return {}

    def stats_part(self) -> dict:
        return {"feeds_failing": self.conn.execute("SELECT count(*) FROM feeds WHERE failures > 0").fetchone()[0]}

    # -- reading ----------------------------------------------------------------------
    def get(self, ref: str | int) -> dict:
        ref = str(ref)
        row = self.conn.execute(
            f"SELECT {', '.join(self.COLUMNS)} FROM feeds WHERE id = ? OR url = ? OR title = ?"
            " ORDER BY id = ? DESC LIMIT 1",
            (int(ref) if ref.isdigit() else -1, ref, ref, int(ref) if ref.isdigit() else -1)).fetchone()
        if row is None:
            raise NotFound(f"no feed {ref!r} (give its id, URL or title; see `margin feeds list`)")
        data = dict(zip(self.COLUMNS, row, strict=False))
        data["tags"] = json.loads(data["tags"] or "[]")
        return data

    def list(self) -> list[dict]:
        rows = self.conn.execute(
            f"SELECT {', '.join('f.' + c for c in self.COLUMNS)}, count(a.id), coalesce(sum(a.read = 0), 0)"
            " FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id GROUP BY f.id"
            " ORDER BY lower(coalesce(f.title, f.url))"
        ).fetchall()
        out = []
        for row in rows:
            data = dict(zip(self.COLUMNS, row, strict=False))
            data["tags"] = json.loads(data["tags"] or "[]")
            data["articles"], data["unread"] = row[-2], row[-1]
            out.append({k: data[k] for k in ("id", "title", "url", "tags", "articles", "unread", "last_fetched_at",
                                              "last_status", "last_error", "failures", "disabled", "hidden")})
        return out

    # -- subscriptions ----------------------------------------------------------------------
    def subscribe(self, sub: Subscription) -> tuple[int, bool]:
        row = self.conn.execute("SELECT id FROM feeds WHERE url = ?", (sub.url,)).fetchone()
        if row:
            return row[0], False
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO feeds (url, title, tags, hidden, added_at, fulltext, fulltext_threshold)"
                " VALUES (?,?,?,?,?,?,?)", (sub.url, sub.title, json.dumps(sub.tags), int(sub.hidden), now_iso(),
                                            sub.fulltext, sub.fulltext_threshold))
        return cur.lastrowid, True

    def add(self, url: str, tags=(), title: str | None = None, pick: int | None = None, **fetch_options) -> dict:
        """Subscribe to a feed, or to the feed a web page points to, and fetch it at once."""
        from store.feeds import discover
        from store.feeds.lists import Subscription
        from store.feeds.urls import url_problem

        if url_problem(url):
            raise MarginError(f"{url}: {url_problem(url)}")
        (resp,) = http.fetch([http.Request(0, url)], **fetch_options)
        if resp.error or resp.status != 200:
            raise MarginError(f"{url}: {resp.error or f'HTTP {resp.status}'}")
        feed_url, body, headers = resp.final_url or url, resp.body, resp.headers
        if discover.looks_like_html(body, headers.get("content-type", "")):
            found = discover.alternate_links(body, feed_url)
            if not found:
                found = self._probe(discover.common_candidates(feed_url), fetch_options)
            if not found:
                raise MarginError(f"{url}: a web page that names no feed (no <link rel=alternate>, no /feed or /rss)")
            if len(found) > 1 and pick is None:
                listing = "; ".join(f"{i}) {u} ({t})" for i, (u, t) in enumerate(found, 1))
                raise MarginError(f"{url}: several feeds found: {listing}; choose one with --pick N")
            index = (pick or 1) - 1
            if not 0 <= index < len(found):
                raise MarginError(f"--pick {pick}: there are {len(found)} feeds")
            feed_url = found[index][0]
            (resp,) = http.fetch([http.Request(0, feed_url)], **fetch_options)
            if resp.error or resp.status != 200:
                raise MarginError(f"{feed_url}: {resp.error or f'HTTP {resp.status}'}")
            body, headers = resp.body, resp.headers
        from store.feeds.parse import parse_feed

        parsed = parse_feed(body, headers, feed_url)
        if parsed.error:
            raise MarginError(f"{feed_url}: {parsed.error}")
        feed_id, _ = self.subscribe(Subscription(feed_url, title, list(tags)))
        report = FetchReport()
        self._store(self.get(feed_id), parsed, report)
        schedule.record_success(self.conn, feed_id, resp.status, headers)
        return {"feed": self.get(feed_id), "report": report}

    def _probe(self, urls: list[str], fetch_options: dict) -> list[tuple[str, str]]:
        from store.feeds.parse import parse_feed

        for resp in http.fetch([http.Request(i, u) for i, u in enumerate(urls)], **fetch_options):
            if resp.status == 200 and not parse_feed(resp.body, resp.headers, resp.url).error:
                return [(resp.final_url or resp.url, "found at a common path")]
        return []

    def remove(self, ref: str | int, yes: bool = False) -> dict:
        feed = self.get(ref)
        noted = self.conn.execute(
            "SELECT count(*), count(DISTINCT a.id) FROM notes n JOIN articles a ON a.id = n.article_id"
            " WHERE a.feed_id = ?",
            (feed["id"],)).fetchone()
        if noted[0] and not yes:
            raise MarginError(f"feed {feed['title'] or feed['url']} has {noted[0]} note(s); pass --yes to remove it"
                              " (articles with notes are kept)")
        with self.conn:
            self.conn.execute("UPDATE articles SET feed_id = NULL"
                              " WHERE feed_id = ? AND id IN (SELECT article_id FROM notes)",
                              (feed["id"],))
            # your own links go with the articles they join: say which, so none vanishes unseen
            lost_links = [{"src": a, "dst": b, "src_title": ta, "dst_title": tb, "note": note} for a, b, ta, tb, note in
                          self.conn.execute(
                "SELECT l.src, l.dst, x.title, y.title, l.note FROM links l JOIN articles x ON x.id = l.src"
                " JOIN articles y ON y.id = l.dst WHERE l.kind = 'user'"
                " AND (x.feed_id = ? OR y.feed_id = ?)", (feed["id"], feed["id"]))]
            deleted = self.conn.execute("DELETE FROM articles WHERE feed_id = ?", (feed["id"],)).rowcount
            self.conn.execute("DELETE FROM feeds WHERE id = ?", (feed["id"],))
        return {"feed": feed, "deleted_articles": deleted, "kept_articles": noted[1], "removed_user_links": lost_links}

    def tag(self, ref: str | int, tags, remove: bool = False) -> list[str]:
        feed = self.get(ref)
        current = [t for t in feed["tags"] if not (remove and t in tags)]
        if not remove:
            current += [t for t in tags if t not in current]
        with self.conn:
            self.conn.execute("UPDATE feeds SET tags = ? WHERE id = ?", (json.dumps(current), feed["id"]))
        return current

    def rename(self, ref: str | int, title: str) -> None:
        feed = self.get(ref)
        with self.conn:
            self.conn.execute("UPDATE feeds SET title = ? WHERE id = ?", (title, feed["id"]))

    def import_file(self, path: Path) -> dict:
        from store.feeds.lists import read_opml, read_urls

        data = Path(path).read_bytes()
        report = read_opml(data) if data.lstrip()[:1] == b"<" else read_urls(data.decode("utf-8", "replace"))
        added = 0
        for sub in report.subscriptions:
            _, created = self.subscribe(sub)
            added += created
        searches = self._import_queries(report)
        return {"added": added, "known": len(report.subscriptions) - added, "problems": report.problems,
                "feed_ids": [self.get(s.url)["id"] for s in report.subscriptions], "searches": searches}

    def _import_queries(self, report) -> list[dict]:
        """newsboat `query:` feeds become saved searches; a filter margin cannot say is a
        problem naming its line and feed, and nothing is saved for it."""
        from store.search.newsboat import Untranslatable, query_line, translate
        from store.search.saved import store_raw

        saved = []
        for where, word in report.queries:
            try:
                name, expr = query_line(word)
                query = translate(expr)
            except Untranslatable as exc:
                label = word[len("query:"):].partition(":")[0] or "?"
                report.problems.append((where, f"query feed '{label}' not imported: {exc}"))
                continue
            if any(s["query"] == query for s in saved) or self.conn.execute(
                    "SELECT 1 FROM saved_searches WHERE query = ?", (query,)).fetchone():
                continue  # imported before
            with self.conn:
                saved.append({"name": store_raw(self.db, name, query), "query": query})
        # the report reads top to bottom, like the file
        report.problems.sort(key=lambda p: int(p[0][5:]) if p[0][5:].isdigit() else 0)
        return saved

    def export(self, fmt: str = "opml") -> str:
        from store.feeds.lists import Subscription, write_opml, write_urls

        modes = {i: (mode, threshold) for i, mode, threshold in
                 self.conn.execute("SELECT id, fulltext, fulltext_threshold FROM feeds")}
        subs = [Subscription(f["url"], f["title"], f["tags"], bool(f["hidden"]), *modes[f["id"]])
                for f in self.list()]
        if fmt == "opml":
            return write_opml(subs)
        if fmt == "urls":
            return write_urls(subs)
        raise MarginError(f"unknown export format {fmt!r} (opml or urls)")

    # -- fetching ----------------------------------------------------------------------------
    def ingest_bytes(self, feed_id: int, data: bytes, headers: dict | None = None) -> FetchReport:
        """Parse and store a feed document without HTTP (offline demo, tests, imports)."""
        from store.feeds.parse import parse_feed

        feed = self.get(feed_id)
        report = FetchReport()
        parsed = parse_feed(data, headers or {}, feed["url"])
        if parsed.error:
            report.failed.append((feed["title"] or feed["url"], parsed.error))
        else:
            self._store(feed, parsed, report)
        return report

    def _store(self, feed: dict, parsed: ParsedFeed, report: FetchReport) -> None:
        name = feed["title"] or parsed.title or feed["url"]
        if parsed.warning:
            report.warnings.append((name, parsed.warning))
        fetched = datetime.now(UTC)
        keyed = [(f"feed:{feed['id']}:{e.guid}", e) for e in parsed.entries]
        with self.conn:  # one short transaction per feed
            if parsed.title and not feed["title"]:
                self.conn.execute("UPDATE feeds SET title = ? WHERE id = ?", (parsed.title, feed["id"]))
            if parsed.site_url:
                self.conn.execute("UPDATE feeds SET site_url = ? WHERE id = ?", (parsed.site_url, feed["id"]))
            known = {k for (k,) in self.conn.execute(
                "SELECT key FROM articles WHERE feed_id = ?", (feed["id"],))} if keyed else set()
            fresh = [(k, e.doc, {"origin": "feed", "feed_id": feed["id"], "guid": e.guid,
                                 "published_fallback": None if e.dated else fetched})
                     for k, e in keyed if k not in known]
            ids = insert_new(self.db, fresh)  # new entries in one statement (see insert_new)
            self.conn.executemany("UPDATE articles SET date_estimated = 1 WHERE id = ?",
                                  [(ids[k],) for k, e in keyed if k not in known and not e.dated])
            report.new += len(fresh)
            report.article_ids += [ids[k] for k, _, _ in fresh]
            # an article whose page gave its full text keeps it: the feed's summary is not news
            kept = self.keep_stored(feed["id"], [(k, e) for k, e in keyed if k in known]) if self.keep_stored else set()
            for key, entry in keyed:
                if key not in known:
                    continue
                if key in kept:
                    report.unchanged += 1
                    continue
                stored = self.store_document(
                    key, entry.doc, origin="feed", feed_id=feed["id"], guid=entry.guid,
                    published_fallback=None if entry.dated else fetched)
                if stored.status == "updated":
                    report.updated += 1
                    report.article_ids.append(stored.id)
                else:
                    report.unchanged += 1

    def _failure(self, feed: dict, status: int | None, reason: str, report: FetchReport, *,
                 wait: float | None = None, disable: bool = False) -> None:
        schedule.record_failure(self.conn, feed, status, reason, wait=wait, disable=disable)
        report.failed.append((feed["title"] or feed["url"], reason))

    def select(self, refs=None, force: bool = False) -> tuple[list[dict], int]:
        feeds = [self.get(r) for r in refs] if refs else [self.get(f["id"]) for f in self.list()]
        return schedule.due(feeds, bool(refs), force)

    def fetch(self, feeds=None, *, force: bool = False, progress=None, **fetch_options) -> FetchReport:
        started = time.perf_counter()
        report = FetchReport()
        due, report.skipped = self.select(feeds, force)
        by_id = {f["id"]: f for f in due}
        done = [0]
        pool = None  # parsing needs feedparser and maybe worker processes: a run of 304s needs neither
        # A never-fetched feed answers 200: its parsers can start while the requests travel.
        warm = len(due) > 1 and any(not f["etag"] and not f["last_modified"] for f in due)

        def on_sent() -> None:
            # The requests are on the wire: what can wait for the answers runs now, not before.
            nonlocal pool
            if progress is not None:
                progress(0, len(due), 0)
            if warm and pool is None:
                from store.feeds.parse import ParsePool

                pool = ParsePool(parallel=True)
                pool.warm()

        async def on_done(resp: http.Response) -> None:
            # Each feed is parsed (on the other core) and stored as it arrives, while the
            # rest are still downloading; a response needs no parsing unless it is a 200 with a body.
            nonlocal pool
            parsed = None
            if not resp.error and resp.status == 200 and resp.body.strip():
                if pool is None:
                    from store.feeds.parse import ParsePool

                    pool = ParsePool(parallel=len(due) > 1)
                parsed = await pool.parse(resp.body, resp.headers, resp.final_url or resp.url)
            self._handle(resp, by_id[resp.key], parsed, report)
            if checkpointer is not None:
                checkpointer.wrote()
            done[0] += 1
            if progress is not None:
                progress(done[0], len(due), report.new)

        # --force skips waiting (max-age, Retry-After, backoff), not the conditional GET:
        # an unchanged feed still answers 304 and costs nothing.
        requests = [http.Request(f["id"], f["url"], f["etag"], f["last_modified"]) for f in due]
        checkpointer = WalCheckpointer(self.path) if self.path is not None else None
        try:
            if requests:
                http.fetch(requests, on_done=on_done, on_sent=on_sent, **fetch_options)
        finally:
            if pool is not None:
                pool.shutdown(wait=False)  # the workers exit while the last checkpoint finishes
            if checkpointer is not None:
                checkpointer.close()
        if progress is not None:
            progress(len(due), len(due), report.new)
        report.seconds = time.perf_counter() - started
        return report

    def _handle(self, resp: http.Response, feed: dict, parsed: ParsedFeed | None, report: FetchReport) -> None:
        if resp.permanent_url and resp.permanent_url != feed["url"]:
            self._move(feed, resp.permanent_url)
        if resp.error:
            self._failure(feed, resp.status, resp.error, report)
        elif resp.status == 304:
            report.not_modified += 1
            schedule.record_success(self.conn, feed["id"], resp.status, {
                **resp.headers, "etag": resp.headers.get("etag", feed["etag"]),
                "last-modified": resp.headers.get("last-modified", feed["last_modified"])})
        elif resp.status == 410:
            self._failure(feed, 410, "gone (HTTP 410): feed disabled; remove it or re-add a new URL", report,
                          disable=True)
        elif resp.status in (429, 503):
            self._failure(feed, resp.status, f"HTTP {resp.status}: server asks to wait", report,
                          wait=schedule.retry_after(resp.headers.get("retry-after")))
        elif resp.status != 200:
            self._failure(feed, resp.status, f"HTTP {resp.status}", report)
        elif parsed is None:
            self._failure(feed, 200, "empty response", report)
        elif parsed.error:
            self._failure(self.get(resp.key), 200, parsed.error, report)
        else:
            self._store(self.get(resp.key), parsed, report)
            schedule.record_success(self.conn, resp.key, resp.status, resp.headers)

    def _move(self, feed: dict, new_url: str) -> None:
        if self.conn.execute("SELECT 1 FROM feeds WHERE url = ?", (new_url,)).fetchone():
            return  # already subscribed there too: keep both rather than lose either
        with self.conn:
            self.conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed["id"]))
        feed["url"] = new_url

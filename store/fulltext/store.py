"""Full text for summary-only feeds: per-feed settings, the page queue, and storing what a
page gave as the article's new version (the feed's summary stays as the first one).

Storing goes through `Library.store_document`, the path every changed text takes: the old
body is kept in `article_versions`, notes are re-anchored in the same transaction, and the
new body hash puts the article back on the enrichment queue. A page's metadata fills only
the fields the feed left empty.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from store.articles import UNCHANGED, StoredArticle
from store.db import Database, FeatureStore, now_iso
from store.errors import MarginError
from store.feeds.schedule import later

if TYPE_CHECKING:
    from store.feeds.entries import Entry
    from store.fulltext.extract import Extracted

MODES = ("off", "on", "auto")
DEFAULT_THRESHOLD = 500  # characters: `auto` fetches the page of an entry shorter than this
RETRY_BASE, RETRY_MAX, MAX_FAILURES = 300, 86_400, 5  # a failing page: 5 min doubling to a day, 5 tries
PREFIX = "could not extract: "

Progress = Callable[[int, int], None]  # (pages done, pages in this run)


@dataclass
class FulltextReport:
    fetched: int = 0  # articles whose full text became the current version
    unchanged: int = 0  # not modified (304) or the same text again
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (article id, title, reason)
    article_ids: list[int] = field(default_factory=list)  # bodies that changed: for the enrichment queue
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"fetched": self.fetched, "unchanged": self.unchanged,
                "failed": [{"id": i, "title": t, "reason": r} for i, t, r in self.failed],
                "article_ids": self.article_ids, "seconds": round(self.seconds, 3)}


@dataclass
class PageJob:
    """One article whose page is to be fetched, with what storing the result needs."""

    id: int
    key: str
    url: str
    title: str
    body: str
    meta: dict  # origin, feed_id, guid, author, published_at, date_estimated, source, aggregator, trailer
    etag: str | None = None
    last_modified: str | None = None
    summary_hash: str | None = None  # set once the article has a full text
    failures: int = 0


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class FulltextStore(FeatureStore):
    def __init__(self, db: Database, store_document: Callable[..., StoredArticle],
                 find_feed: Callable[[str | int], dict]) -> None:
        """`store_document` is the façade's (versions kept, notes re-anchored); `find_feed`
        names a feed by id, URL or title as the feed store does."""
        super().__init__(db)
        self.store_document = store_document
        self.find_feed = find_feed

    # -- façade parts -------------------------------------------------------------------
    def record_part(self, article_id: int) -> dict:
        row = self.conn.execute(
            "SELECT state, reason, url, http_status, fetched_at, summary_hash IS NOT NULL FROM fulltext_pages"
            " WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return {"fulltext": None}
        keys = ("state", "reason", "url", "http_status", "fetched_at", "has_full_text")
        data = dict(zip(keys, row, strict=True))
        data["has_full_text"] = bool(data["has_full_text"])
        return {"fulltext": data}

    def stats_part(self) -> dict:
        done, failed = self.conn.execute(
            "SELECT coalesce(sum(summary_hash IS NOT NULL), 0), coalesce(sum(state = 'failed'), 0)"
            " FROM fulltext_pages").fetchone()
        return {"full_texts": done, "full_text_failures": failed}

    # -- settings -------------------------------------------------------------------------
    def next_article_id(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]

    def set_mode(self, ref: str | int, mode: str, *, threshold: int | None = None,
                 from_id: int | None = None) -> dict:
        """Turn full text on, off or auto for a feed; it applies to entries stored from now on
        (or from article `from_id`), never to the feed's back catalogue."""
        if mode not in MODES:
            raise MarginError(f"full text mode {mode!r}: use on, off or auto")
        if threshold is not None and threshold <= 0:
            raise MarginError(f"--threshold {threshold}: give a number of characters above 0")
        feed = self.find_feed(ref)
        current, start = self.conn.execute("SELECT fulltext, fulltext_from FROM feeds WHERE id = ?",
                                           (feed["id"],)).fetchone()
        if from_id is None:
            from_id = start if current != "off" else self.next_article_id()
        with self.conn:
            self.conn.execute("UPDATE feeds SET fulltext = ?, fulltext_threshold = coalesce(?, fulltext_threshold),"
                              " fulltext_from = ? WHERE id = ?", (mode, threshold, from_id, feed["id"]))
        return self.mode(feed["id"])

    def mode(self, feed_id: int) -> dict:
        mode, threshold = self.conn.execute("SELECT fulltext, fulltext_threshold FROM feeds WHERE id = ?",
                                            (feed_id,)).fetchone()
        return {"feed_id": feed_id, "fulltext": mode, "threshold": threshold or DEFAULT_THRESHOLD}

    def modes(self) -> dict[int, dict]:
        return {fid: {"fulltext": mode, "threshold": threshold or DEFAULT_THRESHOLD}
                for fid, mode, threshold in self.conn.execute("SELECT id, fulltext, fulltext_threshold FROM feeds")}

    # -- the queue ----------------------------------------------------------------------------
    def pending(self) -> list[int]:
        """Articles whose page is due: new entries of on/auto feeds (auto: only short ones),
        pages queued again, and failures whose backoff has passed."""
        return [i for (i,) in self.conn.execute(
            "SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " LEFT JOIN fulltext_pages p ON p.article_id = a.id"
            " WHERE f.fulltext IN ('on', 'auto') AND a.id >= coalesce(f.fulltext_from, 0)"
            "   AND (p.article_id IS NULL AND (f.fulltext = 'on' OR length(a.body) < coalesce(f.fulltext_threshold, ?))"
            "        OR p.state = 'pending' OR p.state = 'failed' AND p.retry_after <= ?)"
            " ORDER BY a.id", (DEFAULT_THRESHOLD, now_iso()))]

    def keep_full_texts(self, feed_id: int, known: list[tuple[str, Entry]]) -> set[str]:
        """Called while a feed's known entries are stored: the keys of articles that have a
        full text, which the feed's summary must not replace. An entry whose summary the
        publisher changed has its page queued again instead. Caller owns the transaction."""
        if not known:
            return set()
        rows = {key: (art_id, summary) for key, art_id, summary in self.conn.execute(
            "SELECT a.key, a.id, p.summary_hash FROM fulltext_pages p JOIN articles a ON a.id = p.article_id"
            " WHERE a.feed_id = ? AND p.summary_hash IS NOT NULL", (feed_id,))}
        kept = set()
        for key, entry in known:
            if key in rows:
                kept.add(key)
                art_id, summary = rows[key]
                if entry.doc.body_hash != summary:
                    self.conn.execute("UPDATE fulltext_pages SET state = 'pending', summary_hash = ?"
                                      " WHERE article_id = ?", (entry.doc.body_hash, art_id))
        return kept

    @staticmethod
    def carry_offsets(old_body: str, new_body: str, *offsets: int) -> tuple[int, ...]:
        """Where offsets into the old text stand in the new one (the reader's place after
        the text is swapped), through the diff that re-anchors notes."""
        from store.notes.anchor import TextDiff

        diff = TextDiff(old_body, new_body)
        return tuple(diff.exact(o) if diff.exact(o) is not None else diff.near(o) for o in offsets)

    # -- fetching ---------------------------------------------------------------------------------
    def jobs(self, article_ids: list[int], report: FulltextReport) -> list[PageJob]:
        out = []
        for art_id in article_ids:
            row = self.conn.execute(
                "SELECT a.id, a.key, a.url, a.title, a.body, a.origin, a.feed_id, a.guid, a.author, a.published_at,"
                " a.date_estimated, a.source, a.aggregator, a.trailer, p.etag, p.last_modified, p.summary_hash,"
                " coalesce(p.failures, 0) FROM articles a LEFT JOIN fulltext_pages p ON p.article_id = a.id"
                " WHERE a.id = ?", (art_id,)).fetchone()
            if row is None:  # named by the user: said, and the others go on
                report.failed.append((art_id, "", "no such article"))
                continue
            meta = dict(zip(("origin", "feed_id", "guid", "author", "published_at", "date_estimated", "source",
                             "aggregator", "trailer"), row[5:14], strict=True))
            out.append(PageJob(row[0], row[1], row[2] or "", row[3], row[4], meta, *row[14:18]))
        return out

    def fetch(self, article_ids: list[int] | None = None, *, progress: Progress | None = None,
              **options) -> FulltextReport:
        """Fetch and extract the pages of `article_ids` (default: the pending ones)."""
        from store.fulltext.fetcher import fetch_pages

        started = time.perf_counter()
        report = FulltextReport()
        jobs = self.jobs(self.pending() if article_ids is None else list(article_ids), report)
        fetch_pages(self, jobs, report, progress=progress, **options)
        report.seconds = time.perf_counter() - started
        return report

    # -- results (called by the fetcher, one short transaction each) -------------------------------
    def failed(self, job: PageJob, reason: str, report: FulltextReport, *, status: int | None = None,
               retry: bool = False) -> None:
        failures = job.failures + 1
        retry_after = later(min(RETRY_BASE * 2 ** (failures - 1), RETRY_MAX)) \
            if retry and failures < MAX_FAILURES else None
        message = PREFIX + reason
        report.failed.append((job.id, job.title, message))
        if not job.url:
            return  # an article with no address (imported text) has no page to keep a record of
        with self.conn:
            self._upsert(job, state="failed", reason=message, http_status=status, failures=failures,
                         retry_after=retry_after)

    def not_modified(self, job: PageJob, report: FulltextReport, status: int = 304) -> None:
        with self.conn:
            self._upsert(job, state="done" if job.summary_hash else "failed",
                         reason=None if job.summary_hash else PREFIX + "page not modified, but no full text kept",
                         http_status=status, failures=0, retry_after=None)
        report.unchanged += 1

    def stored(self, job: PageJob, page: Extracted, headers: dict, final_url: str, report: FulltextReport) -> None:
        """The page's article becomes the current version, if it says more than the feed did."""
        from store.html import html_to_document

        meta = job.meta
        estimated = bool(meta["date_estimated"])
        published = _parse_iso(meta["published_at"])
        if page.published_at is not None and (published is None or estimated):
            published, estimated = page.published_at, False
        untitled = not job.title or job.title == "(untitled)"
        doc = html_to_document(page.title if untitled and page.title else job.title, page.html,
                               base_url=final_url, url=job.url, author=meta["author"] or page.author,
                               source=meta["source"], aggregator=meta["aggregator"], published_at=published)
        doc.trailer = meta["trailer"]
        if not doc.body.strip():
            self.failed(job, "no article text found on the page", report)
            return
        if job.summary_hash is None and len(doc.body) <= len(job.body):
            self.failed(job, "the page has no more text than the feed's summary", report)
            return
        with self.conn:
            if not self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (job.id,)).fetchone():
                return  # deleted while its page was on the way (its feed removed)
            summary_hash = job.summary_hash or self.conn.execute(
                "SELECT body_hash FROM articles WHERE id = ?", (job.id,)).fetchone()[0]
            result = self.store_document(job.key, doc, origin=meta["origin"], feed_id=meta["feed_id"],
                                             guid=meta["guid"])
            if not estimated and meta["date_estimated"]:
                self.conn.execute("UPDATE articles SET date_estimated = 0 WHERE id = ?", (job.id,))
            self._upsert(job, state="done", reason=None, http_status=200, failures=0, retry_after=None,
                         etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                         summary_hash=summary_hash)
        if result.status == UNCHANGED:
            report.unchanged += 1
        else:
            report.fetched += 1
            report.article_ids.append(job.id)

    def _upsert(self, job: PageJob, *, state: str, reason: str | None, http_status: int | None, failures: int,
                retry_after: str | None, etag: str | None = None, last_modified: str | None = None,
                summary_hash: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO fulltext_pages (article_id, url, state, reason, http_status, etag, last_modified,"
            " summary_hash, failures, retry_after, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(article_id) DO UPDATE SET url = excluded.url, state = excluded.state,"
            " reason = excluded.reason, http_status = excluded.http_status,"
            " etag = coalesce(excluded.etag, etag), last_modified = coalesce(excluded.last_modified, last_modified),"
            " summary_hash = coalesce(excluded.summary_hash, summary_hash), failures = excluded.failures,"
            " retry_after = excluded.retry_after, fetched_at = excluded.fetched_at",
            (job.id, job.url, state, reason, http_status, etag, last_modified, summary_hash, failures,
             retry_after, now_iso()))

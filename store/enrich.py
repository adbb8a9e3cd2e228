"""The enrichment queue: articles whose text or extractor changed get their entities.

Two stages, each resumable. Entities: an article is pending while `enrich_version` is older
than ENRICH_VERSION or `enriched_hash` differs from `body_hash`. Links: an article with its
entities is link-pending while its `related_state` is missing or made from another text.
Each batch stores its entities and its links in one transaction, so an interrupted run loses
at most one batch, and the next run finds whatever is left of either stage. A model crash on
one article marks that article failed (reason in `enrich_error`) and the queue goes on.
After every batch, articles linked when the library was half its size or less are relinked
(their neighbours may have changed), a committed chunk at a time.
"""
from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from store.db import Database
from store.entities.casing import model_inputs
from store.entities.consistency import RULES, article_mentions
from store.entities.rules import Rules
from store.entities.writer import EntityWriter, drop_orphans

# Bump when the model or margin's clean-up rules change: every article is then re-enriched.
ENRICH_VERSION = 2  # 2: gazetteer, library kind vote (m0016)
BATCH_SIZE = 32
PARALLEL_MIN = 96  # below this many articles, starting worker processes does not pay
# Cost caps per article, whatever its size: entities come from its first MAX_CHARS characters
# (the model's memory grows with its text; figures in tests/bench/README.md) and at most
# MAX_MENTIONS are stored. A capped article is reported, and enriched all the same.
MAX_CHARS = 200_000
MAX_MENTIONS = 5_000
RELINK_CHUNK = 64  # articles relinked for library growth per transaction

Progress = Callable[[int, int], None]


@dataclass
class EnrichReport:
    enriched: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    mentions: int = 0
    chars: int = 0
    seconds: float = 0.0
    remaining: int = 0
    workers: int = 1  # model processes used
    capped: list[tuple[int, str]] = field(default_factory=list)  # (article id, what was left out)
    linked: int = 0  # articles whose links were (re)computed by the link stage
    relinked: int = 0  # articles relinked because the library grew

    @property
    def articles_per_second(self) -> float:
        return (self.enriched + len(self.failed)) / self.seconds if self.seconds else 0.0


PENDING = "(enrich_version < :v OR enriched_hash IS NULL OR enriched_hash != body_hash)"


def pending_count(conn) -> int:
    return conn.execute(f"SELECT count(*) FROM articles WHERE {PENDING}", {"v": ENRICH_VERSION}).fetchone()[0]


LINK_PENDING = ("FROM articles a LEFT JOIN related_state s ON s.article_id = a.id WHERE a.enrich_version >= :v"
                " AND a.enriched_hash = a.body_hash AND (s.body_hash IS NULL OR s.body_hash != a.body_hash)")


def link_pending_count(conn) -> int:
    return conn.execute(f"SELECT count(*) {LINK_PENDING}", {"v": ENRICH_VERSION}).fetchone()[0]


def failed_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM articles WHERE enrich_error IS NOT NULL").fetchone()[0]


def default_extractor(n_articles: int):
    from store.entities.spacy_backend import ParallelExtractor, SpacyExtractor

    if n_articles >= PARALLEL_MIN and (os.cpu_count() or 1) > 1:
        return ParallelExtractor(workers=min(2, os.cpu_count() or 1))
    return SpacyExtractor()


class _Batch:
    """One batch of articles and the model texts made from them."""

    def __init__(self, rows: list[tuple]) -> None:
        self.lengths = {r[0]: r[4] for r in rows}  # whole body, in characters
        rows = [r[:4] for r in rows]
        self.rows = rows  # (id, title, body up to MAX_CHARS, body_hash)
        # per article: [(offset, body chunk, model text of the chunk)]
        self.pieces: list[list[tuple[int, str, str]]] = [model_inputs(body) for _, _, body, _ in rows]
        self.texts = [m for pieces in self.pieces for _, _, m in pieces]


def run(
    db: Database,
    *,
    on_stored: Callable[[list[int]], object] = lambda ids: None,
    on_grown: Callable[[int], int] = lambda most: 0,
    progress: Progress | None = None,
    limit: int | None = None,
    extractor=None,
    batch_size: int = BATCH_SIZE,
    retry_failed: bool = False,
    rules: frozenset[str] | None = None,
) -> EnrichReport:
    conn = db.conn
    started = time.perf_counter()
    where = PENDING + (" OR enrich_error IS NOT NULL" if retry_failed else "")
    sql = f"SELECT id FROM articles WHERE {where} ORDER BY id"
    ids = [r[0] for r in conn.execute(sql + (f" LIMIT {int(limit)}" if limit else ""),
                                      {"v": ENRICH_VERSION})]
    report = EnrichReport()
    if progress:
        progress(0, len(ids))
    if not ids:
        report.linked = _link_stage(conn, on_stored, limit)
        report.relinked = _relink_grown(conn, on_grown)
        report.seconds = time.perf_counter() - started
        report.remaining = pending_count(conn)
        return report
    own = extractor is None
    extractor = extractor or default_extractor(len(ids))
    report.workers = getattr(extractor, "workers", 1)
    user_rules = Rules.load(conn)
    doc_rules = RULES if rules is None else rules
    groups = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    done = 0
    try:
        pending = _submit(extractor, _load(conn, groups[0]))
        for n, _ in enumerate(groups):
            batch, future = pending
            # Let the workers extract the next batch while this one is stored.
            pending = _submit(extractor, _load(conn, groups[n + 1])) if n + 1 < len(groups) else None
            results = _results(extractor, batch, future)
            _store(conn, user_rules, extractor, batch, results, report, on_stored, doc_rules)
            with conn:  # keep pace with growth, about one relink per new article
                report.relinked += on_grown(2 * len(batch.rows))
            done += len(batch.rows)
            if progress:
                progress(done, len(ids))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the workers' batch would not be stored
        if own:
            extractor.stop()
            own = False
        raise
    finally:
        if own:
            extractor.close()
    with conn:
        drop_orphans(conn)
    report.linked = _link_stage(conn, on_stored, limit)
    # Relinks for growth kept pace above, two per new article. A larger backlog (an upgraded
    # library, a big `import --no-enrich`) is left to a run with nothing new to enrich: drained
    # here, it made a `margin fetch` of 1,000 articles into 100,000 run for hours.
    report.seconds = time.perf_counter() - started
    report.remaining = pending_count(conn)
    return report


def _link_stage(conn: sqlite3.Connection, on_stored: Callable[[list[int]], object], limit: int | None,
                batch_size: int = 64) -> int:
    """Link the articles that have their entities but no links for their text: what a run
    killed between the two stages (before they were committed together) left behind."""
    ids = [r[0] for r in conn.execute(f"SELECT a.id {LINK_PENDING} ORDER BY a.id"
                                      + (f" LIMIT {int(limit)}" if limit else ""), {"v": ENRICH_VERSION})]
    linked = 0
    for lo in range(0, len(ids), batch_size):
        with conn:
            on_stored(ids[lo:lo + batch_size])
        linked += len(ids[lo:lo + batch_size])
    return linked


def _load(conn, ids: Sequence[int]) -> _Batch:
    marks = ",".join("?" * len(ids))
    # Only the part that will be enriched leaves SQLite: 32 bodies of 5 MB are not read whole.
    rows = conn.execute(
        f"SELECT id, title, substr(body, 1, {MAX_CHARS}), body_hash, length(body) FROM articles"
        f" WHERE id IN ({marks}) ORDER BY id", ids
    ).fetchall()
    return _Batch(rows)


def _submit(extractor, batch: _Batch):
    submit = getattr(extractor, "submit", None)
    if submit is None or not batch.texts:
        return batch, None
    return batch, submit(batch.texts)


def _results(extractor, batch: _Batch, future) -> list:
    """Spans per article, or the failure reason of an article the model crashed on."""
    try:
        flat = future.result() if future is not None else extractor.extract(batch.texts)
    except Exception as exc:  # isolate the article(s) that broke the model, one by one
        if isinstance(exc, BrokenProcessPool):
            extractor.close()  # a worker died: rebuild the pool before retrying
        return [_one(extractor, pieces) for pieces in batch.pieces]
    out, i = [], 0
    for pieces in batch.pieces:
        out.append(flat[i:i + len(pieces)])
        i += len(pieces)
    return out


def _one(extractor, pieces: list[tuple[int, str, str]]):
    try:
        return extractor.extract([m for _, _, m in pieces])
    except BrokenProcessPool as exc:
        extractor.close()  # a worker died: the pool is rebuilt for the next article
        return _reason(exc) or "model worker crashed"
    except Exception as exc:  # recorded on the article as its failure reason
        return _reason(exc)


def _reason(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:500]


def _store(conn: sqlite3.Connection, rules: Rules, extractor, batch: _Batch, results: list,
           report: EnrichReport, on_stored: Callable[[list[int]], object], doc_rules: frozenset[str] = RULES) -> None:
    name = f"{extractor.name}@{extractor.version}"
    writer = EntityWriter(conn, rules)
    with conn:
        for (art_id, title, body, body_hash), pieces, spans in zip(batch.rows, batch.pieces, results, strict=False):
            # The body may have changed since it was read: then it stays pending.
            current = conn.execute("SELECT body_hash, enriched_hash FROM articles WHERE id = ?",
                                   (art_id,)).fetchone()
            if current is None or current[0] != body_hash:
                continue
            if not isinstance(spans, str):
                try:
                    spans_in = [(o, t, s, m) for (o, t, m), s in zip(pieces, spans, strict=False)]
                    found = article_mentions(body, spans_in, title, doc_rules)
                except Exception as exc:  # a bug on odd text must not stop the queue
                    spans = _reason(exc)
            if isinstance(spans, str):
                if current[1] != body_hash:  # old mentions point into an old text
                    conn.execute("DELETE FROM mentions WHERE article_id = ?", (art_id,))
                    conn.execute("DELETE FROM entity_votes WHERE article_id = ?", (art_id,))
                conn.execute(
                    "UPDATE articles SET enrich_version=?, enriched_hash=?, extractor=?,"
                    " enrich_error=? WHERE id=?",
                    (ENRICH_VERSION, body_hash, name, spans, art_id),
                )
                report.failed.append((art_id, spans))
                continue
            capped = []
            if batch.lengths[art_id] > len(body):
                capped.append(f"entities from the first {len(body):,} of {batch.lengths[art_id]:,} characters")
            if len(found) > MAX_MENTIONS:
                capped.append(f"kept the first {MAX_MENTIONS:,} of {len(found):,} mentions")
                found = found[:MAX_MENTIONS]
            if capped:
                report.capped.append((art_id, "; ".join(capped)))
            report.mentions += writer.write(art_id, found, vote="library_vote" in doc_rules)
            conn.execute(
                "UPDATE articles SET enrich_version=?, enriched_hash=?, extractor=?,"
                " enrich_error=NULL WHERE id=?",
                (ENRICH_VERSION, body_hash, name, art_id),
            )
            report.enriched += 1
            report.chars += len(body)
        writer.settle()  # one name, one kind across the library
        # in the same transaction: a kill never leaves entities stored and links missing
        on_stored([r[0] for r in batch.rows])


def _relink_grown(conn: sqlite3.Connection, on_grown: Callable[[int], int]) -> int:
    """Relink every article the library has outgrown, one committed chunk at a time, so an
    interrupted run keeps what it did."""
    done = 0
    while True:
        with conn:
            n = on_grown(RELINK_CHUNK)
        done += n
        if n < RELINK_CHUNK:
            return done

"""The enrichment queue: articles whose text or extractor changed get their entities.

An article is pending while `enrich_version` is older than ENRICH_VERSION or
`enriched_hash` differs from `body_hash`. Batches are committed one by one, so an
interrupted run loses at most one batch and the next run continues. A model crash on
one article marks that article failed (reason in `enrich_error`) and the queue goes
on; after every batch the related-articles store links the batch, then relinks articles
linked when the library was half its size or less (their neighbours may have changed).
"""
from __future__ import annotations

import os
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Sequence

from store.entities.casing import model_inputs
from store.entities.consistency import article_mentions
from store.entities.rules import Rules
from store.entities.writer import EntityWriter, drop_orphans

# Bump when the model or margin's clean-up rules change: every article is then re-enriched.
ENRICH_VERSION = 1
BATCH_SIZE = 32
PARALLEL_MIN = 96  # below this many articles, starting worker processes does not pay
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
    relinked: int = 0  # articles relinked because the library grew

    @property
    def articles_per_second(self) -> float:
        return (self.enriched + len(self.failed)) / self.seconds if self.seconds else 0.0


PENDING = "(enrich_version < :v OR enriched_hash IS NULL OR enriched_hash != body_hash)"


def pending_count(conn) -> int:
    return conn.execute(f"SELECT count(*) FROM articles WHERE {PENDING}", {"v": ENRICH_VERSION}).fetchone()[0]


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
        self.rows = rows  # (id, title, body, body_hash)
        # per article: [(offset, body chunk, model text of the chunk)]
        self.pieces: list[list[tuple[int, str, str]]] = [model_inputs(body) for _, _, body, _ in rows]
        self.texts = [m for pieces in self.pieces for _, _, m in pieces]


def run(
    lib,
    *,
    progress: Progress | None = None,
    limit: int | None = None,
    extractor=None,
    batch_size: int = BATCH_SIZE,
    retry_failed: bool = False,
) -> EnrichReport:
    conn = lib.db.conn
    started = time.perf_counter()
    where = PENDING + (" OR enrich_error IS NOT NULL" if retry_failed else "")
    sql = f"SELECT id FROM articles WHERE {where} ORDER BY id"
    ids = [r[0] for r in conn.execute(sql + (f" LIMIT {int(limit)}" if limit else ""),
                                      {"v": ENRICH_VERSION})]
    report = EnrichReport()
    if progress:
        progress(0, len(ids))
    if not ids:
        report.relinked = _relink_grown(lib)
        report.remaining = pending_count(conn)
        return report
    own = extractor is None
    extractor = extractor or default_extractor(len(ids))
    report.workers = getattr(extractor, "workers", 1)
    rules = Rules.load(conn)
    groups = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    done = 0
    try:
        pending = _submit(extractor, _load(conn, groups[0]))
        for n, _ in enumerate(groups):
            batch, future = pending
            # Let the workers extract the next batch while this one is stored.
            pending = _submit(extractor, _load(conn, groups[n + 1])) if n + 1 < len(groups) else None
            results = _results(extractor, batch, future)
            _store(lib, rules, extractor, batch, results, report)
            with conn:  # keep pace with growth, about one relink per new article
                report.relinked += lib.related.refresh_grown(2 * len(batch.rows))
            done += len(batch.rows)
            if progress:
                progress(done, len(ids))
    finally:
        if own:
            extractor.close()
    with conn:
        drop_orphans(conn)
    report.relinked += _relink_grown(lib)
    report.seconds = time.perf_counter() - started
    report.remaining = pending_count(conn)
    return report


def _load(conn, ids: Sequence[int]) -> _Batch:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT id, title, body, body_hash FROM articles WHERE id IN ({marks}) ORDER BY id", ids
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


def _store(lib, rules: Rules, extractor, batch: _Batch, results: list, report: EnrichReport) -> None:
    conn = lib.db.conn
    name = f"{extractor.name}@{extractor.version}"
    writer = EntityWriter(conn, rules)
    with conn:
        for (art_id, title, body, body_hash), pieces, spans in zip(batch.rows, batch.pieces, results):
            # The body may have changed since it was read: then it stays pending.
            current = conn.execute("SELECT body_hash, enriched_hash FROM articles WHERE id = ?",
                                   (art_id,)).fetchone()
            if current is None or current[0] != body_hash:
                continue
            if not isinstance(spans, str):
                try:
                    found = article_mentions(body, [(o, t, s, m) for (o, t, m), s in zip(pieces, spans)], title)
                except Exception as exc:  # a bug on odd text must not stop the queue
                    spans = _reason(exc)
            if isinstance(spans, str):
                if current[1] != body_hash:  # old mentions point into an old text
                    conn.execute("DELETE FROM mentions WHERE article_id = ?", (art_id,))
                conn.execute(
                    "UPDATE articles SET enrich_version=?, enriched_hash=?, extractor=?,"
                    " enrich_error=? WHERE id=?",
                    (ENRICH_VERSION, body_hash, name, spans, art_id),
                )
                report.failed.append((art_id, spans))
                continue
            report.mentions += writer.write(art_id, found)
            conn.execute(
                "UPDATE articles SET enrich_version=?, enriched_hash=?, extractor=?,"
                " enrich_error=NULL WHERE id=?",
                (ENRICH_VERSION, body_hash, name, art_id),
            )
            report.enriched += 1
            report.chars += len(body)
    with conn:
        lib.related.refresh([r[0] for r in batch.rows])


def _relink_grown(lib) -> int:
    """Relink every article the library has outgrown, one committed chunk at a time, so an
    interrupted run keeps what it did."""
    done = 0
    while True:
        with lib.db.conn:
            n = lib.related.refresh_grown(RELINK_CHUNK)
        done += n
        if n < RELINK_CHUNK:
            return done

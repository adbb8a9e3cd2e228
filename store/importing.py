"""Import plain-text files, directories and stdin into a library, one transaction per batch.

Every bad input becomes a (name, reason) failure and the batch goes on; nothing stored
before is touched by a failure.
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.articles import NEW, UNCHANGED, UPDATED, StoredArticle, article_row, insert_rows
from store.db import Database
from store.file_walk import os_reason, read_regular, walk
from store.plaintext import parse_plaintext

DEFAULT_MAX_BYTES = 5_000_000
BATCH = 500
# The first batch is one worker task: storing starts as soon as the workers hand over their
# first files, instead of waiting idle until 500 are parsed (tests/bench/README.md).
FIRST_BATCH = 50
Progress = Callable[[int, int, str], None]  # (done, total, name)
# The façade's upsert: a changed text re-anchors the notes on it in the same transaction.
StoreDocument = Callable[..., StoredArticle]


class ImportFailure(Exception):
    """One file could not be imported; the message is the reason shown to the user."""


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str, article_id: int) -> None:
        attr = {NEW: "imported", UPDATED: "updated", UNCHANGED: "unchanged"}[status]
        setattr(self, attr, getattr(self, attr) + 1)
        self.article_ids.append(article_id)

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.failed)

    def to_json(self) -> dict:
        return {
            "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "failed": [{"file": name, "reason": reason} for name, reason in self.failed],
            "article_ids": self.article_ids, "seconds": round(self.seconds, 3),
        }


@dataclass
class Source:
    name: str
    path: Path | None = None  # None: standard input
    error: str | None = None


def decode(data: bytes, name: str) -> str:
    """Bytes -> str: UTF-8 (with or without BOM) first, else the detected encoding."""
    if not data.strip():
        raise ImportFailure("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailure("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only paid for non-UTF-8 files

    results = list(from_bytes(data))
    if not results:
        # UTF-8 text with a few broken bytes (a bad copy, a truncated download) is text: the
        # broken bytes become U+FFFD rather than costing the whole article.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= max(8, len(text) // 50):
            return text
        raise ImportFailure("binary file (no text encoding fits)")
    # Short texts fit several single-byte code pages equally well; cp1252 is by far the most
    # common legacy encoding of English and Western European news, so it wins among equals.
    best_chaos = min(r.chaos for r in results)
    for r in results:
        if "cp1252" in r.could_be_from_charset and r.chaos <= best_chaos + 0.1:
            return data.decode("cp1252", errors="replace")
    return str(results[0])


def expand(paths: list[str], glob: str = "*.txt") -> Iterator[Source]:
    """Files named directly are taken whatever their suffix; directories are searched recursively."""
    for raw in paths:
        if raw == "-":
            yield Source("-", None)
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            found = False
            for p, reason in walk(path, glob):
                found = True
                yield Source(str(p), p, reason)
            if not found:
                yield Source(str(path), path, f"no files matching {glob} in this directory")
        elif path.exists() or path.is_symlink():
            yield Source(str(path), path)
        else:
            yield Source(str(path), path, "no such file or directory")


def read_source(src: Source, max_bytes: int) -> tuple[str, str]:
    """(identity key, text) of one source, or ImportFailure."""
    if src.error:
        raise ImportFailure(src.error)
    if src.path is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ImportFailure(f"standard input is over the size limit of {max_bytes} bytes")
        if not data:
            raise ImportFailure("standard input is empty")
        return "stdin:" + hashlib.sha256(data).hexdigest(), decode(data, "-")
    path = src.path
    try:
        data = read_regular(path, max_bytes)
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
    except OSError as exc:
        raise ImportFailure(os_reason(exc)) from None
    return "path:" + str(path.resolve()), decode(data, src.name)


PARALLEL_MIN = 300  # below this, worker start-up costs more than it saves


def import_sources(
    db: Database, store_document: StoreDocument, sources: list[Source], *, max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None, on_stored: Callable[[], None] | None = None,
) -> ImportReport:
    """Read and parse on both cores (files only; stdin in this process), store in batches;
    `on_stored` is called after each batch is committed."""
    report = ImportReport()
    started = time.perf_counter()
    total = len(sources)
    pool = None
    if total >= PARALLEL_MIN and all(src.path is not None for src in sources):
        from store.worker_pool import process_pool

        pool = process_pool(2)
        results = _parsed_in_order(pool, sources, max_bytes)
    else:
        results = (_read_parse(src, max_bytes) for src in sources)
    try:
        parsed, batch = [], min(FIRST_BATCH, BATCH)  # never larger than the batches after it
        for done, (src, result) in enumerate(zip(sources, results, strict=False), start=1):
            if isinstance(result, str):
                report.failed.append((src.name, result))
            else:
                parsed.append(result)
            if len(parsed) >= batch or done == total:
                counted = (report.imported, report.updated, report.unchanged, len(report.article_ids))
                try:
                    with db.conn:  # one transaction per batch
                        _store_batch(db, store_document, parsed, report)
                except sqlite3.OperationalError as exc:
                    if "full" not in str(exc):
                        raise
                    report.imported, report.updated, report.unchanged = counted[:3]  # rolled back
                    del report.article_ids[counted[3]:]
                    # Disk full: what earlier batches stored stays; say where it stopped.
                    report.failed.append(("(library)", f"disk full: stopped after {done - len(parsed)} of "
                                                       f"{total} files; the rest were not stored"))
                    break
                if on_stored is not None:
                    on_stored()
                parsed, batch = [], BATCH
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total, src.name)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: files not yet stored stay unread
        if pool is not None:
            from store.worker_pool import stop_now

            stop_now(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    return report


CHUNK = 50  # files a worker reads and parses per task
AHEAD = 24  # tasks in flight (1,200 files, 2.4 batches): the workers stay busy while the store writes


def _parsed_in_order(pool, sources: list[Source], max_bytes: int) -> Iterator:
    """What `pool.map(_read_parse, sources)` gives, with at most AHEAD tasks in flight.
    Executor.map submits every file at once, and the workers parse faster than the store
    writes, so parsed documents waited in memory: 531 MB for 100,000 files (95 MB for 10,000)."""
    from collections import deque

    pending: deque = deque()
    for lo in range(0, len(sources), CHUNK):
        pending.append(pool.submit(_read_parse_chunk, sources[lo:lo + CHUNK], max_bytes))
        if len(pending) >= AHEAD:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _read_parse_chunk(sources: list[Source], max_bytes: int) -> list:
    return [_read_parse(src, max_bytes) for src in sources]


def _read_parse(src: Source, max_bytes: int):
    """(key, text, the new article's row) or the reason it failed, as a string. The row
    (store/articles.py `article_row`) is built here, in a worker when there are many files,
    and plain strings cross to the writer for less than half of what a Document costs."""
    try:
        key, text = read_source(src, max_bytes)
        doc = parse_plaintext(text)
        if not doc.body and not doc.title:
            raise ImportFailure("no text after removing control characters")
    except ImportFailure as exc:
        return str(exc)
    return key, text, article_row(key, doc, {"origin": "text", "path": _path_of(key)})


def _path_of(key: str) -> str | None:
    return key[len("path:"):] if key.startswith("path:") else None


def _store_batch(db: Database, store_document: StoreDocument, parsed: list, report: ImportReport) -> None:
    """New articles in one statement; known ones (or a key seen twice) through the upsert,
    from their text parsed again: the workers send rows, not Documents."""
    conn = db.conn
    keys = [key for key, _, _ in parsed]
    known: set[str] = set()
    for lo in range(0, len(keys), 500):
        chunk = keys[lo:lo + 500]
        known.update(k for (k,) in conn.execute(
            f"SELECT key FROM articles WHERE key IN ({','.join('?' * len(chunk))})", chunk))
    fresh, later, seen = [], [], set()
    for item in parsed:
        (later if item[0] in known or item[0] in seen else fresh).append(item)
        seen.add(item[0])
    ids = insert_rows(db, [row for _, _, row in fresh])
    for key, _, _ in fresh:
        report.count(NEW, ids[key])
    for key, text, _ in later:
        stored = store_document(key, parse_plaintext(text), origin="text", path=_path_of(key))
        report.count(stored.status, stored.id)


def import_text(db: Database, store_document: StoreDocument, text: str, name: str = "-") -> ImportReport:
    report = ImportReport()
    key = "stdin:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    doc = parse_plaintext(text)
    if not doc.body and not doc.title:
        report.failed.append((name, "empty text"))
        return report
    with db.conn:
        stored = store_document(key, doc, origin="text")
    report.count(stored.status, stored.id)
    return report

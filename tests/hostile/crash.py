"""SIGKILL `margin import`, `fetch` and `enrich` at a random moment, then check the library:
integrity_check ok, everything committed before still there, and a re-run completes the
work with no duplicates. Shared by tests/hostile/test_crash_kill.py (a few runs) and
tests/bench/bench_crash.py (many)."""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from store.feeds.lists import Subscription
from store.library import Library
from tests.hostile.procs import ENV, MARGIN

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "tests" / "fixtures" / "plaintext" / "menafn-russia-assad-isis.txt"
N_FILES = 320  # over importing.PARALLEL_MIN: the worker pool is in play
N_FEEDS, N_ENTRIES = 6, 60


def feed_xml(feed: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {feed} story {i}</title><link>http://example.test/{feed}/{i}</link>"
        f"<guid>f{feed}-{i}</guid><description>&lt;p&gt;Moscow and Paris, story {i} of feed {feed}. "
        f"Vladimir Putin spoke.&lt;/p&gt;</description></item>" for i in range(N_ENTRIES))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
            f"<link>http://example.test/</link><description>d</description>{items}</channel></rss>").encode()


def make_files(folder: Path, n: int = N_FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text()
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(f"Story number {i}\n\n{text}")
    return folder


def committed_library(path: Path, feed_urls: list[str]) -> dict:
    """A library with user data in every kind: articles, notes, a user link, feeds."""
    with Library(path) as lib:
        a = lib.import_text("Kept story one\n\nMoscow said the talks went on in Geneva.\n").article_ids[0]
        b = lib.import_text("Kept story two\n\nParis said it would send a delegation.\n").article_ids[0]
        lib.notes.add(a, quote="talks went on", body="keep this note")
        lib.related.link(a, b, note="mine")
        for url in feed_urls:
            lib.feeds.subscribe(Subscription(url))
    return snapshot(path)


def snapshot(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {
            "notes": conn.execute("SELECT id, article_id, start, end, body FROM notes ORDER BY id").fetchall(),
            "user_links": conn.execute("SELECT src, dst, note FROM links WHERE kind = 'user' ORDER BY src").fetchall(),
            "feeds": conn.execute("SELECT id, url FROM feeds ORDER BY id").fetchall(),
            "articles": conn.execute("SELECT id, key, body_hash FROM articles ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def kill_at_random(args: list[str], rng: random.Random, *, min_delay: float = 0.3, max_delay: float = 4.0) -> float:
    """Start margin, SIGKILL it after a random delay; the delay (or -1 if it finished first)."""
    proc = subprocess.Popen([*MARGIN, *args], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    delay = rng.uniform(min_delay, max_delay)
    try:
        proc.wait(delay)
        return -1.0
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return delay


def check_after(path: Path, before: dict) -> dict:
    """Integrity, nothing committed before lost, no duplicate articles; the state now."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dup_keys = conn.execute("SELECT count(*) - count(DISTINCT key) FROM articles").fetchone()[0]
        dup_guids = conn.execute("SELECT count(*) - count(DISTINCT feed_id || '/' || guid) FROM articles"
                                 " WHERE guid IS NOT NULL").fetchone()[0]
        assert dup_keys == 0 and dup_guids == 0
    finally:
        conn.close()
    now = snapshot(path)
    for kind in ("notes", "user_links", "feeds"):
        assert now[kind] == before[kind], kind
    kept = {row[1] for row in now["articles"]}
    assert all(row[1] in kept for row in before["articles"])
    return now


def rerun(args: list[str]) -> subprocess.CompletedProcess:
    res = subprocess.run([*MARGIN, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    return res


def wait_gone(pids_of, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while pids_of() and time.monotonic() < deadline:
        time.sleep(0.1)

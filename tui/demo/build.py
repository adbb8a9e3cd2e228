"""Build the bundled demo library (`tui/demo/demo.db`) from the demo content, through the
real façade only: plain-text import, offline feed ingestion, enrichment (spaCy), links,
a few notes, stars and read marks.

    .venv/bin/python -m tui.demo.build [--out PATH]
"""
from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
from pathlib import Path

from store.library import Library

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
FEEDS = HERE / "feeds"
DEMO_DB = HERE / "demo.db"
FEED_LIST = [  # url, title, tags, file
    ("https://techdispatch.example/feed.xml", "Tech Dispatch", ["tech", "trade"], "tech-dispatch.xml"),
    ("https://northernledger.example/atom.xml", "Northern Ledger", ["news", "europe"], "northern-ledger.xml"),
    ("https://harbourwire.example/rss.xml", "Harbour Wire", ["news", "wire"], "harbour-wire.xml"),
]
NOTES = [  # (title starts with, quote, body, tags, colour)
    ("Lisbon climate summit opens", "cannot end with another promise to promise",
     "The line of the summit. Compare with how [[Arjun Mehta]] framed money on day two.",
     ["climate", "quotes"], "yellow"),
    ("Finance gap dominates", "Dates without money are just dates",
     "**Key argument** of the developing countries. See [[World Bank]].", ["climate"], "green"),
    ("Draft text sets 2035 coal deadline", "wide enough to drive a coal train through",
     "Escape clauses: check what the 2028 review actually triggers.", ["climate", "todo"], "red"),
    ("Rail union calls three-day strike", "Millions of commuters should not pay for a dispute about a calendar",
     "Albrecht positions himself as the commuters' minister.", ["labour"], "blue"),
    ("China restricts gallium exports", "does not do tit for tat",
     "Watch whether [[European Commission]] coordination changes this.", ["trade"], "purple"),
    ("Eruption begins on Iceland", "effusive, not explosive",
     "Effusive = lava flows, little ash: why Keflavík stayed open.", ["science"], "green"),
    ("European Central Bank holds rates", "on the table",
     "Forward guidance in three words. Follow-up: [[Anneliese Brandt]] on 23 Nov.", ["rates"], "yellow"),
    ("Tiago Sousa agrees terms", "for every goal", "A club record fee; the academy question stays open.",
     ["football"], "blue"),
]
USER_LINKS = [  # (title a, title b, note)
    ("Car plants count cost", "Gallium shortage worries", "supply chains under strain from two directions"),
    ("Why central banks are cutting", "What the Lisbon deal means", "explainers for household bills"),
]
STARRED = ["Lisbon summit ends with coal deal", "Deutsche Bahn and GDV agree"]
READ = ["Bank of England cuts rates", "Netherlands widens export controls", "Lisbon Rovers reject record bid"]


def content_hash() -> str:
    """A hash of everything the demo is built from, stored in the library so a test can
    tell when the bundled file is older than its content."""
    digest = hashlib.sha256()
    for path in sorted([*ARTICLES.rglob("*.txt"), *FEEDS.glob("*.xml"), Path(__file__)]):
        digest.update(path.relative_to(HERE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _by_title(lib: Library, prefix: str) -> int:
    row = lib.db.conn.execute("SELECT id FROM articles WHERE title LIKE ? ORDER BY id LIMIT 1",
                              (prefix.replace("%", "") + "%",)).fetchone()
    if row is None:
        raise SystemExit(f"demo build: no article titled {prefix!r}")
    return row[0]


def subscribe_feeds(lib: Library) -> int:
    urls = "\n".join(f'{url} {" ".join(tags)} "~{title}"' for url, title, tags, _ in FEED_LIST) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "urls"
        path.write_text(urls)
        lib.feeds.import_file(path)
    total = 0
    for url, _, _, name in FEED_LIST:
        feed_id = lib.db.conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()[0]
        report = lib.feeds.ingest_bytes(feed_id, (FEEDS / name).read_bytes(),
                                        {"content-type": "application/xml; charset=utf-8"})
        total += getattr(report, "new", 0)
    return total


def build(out: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    lib = Library(out)
    report = lib.import_paths([str(p) for p in sorted(ARTICLES.iterdir())])
    if report.failed:
        raise SystemExit(f"demo build: import failed: {report.failed}")
    # Plain-text articles are named by their path; the bundled copy must not depend on
    # where the repository was checked out.
    with lib.db.conn:
        for art_id, path in lib.db.conn.execute("SELECT id, path FROM articles WHERE path IS NOT NULL").fetchall():
            rel = Path(path).relative_to(HERE).as_posix()
            lib.db.conn.execute("UPDATE articles SET path = ?, key = ? WHERE id = ?",
                                (f"demo/{rel}", f"demo:{rel}", art_id))
    fed = subscribe_feeds(lib)
    lib.enrich()
    lib.related.relink_all()
    for title, quote, body, tags, colour in NOTES:
        lib.notes.add(_by_title(lib, title), quote=quote, body=body, tags=tags, color=colour)
    lib.notes.add(_by_title(lib, "Why central banks are cutting"),
                  body="A whole-article note: good explainer to send to my parents.", tags=["rates"])
    for a, b, note in USER_LINKS:
        lib.related.link(_by_title(lib, a), _by_title(lib, b), note=note)
    for title in STARRED:
        lib.set_starred(_by_title(lib, title))
    for title in READ:
        lib.set_read(_by_title(lib, title))
    with lib.db.conn:
        lib.db.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('demo_content_hash', ?)",
                            (content_hash(),))
    stats = lib.stats()
    lib.close()
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to ship
    conn.execute("VACUUM")
    conn.close()
    stats["fed"] = fed
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO_DB)
    args = parser.parse_args(argv)
    stats = build(args.out)
    print(f"built {args.out}: " + ", ".join(f"{k} {v}" for k, v in stats.items() if isinstance(v, int)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The bundled demo library: well-formed content, and a built file that matches it."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from defusedxml import ElementTree

from store.library import Library
from store.plaintext import parse_plaintext
from tests.conftest import ROOT
from tui.demo.build import ARTICLES, DEMO_DB, FEEDS, content_hash


def test_content_is_well_formed_news():
    texts = sorted(ARTICLES.rglob("*.txt"))
    for path in texts:
        doc = parse_plaintext(path.read_text(encoding="utf-8"))
        assert doc.title and sum(b.kind == "paragraph" for b in doc.blocks) >= 3, path
    items = 0
    for feed in FEEDS.glob("*.xml"):
        root = ElementTree.fromstring(feed.read_bytes())
        items += len(root.findall(".//item")) + len(root.findall("{http://www.w3.org/2005/Atom}entry"))
    assert len(list(FEEDS.glob("*.xml"))) >= 3
    assert 30 <= len(texts) + items <= 60


def test_bundled_library_is_up_to_date_with_its_content():
    conn = sqlite3.connect(f"file:{DEMO_DB}?mode=ro", uri=True)
    stored = conn.execute("SELECT value FROM settings WHERE key = 'demo_content_hash'").fetchone()[0]
    conn.close()
    assert stored == content_hash(), "demo content changed: run `python -m tui.demo.build`"


def test_bundled_library_is_enriched_with_notes_links_and_feeds(tmp_path):
    copy = tmp_path / "demo.db"
    copy.write_bytes(DEMO_DB.read_bytes())
    with Library(copy) as lib:
        stats = lib.stats()
        assert 30 <= stats["articles"] <= 60 and stats["feeds"] == 3
        assert stats["entities"] > 50 and stats["enrich_pending"] == 0
        assert stats["notes"] >= 6 and stats["links"] > 20 and stats["duplicate_groups"] >= 1
        assert lib.db.conn.execute("SELECT count(*) FROM links WHERE kind = 'user'").fetchone()[0] == 2
        assert lib.search("@Sousa")


def test_margin_demo_opens_a_scratch_copy_never_the_users_library(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", "from tui.cli import entry; entry()", "demo", "--path"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    target = out.stdout.strip()
    assert out.returncode == 0 and target.startswith(str(tmp_path / "cache"))
    assert not (tmp_path / "data").exists()

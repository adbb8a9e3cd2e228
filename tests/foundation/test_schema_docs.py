"""The library is a documented SQLite file: every table and column is described, and the
views make it readable in Datasette or sqlite-utils."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

from store.library import Library
from tests.conftest import ROOT

DEMO = ROOT / "tui" / "demo" / "demo.db"
MARGIN = [sys.executable, "-m", "tui"]


def test_every_table_and_column_of_a_new_library_is_described(lib):
    tables, _ = lib.schema()
    assert {t.name for t in tables} >= {"articles", "feeds", "notes", "entities", "mentions", "links"}
    undescribed = [(t.name, c) for t in tables if not t.internal
                   for c, _, words in t.columns if words == "(not described)"]
    assert undescribed == []
    assert all(t.description != "(not described)" for t in tables)


def _demo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "demo.db"
    shutil.copyfile(DEMO, target)
    return target


def test_readable_views_return_rows_on_the_demo_library(tmp_path):
    with Library(_demo_copy(tmp_path)) as lib:
        conn = lib.db.conn
        feeds = {r[0] for r in conn.execute("SELECT feed FROM articles_with_feed")}
        assert conn.execute("SELECT count(*) FROM articles_with_feed").fetchone()[0] == \
            conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert None not in feeds
        quote, note = conn.execute("SELECT quote, note FROM notes_with_quote LIMIT 1").fetchone()
        assert quote and note
        entity, kind, mention = conn.execute(
            "SELECT entity, kind, mention FROM entity_mentions WHERE in_title = 0 LIMIT 1").fetchone()
        assert kind in {"person", "place", "org", "other"} and entity and mention


def test_sqlite_utils_reads_a_library_through_the_views(tmp_path):
    path = _demo_copy(tmp_path)
    Library(path).close()  # migrate: the views exist from here on
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", "query", str(path),
                          "select quote from notes_with_quote limit 2"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 2 and all(r["quote"] for r in rows)


def test_margin_schema_json_lists_tables_columns_and_views(tmp_path):
    out = subprocess.run([*MARGIN, "schema", "--json", "--library", str(tmp_path / "lib.db")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    articles = next(t for t in data["tables"] if t["name"] == "articles")
    assert ["body", "TEXT", "normalised plain text"] in articles["columns"]
    assert {"articles_with_feed", "notes_with_quote", "entity_mentions"} <= set(data["views"])

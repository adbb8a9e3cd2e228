"""The issue-19 repros for restore, run as a user runs them (subprocesses on real files)."""
import json
import os
import subprocess
import sys

from store.library import Library
from tests.conftest import ROOT, SEED

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]


def run(*args, library):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    out = subprocess.run([*MARGIN, *args, "--library", str(library)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert "Traceback" not in out.stderr
    return out


def test_restored_notes_sit_on_their_quotes_after_the_file_gained_a_paragraph(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "story.txt"
    article.write_text(SEED.read_text())
    first, fresh, backup = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "b.json"
    assert run("import", str(article), "--no-enrich", library=first).returncode == 0
    body = json.loads(run("show", "1", "--json", library=first).stdout)["body"]
    words = [w for w in dict.fromkeys(body.split()) if len(w) > 6 and body.count(w) == 1][:12]
    for w in words:
        assert run("notes", "add", "1", "--quote", w, "--body", f"on {w}", library=first).returncode == 0
    assert run("backup", str(backup), library=first).returncode == 0
    lines = SEED.read_text().split("\n", 1)
    article.write_text(lines[0] + "\n\nA new paragraph, inserted at the top, that moves every offset along.\n\n"
                       + lines[1])
    assert run("import", str(article), "--no-enrich", library=fresh).returncode == 0
    restored = run("restore", str(backup), library=fresh)
    assert restored.returncode == 0, restored.stderr
    record = json.loads(run("show", "1", "--json", library=fresh).stdout)
    assert len(record["notes"]) == len(words) == 12
    for note in record["notes"]:
        assert note["state"] in ("anchored", "relocated")
        assert record["body"][note["start"]:note["end"]] == note["exact"], note


def test_links_and_unlinks_come_back_when_the_articles_are_imported_after_the_restore(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = SEED.read_text()
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text(text.replace("\n\n", "\n\nAlso.\n\n", 1))  # an automatic duplicate of a
    (folder / "c.txt").write_text("Another story\n\nAbout gardens, soil and the rain in spring.\n")
    (folder / "d.txt").write_text("A fourth story\n\nTrains, timetables and the night service.\n")
    first, fresh, backup = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "b.json"
    assert run("import", str(folder), library=first).returncode == 0
    with Library(first) as lib:
        ids = dict(lib.db.conn.execute("SELECT substr(path, -5), id FROM articles"))
        assert lib.related.duplicates_of(ids["a.txt"]) == [ids["b.txt"]]
    assert run("link", str(ids["c.txt"]), str(ids["d.txt"]), library=first).returncode == 0
    assert run("unlink", str(ids["a.txt"]), str(ids["b.txt"]), library=first).returncode == 0
    assert run("backup", str(backup), library=first).returncode == 0
    restored = run("restore", str(backup), library=fresh)
    assert restored.returncode == 0, restored.stderr
    assert "2 links waiting for their articles" in restored.stdout
    assert run("import", str(folder), library=fresh).returncode == 0
    with Library(fresh) as lib:
        ids = dict(lib.db.conn.execute("SELECT substr(path, -5), id FROM articles"))
        kinds = {r["id"]: r["kind"] for r in lib.related.for_article(ids["c.txt"])}
        assert kinds.get(ids["d.txt"]) == "user"
        assert lib.related.duplicates_of(ids["a.txt"]) == []
        assert lib.db.conn.execute("SELECT count(*) FROM pending_links").fetchone()[0] == 0

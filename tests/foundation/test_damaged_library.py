"""A library damaged in the middle of the file is noticed at open (it changed since margin
closed it) and by `backup`; the message names the damage and the way out, margin writes
nothing into it, and `backup --salvage` saves what can still be read."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store.errors import LibraryError
from store.library import Library
from tests.conftest import ROOT

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]


def run(*args):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    out = subprocess.run([*MARGIN, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert "Traceback" not in out.stderr
    return out


@pytest.fixture
def noted(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        (folder / f"{i}.txt").write_text(f"Story {i}\n\n" + f"Sentence {i} about rivers and bridges. " * 80 + "\n")
    path = tmp_path / "library.db"
    with Library(path) as lib:
        lib.import_paths([str(folder)])
        noted_id = lib.db.conn.execute("SELECT id FROM articles WHERE path LIKE '%/3.txt'").fetchone()[0]
        lib.notes.add(noted_id, quote="Sentence 3 about rivers", body="a note that must survive")
    return path


def smash_pages_of(path: Path, table: str) -> None:
    """Overwrite the middle page of a table's b-tree with garbage (mid-file damage)."""
    conn = sqlite3.connect(path)
    pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) > 2 and not Path(f"{path}-wal").exists()
    with path.open("r+b") as fh:
        for page in pages[1:3]:
            fh.seek((page - 1) * size)
            fh.write(b"\xa5" * size)


def test_a_clean_library_opens_without_a_check_and_a_changed_one_is_checked(noted):
    from store.library_file import changed_since_clean_close

    assert not changed_since_clean_close(noted)
    smash_pages_of(noted, "articles_fts_data")
    assert changed_since_clean_close(noted)


def test_mid_file_damage_is_refused_at_open_with_the_way_out_and_nothing_written(noted):
    smash_pages_of(noted, "articles_fts_data")
    before = noted.read_bytes()
    with pytest.raises(LibraryError, match="damaged.*backup --salvage"):
        Library(noted)
    assert noted.read_bytes() == before
    out = run("stats", "--library", str(noted))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "damaged" in out.stderr
    out = run("backup", str(noted.parent / "b.json"), "--library", str(noted))
    assert out.returncode == 2 and "damaged" in out.stderr and not (noted.parent / "b.json").exists()


def test_salvage_saves_the_notes_and_names_what_it_could_not_read(noted, tmp_path):
    smash_pages_of(noted, "articles")
    backup = tmp_path / "salvaged.json"
    out = run("backup", str(backup), "--salvage", "--library", str(noted))
    data = json.loads(backup.read_text())
    # the damaged pages hold article text: those rows are named, the rest is saved
    assert out.returncode == 1 and "articles: could not be read from the damaged library" in out.stderr
    assert "rows on damaged pages" in data["unreadable"]["articles"]
    fresh = tmp_path / "fresh.db"
    restored = run("restore", str(backup), "--library", str(fresh))
    assert restored.returncode == 0, restored.stderr
    with Library(fresh) as lib:
        assert [n.body for n in lib.notes.list()] == ["a note that must survive"]

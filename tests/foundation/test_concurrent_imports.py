"""Several `margin import` processes at once, on a new and on an existing library: every one
succeeds, none sees "database is locked", and no write is lost (articles counted)."""
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]
PROCESSES, FILES = 4, 25


def folders(tmp_path: Path) -> tuple[list[Path], Path]:
    own = []
    for p in range(PROCESSES):
        folder = tmp_path / f"p{p}"
        folder.mkdir()
        for i in range(FILES):
            text = f"Story {p}-{i}\n\nProcess {p} wrote article {i} about topic {i * 7 % 11}.\n"
            (folder / f"{i}.txt").write_text(text)
        own.append(folder)
    shared = tmp_path / "shared"  # imported by every process: one article each, not four
    shared.mkdir()
    for i in range(5):
        (shared / f"{i}.txt").write_text(f"Shared {i}\n\nEveryone imports this text number {i}.\n")
    return own, shared


def run_together(library: Path, own: list[Path], shared: Path, *extra: str) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    procs = [subprocess.Popen([*MARGIN, "import", str(folder), str(shared), "--library", str(library), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for folder in own]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


def check(library: Path, results: list, expected: int) -> None:
    for r in results:
        assert r.returncode == 0 and "locked" not in r.stderr and not r.stderr.strip(), r.stderr
    conn = sqlite3.connect(library)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == expected
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
    assert len(names) == len(set(names))
    conn.close()


@pytest.mark.parametrize("trial", range(3))
def test_concurrent_imports_into_a_new_library_all_succeed(tmp_path, trial):
    own, shared = folders(tmp_path)
    library = tmp_path / "new" / "library.db"
    check(library, run_together(library, own, shared, "--no-enrich"), PROCESSES * FILES + 5)


def library_with_one_article(tmp_path, body: str):
    """A library that already exists: one article imported by an earlier `margin import`."""
    library = tmp_path / "library.db"
    first = tmp_path / "first.txt"
    first.write_text(f"Already here\n\n{body}\n")
    subprocess.run([*MARGIN, "import", str(first), "--library", str(library), "--no-enrich"], cwd=ROOT, check=True,
                   capture_output=True)
    return library


@pytest.mark.parametrize("trial", range(2))
def test_concurrent_imports_into_an_existing_library_all_succeed(tmp_path, trial):
    own, shared = folders(tmp_path)
    library = library_with_one_article(tmp_path, "The library had this one.")
    check(library, run_together(library, own, shared, "--no-enrich"), PROCESSES * FILES + 6)


def test_concurrent_imports_with_enrichment_all_succeed(tmp_path):
    own, shared = folders(tmp_path)
    library = tmp_path / "library.db"
    check(library, run_together(library, own[:3], shared), 3 * FILES + 5)
    conn = sqlite3.connect(library)
    assert conn.execute("SELECT count(*) FROM articles WHERE enriched_hash IS NOT body_hash").fetchone()[0] == 0
    conn.close()


def test_notes_added_in_a_loop_beside_imports_and_an_open_reader_are_all_kept(tmp_path):
    own, shared = folders(tmp_path)
    library = library_with_one_article(tmp_path, "The library had this one, about the harbour wall.")
    reader = sqlite3.connect(library)  # a reader holding a read transaction all along
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    added: list[subprocess.CompletedProcess] = []

    def add_notes() -> None:  # one `margin notes add` process after another
        for i in range(1, 9):
            added.append(subprocess.run([*MARGIN, "notes", "add", "1", "--quote", "harbour", "--body", f"note {i}",
                                         "--library", str(library)], capture_output=True, text=True, env=env,
                                        cwd=ROOT, timeout=120))

    notes = threading.Thread(target=add_notes)
    notes.start()
    imports = run_together(library, own[:2], shared)
    notes.join()
    reader.rollback()
    reader.close()
    assert [(r.returncode, r.stderr) for r in added] == [(0, "")] * 8
    check(library, imports, 2 * FILES + 6)
    conn = sqlite3.connect(library)
    assert sorted(b for (b,) in conn.execute("SELECT body FROM notes")) == sorted(f"note {i}" for i in range(1, 9))
    conn.close()

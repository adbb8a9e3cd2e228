"""A full disk (issue 19.11): import stops with a summary naming where, keeping what earlier
batches stored; backup leaves no half-written .tmp and says what happened in one line."""
from __future__ import annotations

import os
import resource
import signal
import subprocess

from store.library import Library
from tests.conftest import ROOT, SEED
from tests.hostile.procs import MARGIN


def test_import_into_a_full_library_stops_with_a_summary_and_keeps_earlier_batches(tmp_path, monkeypatch):
    import store.importing

    monkeypatch.setattr(store.importing, "BATCH", 20)
    folder = tmp_path / "in"
    folder.mkdir()
    text = SEED.read_text()
    for i in range(100):
        (folder / f"a{i:03d}.txt").write_text(f"Story {i}\n\n{text}")
    with Library(tmp_path / "l.db") as lib:
        lib.import_paths([str(folder / "a000.txt")])
        pages = lib.db.conn.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own "database or disk is full", as from a full disk, after a few batches
        lib.db.conn.execute(f"PRAGMA max_page_count = {pages + 120}")
        report = lib.import_paths([str(folder)])
        stored = lib.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert lib.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (name, reason), = report.failed
    assert name == "(library)" and reason.startswith("disk full: stopped after ")
    assert 1 < stored < 100
    assert stored == 1 + report.imported  # what the report counts is what is stored (a000 was there)


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))  # over -shm and -wal, under the backup


def test_backup_that_cannot_be_written_leaves_no_tmp_and_says_so(tmp_path):
    lib_path = tmp_path / "l.db"
    with Library(lib_path) as lib:
        for i in range(40):
            art = lib.import_text(f"Story {i}\n\nMoscow and Paris, paragraph {i}.\n").article_ids[0]
            lib.notes.add(art, quote="Moscow and Paris", body="n" * 10_000)
    out = tmp_path / "b.json"
    res = subprocess.run([*MARGIN, "backup", str(out), "--library", str(lib_path)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, preexec_fn=_small_files, env={**os.environ, "NO_COLOR": "1"})
    assert res.returncode == 1
    assert res.stderr.startswith("margin: ") and "cannot write" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.splitlines()) == 1
    assert not out.exists() and not (tmp_path / "b.json.tmp").exists()

"""A library in a read-only file or folder opens read-only (issue 19.11): reading works, a
write says in one line that the library is read-only, and nothing is changed."""
from __future__ import annotations

import os
import subprocess

import pytest

from store.library import Library
from tests.conftest import ROOT
from tests.hostile.procs import ENV, MARGIN, as_unprivileged


def margin(*args: str) -> subprocess.CompletedProcess:
    drop = as_unprivileged if os.geteuid() == 0 else None  # root writes everything otherwise
    return subprocess.run([*MARGIN, *args], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120,
                          preexec_fn=drop)


@pytest.fixture(params=["folder", "file"])
def readonly_library(tmp_path, request):
    folder = tmp_path / "lib"
    folder.mkdir()
    path = folder / "library.db"
    with Library(path) as lib:
        art = lib.import_text("Read only story\n\nMoscow and Paris are named here.\n").article_ids[0]
        lib.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()
    path.chmod(0o444)
    if request.param == "folder":
        folder.chmod(0o555)
    yield path, art, before
    folder.chmod(0o755)
    path.chmod(0o644)


def test_a_read_only_library_can_be_read_and_refuses_writes_in_one_line(readonly_library):
    path, art, before = readonly_library
    shown = margin("show", str(art), "--library", str(path))
    assert shown.returncode == 0 and "Read only story" in shown.stdout, shown.stderr
    found = margin("search", "Moscow", "--library", str(path))
    assert found.returncode == 0 and "Read only story" in found.stdout
    write = margin("notes", "add", str(art), "--body", "a note", "--library", str(path))
    assert write.returncode == 1
    assert write.stderr.startswith("margin: the library is read-only") and len(write.stderr.splitlines()) == 1
    assert path.read_bytes() == before

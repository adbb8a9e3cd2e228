"""Libraries made by every earlier schema open with today's code, notes intact; an upgrade
killed in the middle leaves a library that opens (tests/fixtures/libraries/build.py made them)."""
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest

from store.db import known_migrations
from store.library import Library
from store.library_file import MARGIN_APP_ID
from tests.conftest import FIXTURES, ROOT

LIBRARIES = sorted((FIXTURES / "libraries").glob("schema-*.db"))
QUOTE = "rebuild the old river bridge"


def notes_intact(lib: Library) -> None:
    notes = sorted(lib.notes.list(), key=lambda n: n.start is None)
    assert [n.body for n in notes] == ["see [[River Bridge]]", "a note on the whole article"]
    quoted = notes[0]
    body = lib.article(quoted.article_id)["body"]
    assert quoted.exact == QUOTE and body[quoted.start:quoted.end] == QUOTE
    assert (quoted.tags, quoted.color, quoted.state) == (["city"], "yellow", "anchored")


def test_there_is_a_library_for_each_earlier_schema():
    assert len(LIBRARIES) >= 10


@pytest.mark.parametrize("fixture", LIBRARIES, ids=[p.stem for p in LIBRARIES])
def test_a_library_from_an_earlier_schema_opens_with_its_notes(tmp_path, fixture):
    path = tmp_path / "library.db"
    shutil.copy(fixture, path)
    with Library(path) as lib:
        notes_intact(lib)
        assert {r[0] for r in lib.db.conn.execute("SELECT name FROM _migrations")} == set(known_migrations())
        assert lib.db.conn.execute("PRAGMA application_id").fetchone()[0] == MARGIN_APP_ID
        assert len(lib.search("bridge")) == 1
        stats = lib.stats()
        assert (stats["articles"], stats["starred"], stats["notes"]) == (1, 1, 2)
    with Library(path) as again:  # and again, with nothing left to apply
        notes_intact(again)
        assert again.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILL_MID_UPGRADE = r"""
import os, signal, sys
import store.migrations.m0007_entity_df as m

original = m.up
def up(db):
    original(db)
    os.kill(os.getpid(), signal.SIGKILL)  # killed in the middle of the upgrade
m.up = up
from store.library import Library
Library(sys.argv[1])
"""


def test_an_upgrade_killed_in_the_middle_leaves_a_library_that_opens(tmp_path):
    path = tmp_path / "library.db"
    shutil.copy(LIBRARIES[0], path)
    before = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM _migrations")}
    killed = subprocess.run([sys.executable, "-c", KILL_MID_UPGRADE, str(path)], cwd=ROOT, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    assert {r[0] for r in conn.execute("SELECT name FROM _migrations")} == before  # nothing half-done
    conn.close()
    with Library(path) as lib:
        notes_intact(lib)
        assert lib.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

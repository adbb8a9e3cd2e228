"""Files that are not margin's to change are refused byte-identical, with no -wal/-shm beside
them; checks run before margin switches the journal mode or writes anything."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store.errors import LibraryError
from store.library import Library
from store.library_file import MARGIN_APP_ID
from tests.conftest import ROOT

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]


def snapshot(path: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())}


def other_program_db(path: Path, journal: str = "delete") -> Path:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '555')")
    conn.commit()
    conn.close()
    return path


def rollback_mode(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path, journal):
    path = other_program_db(tmp_path / "contacts.db", journal)
    before = snapshot(path)
    with pytest.raises(LibraryError, match="another program .*contacts.*left untouched.*--init"):
        Library(path)
    assert snapshot(path) == before


def test_with_init_margin_adds_its_tables_and_keeps_the_other_programs(tmp_path):
    path = other_program_db(tmp_path / "contacts.db")
    with Library(path, init=True) as lib:
        assert lib.stats()["articles"] == 0
        assert lib.db.conn.execute("SELECT name FROM contacts").fetchall() == [("Ada",)]
    Library(path).close()  # now margin's: opens without --init


def test_an_empty_sqlite_file_becomes_a_library(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    path.touch()
    with Library(path) as lib:
        assert lib.db.conn.execute("PRAGMA application_id").fetchone()[0] == MARGIN_APP_ID


def altered_library(path: Path, *statements: str) -> Path:
    """A margin library changed by another hand, then put in rollback-journal mode."""
    Library(path).close()
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    rollback_mode(path)
    return path


@pytest.mark.parametrize("statements, message", [
    (["PRAGMA user_version = 9999"], "newer margin"),
    # as a library made before the header mark
    (["INSERT INTO _migrations VALUES ('m9999_future', 'x')", "PRAGMA application_id = 0"], "newer margin"),
    (["DROP TABLE _migrations"], "_migrations table is missing"),
], ids=["newer-by-header", "newer-by-migrations", "migrations-dropped"])
def test_a_newer_or_unknown_library_in_rollback_journal_mode_is_refused_untouched(tmp_path, statements, message):
    path = altered_library(tmp_path / "library.db", *statements)
    before = snapshot(path)
    with pytest.raises(LibraryError, match=message):
        Library(path)
    assert snapshot(path) == before


def test_the_cli_refuses_with_one_line_and_exit_2_and_init_makes_it_a_library(tmp_path):
    path = other_program_db(tmp_path / "contacts.db")
    before = snapshot(path)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    out = subprocess.run([*MARGIN, "stats", "--library", str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "another program" in out.stderr
    assert snapshot(path) == before
    out = subprocess.run([*MARGIN, "stats", "--init", "--library", str(path)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr

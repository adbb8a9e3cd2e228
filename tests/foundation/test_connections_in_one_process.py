"""Several connections to one library in one process (the reader, its note and mark
writer, its refresh and page workers): opening one must not release the locks the others
hold, or another process takes itself for the library's last user, deletes the WAL, and
what this process writes next is lost."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store.library import Library

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
print(conn.execute(sys.argv[2]).fetchone()[0])
conn.close()
"""


def in_another_process(path: Path, sql: str) -> str:
    return subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path), sql], check=True,
                          capture_output=True, text=True, timeout=60).stdout.strip()


def test_a_second_connection_in_the_process_keeps_the_writes_of_both_visible_to_others(tmp_path):
    path = tmp_path / "library.db"
    Library(path).close()
    with Library(path) as reader:
        reader.db.conn.execute("SELECT count(*) FROM articles").fetchone()
        with Library(path) as writer:  # as the reader's writer opens beside it
            assert in_another_process(path, "PRAGMA user_version") != ""  # opens and closes the library
            assert Path(f"{path}-wal").exists()  # it knew it was not the last one
            writer.import_text("Written after\n\nBy the second connection, while the first is open.")
            reader.import_text("Written by the first\n\nThe reader's own connection writes too.")
            assert in_another_process(path, "SELECT count(*) FROM articles") == "2"
    assert in_another_process(path, "SELECT count(*) FROM articles") == "2"

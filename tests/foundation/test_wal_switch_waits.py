"""A new library is switched to WAL while another process holds a lock on it: the open waits
its turn as the busy timeout promises, where SQLite alone fails at once ("database is locked")."""
import sqlite3
import threading

from store.db import open_db


def test_opening_a_rollback_mode_file_waits_for_another_writer_before_switching_to_wal(tmp_path):
    path = tmp_path / "library.db"
    seed = sqlite3.connect(path)
    seed.execute("CREATE TABLE seed (x)")  # an empty file another margin has just begun, still rollback mode
    seed.commit()
    seed.close()
    writer = sqlite3.connect(path, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # another margin creating the file: its header write holds the lock
    writer.execute("INSERT INTO seed VALUES (1)")
    releaser = threading.Timer(0.5, writer.rollback)
    releaser.start()
    try:
        db = open_db(path, init=True)
    finally:
        releaser.join()
        writer.close()
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] > 0
    db.conn.close()

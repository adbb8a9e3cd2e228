"""Backup -> restore into a fresh library reproduces every user-made row, compared table by
table with articles named by their stable keys; restoring onto a library with data merges."""
import pytest

from store.backup import restore_backup, write_backup
from store.entities.rules import add_rule
from store.library import Library


def user_rows(lib: Library) -> dict[str, list]:
    """Every row the user made, with article ids replaced by article keys (ids differ between libraries)."""
    c = lib.db.conn
    key = "(SELECT key FROM articles WHERE id = {})"
    note = "(SELECT created_at || body FROM notes WHERE id = note_id)"
    q = {
        "notes": "SELECT " + key.format("article_id") + ', start, "end", exact, prefix, suffix, current_exact, body,'
                 " tags, color, state, made_on_hash, created_at, updated_at FROM notes",
        "note_events": f"SELECT {note}, at, old_state, new_state, old_start, old_end, new_start, new_end,"
                       " old_text, new_text, reason FROM note_events",
        "note_links": f"SELECT {note}, name, name_key FROM note_links",
        "article_state": "SELECT key, tags, read, starred FROM articles WHERE read OR starred OR tags != '[]'",
        "links": "SELECT " + key.format("src") + ", " + key.format("dst")
                 + ", note, created_at FROM links WHERE kind = 'user'",
        "link_blocks": "SELECT " + key.format("min(src, dst)") + ", " + key.format("max(src, dst)")
                       + " FROM link_blocks",
        "entity_rules": "SELECT action, subject, value, created_at FROM entity_rules",
        "saved_searches": "SELECT name, query FROM saved_searches",
        "settings": "SELECT key, value FROM settings",
        "feeds": "SELECT url, title, site_url, tags, hidden, disabled FROM feeds",
    }
    out = {t: sorted(c.execute(sql).fetchall(), key=repr) for t, sql in q.items()}
    out["link_blocks"] = sorted(tuple(sorted(r)) for r in out["link_blocks"])
    return out


@pytest.fixture
def full(tmp_path):
    """A library with at least one row of every kind the user makes."""
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {
        "a.txt": "Talks in Moscow\n\nPutin met Hollande in Moscow. Putin spoke first.\n\nThe air strikes went on.\n",
        "b.txt": "Rain in Paris\n\nThe Seine rose again on Tuesday, and the quays closed.\n",
        "c.txt": "Harvest\n\nFarmers in Kent began the apple harvest early this year.\n",
        "d.txt": "Night trains\n\nA sleeper service returns between Vienna and Brussels.\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text)
    lib = Library(tmp_path / "full.db")
    lib.import_paths([str(folder)])
    c = lib.db.conn
    ids = dict(c.execute("SELECT substr(path, -5), id FROM articles"))
    note = lib.notes.add(ids["a.txt"], quote="Putin spoke first", body="see [[Putin]]", tags=["talks"])
    lib.notes.edit(note.id, color="yellow")
    lib.notes.add(ids["b.txt"], quote="quays closed", body="flooding", color="blue")
    lib.notes.add(ids["c.txt"], body="an article note, no quote")
    # an edit of the text re-anchors the first note: that writes a note event
    (folder / "a.txt").write_text(texts["a.txt"].replace("Putin met", "On Monday Putin met"))
    lib.import_paths([str(folder / "a.txt")])
    assert c.execute("SELECT count(*) FROM note_events").fetchone()[0] >= 1
    lib.set_read(ids["d.txt"])
    lib.set_starred(ids["c.txt"])
    with c:
        c.execute("UPDATE articles SET tags = '[\"keep\", \"later\"]' WHERE id = ?", (ids["d.txt"],))
        add_rule(c, "hide", "Tuesday")
        add_rule(c, "rename", "Putin", "Vladimir Putin")
        c.execute("INSERT INTO saved_searches (name, query) VALUES ('moscow', 'Moscow is:unread')")
        c.execute("INSERT INTO settings (key, value) VALUES ('theme', 'dark')")
        c.execute("INSERT INTO feeds (url, title, site_url, tags, hidden, disabled, added_at) VALUES"
                  " ('http://127.0.0.1:9/feed.xml', 'My feed', 'http://127.0.0.1:9/', '[\"news\"]', 1, 1, 'x')")
    lib.related.link(ids["c.txt"], ids["d.txt"], note="both about travel")
    lib.related.unlink(ids["a.txt"], ids["b.txt"])
    yield lib, folder
    lib.close()


def test_every_user_row_survives_backup_and_restore_into_a_fresh_library(full, tmp_path):
    lib, folder = full
    before = user_rows(lib)
    assert all(before[t] for t in before), [t for t in before if not before[t]]
    write_backup(lib, tmp_path / "b.json")
    with Library(tmp_path / "fresh.db") as fresh:
        restore_backup(fresh, tmp_path / "b.json")
        fresh.import_paths([str(folder)])  # the articles without notes arrive later
        after = user_rows(fresh)
    for table in before:
        assert after[table] == before[table], table


def test_restoring_onto_a_library_with_data_merges_and_keeps_both_sides(full, tmp_path):
    lib, folder = full
    write_backup(lib, tmp_path / "b.json")
    with Library(tmp_path / "other.db") as other:
        other.import_paths([str(folder)])
        c = other.db.conn
        ids = dict(c.execute("SELECT substr(path, -5), id FROM articles"))
        own = other.notes.add(ids["b.txt"], quote="Seine", body="my own note")
        with c:
            c.execute("INSERT INTO saved_searches (name, query) VALUES ('moscow', 'something else')")
            c.execute("UPDATE articles SET tags = '[\"mine\"]' WHERE id = ?", (ids["d.txt"],))
        counts = restore_backup(other, tmp_path / "b.json")
        again = restore_backup(other, tmp_path / "b.json")
        assert counts["notes"] == 3 and again["notes"] == 0 and again["already_there"] > 0
        assert own.id in [n.id for n in other.notes.for_article(ids["b.txt"])]
        assert dict(c.execute("SELECT name, query FROM saved_searches")) == {
            "moscow": "something else", "moscow (restored)": "Moscow is:unread"}
        assert other.article(ids["d.txt"])["tags"] == ["mine", "keep", "later"]
        assert c.execute("SELECT count(*) FROM notes").fetchone()[0] == 4


def test_a_backup_row_the_schema_refuses_restores_nothing_and_names_the_damage(full, tmp_path):
    import json

    from store.backup import make_backup
    from store.errors import MarginError

    lib, _ = full
    data = make_backup(lib)
    data["articles"][-1]["origin"] = "neither feed nor text"  # fails the articles' CHECK
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with Library(tmp_path / "fresh.db") as fresh:
        with pytest.raises(MarginError, match="backup is damaged .*IntegrityError"):
            restore_backup(fresh, path)
        assert fresh.db.conn.execute("SELECT count(*) FROM feeds").fetchone()[0] == 0

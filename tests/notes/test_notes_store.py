import json

import pytest

from store.errors import MarginError
from store.library import Library


@pytest.fixture
def article(lib, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Talks in Moscow\n\nPutin met Hollande in Moscow. Putin spoke first.\n\n"
                    "The air strikes went on over Syria.\n")
    lib.import_paths([str(path)])
    return path, 1


def test_add_by_quote_occurrence_offsets_and_whole_article(lib, article):
    _, art = article
    first = lib.notes.add(art, quote="Putin", body="one")
    second = lib.notes.add(art, quote="Putin", occurrence=2, body="two", tags=["#ru", "ru", "war"])
    body = lib.article(art)["body"]
    by_offsets = lib.notes.add(art, start=0, end=5, body="three")
    whole = lib.notes.add(art, body="about it all")
    assert body[first.start:first.end] == body[second.start:second.end] == "Putin"
    assert second.start > first.start and second.tags == ["ru", "war"]
    assert by_offsets.exact == body[:5] and whole.start is None
    assert [n["id"] for n in lib.record(art)["notes"]][-1] == whole.id
    assert set(lib.record(art)["notes"][0]) >= {"id", "start", "end", "exact", "prefix", "suffix", "body", "tags",
                                                 "color", "state", "created_at", "updated_at"}


@pytest.mark.parametrize("kwargs, words", [
    ({"quote": "Medvedev"}, "does not occur"),
    ({"quote": "Putin", "occurrence": 3}, "occurs only 2"),
    ({"quote": "  "}, "empty"),
    ({"start": 5, "end": 9999}, "outside the body"),
    ({"start": 9, "end": 3}, "outside the body"),
    ({"start": 3}, "both"),
])
def test_bad_anchors_are_refused_with_a_reason(lib, article, kwargs, words):
    with pytest.raises(MarginError, match=words):
        lib.notes.add(article[1], body="x", **kwargs)
    assert lib.notes.for_article(article[1]) == []


def test_reimport_of_changed_text_reanchors_inside_the_import_and_records_events(lib, article):
    path, art = article
    kept = lib.notes.add(art, quote="air strikes went on", body="k")
    gone = lib.notes.add(art, quote="Hollande", body="g")
    path.write_text("Talks in Moscow\n\nA new first paragraph.\n\nPutin met Macron in Moscow. Putin spoke first.\n\n"
                    "The air strikes went on over Syria.\n")
    report = lib.import_paths([str(path)])
    assert report.updated == 1
    states = {n.id: n for n in lib.notes.for_article(art)}
    body = lib.article(art)["body"]
    assert (states[kept.id].state == "anchored"
            and body[states[kept.id].start:states[kept.id].end] == "air strikes went on")
    assert states[gone.id].state == "orphaned" and states[gone.id].exact == "Hollande"
    events = lib.notes.events(gone.id)
    assert events[-1]["new_state"] == "orphaned" and events[-1]["old_text"] == "Hollande"
    assert lib.stats()["notes_orphaned"] == 1
    assert [h.id for h in lib.search("is:orphaned")] == [art]


def test_a_changed_note_follows_its_new_text_when_the_paragraph_moves(lib, tmp_path):
    path = tmp_path / "moved.txt"
    first, noted, last = ("Putin met Hollande in Moscow on Thursday.", "The air strikes went on over Syria all week.",
                          "Ankara closed the border to trucks carrying oil.")
    rest = ["Rebels near Aleppo fought army units.", "Jets flew over Latakia at night."]
    path.write_text("\n\n".join(["Talks in Moscow", first, noted, last, *rest]) + "\n")
    art = lib.import_paths([str(path)]).article_ids[0]
    note = lib.notes.add(art, quote="air strikes went on over Syria", body="n")
    edited = noted.replace("over Syria", "over northern Syria")
    path.write_text("\n\n".join(["Talks in Moscow", first, edited, last, *rest]) + "\n")
    lib.import_paths([str(path)])
    changed = lib.notes.get(note.id)
    assert (changed.state, changed.current_exact) == ("changed", "air strikes went on over northern Syria")
    # the edited paragraph moves to the end
    path.write_text("\n\n".join(["Talks in Moscow", first, last, *rest, edited]) + "\n")
    lib.import_paths([str(path)])
    moved = lib.notes.get(note.id)
    body = lib.article(art)["body"]
    assert moved.state == "changed" and moved.exact == "air strikes went on over Syria"
    assert body[moved.start:moved.end] == moved.current_exact == "air strikes went on over northern Syria"
    assert moved.start > body.index(last)


def test_markup_and_escapes_in_note_bodies_are_stored_as_text(lib, article):
    note = lib.notes.add(article[1], quote="Putin", body="[bold red]loud[/] \x1b[31mred\x1b[0m")
    assert note.body == "[bold red]loud[/] red"


def test_wiki_links_give_backlinks_and_notes_are_searchable(lib, article):
    lib.notes.add(article[1], quote="Putin", body="Compare with [[Vladimir Putin]] and [[Syria|the war]]",
                  tags=["kremlin"])
    assert [n.body[:7] for n in lib.notes.backlinks("vladimir putin")] == ["Compare"]
    assert len(lib.notes.backlinks("Syria")) == 1
    assert [h.id for h in lib.search("note:compare")] == [article[1]]
    assert [h.id for h in lib.search("#kremlin")] == [article[1]]
    assert [n.body[:7] for n in lib.notes.list("compare")] == ["Compare"]


def test_edit_and_delete_are_the_users(lib, article):
    note = lib.notes.add(article[1], quote="Putin", body="first")
    edited = lib.notes.edit(note.id, body="second [[Moscow]]", tags=["x"], color="blue")
    assert (edited.body, edited.tags, edited.color) == ("second [[Moscow]]", ["x"], "blue")
    assert len(lib.notes.backlinks("Moscow")) == 1
    lib.notes.delete(note.id)
    assert lib.notes.for_article(article[1]) == []


def test_backup_round_trip_loses_nothing_and_merges_without_duplicates(lib, article, tmp_path):
    from store.backup import restore_backup, write_backup

    n = lib.notes.add(article[1], quote="Putin", body="kept [[Syria]]", tags=["t"], color="red")
    lib.set_starred(article[1])
    lib.db.conn.execute("INSERT INTO entity_rules (action, subject, value, created_at)"
                        " VALUES ('hide', 'Russian', NULL, 'x')")
    lib.db.conn.commit()
    backup = tmp_path / "b.json"
    write_backup(lib, backup)
    with Library(tmp_path / "other.db") as other:
        restore_backup(other, backup)
        restore_backup(other, backup)
        notes = other.notes.for_article(1)
        assert [(x.exact, x.body, x.tags, x.color, x.start) for x in notes] == [
            (n.exact, n.body, n.tags, n.color, n.start)]
        assert other.article(1)["starred"] == 1
        assert other.db.conn.execute("SELECT count(*) FROM entity_rules").fetchone()[0] == 1
        assert len(other.notes.backlinks("Syria")) == 1


@pytest.mark.parametrize("content, words", [
    ("not json", "not a margin backup"),
    (json.dumps({"format": "something-else"}), "not a margin backup"),
    (json.dumps({"format": "margin-backup", "version": 99}), "newer margin"),
])
def test_foreign_or_newer_backups_change_nothing(lib, article, tmp_path, content, words):
    from store.backup import restore_backup

    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(MarginError, match=words):
        restore_backup(lib, path)


def test_restore_that_fails_halfway_rolls_back(lib, article, tmp_path):
    from store.backup import make_backup, restore_backup

    lib.notes.add(article[1], quote="Putin", body="one")
    data = make_backup(lib)
    data["notes"].append({"article_key": data["notes"][0]["article_key"]})  # broken record
    data["notes"][0]["created_at"] = "another time"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    with pytest.raises(MarginError, match="backup is damaged"):
        restore_backup(lib, path)
    assert len(lib.notes.for_article(article[1])) == 1


def test_exports_markdown_per_article_and_w3c_collection(lib, article, tmp_path):
    from store.notes.export import export_markdown, export_w3c

    lib.notes.add(article[1], quote="Putin met Hollande", body="See [[Hollande]]", tags=["fr"])
    files = export_markdown(lib, tmp_path / "vault")
    text = files[0].read_text()
    assert text.startswith("---\ntitle: \"Talks in Moscow\"") and "> Putin met Hollande" in text
    assert "See [[Hollande]]" in text and "#fr" in text
    doc = export_w3c(lib)
    item = doc["first"]["items"][0]
    assert doc["type"] == "AnnotationCollection" and item["body"][0]["format"] == "text/markdown"
    types = [s["type"] for s in item["target"]["selector"]]
    assert types == ["TextQuoteSelector", "TextPositionSelector"]
    assert item["target"]["source"].startswith("urn:margin:article:")


def test_events_record_creation_and_edits_and_older_notes_get_their_creation(lib, article):
    """Issue 16.14: events were only written when the text moved a note."""
    _, art = article
    note = lib.notes.add(art, quote="Putin", body="one", color="Green")
    assert note.color == "green"
    lib.notes.edit(note.id, body="one")  # nothing changed: no event
    lib.notes.edit(note.id, color="red")
    assert [e["reason"] for e in lib.notes.events(note.id)] == ["created", "edited colour"]
    with lib.db.conn:  # a note from before creation was recorded
        lib.db.conn.execute("DELETE FROM note_events WHERE note_id = ?", (note.id,))
    [created] = lib.notes.events(note.id)
    assert created["reason"] == "created" and created["at"] == note.created_at and created["new_text"] == "Putin"
    with pytest.raises(MarginError, match="yellow, green, blue, red, purple"):
        lib.notes.add(art, body="x", color="chartreuse")

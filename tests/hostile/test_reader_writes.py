"""Key-driven writes in the reader never wait in the UI thread (issue 19.11): while another
process holds the library's write lock, `s`, `u`, opening an article and saving a note
answer at once, and the marks and the note reach the library when the lock is released."""
from __future__ import annotations

import json
import sqlite3

from store.library import Library
from tests.tui.conftest import app, reader_library, reader_library_template  # noqa: F401
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.panels import NotesPanel


async def test_marks_wait_for_another_writer_off_the_ui_thread(app, reader_library):  # noqa: F811
    other = sqlite3.connect(reader_library, isolation_level=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        art = articles.current_id
        other.execute("BEGIN IMMEDIATE")  # as an import or `margin enrich` in its transaction
        other.execute("UPDATE feeds SET title = title")
        try:
            await pilot.press("s", "u")
            row = articles.row(articles.cursor)
            assert row.starred and row.read  # shown at once
            await pilot.press("j", "j")
            assert articles.cursor == 2  # keys go on while the writes wait
            await pilot.press("k", "k", "s")  # toggles again from the pending state, not the stale row
            assert not articles.row(0).starred
        finally:
            other.execute("COMMIT")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.lib.article(art)["starred"] == 0 and app.lib.article(art)["read"] == 1
        assert app.pending_flags == {}
    other.close()


async def open_editor(pilot, app) -> int:
    await pilot.press("enter", "v", "w", "a")
    await pilot.pause()
    assert app.screen.__class__.__name__ == "NoteEditor"
    return app.screen_stack[0].current_id


def drafts_file(tmp_path) -> dict:
    path = tmp_path / "margin" / "drafts.json"
    return json.loads(path.read_text()) if path.exists() else {}


async def test_a_note_saved_while_another_program_writes_waits_off_the_ui_thread(
        app, reader_library, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    other = sqlite3.connect(reader_library, isolation_level=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        art = await open_editor(pilot, app)
        other.execute("BEGIN IMMEDIATE")  # as an import or `margin enrich` in its transaction
        other.execute("UPDATE feeds SET title = title")
        try:
            await pilot.press(*"written while locked", "ctrl+s")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "ReaderScreen"
            # the draft holds the note until it is stored: a reader killed now loses nothing
            assert [d["body"] for d in drafts_file(tmp_path).values()] == ["written while locked"]
            await pilot.press("q", "j", "j")  # keys go on while the note waits
            articles = app.screen.query_one(ArticleList)
            assert articles.cursor == 2
            assert not any(n.body == "written while locked" for n in app.lib.notes.for_article(art))
            await pilot.pause(1.2)
            assert any("another program is writing" in m for m in app.messages)
        finally:
            other.execute("COMMIT")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [n.body for n in app.lib.notes.for_article(art)].count("written while locked") == 1
        assert drafts_file(tmp_path) == {}
        assert articles.row(0).has_note  # the row of the noted article, though the reader moved on
        await pilot.press("k", "k", "enter")
        await pilot.pause()
        assert any(n["body"] == "written while locked" for n in app.screen.query_one(ArticleView).data.notes)
    other.close()


async def test_a_note_that_cannot_be_stored_is_said_and_its_text_kept_as_a_draft(
        app, reader_library, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        art = await open_editor(pilot, app)
        await pilot.press(*"first thought", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = next(n for n in app.lib.notes.for_article(art) if n.body == "first thought")
        await pilot.press("m")  # the notes panel, on the note
        await pilot.pause()
        # meanwhile `margin notes delete` in a shell deletes it
        with Library(reader_library) as other:
            other.notes.delete(note.id)
        notes = app.screen.query_one(NotesPanel)
        notes.focus()
        notes.post_message(NotesPanel.EditRequested(note.id))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "NoteEditor"
        await pilot.press("end", *" and a second", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("Could not save the note: no note with id") and "kept" in m for m in app.messages)
        assert drafts_file(tmp_path) and [d["body"] for d in drafts_file(tmp_path).values()] == [
            "first thought and a second"]


async def test_quitting_while_a_mark_waits_for_the_lock_neither_crashes_nor_loses_it(app, reader_library):  # noqa: F811
    import asyncio

    other = sqlite3.connect(reader_library, isolation_level=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        art = app.screen.query_one(ArticleList).current_id
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE feeds SET title = title")
        await pilot.press("s")
        await pilot.pause(0.3)  # the mark is waiting for the lock as the reader closes
    other.execute("COMMIT")  # closing its connection under the waiting write crashed the process
    other.close()
    for _ in range(400):
        with Library(reader_library) as lib:
            if lib.article(art)["starred"]:
                break
        await asyncio.sleep(0.1)
    with Library(reader_library) as lib:
        assert lib.article(art)["starred"] == 1

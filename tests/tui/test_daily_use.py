"""The reader as a daily tool (issue 16): what a newcomer tripped on, each pinned by a test."""
from __future__ import annotations

from datetime import UTC

from tests.feeds.conftest import server  # noqa: F401  (the loopback feed server fixture)
from tests.tui.conftest import write_config
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

SIZE = (120, 40)


def row_backgrounds(articles: ArticleList, y: int) -> set:
    return {seg.style.bgcolor for seg in articles.render_line(y) if seg.text}


async def test_the_list_cursor_covers_the_whole_unread_row(app):
    """16.2: an unread row's own (bold) style covered the cursor but for its edges."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        assert not articles.row(0).read and articles.cursor == 0 and articles.has_focus
        cursor_bg = articles.get_component_rich_style("article-list--cursor").bgcolor
        assert row_backgrounds(articles, 0) == {cursor_bg}
        assert cursor_bg not in row_backgrounds(articles, 1)
        title = next(seg for seg in articles.render_line(0) if articles.row(0).title[:10] in seg.text)
        assert title.style.bold  # still unread-bold under the cursor
        app.screen.query_one("#sidebar").focus()  # unfocused, the cursor is paler but still whole
        await pilot.pause()
        unfocused_bg = articles.get_component_rich_style("article-list--cursor").bgcolor
        assert unfocused_bg != cursor_bg and row_backgrounds(articles, 0) == {unfocused_bg}


async def test_reading_a_folded_row_reads_its_copies_and_the_counts_follow(app):
    """16.3: reading, starring and unread act on the group a row stands for."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        folded = next(i for i in range(articles.total) if articles.row(i).copies)
        group = app.lib.duplicate_group(articles.row(folded).id)
        assert len(group) == 2
        unread = app.lib.count("is:unread")
        await pilot.press(*["j"] * folded, "enter", "q")
        await pilot.pause(0.5)
        assert all(app.lib.article(i)["read"] for i in group)
        assert app.lib.count("is:unread") == unread - 1
        assert not any(h.id in group for h in app.lib.search("is:unread", limit=100))
        from tests.tui.test_reader_keys import sidebar_labels

        assert any(label.startswith(f"Unread {unread - 1}") for label in sidebar_labels(app))
        await pilot.press("u")
        assert not any(app.lib.article(i)["read"] for i in group)
        await pilot.press("s")
        assert all(app.lib.article(i)["starred"] for i in group)


async def open_editor(pilot, app) -> None:
    await pilot.press("enter", "v", "w", "a")
    await pilot.pause()
    assert app.screen.__class__.__name__ == "NoteEditor"


async def test_escape_in_the_note_editor_asks_before_discarding_typed_text(app, tmp_path, monkeypatch):
    """16.4: escape threw the typed text away without a question."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_editor(pilot, app)
        await pilot.press(*"keep me", "escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")  # no: back to the editor, text intact
        await pilot.pause()
        assert app.screen.__class__.__name__ == "NoteEditor"
        assert app.screen.query_one("#note-body").text == "keep me"
        await pilot.press("escape", "y")  # yes: discarded, nothing saved, no draft left
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReaderScreen"
        assert not app.screen.query_one(ArticleView).data.notes or all(
            n["body"] != "keep me" for n in app.screen.query_one(ArticleView).data.notes)
        await open_editor(pilot, app)
        assert app.screen.query_one("#note-body").text == ""
        await pilot.press("escape")  # nothing typed: closes at once, no question
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReaderScreen"


async def test_a_note_being_typed_when_the_reader_closes_comes_back_as_a_draft(reader_library, tmp_path, monkeypatch):
    from tui.app import make_app

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_editor(pilot, app)
        await pilot.press(*"half a thought")
        await pilot.press("ctrl+q")  # closes straight away, faster than the draft timer
    assert (tmp_path / "margin" / "drafts.json").exists()
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_editor(pilot, app)
        assert app.screen.query_one("#note-body").text == "half a thought"
        assert any("draft" in m for m in app.messages)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(n["body"] == "half a thought" for n in app.screen.query_one(ArticleView).data.notes)
    import json

    assert json.loads((tmp_path / "margin" / "drafts.json").read_text()) == {}  # saved: the draft is gone


async def test_the_note_editor_is_whole_at_80x24(app, tmp_path, monkeypatch):
    """16.10: tags, colour and Save/Cancel were below the screen's edge."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_editor(pilot, app)
        screen = app.screen.region
        for part in ("#note-body", "#note-tags", "#note-color", "#note-save", "#note-cancel"):
            region = app.screen.query_one(part).region
            assert screen.contains_region(region), (part, region)


async def test_after_a_refresh_the_cursor_stays_on_the_same_article(app, server):
    """16.9: new articles came in above and the cursor silently landed on another one."""
    from store.feeds.lists import Subscription
    from tests.feeds.conftest import Route, item, rss

    newest = "Tue, 01 Dec 2026 10:00:00 +0000"  # above every article of the library
    server.routes["/f.xml"] = Route(rss([item(1, pubDate=newest), item(2, pubDate=newest)], title="Loopback"))
    app.lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        await pilot.press("j", "j")
        before = articles.current_id
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert articles.row(0).title.startswith("Story")  # the new ones are above
        assert articles.current_id == before and articles.cursor == 4


def set_published(lib, article_id: int, when: str) -> None:
    with lib.db.conn:
        lib.db.conn.execute("UPDATE articles SET published_at = ? WHERE id = ?", (when, article_id))


async def test_list_rows_tell_years_apart_and_today_is_relative(reader_library, monkeypatch):
    """16.7: "11-30" stood for both 2015 and 2026; the header gives the full date."""
    from datetime import datetime, timedelta

    from store.library import Library
    from tui.app import make_app

    now = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    monkeypatch.setattr("tui.widgets.dates.current_time", lambda: now)
    with Library(reader_library) as lib:
        ids = [h.id for h in lib.search("", limit=3)]
        set_published(lib, ids[0], (now - timedelta(hours=3, minutes=5)).isoformat())
        set_published(lib, ids[1], f"{now.year - 11}-{now:%m-%d}T09:00:00+00:00")
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        rows = {articles.row(y).id: articles.render_line(y).text for y in range(articles.total)}
        assert rows[ids[0]].rstrip().endswith(" 3 h")
        assert rows[ids[1]].rstrip().endswith(f"{now.day} {now:%b} {now.year - 11}")
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        header = " ".join(view.render_line(y).text for y in range(6))  # the title may wrap
        assert f"{now.year}," in header and now.strftime("%A") in header


async def test_titles_get_the_room_and_source_gives_way_first(reader_library):
    """16.8: at 120 columns titles were cut at 26 characters, the source shown only at ~200."""
    from tui.app import make_app

    shown = {}
    for width in (120, 160):
        app = make_app(reader_library)
        async with app.run_test(size=(width, 40)) as pilot:
            await pilot.pause()
            articles = app.screen.query_one(ArticleList)
            folded = next(i for i in range(articles.total) if articles.row(i).copies)
            row = articles.row(folded)
            shown[width] = (row, articles.render_line(folded).text, articles.render_line(0).text, articles.row(0))
    row, line, first_line, first = shown[120]
    assert first.title[:38] in first_line or first.title in first_line  # >= 38 cells of title
    assert "+1" in line  # the copies mark stays when the source gives way
    row, line, first_line, first = shown[160]
    assert first.source in first_line and first.title[:45] in first_line
    assert row.source in line and "+1" in line


async def test_ctrl_c_says_how_to_quit_in_plain_text(app):
    """16.11: the hint showed the literal markup "Press [b]ctrl+q[/b]"."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        hint = next(m for m in app.messages if "quit" in m)
        assert "ctrl+q" in hint and "[" not in hint


async def test_r_in_the_demo_says_its_feeds_are_offline_examples(tmp_path):
    import shutil

    from tui.app import make_app
    from tui.demo.build import DEMO_DB

    shutil.copyfile(DEMO_DB, tmp_path / "demo.db")
    app = make_app(tmp_path / "demo.db", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert any("offline examples" in m for m in app.messages)
        assert not any("Error" in m or "Errno" in m for m in app.messages)


async def test_the_config_file_chooses_a_light_theme(reader_library, tmp_path, monkeypatch):
    """16 (configuration): `theme` picks any Textual theme; a light one gets deeper entity colours."""
    from tui.app import make_app
    from tui.widgets.text_layout import KIND_STYLES, LIGHT

    write_config(tmp_path, monkeypatch, 'theme = "textual-light"\n')
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light" and not app.current_theme.dark
        assert KIND_STYLES["person"] == LIGHT[0]["person"]
        await pilot.press("enter")
        assert not [m for m in app.messages if "config" in m]
        app.theme = "textual-dark"  # changed from the palette: colours follow
        await pilot.pause()
        assert KIND_STYLES["person"] != LIGHT[0]["person"]


async def test_an_unknown_theme_or_setting_is_named_and_ignored(reader_library, tmp_path, monkeypatch):
    from tui.app import make_app

    write_config(tmp_path, monkeypatch, 'theme = "chartreuse"\ncolour = 3\n[keys]\n"reader.star" = "x"\n')
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert any("'chartreuse' is not a theme" in m and "textual-light" in m for m in app.messages)
        assert any("unknown setting colour" in m for m in app.messages)
        art = app.screen.query_one(ArticleList).current_id
        await pilot.press("x")  # the rest of the file still applies
        assert app.lib.article(art)["starred"]


async def test_a_draft_that_cannot_be_kept_is_said_and_the_editor_goes_on(app, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # drafts.json would go under a file
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_editor(pilot, app)
        await pilot.press(*"words")
        await pilot.pause(0.8)  # the draft timer fires
        assert any("Could not keep a draft" in m for m in app.messages)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(n["body"] == "words" for n in app.screen.query_one(ArticleView).data.notes)


def test_many_feeds_failing_the_same_way_make_one_message():
    from tui.screens.reader_actions import failure_messages

    offline = [(f"Feed {i}", "cannot reach host (no network?)") for i in range(6)]
    assert failure_messages(offline) == ["Feed 0, Feed 1 and 4 more feeds: cannot reach host (no network?)"]
    assert failure_messages([("Harbour Wire", "cannot reach host (no network?)"), ("Dead", "HTTP 500")]) == [
        "Harbour Wire: cannot reach host (no network?)", "Dead: HTTP 500"]

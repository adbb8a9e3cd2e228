"""The reader driven by Pilot, key by key (DESIGN §6)."""
from __future__ import annotations

from store.library import Library
from tests.feeds.conftest import server  # noqa: F401  (the loopback feed server fixture)
from tests.tui.conftest import write_config
from tui.screens.entity import EntityScreen
from tui.screens.help import HelpScreen
from tui.screens.note_editor import NoteEditor
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

SIZE = (120, 40)


async def test_opens_on_newest_first_list_and_enter_opens_and_marks_read(app, reader_library):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        # 18 articles, one of them a wire copy of another: folded into it, shown once with +1
        assert articles.total == 17 and articles.has_focus
        assert [articles.row(i).copies for i in range(17)].count(1) == 1
        first = articles.current_id
        await pilot.press("j", "k", "enter")
        view = app.screen.query_one(ArticleView)
        assert view.has_focus and view.data.id == first
        await app.workers.wait_for_complete()  # marks are written in a thread
        assert app.lib.article(first)["read"] == 1
        await pilot.press("q")
        assert articles.has_focus
        await pilot.press("q")
    assert app.return_code == 0


async def test_j_k_move_and_J_K_open_next_and_previous(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        await pilot.press("j", "j")
        assert articles.cursor == 2
        await pilot.press("enter", "J")
        view = app.screen.query_one(ArticleView)
        assert articles.cursor == 3 and view.data.id == articles.current_id
        await pilot.press("K")
        assert articles.cursor == 2 and view.data.id == articles.current_id


async def test_search_filters_the_list_and_bad_queries_say_why(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"@Sousa", "enter")
        articles = app.screen.query_one(ArticleList)
        titles = [articles.row(i).title for i in range(articles.total)]
        assert titles and all("Sousa" in t or "Rovers" in t for t in titles)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *'"unclosed', "enter")
        error = app.screen.query_one("#search-error")
        assert error.display and "unclosed quote" in str(error.render())


async def test_n_N_jump_between_search_matches_in_the_article(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"strike", "enter", "enter")
        view = app.screen.query_one(ArticleView)
        await pilot.press("n")
        first = view.cursor
        assert view.data.body[first:first + 6].lower() == "strike"
        await pilot.press("n")
        assert view.cursor > first
        await pilot.press("N")
        assert view.cursor == first


async def test_brackets_walk_entities_and_enter_opens_the_entity_page(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "right_square_bracket")
        view = app.screen.query_one(ArticleView)
        first = view.entity_index
        mention = view.body_mentions[first]
        assert view.data.body[mention.start:mention.end] == mention.text
        await pilot.press("right_square_bracket", "left_square_bracket")
        assert view.entity_index == first
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen)
        page = app.screen.query_one(ArticleList)
        assert page.total >= 1
        await pilot.press("escape")
        assert not isinstance(app.screen, EntityScreen)


async def test_curly_brackets_move_by_paragraph(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert view.cursor == view.data.blocks[2]["start"]
        await pilot.press("left_curly_bracket")
        assert view.cursor == view.data.blocks[1]["start"]


async def test_select_extend_and_annotate_puts_the_note_in_the_margin(app, reader_library):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "right_curly_bracket", "v", "w", "w")
        view = app.screen.query_one(ArticleView)
        start, end = view.selection
        assert len(view.data.body[start:end].split()) == 3
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"my margin note")
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = app.lib.notes.for_article(view.data.id)
        assert [(n.start, n.end, n.body) for n in notes] == [(start, end, "my margin note")]
        assert any(n["body"] == "my margin note" for n in view.data.notes)
        lines = "\n".join(view.render_line(y).text for y in range(30))
        assert "my margin note" in lines


async def test_annotate_without_selection_takes_the_current_sentence(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.quote.endswith(".") and len(editor.quote) > 20
        await pilot.press("escape")
        assert not isinstance(app.screen, NoteEditor)


async def test_notes_panel_edits_and_deletes_a_note(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"has:note", "enter", "enter", "m")
        await pilot.pause()
        panel = app.screen.query_one("#notes")
        assert panel.has_focus and panel.option_count == 1
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+a", "ctrl+k", *"edited", "ctrl+s")
        await pilot.pause()
        art = app.screen.query_one(ArticleView).data.id
        assert app.lib.notes.for_article(art)[0].body.startswith("edited")
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.lib.notes.for_article(art) == []


async def test_related_panel_follows_a_link_and_backspace_comes_back(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *'title:"Commuters stranded"', "enter", "enter", "l")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        start = view.data.id
        panel = app.screen.query_one("#related")
        assert panel.option_count >= 1
        await pilot.press("enter")
        await pilot.pause()
        assert view.data.id != start
        await pilot.press("backspace")
        assert view.data.id == start


async def test_L_links_to_an_article_picked_with_the_finder(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "L")
        await pilot.pause()
        await pilot.press(*"gallium", "enter")
        await pilot.pause()
        source = app.screen.query_one(ArticleView).data.id
        links = app.lib.related.for_article(source)
        assert links[0]["kind"] == "user" and "allium" in links[0]["title"]


async def test_s_stars_and_u_toggles_unread(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        art = articles.current_id
        await pilot.press("s")
        await app.workers.wait_for_complete()  # marks are written in a thread
        assert app.lib.article(art)["starred"] == 1
        await pilot.press("u")
        await app.workers.wait_for_complete()
        assert app.lib.article(art)["read"] == 1
        await pilot.press("u")
        await app.workers.wait_for_complete()
        assert app.lib.article(art)["read"] == 0


async def test_s_right_after_j_stars_the_article_under_the_cursor_not_the_one_previewed(app, monkeypatch):
    import tui.screens.reader as reader

    monkeypatch.setattr(reader, "PREVIEW_DELAY", 60.0)  # the preview stays on the first article
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        first = articles.current_id
        await pilot.press("j", "s")
        second = articles.current_id
        await app.workers.wait_for_complete()
        assert second != first and app.screen.current_id != second  # not previewed yet
        assert app.lib.article(second)["starred"] == 1 and app.lib.article(first)["starred"] == 0


async def test_help_and_command_palette_open(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)


async def test_markup_and_escapes_in_content_show_as_text(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"Loud", "enter", "enter")
        view = app.screen.query_one(ArticleView)
        lines = [view.render_line(y).text for y in range(6)]
        assert lines[0].startswith("[bold red]Loud[/] title red")
        assert any("[link=x]markup[/link]" in line for line in lines)


async def test_tiny_and_narrow_terminals_do_not_crash(reader_library):
    from tui.app import make_app

    for size in ((40, 12), (80, 24)):
        app = make_app(reader_library)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("enter", "right_square_bracket", "l", "m", "e", "escape", "q")
            await pilot.pause()
            # every panel opened and closed, and the reader still runs with a widget in focus
            assert app.is_running and app.screen.query_one(ArticleList).current_id is not None
            assert app.focused is not None and app.focused.size.width > 0


async def test_the_reader_never_imports_spacy(app):
    import sys

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "right_square_bracket", "l")
    import subprocess

    code = ("import sys; from tui.app import make_app; import tui.screens.reader, tui.widgets.article_view;"
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_library_that_fails_to_open_exits_2_before_textual_starts(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.db"
    bad.write_text("not sqlite at all" * 20)
    out = subprocess.run([sys.executable, "-c", "from tui.cli import entry; entry()", "--library", str(bad)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "not a margin library" in out.stderr and "Traceback" not in out.stderr


async def test_r_refreshes_feeds_in_a_worker_and_new_articles_appear(app, server):
    from store.feeds.lists import Subscription
    from tests.feeds.conftest import Route, item, rss

    server.routes["/f.xml"] = Route(rss([item(1), item(2)], title="Loopback"))
    server.routes["/dead.xml"] = Route(status=500)
    app.lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    app.lib.feeds.subscribe(Subscription(server.url("/dead.xml"), title="Dead feed"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        before = articles.total
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert articles.total == before + 2
        messages = list(app.messages)
        assert any("Dead feed" in m and "500" in m for m in messages)
        await pilot.press("j")  # the app goes on


async def test_the_refresh_bar_shows_above_the_footer_while_feeds_load(app, server):
    from store.feeds.lists import Subscription
    from tests.feeds.conftest import Route, item, rss

    server.routes["/slow.xml"] = Route(rss([item(1)], title="Slow"), delay=1.0)
    app.lib.feeds.subscribe(Subscription(server.url("/slow.xml")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause(0.3)
        bar = app.screen.query_one("#refresh-bar")
        footer = app.screen.query_one("KeysFooter")
        # On screen, one row, not under the footer (docked to the same edge, it was).
        assert bar.display and bar.region.height == 1
        assert bar.region.y < footer.region.y and bar.region.bottom <= app.screen.region.bottom
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not bar.display


async def test_new_articles_from_a_refresh_get_entities_in_a_separate_process(app, server):
    from store.feeds.lists import Subscription
    from tests.feeds.conftest import Route, item, rss

    story = item(7, title="Merkel in Paris",
                 content="<p>Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the budget.</p>")
    server.routes["/f.xml"] = Route(rss([story], title="Loopback"))
    app.lib.feeds.subscribe(Subscription(server.url("/f.xml")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await app.workers.wait_for_complete()  # the refresh, then the enrichment it started
        await pilot.pause()
        new_id = app.lib.search("Merkel Macron", limit=1)[0].id
        names = {m.text for m in app.lib.entities.mentions_for(new_id)}
        assert {"Angela Merkel", "Emmanuel Macron", "Paris"} <= names
        assert "1 new article." in app.messages
        assert any(m.startswith("Entities and related articles found for") for m in app.messages)


async def test_a_1mb_article_lays_out_in_slices_and_keys_keep_working(tmp_path):
    from store.document import Document
    from tui.app import make_app

    path = tmp_path / "big.db"
    with Library(path) as lib:
        paras = [("paragraph", ("word " * 80 + "Putin spoke in Moscow. ") * 3) for _ in range(800)]
        with lib.db.conn:
            lib.store_document("big", Document.from_parts("Big", paras), origin="text")
        assert len(lib.article(1)["body"]) > 1_000_000
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        assert len(view._blocks) > 0  # the first screen is there before the whole body is laid out
        await pilot.press("pagedown", "right_curly_bracket", "j")
        for _ in range(400):
            if len(view._blocks) == len(view.data.blocks):
                break
            await pilot.pause(0.05)
        assert len(view._blocks) == 800 and view.virtual_size.height > 2400


async def test_keys_are_rebindable_from_the_config_file(reader_library, tmp_path, monkeypatch):
    from tui.app import make_app

    write_config(tmp_path, monkeypatch, '[keys]\n"reader.star" = "x"\n')
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        art = app.screen.query_one(ArticleList).current_id
        await pilot.press("x")
        await app.workers.wait_for_complete()
        assert app.lib.article(art)["starred"] == 1


async def test_a_broken_config_file_is_reported_and_ignored(reader_library, tmp_path, monkeypatch):
    from tui.app import make_app

    write_config(tmp_path, monkeypatch, "[keys\nbroken")
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("ignored" in m for m in app.messages)
        await pilot.press("j")


def test_entity_page_names_each_companion_once():
    from tui.screens.entity import companion_names

    info = {"name": "Tiago Sousa", "co_occurring": [
        {"name": "Lisbon Rovers", "kind": "org"}, {"name": "Manchester Athletic", "kind": "org"},
        {"name": "Manchester Athletic", "kind": "person"}, {"name": "Tiago Sousa", "kind": "other"}]}
    assert companion_names(info) == ["Lisbon Rovers", "Manchester Athletic"]


def sidebar_labels(app) -> list[str]:
    from textual.widgets import OptionList

    sidebar = app.screen.query_one("#sidebar", OptionList)
    return [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]


async def test_sidebar_counts_follow_reading_starring_and_unread(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.1)
        unread_before = app.lib.count("is:unread")  # as the list shows it: copies folded
        starred_label = lambda: next(label for label in sidebar_labels(app) if label.startswith("Starred"))  # noqa: E731
        starred_before = starred_label()
        await pilot.press("enter")  # opening an unread article reads it
        await pilot.pause(0.5)
        assert app.lib.count("is:unread") == unread_before - 1
        assert any(label.startswith(f"Unread {unread_before - 1}") for label in sidebar_labels(app))
        await pilot.press("s")
        await pilot.pause(0.5)
        assert starred_label() != starred_before
        await pilot.press("u")
        await pilot.pause(0.5)
        assert any(label.startswith(f"Unread {unread_before}") for label in sidebar_labels(app))

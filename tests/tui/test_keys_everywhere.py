"""One set of keys everywhere (issue 15): j/k/g/G and enter in every list and panel, tab
order, the sidebar key, and the command palette's actions and names."""
from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.widgets import OptionList

from tests.tui.conftest import write_config
from tui.screens.entity import EntityScreen
from tui.screens.help import HelpScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

SIZE = (120, 40)
OPEN_NOTED = ["slash", *'title:"summit opens"', "enter", "enter"]
OPEN_LINKED = ["slash", *'title:"Commuters stranded"', "enter", "enter"]  # several related articles


async def _jk(pilot, widget: OptionList) -> None:
    """j moves down, k up, G to the last enabled option, g back to the first."""
    assert widget.has_focus and widget.option_count >= 2
    start = widget.highlighted
    await pilot.press("j")
    assert widget.highlighted > start
    await pilot.press("k")
    assert widget.highlighted == start
    await pilot.press("G")
    last = widget.highlighted
    assert last == max(i for i in range(widget.option_count) if not widget.get_option_at_index(i).disabled)
    await pilot.press("g")
    assert widget.highlighted < last


async def test_j_k_g_G_move_in_the_sidebar_and_enter_chooses(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)  # the sidebar fills after the first paint
        await pilot.press("shift+tab")  # list -> sidebar
        sidebar = app.screen.query_one("#sidebar", OptionList)
        await _jk(pilot, sidebar)
        await pilot.press("g", "j", "enter")  # All articles -> Unread
        articles = app.screen.query_one(ArticleList)
        assert articles.has_focus and app.screen.query_text == "is:unread"


async def test_j_k_g_G_move_in_the_related_entities_and_notes_panels(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*OPEN_LINKED)
        for key, panel_id in (("l", "related"), ("e", "entities")):
            await pilot.press(key)
            await pilot.pause()
            await _jk(pilot, app.screen.query_one(f"#{panel_id}", OptionList))
        # the notes panel of an article with two notes
        art = app.screen.query_one(ArticleView).data.id
        words = app.lib.article(art)["body"].split()
        app.lib.notes.add(art, quote=words[0], body="one note")
        app.lib.notes.add(art, quote=words[-1], occurrence=1, body="another note")
        app.screen.reload_article()
        await pilot.press("m")
        await pilot.pause()
        await _jk(pilot, app.screen.query_one("#notes", OptionList))


async def test_backspace_in_the_related_panel_keeps_the_panel_focused(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*OPEN_LINKED, "l")
        await pilot.pause()
        panel = app.screen.query_one("#related", OptionList)
        first = app.screen.current_id
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.screen.current_id != first and panel.has_focus
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen.current_id == first
        assert panel.has_focus and panel.display  # still in the panel: j/k keep walking it
        await pilot.press("j")
        assert panel.highlighted == 1


async def test_j_k_g_G_scroll_the_help_and_enter_closes_it(app):
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one("#help")
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await pilot.press("j", "j")
        assert scroll.scroll_y == 2
        await pilot.press("k")
        assert scroll.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert scroll.scroll_y == 0
        await pilot.press("enter")
        assert not isinstance(app.screen, HelpScreen)


async def test_g_G_go_to_the_top_and_bottom_of_the_article(app):
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "G")
        view = app.screen.query_one(ArticleView)
        assert view.scroll_offset.y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_offset.y == 0 and view.cursor == 0


async def test_tab_cycles_sidebar_list_preview_and_shift_tab_goes_back(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        articles, view, sidebar = (screen.query_one(ArticleList), screen.query_one(ArticleView),
                                   screen.query_one("#sidebar"))
        assert articles.has_focus
        order = []
        for _ in range(3):
            await pilot.press("tab")
            order.append(app.focused)
        assert order == [view, sidebar, articles]
        assert not screen.has_class("-reading") and sidebar.display  # the preview stays a preview
        await pilot.press("shift+tab")
        assert sidebar.has_focus
        await pilot.press("shift+tab")
        assert view.has_focus
        await pilot.press("enter")  # enter in the preview reads it
        assert screen.has_class("-reading") and not screen.query_one("#list-pane").display and view.has_focus
        assert app.lib.article(view.data.id)["read"] == 1
        await pilot.press("q")
        assert articles.has_focus and not screen.has_class("-reading")
        # reading: tab walks the article and its open panel
        await pilot.press("enter", "l")
        await pilot.pause()
        panel = screen.query_one("#related")
        assert panel.has_focus
        await pilot.press("tab")
        assert view.has_focus
        await pilot.press("tab")
        assert panel.has_focus


async def test_b_hides_and_shows_the_sidebar_when_wide(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar")
        articles = app.screen.query_one(ArticleList)
        assert sidebar.display and articles.region.x > 0
        await pilot.press("b")
        await pilot.pause()
        assert not sidebar.display and articles.region.x == 0 and articles.has_focus
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display and sidebar.has_focus


async def test_b_opens_the_sidebar_over_the_list_on_a_narrow_terminal(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        sidebar = app.screen.query_one("#sidebar")
        articles = app.screen.query_one(ArticleList)
        assert not sidebar.display
        list_region = articles.region
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display and sidebar.has_focus
        assert sidebar.region.overlaps(list_region) and articles.region == list_region  # over it, not beside it
        await pilot.press("escape")
        await pilot.pause()
        assert not sidebar.display and articles.has_focus
        await pilot.press("b", "j", "enter")  # choosing closes the overlay
        await pilot.pause()
        assert not sidebar.display and articles.has_focus and app.screen.query_text == "is:unread"


async def _palette(pilot, app, text: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    for _ in range(400):
        await pilot.pause(0.05)
        results = app.screen.query_one(CommandList)
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        gathering = any(w.is_running for w in app.workers if w.group.startswith("--textual-command-palette"))
        if prompts and not gathering and not any("No matches" in p for p in prompts):
            break
    return prompts


async def test_the_palette_finds_an_entity_by_name_and_opens_its_page(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        prompts = await _palette(pilot, app, "tiago sousa")
        assert prompts[0].startswith("Entity: Tiago Sousa") and "person" in prompts[0]
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, EntityScreen) and app.screen.entity_name == "Tiago Sousa"


async def test_the_palette_finds_an_action_with_its_key_and_runs_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        art = app.screen.query_one(ArticleList).current_id
        prompts = await _palette(pilot, app, "annotate")
        assert any(p.startswith("Annotate the selection or sentence") and "key: a" in p for p in prompts)
        await pilot.press("escape")
        prompts = await _palette(pilot, app, "star or unstar")
        assert prompts[0].startswith("Star or unstar the article") and "key: s" in prompts[0]
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.lib.article(art)["starred"] == 1


async def test_the_palette_finds_a_feed_view_and_entity_navigation(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        prompts = await _palette(pilot, app, "next entity")
        assert any(p.startswith("Next entity") and "key: ]" in p for p in prompts)
        await pilot.press("escape")
        prompts = await _palette(pilot, app, "with notes")
        assert prompts[0].startswith("View: With notes")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.screen.query_text == "has:note"


async def test_the_palette_results_take_j_k_after_tab_and_other_keys_go_back_to_the_query(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _palette(pilot, app, "panel")
        results = app.screen.query_one(CommandList)
        assert results.option_count >= 3
        await pilot.press("tab")
        assert results.has_focus and results.highlighted == 0
        await pilot.press("j", "j", "k")
        assert results.highlighted == 1
        await pilot.press("G")
        assert results.highlighted == results.option_count - 1
        await pilot.press("g")
        assert results.highlighted == 0
        await pilot.press("x")
        query = app.screen.query_one("CommandInput")
        assert query.has_focus and query.value == "panelx"
        await _settled(pilot, app)  # Textual's gather worker fails if the app closes under it


async def _settled(pilot, app) -> None:
    for _ in range(400):
        await pilot.pause(0.05)
        if not any(w.is_running for w in app.workers if w.group.startswith("--textual-command-palette")):
            return


async def test_enter_in_the_palette_results_runs_the_highlighted_command(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _palette(pilot, app, "related panel")
        await _settled(pilot, app)
        await pilot.press("tab", "g", "enter")
        await pilot.pause(0.2)
        related = app.screen.query_one("#related", OptionList)
        assert related.display and related.has_focus


async def test_the_palette_shows_a_rebound_key(reader_library, tmp_path, monkeypatch):
    from tui.app import make_app

    write_config(tmp_path, monkeypatch, '[keys]\n"reader.star" = "x"\n"nav.down" = "ctrl+n"\n')
    app = make_app(reader_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        prompts = await _palette(pilot, app, "star or unstar")
        assert "key: x" in prompts[0]
        await pilot.press("escape", "shift+tab", "ctrl+n")  # the sidebar takes the rebound nav key
        assert app.screen.query_one("#sidebar", OptionList).highlighted == 1


def test_every_reader_binding_is_a_palette_command():
    from textual.binding import Binding

    from tui.app import MarginApp
    from tui.commands import ACTION_NAMES, SKIPPED
    from tui.screens.reader import ReaderScreen
    from tui.widgets.article_view import ArticleView

    movement = {"view.down", "view.up", "view.pagedown", "view.pageup", "view.top", "view.bottom"}
    ids = {b.id for cls in (ReaderScreen, ArticleView, MarginApp) for b in cls.BINDINGS if isinstance(b, Binding)}
    missing = ids - set(ACTION_NAMES) - SKIPPED - movement - {"app.quit"}
    assert not missing


def test_palette_names_from_content_are_never_markup():
    from textual.fuzzy import Matcher

    from tui.commands import highlighted

    content = highlighted(Matcher("bold"), "Entity: [bold red]Loud[/]")
    assert content.plain == "Entity: [bold red]Loud[/]"

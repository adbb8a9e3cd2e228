"""Searching in the reader, driven by Pilot: live results, the way back, history,
completion, saved searches, n/N over every match, and hostile input."""
from __future__ import annotations

from textual import events

from tui.screens.dialogs import Confirm, PromptLine
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.footer import KeysFooter
from tui.widgets.search_line import SearchLine

SIZE = (120, 40)


async def settle(pilot) -> None:
    """Let the debounce timer fire and the search worker deliver."""
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def titles(app) -> list[str]:
    articles = app.screen.query_one(ArticleList)
    return [articles.row(i).title for i in range(articles.total)]


def header(app) -> str:
    return str(app.screen.query_one("#list-header").render())


async def test_typing_updates_the_list_before_enter_with_a_count(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        everything = app.screen.query_one(ArticleList).total
        await pilot.press("slash", *"sousa")
        await settle(pilot)
        search = app.screen.query_one(SearchLine)
        assert search.has_focus  # still typing: no enter pressed
        found = titles(app)
        assert 0 < len(found) < everything and any("Sousa" in t for t in found)
        assert header(app) == f"search: sousa — {len(found)}"
        assert search.border_subtitle == f"{len(found)} articles"
        assert app.screen.query_one(ArticleList).row_height == 2  # snippets under the titles
        row = app.screen.query_one(ArticleList).row(0)
        assert any(row.snippet[a:b].lower().startswith("sousa") for a, b in row.highlights)
        await pilot.press("enter")
        assert app.screen.query_one(ArticleList).has_focus and app.lib.search_history() == ["sousa"]


async def test_escape_in_the_search_line_restores_the_view_and_cursor(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        await pilot.press("j", "j", "j")
        cursor, chosen = articles.cursor, articles.current_id
        await pilot.press("slash", *"rates")
        await settle(pilot)
        assert articles.total < 17
        await pilot.press("escape")
        assert articles.has_focus and articles.total == 17
        assert (articles.cursor, articles.current_id) == (cursor, chosen)
        assert app.screen.query_text == "" and not app.screen.query_one("#list-header").display
        # from a search, `/` then escape comes back to that search, not to everything
        await pilot.press("slash", *"rates", "enter")
        rates = articles.total
        await pilot.press("j")
        cursor, chosen = articles.cursor, articles.current_id
        await pilot.press("slash", "ctrl+u", *"summit")
        await settle(pilot)
        await pilot.press("escape")
        assert (articles.total, articles.cursor, articles.current_id) == (rates, cursor, chosen)
        assert articles.row_height == 2  # the snippets under the titles are back too
        assert header(app) == f"search: rates — {rates}"
        # escape in the results clears the search
        await pilot.press("escape")
        assert articles.total == 17 and app.screen.query_text == ""


async def test_history_walks_back_with_up_down_and_ctrl_r_finds(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for query in ("rates", "summit", "@Sousa"):
            await pilot.press("slash", "ctrl+u", *query, "enter")
        search = app.screen.query_one(SearchLine)
        await pilot.press("slash", "ctrl+u", *"x")
        await pilot.press("up")
        assert search.value == "@Sousa"
        await pilot.press("up", "up")
        assert search.value == "rates"
        await pilot.press("up")  # the oldest stays
        assert search.value == "rates"
        await pilot.press("down", "down", "down")
        assert search.value == "x"  # back to what was being typed
        await pilot.press("ctrl+u", *"m", "ctrl+r")
        assert search.value == "summit"
        assert "history search" in str(app.screen.query_one("#search-hint").render())


async def test_tab_completes_an_entity_name(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"@sous", "tab")
        search = app.screen.query_one(SearchLine)
        assert search.value == '@"Tiago Sousa"' and search.cursor_position == len(search.value)
        hint = str(app.screen.query_one("#search-hint").render())
        assert "@Tiago Sousa" in hint and "article" in hint
        await settle(pilot)
        assert titles(app) and all("Sousa" in t or "Rovers" in t or "Athletic" in t for t in titles(app))


async def test_save_reopen_and_delete_a_saved_search(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"@Sousa", "enter")
        found = titles(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PromptLine)
        await pilot.press(*"Sousa watch", "enter")
        await pilot.pause()
        assert [s.name for s in app.lib.saved_searches()] == ["Sousa watch"]
        reader = app.screen
        assert header(app) == f"Sousa watch: @Sousa — {len(found)}"
        await pilot.press("escape")  # clear it, then reopen it from the sidebar
        assert app.screen.query_one(ArticleList).total == 17
        sidebar = reader.query_one("#sidebar")
        index = next(i for i in range(sidebar.option_count)
                     if (e := reader.sidebar_entry(i)) is not None and e.label == "Sousa watch")
        sidebar.focus()
        sidebar.highlighted = index
        await pilot.press("enter")
        assert titles(app) == found and reader.query_text == "@Sousa"
        sidebar.focus()
        sidebar.highlighted = index
        await pilot.press("R")
        await pilot.press("ctrl+u", *"Sousa", "enter")
        await pilot.pause()
        assert [s.name for s in app.lib.saved_searches()] == ["Sousa"]
        await pilot.press("D")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert app.lib.saved_searches() == []
        assert not any(e is not None and e.section == "searches"
                       for e in (reader.sidebar_entry(i) for i in range(sidebar.option_count)))


async def test_a_saved_search_that_no_longer_parses_shows_its_error_and_can_be_mended(app):
    with app.lib.db.conn:
        app.lib.db.conn.execute("INSERT INTO saved_searches (name, query, position) VALUES ('Old', 'colour:red', 0)")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen
        sidebar = reader.query_one("#sidebar")
        index = next(i for i in range(sidebar.option_count)
                     if (e := reader.sidebar_entry(i)) is not None and e.label == "Old")
        assert "unknown field 'colour:'" in str(sidebar.get_option_at_index(index).prompt)
        sidebar.focus()
        sidebar.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        search = reader.query_one(SearchLine)
        assert search.has_focus and search.value == "colour:red"
        assert "unknown field" in str(reader.query_one("#search-error").render())
        await pilot.press("ctrl+u", *"rates")
        await settle(pilot)
        assert not reader.query_one("#search-error").display
        await pilot.press("ctrl+s")
        assert app.screen.query_one("#prompt-input").value == "Old"
        await pilot.press("enter")
        await pilot.pause()
        assert [(s.name, s.query, s.error) for s in app.lib.saved_searches()] == [("Old", "rates", None)]


async def test_n_and_N_walk_every_mention_of_an_entity_with_the_position_in_the_footer(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"@Sousa", "enter", "enter")
        view = app.screen.query_one(ArticleView)
        matches = view.data.matches
        assert len(matches) >= 2
        assert all(view.data.body[a:b] in ("Sousa", "Tiago Sousa") for a, b in matches)
        footer = app.screen.query_one(KeysFooter)
        assert footer.status == f"{len(matches)} matches"
        await pilot.press("n")
        assert view.cursor == matches[0][0] and footer.status == f"1/{len(matches)}"
        await pilot.press("n")
        assert view.cursor == matches[1][0] and footer.status == f"2/{len(matches)}"
        await pilot.press("N", "N")
        assert view.cursor == matches[-1][0] and footer.status == f"{len(matches)}/{len(matches)}"
        await pilot.press("slash")  # `/` works from the article too, and the line is on screen
        search = app.screen.query_one(SearchLine)
        assert search.has_focus and search.display and search.region.width > 0
        assert search.value == "@Sousa"


HOSTILE = ['"unbalanced', 'a "b', "OR", "a OR", "NOT", "-", "AND OR NOT", "@", "#", "@ #", "x" * 10_000,
           "\x00\x07\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "[bold]loud[/bold]", "[link=x]y", "🙂 rates 🎉",
           "שלום rates مرحبا", "\u202eevil", "since:", "is:", "title:\"\"", "*", "((((", "\\",
           "'; DROP TABLE articles; --"]
PARAGRAPH = ("Central banks in Europe have started to lower interest rates,\nbut borrowers feel little of it yet.\n\n"
             "Here is why: \"lenders\" rebuild margins — and (some) say OR NOT.\n")


async def test_hostile_input_gives_an_error_or_results_and_never_freezes(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        search = app.screen.query_one(SearchLine)
        for text in [*HOSTILE, PARAGRAPH]:
            search.value = ""
            search.post_message(events.Paste(text))
            await settle(pilot)
            error = app.screen.query_one("#search-error")
            assert error.display or app.screen.query_text == search.value.strip(), text[:40]
            if error.display:
                message = str(error.render())
                assert "\x1b" not in message and message.startswith("⚠ ")
            await pilot.press("ctrl+u", "x")  # the line still answers keys
            assert search.value == "x"
        search.value = ""
        search.post_message(events.Paste(PARAGRAPH))
        await pilot.pause()
        assert "\n" not in search.value and "borrowers feel" in search.value  # the whole paragraph, one line
        await pilot.press("escape")
        assert app.screen.query_one(ArticleList).total == 17

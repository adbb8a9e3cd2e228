"""Notes that read well (issue 16.6): Markdown rendered compactly in the margin, [[Entity]]
links to the entity page, long notes folded, and the user's text never read as markup."""
from __future__ import annotations

from rich.console import Console
from textual.widgets import OptionList

from tui.screens.entity import EntityScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.note_markdown import folded, note_text

SIZE = (120, 40)
OPEN_NOTED = ["slash", *'title:"summit opens"', "enter", "enter"]


def test_markdown_renders_as_styled_text_without_its_marks():
    text = note_text("**Bold** and *soft* with `code`, ~~gone~~ and [a link](https://x.test)\n\n- one\n- two\n\n> said")
    assert text.plain == "Bold and soft with code, gone and a link\n• one\n• two\n│ said"
    styles = {text.plain[s.start:s.end]: s.style for s in text.spans}
    assert styles["Bold"].bold and styles["soft"].italic and styles["gone"].strike
    assert styles["a link"].underline


def test_wiki_links_show_their_name_or_alias_and_open_the_entity_page_on_click():
    text = note_text("Ask [[Tiago Sousa]] and [[Lisbon Rovers|the club]].")
    assert text.plain == "Ask Tiago Sousa and the club."
    actions = [s.style.meta.get("@click") for s in text.spans if s.style.meta]
    assert actions == ["screen.open_entity('Tiago Sousa')", "screen.open_entity('Lisbon Rovers')"]


def test_note_text_is_never_rich_markup_and_html_stays_as_written():
    text = note_text("[bold red]loud[/] <b>tag</b> [[x']) or [red]]] \x1b[31mred")
    assert "[bold red]loud[/]" in text.plain and "<b>tag</b>" in text.plain
    assert "\x1b" not in text.plain
    assert not any(s.style.color and s.style.color.name == "red" for s in text.spans)


def test_a_long_note_folds_to_four_lines_with_the_count_of_the_rest():
    console = Console(width=80)
    text = note_text(" ".join(f"word{i}" for i in range(80)))
    short = folded(console, text, 30)
    lines = short.plain.split("\n")
    assert len(lines) == 4 and lines[-1].startswith("… ") and lines[-1].endswith("more lines (z)")
    assert folded(console, note_text("short"), 30).plain == "short"


async def test_the_margin_shows_rendered_markdown_folds_long_notes_and_z_unfolds(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*OPEN_NOTED)
        view = app.screen.query_one(ArticleView)
        app.lib.notes.add(view.data.id, quote="Lisbon",
                          body="**Key** point about [[Tiago Sousa]]. " + "More words. " * 40)
        app.screen.reload_article()
        await pilot.pause()

        def laid_out() -> str:
            return "\n".join(strip.text for group in (view._header, *(b.strips for b in view._blocks))
                             for strip in group)

        rendered = laid_out()
        assert "Key point about Tiago Sousa" in rendered and "**" not in rendered and "[[" not in rendered
        assert "more lines (z)" in rendered
        await pilot.press("z")
        unfolded = laid_out()
        assert "more lines (z)" not in unfolded, unfolded
        assert unfolded.count("More") == 40


async def open_panel_with_note(pilot, app, body: str, key: str, panel: str) -> OptionList:
    """The noted demo article with one more note, and one of its panels open."""
    await pilot.press(*OPEN_NOTED)
    view = app.screen.query_one(ArticleView)
    app.lib.notes.add(view.data.id, quote="Lisbon", body=body)
    app.screen.reload_article()
    await pilot.press(key)
    await pilot.pause()
    return app.screen.query_one(panel, OptionList)


async def test_a_wiki_link_in_a_note_is_in_the_links_panel_and_opens_the_entity_page(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = await open_panel_with_note(pilot, app, "See [[Tiago Sousa]].", "f", "#links")
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any(p.startswith("[[Tiago Sousa]]") for p in prompts)
        panel.highlighted = next(i for i, p in enumerate(prompts) if p.startswith("[[Tiago Sousa]]"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen) and app.screen.entity_name == "Tiago Sousa"


async def test_the_notes_panel_renders_markdown_too(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = await open_panel_with_note(pilot, app, "*quietly* [bold]not markup[/bold]", "m", "#notes")
        prompts = "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))
        assert "quietly [bold]not markup[/bold]" in prompts and "*quietly*" not in prompts


async def test_clicking_a_wiki_link_in_the_margin_opens_the_entity_page(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*OPEN_NOTED)
        view = app.screen.query_one(ArticleView)
        app.lib.notes.add(view.data.id, quote="Lisbon", body="[[Tiago Sousa]]")
        app.screen.reload_article()
        await pilot.pause()
        where = next((x, y) for y in range(view.size.height) for x in [view.render_line(y).text.find("Tiago Sousa")]
                     if x >= 0 and view.render_line(y).text[:x].strip().endswith("✎"))
        await pilot.click(view, offset=(where[0] + 2 + view.styles.padding.left, where[1]))
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen) and app.screen.entity_name == "Tiago Sousa"

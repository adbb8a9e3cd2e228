"""Under NO_COLOR the reader is whole and usable (issue 16.1): Textual's monochrome filter
must never meet a segment without a style, on any screen, at any size."""
from __future__ import annotations

import pytest

from tui.widgets.article_view import ArticleView

SIZES = [(120, 40), (80, 24)]


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_every_screen_renders_under_no_color(no_color, reader_library, size):
    from tui.app import make_app

    app = make_app(reader_library)
    async with app.run_test(size=size) as pilot:
        assert app.no_color
        await pilot.pause()
        # first paint: the empty article view, then the list's first preview
        await pilot.pause(0.3)
        await pilot.press("enter", "right_square_bracket")  # an article, an entity under the cursor
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert view.data is not None and view.entity_index is not None
        for panel in ("l", "m", "e"):
            await pilot.press(panel)
            await pilot.pause()
        await pilot.press("escape", "v", "w", "a")  # the note editor
        await pilot.pause()
        assert app.screen.__class__.__name__ == "NoteEditor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("right_square_bracket", "enter")  # the entity page
        await pilot.pause()
        assert app.screen.__class__.__name__ == "EntityScreen"
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        await pilot.press("escape", "q", "slash", *"summit", "enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        # a segment without a style anywhere in the article view would crash the filter
        for y in range(view.size.height):
            assert all(seg.style is not None for seg in view.render_line(y))


async def test_the_empty_article_view_renders_under_no_color(no_color, tmp_path):
    """A library with no articles: only the empty message's blank lines."""
    from tui.app import make_app

    app = make_app(tmp_path / "empty.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        view = app.screen.query_one(ArticleView)
        assert "Select an article" in view.render_line(1).text
        assert all(seg.style is not None for seg in view.render_line(0))

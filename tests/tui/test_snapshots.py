"""Snapshots of the reader on the bundled demo library (120x40, and 80x24 narrow)."""
from __future__ import annotations

import shutil
from datetime import UTC

import pytest

from tests.feeds.conftest import server  # noqa: F401  (the loopback HTTP server fixture)
from tests.tui.conftest import write_config
from tui.demo.build import DEMO_DB

OPEN_NOTED = ["slash", *'title:"summit opens"', "enter", "enter"]


@pytest.fixture(autouse=True)
def whole_layouts(monkeypatch):
    """The article view lays out a slice at a time so a huge article never blocks keys; on
    a busy machine a snapshot could catch a layout half done. The demo's articles are
    small: here each is laid out in one go, so a snapshot shows what a reader sees."""
    monkeypatch.setattr("tui.widgets.article_view.LAYOUT_SLICE", 60.0)


@pytest.fixture
def demo_app(tmp_path):
    from tui.app import make_app

    path = tmp_path / "demo.db"
    shutil.copyfile(DEMO_DB, path)
    return make_app(path, demo=True)


def test_main_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(120, 40))


def test_article_with_entities_and_notes(snap_compare, demo_app):
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "right_square_bracket"], terminal_size=(120, 40))


def test_related_panel(snap_compare, demo_app):
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "l"], terminal_size=(120, 40))


def test_note_editor(snap_compare, demo_app):
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "right_curly_bracket", "v", "w", "w", "a"],
                        terminal_size=(120, 40))


def test_narrow_terminal(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["j", "enter"], terminal_size=(80, 24))


async def _type_and_settle(pilot, *keys: str) -> None:
    from tui.widgets.search_line import SearchLine

    await pilot.press(*keys)
    for search in pilot.app.screen.query(SearchLine):
        search.cursor_blink = False
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.6)  # the preview follows once the keys rest (0.45 s while typing)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_search_line_colours_the_query_and_shows_its_error_whole(snap_compare, demo_app):
    async def typed(pilot):
        await _type_and_settle(pilot, "slash", *'@Sousa #football -x "air')

    assert snap_compare(demo_app, run_before=typed, terminal_size=(120, 40))


def test_live_results_with_snippets(snap_compare, demo_app):
    async def typed(pilot):
        await _type_and_settle(pilot, "slash", *"central bank")

    assert snap_compare(demo_app, run_before=typed, terminal_size=(120, 40))


def test_article_with_every_match_highlighted(snap_compare, demo_app):
    async def opened(pilot):
        await _type_and_settle(pilot, "slash", *"rates", "enter", "enter", "n", "n")

    assert snap_compare(demo_app, run_before=opened, terminal_size=(120, 40))


def test_sidebar_with_saved_searches(snap_compare, demo_app):
    # At 80 columns the sidebar is hidden until `b` shows it (over the list).
    demo_app.lib.save_search("Sousa watch", "@Sousa")
    demo_app.lib.save_search("Rates this month", "rates since:30d")
    with demo_app.lib.db.conn:
        demo_app.lib.db.conn.execute(
            "INSERT INTO saved_searches (name, query, position) VALUES ('Old', 'colour:red', 9)")

    async def focused(pilot):
        await pilot.pause(0.3)  # the sidebar fills after the first paint
        await pilot.press("b")
        await pilot.press("down", "down", "down", "down", "down")
        await pilot.pause()

    assert snap_compare(demo_app, run_before=focused, terminal_size=(80, 24))


@pytest.fixture
def no_color_demo_app(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    from tui.app import make_app

    path = tmp_path / "demo.db"
    shutil.copyfile(DEMO_DB, path)
    return make_app(path, demo=True)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_article_under_no_color(snap_compare, no_color_demo_app, size):
    """Entities read by bold/italic and notes by underline when colour is off (issue 16.1)."""
    assert snap_compare(no_color_demo_app, press=[*OPEN_NOTED, "right_square_bracket"], terminal_size=size)


def test_main_screen_under_no_color(snap_compare, no_color_demo_app):
    assert snap_compare(no_color_demo_app, terminal_size=(120, 40))


SCREENS_80x24 = {  # issue 16.10: every screen whole at 80x24
    "main": [],
    "article": [*OPEN_NOTED, "right_square_bracket"],
    "related": [*OPEN_NOTED, "l"],
    "notes": [*OPEN_NOTED, "m"],
    "entities": [*OPEN_NOTED, "e"],
    "note_editor": [*OPEN_NOTED, "right_curly_bracket", "v", "w", "w", "a", *"Sets the tone."],
    "entity_page": [*OPEN_NOTED, "right_square_bracket", "enter"],
    "help": ["question_mark"],
}


def test_search_results_at_80x24(snap_compare, demo_app):
    async def search(pilot) -> None:
        # the preview follows once the keys rest: wait for it, or a loaded machine draws either
        await _type_and_settle(pilot, "slash", *"@Sousa", "enter")

    assert snap_compare(demo_app, run_before=search, terminal_size=(80, 24))


@pytest.mark.parametrize("keys", list(SCREENS_80x24.values()), ids=list(SCREENS_80x24))
def test_every_screen_at_80x24(snap_compare, demo_app, keys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the note editor's drafts
    assert snap_compare(demo_app, press=keys, terminal_size=(80, 24))


def test_article_in_the_light_theme(snap_compare, demo_app, tmp_path, monkeypatch):
    write_config(tmp_path, monkeypatch, 'theme = "textual-light"\n')
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "right_square_bracket"], terminal_size=(120, 40))


# -- issue 15/16: keys everywhere, links, notes (80x24, where these screens change) -------------
def test_sidebar_over_the_list_on_a_narrow_terminal(snap_compare, demo_app):
    async def settle(pilot) -> None:
        await pilot.pause(0.3)  # the sidebar fills after the first paint

    assert snap_compare(demo_app, run_before=settle, press=["b", "j"], terminal_size=(80, 24))


def test_help_narrow(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["question_mark"], terminal_size=(80, 24))


def test_palette_finds_an_entity_narrow(snap_compare, demo_app):
    async def search(pilot) -> None:
        from textual.command import CommandList

        await pilot.press("ctrl+p", *"tiago sousa")
        # the palette streams its hits: wait until the list has stopped growing
        last, steady = -1, 0
        for _ in range(200):
            await pilot.pause(0.05)
            results = pilot.app.screen.query("CommandList")
            count = results.first(CommandList).option_count if results else 0
            steady = steady + 1 if count and count == last else 0
            last = count
            if steady >= 8:
                break
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)

    assert snap_compare(demo_app, run_before=search, terminal_size=(80, 24))


@pytest.fixture
def links_demo_app(tmp_path):
    from datetime import datetime

    from store.html import html_to_document
    from store.library import Library
    from tui.app import make_app

    path = tmp_path / "links.db"
    with Library(path) as lib:
        with lib.db.conn:
            doc = html_to_document(
                "Harbour reopens after the storm",
                "<p>The port authority <a href='https://port.example/notice'>published a notice</a> at dawn;"
                " a <a href='javascript:track()'>tracking link</a> came with it.</p>"
                "<p>Background: https://wiki.example/Harbour and the <a href='/earlier'>earlier report</a>.</p>",
                base_url="https://news.example/")
            doc.url = "https://news.example/harbour"
            doc.published_at = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
            stored = lib.store_document("harbour", doc, origin="feed")
        lib.notes.add(stored.id, quote="published a notice",
                      body="**Check** the notice against [[Port Authority]]'s own site. " + "It matters. " * 12)
        lib.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return make_app(path)


def test_article_with_numbered_links_and_a_folded_markdown_note_narrow(snap_compare, links_demo_app):
    assert snap_compare(links_demo_app, press=["enter"], terminal_size=(80, 24))


def test_links_panel_narrow(snap_compare, links_demo_app):
    assert snap_compare(links_demo_app, press=["enter", "f", "j"], terminal_size=(80, 24))


def test_page_fetch_bar_while_F_fetches_the_whole_article(snap_compare, demo_app, server, monkeypatch):  # noqa: F811
    """The bar under the article while `F` fetches its page. The page is real HTTP on
    127.0.0.1, reached as the article's own address through a proxy (so the address the
    header shows does not change with the port), and it is held until the snapshot is taken."""
    import sqlite3
    import threading

    from tests.feeds.conftest import Route

    page = "http://news.margin.test/snapshot-page"
    db = sqlite3.connect(demo_app.lib.path)
    with db:
        db.execute("UPDATE articles SET url = ? WHERE title LIKE 'Lisbon climate summit opens%'", (page,))
    db.close()
    gate = threading.Event()
    server.routes[page] = Route(b"<html><body><article><p>Held.</p></article></body></html>",
                                headers={"Content-Type": "text/html"}, gate=gate)
    monkeypatch.setenv("HTTP_PROXY", server.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    async def fetching(pilot):
        import asyncio

        pilot.app.animation_level = "none"  # the waiting bar drawn whole, not at a moment of its pulse
        await pilot.press(*OPEN_NOTED, "F")
        for _ in range(200):  # the request is at the server, held: the bar stays up
            if any(path == page for path, _ in server.hits):
                break
            await asyncio.sleep(0.05)
        assert any(path == page for path, _ in server.hits)
        await pilot.pause()

    try:
        assert snap_compare(demo_app, run_before=fetching, terminal_size=(120, 40))
    finally:
        gate.set()

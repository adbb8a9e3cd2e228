"""Typing a common word in the reader: the list shows the newest matches ranked, with the
exact count, at once; the whole ranking replaces them when it lands, and enter always shows
the whole ranking (store/search/first_page.py). Driven by Pilot on a real library file."""
from __future__ import annotations

import threading

import pytest

import tui.screens.reader_search as reader_search
from store.library import Library
from store.search import first_page
from tests.search.corpus import add
from tui.widgets.article_list import ArticleList
from tui.widgets.search_line import SearchLine

SIZE = (120, 40)
WINDOW = 20


@pytest.fixture
def harbour(tmp_path, monkeypatch):
    """15 old articles about the harbour and 30 newer ones that mention it once: the best
    matches are not among the newest WINDOW."""
    monkeypatch.setattr(first_page, "WINDOW", WINDOW)
    path = tmp_path / "library.db"
    with Library(path) as lib:
        strong = [add(lib, f"s{i}", f"Harbour harbour report {i}", "The harbour, the harbour and the harbour.",
                      published=f"2026-01-{i + 1:02d}") for i in range(15)]
        weak = [add(lib, f"w{i}", f"Town notes {i}", f"Council met on day {i}; a harbour bench, parks, schools.",
                    "Weather mild, markets busy, trains on time.", published=f"2026-03-{i + 1:02d}")
                for i in range(30)]
        whole = [h.id for h in lib.search("harbour", limit=45)]
    return path, strong, weak, whole


@pytest.fixture
def gate(monkeypatch):
    """Holds the search worker's whole ranking of "harbour" until released, so a test sees
    the list in between; first pages while typing (and shorter texts) pass at once."""
    opened = threading.Event()
    run_search = reader_search.run_search

    def held(lib, query, lines, *, typing=False):
        if not typing and query == "harbour":
            opened.wait(10)
        return run_search(lib, query, lines, typing=typing)

    monkeypatch.setattr(reader_search, "run_search", held)
    yield opened
    opened.set()


def shown_ids(articles: ArticleList, n: int) -> list[int]:
    return [articles.row(i).id for i in range(n)]


async def type_and_catch_first_page(pilot, text: str) -> list[tuple[str, int, list, bool]]:
    """Types `text`; returns once the list shows its first page, with every update so far
    (query, count, row ids, ranked whole?) as it was drawn."""
    reader = pilot.app.screen
    updates: list[tuple[str, int, list, bool]] = []
    ready = reader._search_ready

    def recorded(generation, query, total, rows, snippets, whole=True):
        ready(generation, query, total, rows, snippets, whole)
        if generation == reader._search_generation:
            header = str(reader.query_one("#list-header").render())
            assert header == f"search: {query} — {total}"  # the count beside its rows, same call
            updates.append((query, total, [r.id for r in rows], whole))

    reader._search_ready = recorded
    await pilot.press("slash", *text)
    for _ in range(1000):
        if updates and updates[-1][0] == text:
            break
        await pilot.pause(0.02)
    return updates


async def test_a_common_word_shows_the_newest_matches_and_count_then_the_whole_ranking(harbour, gate):
    from tui.app import make_app

    path, strong, weak, whole = harbour
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        updates = await type_and_catch_first_page(pilot, "harbour")
        query, total, ids, ranked_whole = updates[-1]
        articles = app.screen.query_one(ArticleList)
        assert (query, total, ranked_whole) == ("harbour", 45, False)
        assert ids and set(ids) <= set(sorted(weak)[-WINDOW:])  # ranked among the newest matches
        assert shown_ids(articles, len(ids)) == ids and articles.total == 45
        assert app.screen.query_one(SearchLine).border_subtitle == "45 articles"
        assert app.screen.query_one(SearchLine).has_focus  # no enter pressed
        gate.set()
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        query, total, ids, ranked_whole = updates[-1]
        assert (query, total, ranked_whole) == ("harbour", 45, True)
        assert ids == whole[:len(ids)] and set(ids[:15]) == set(strong)
        assert shown_ids(articles, len(ids)) == ids
        await pilot.press("enter")
        assert articles.has_focus and shown_ids(articles, 45) == whole


async def test_enter_before_the_whole_ranking_lands_shows_the_whole_ranking(harbour, gate):
    from tui.app import make_app

    path, strong, weak, whole = harbour
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        updates = await type_and_catch_first_page(pilot, "harbour")
        assert updates[-1][3] is False  # the page from the newest matches is on screen
        await pilot.press("enter")
        articles = app.screen.query_one(ArticleList)
        assert articles.has_focus and articles.total == 45
        assert shown_ids(articles, 45) == whole  # what `margin search` gives
        await pilot.press("j")
        gate.set()  # the held whole ranking finishes late: it is dropped, the cursor stays
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert articles.cursor == 1 and shown_ids(articles, 45) == whole
        assert updates[-1][3] is False  # no update after enter

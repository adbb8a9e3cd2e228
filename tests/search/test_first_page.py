"""The live search's first page (store/search/first_page.py): a common word ranks only its
newest matches while typing, with the exact count; `search` (the CLI's) stays ranked whole."""
from __future__ import annotations

from tests.search.corpus import add

WINDOW = 8


def harbour_library(lib) -> tuple[list[int], list[int]]:
    """Ten old articles about the harbour (the word in the title, often) and 20 newer ones
    that mention it once in passing: the best matches are not the newest."""
    strong = [add(lib, f"s{i}", f"Harbour harbour report {i}", "The harbour, the harbour and the harbour again.",
                  published=f"2026-01-{i + 1:02d}") for i in range(10)]
    weak = [add(lib, f"w{i}", f"Town notes {i}", f"Council met on day {i}; roads, schools, a harbour bench, parks.",
                "Weather mild, markets busy, trains on time.", published=f"2026-02-{i + 1:02d}")
            for i in range(20)]
    add(lib, "other", "Nothing here", "No such word.")
    return strong, weak


def test_many_matches_rank_the_newest_window_with_the_exact_count(lib):
    strong, weak = harbour_library(lib)
    page = lib.first_page_while_typing("harbour", limit=5, window=WINDOW)
    assert not page.whole and page.total == 30 == lib.count("harbour")
    newest = sorted(strong + weak, reverse=True)[:WINDOW]
    assert [h.id for h in page.hits] and all(h.id in newest for h in page.hits)
    scores = [h.score for h in page.hits]
    assert scores == sorted(scores, reverse=True)  # the same BM25 order as search, within the window
    assert all(h.snippet and h.highlights for h in page.hits)  # rows as search gives them
    # the next rows continue the same ranking, none twice
    more = lib.first_page_while_typing("harbour", limit=5, offset=5, window=WINDOW)
    assert not {h.id for h in more.hits} & {h.id for h in page.hits} and more.total == 30


def test_search_and_the_cli_still_rank_every_match(lib):
    strong, _ = harbour_library(lib)
    assert {h.id for h in lib.search("harbour", limit=10)} == set(strong)


def test_few_matches_a_date_sort_or_no_words_give_search_s_own_page(lib):
    harbour_library(lib)
    cases = [("harbour", 5), ("harbour sort:date", 5), ("nothing", 4), ("harbour report", 4), ("since:2026-01-05", 6)]
    for query, limit in cases:
        page = lib.first_page_while_typing(query, limit=limit, window=50 if query == "harbour" else 12)
        assert page.whole, query
        assert [h.id for h in page.hits] == [h.id for h in lib.search(query, limit=limit)], query
        assert page.total == lib.count(query), query


def test_the_window_is_never_smaller_than_the_page(lib):
    harbour_library(lib)
    page = lib.first_page_while_typing("harbour", limit=12, window=3)
    assert len(page.hits) == 12 and not page.whole


def test_a_filtered_common_word_ranks_the_newest_matches_that_pass_the_filter(lib):
    strong, weak = harbour_library(lib)
    page = lib.first_page_while_typing("harbour since:2026-01-06", limit=4, window=WINDOW)
    passing = [i for i in strong + weak if i not in strong[:5]]  # strong[0..4] are 1-5 January
    assert not page.whole and page.total == len(passing) == lib.count("harbour since:2026-01-06")
    assert all(h.id in sorted(passing)[-WINDOW:] for h in page.hits) and len(page.hits) == 4

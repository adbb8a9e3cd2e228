"""The enrichment queue: bad input, crashes, resuming, changed text, older extractors."""
from __future__ import annotations

import pytest

from store.enrich import ENRICH_VERSION, pending_count
from store.entities.spacy_backend import SpacyExtractor
from tests.entities.conftest import store_text

NEWS = ("Vladimir Putin met Francois Hollande in Moscow on Thursday. Putin said Russia "
        "and France would work together, and Hollande agreed.")


class CrashingExtractor(SpacyExtractor):
    """The real model, except that it raises on texts holding a marker (a model crash)."""

    def extract(self, texts):
        if any("KABOOM" in t for t in texts):
            raise RuntimeError("model crashed on KABOOM")
        return super().extract(texts)


def test_empty_non_english_and_normal_bodies(lib, extractor):
    ok = store_text(lib, "a", "News", NEWS)
    empty = store_text(lib, "b", "Nothing", [])
    russian = store_text(lib, "c", "Новости", "Владимир Путин встретился с Франсуа Олландом в Москве.")
    chinese = store_text(lib, "d", "新闻", "普京周四在莫斯科会见了奥朗德。" * 20)
    report = lib.enrich(extractor=extractor)
    assert report.enriched == 4 and not report.failed
    assert lib.record(empty)["mentions"] == []
    for art in (russian, chinese):
        body = lib.record(art)["body"]
        assert all(body[m["start"]:m["end"]] == m["text"] for m in lib.record(art)["mentions"])
    names = {m["entity"] for m in lib.record(ok)["mentions"]}
    assert {"Vladimir Putin", "Francois Hollande", "Moscow", "Russia"} <= names
    assert pending_count(lib.db.conn) == 0


def test_a_model_crash_marks_one_article_failed_and_the_queue_goes_on(lib):
    first = store_text(lib, "a", "One", NEWS)
    bad = store_text(lib, "b", "Two", "KABOOM in Paris with Emmanuel Macron.")
    last = store_text(lib, "c", "Three", NEWS.replace("Moscow", "Berlin"))
    report = lib.enrich(extractor=CrashingExtractor())
    assert report.enriched == 2
    assert report.failed == [(bad, "RuntimeError: model crashed on KABOOM")]
    assert lib.article(bad)["enrich_error"] == "RuntimeError: model crashed on KABOOM"
    assert lib.record(first)["mentions"] and lib.record(last)["mentions"]
    stats = lib.stats()
    assert stats["enrich_failed"] == 1 and stats["enrich_pending"] == 0
    # not retried on every run; retried on request, and then it succeeds
    assert lib.enrich(extractor=CrashingExtractor()).enriched == 0
    again = lib.enrich(extractor=SpacyExtractor(), retry_failed=True)
    assert again.enriched == 1 and not again.failed
    assert lib.article(bad)["enrich_error"] is None
    assert {m["entity"] for m in lib.record(bad)["mentions"]} >= {"Paris", "Emmanuel Macron"}


def test_the_queue_resumes_after_an_interruption(lib, extractor):
    ids = [store_text(lib, f"k{i}", f"T{i}", NEWS) for i in range(3)]
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lib.enrich(extractor=extractor, progress=progress, batch_size=1)
    assert pending_count(lib.db.conn) == 2  # the first batch was committed
    assert lib.record(ids[0])["mentions"]
    report = lib.enrich(extractor=extractor, batch_size=1)
    assert report.enriched == 2 and pending_count(lib.db.conn) == 0
    assert lib.enrich(extractor=extractor, limit=5).enriched == 0


def test_changed_text_is_re_enriched_with_right_offsets(lib, extractor):
    art = store_text(lib, "a", "News", NEWS)
    lib.enrich(extractor=extractor)
    store_text(lib, "a", "News", "Before anything else, Angela Merkel spoke. " + NEWS)
    assert pending_count(lib.db.conn) == 1
    lib.enrich(extractor=extractor)
    rec = lib.record(art)
    assert "Angela Merkel" in {m["entity"] for m in rec["mentions"]}
    assert all(rec["body"][m["start"]:m["end"]] == m["text"] for m in rec["mentions"])


def test_older_extractor_library_re_enriches_and_keeps_user_rules(lib, extractor):
    art = store_text(lib, "a", "News", NEWS)
    lib.enrich(extractor=extractor)
    lib.entities.hide("France")
    lib.entities.merge("Vladimir Putin", "Russia")
    lib.entities.rename("Moscow", "Moskva")
    with lib.db.conn:  # as if enriched by an older extractor
        lib.db.conn.execute("UPDATE articles SET enrich_version = ?, extractor = 'old@1'",
                            (ENRICH_VERSION - 1,))
    assert pending_count(lib.db.conn) == 1
    lib.enrich(extractor=extractor)
    art_row = lib.article(art)
    assert art_row["enrich_version"] == ENRICH_VERSION and art_row["extractor"] != "old@1"
    names = {m["entity"] for m in lib.record(art)["mentions"]}
    assert "France" not in names and "Russia" not in names and "Moscow" not in names
    assert {"Vladimir Putin", "Moskva"} <= names
    assert "Russia" in lib.entities.get("Vladimir Putin")["aliases"]


def test_one_megabyte_body(lib, extractor, monkeypatch):
    import store.enrich

    # Chunk offsets across a whole 1 MB body, with the cost cap (tests/hostile/test_cost_caps.py) raised.
    monkeypatch.setattr(store.enrich, "MAX_CHARS", 2_000_000)
    filler = " ".join(["x" * 5000] * 19)  # long "words": a pasted dump, cheap for the model
    paragraphs = [NEWS] + [filler] * 10 + [NEWS.replace("Moscow", "Kazan")]
    art = store_text(lib, "big", "Big", paragraphs)
    body = lib.record(art)["body"]
    assert len(body) > 950_000
    report = lib.enrich(extractor=extractor)
    assert report.enriched == 1
    mentions = lib.record(art)["mentions"]
    assert all(body[m["start"]:m["end"]] == m["text"] for m in mentions)
    kazan = [m for m in mentions if m["text"] == "Kazan"]
    assert kazan and kazan[0]["start"] > 950_000


def test_parallel_workers_give_the_same_mentions(lib, tmp_path, extractor):
    from store.library import Library

    cities = ("Kyiv", "Paris", "Rome", "Madrid", "Lagos")
    texts = [NEWS.replace("Moscow", cities[i % 5]) + f" Report {i}." for i in range(100)]
    ids = [store_text(lib, f"p{i}", f"P{i}", t) for i, t in enumerate(texts)]
    report = lib.enrich()  # >= PARALLEL_MIN articles: worker processes
    assert report.workers == 2
    assert report.enriched == 100 and not report.failed
    with Library(tmp_path / "single.db") as single:
        same = [store_text(single, f"p{i}", f"P{i}", t) for i, t in enumerate(texts)]
        assert single.enrich(extractor=extractor).workers == 1
        for a, b in zip(ids, same, strict=False):
            assert lib.record(a)["mentions"] == single.record(b)["mentions"]


def die_on_marker(texts):
    """Worker-side: a model that takes the whole process down on one text (a segfault)."""
    import os

    from store.entities.spacy_backend import spans_of

    if any("KABOOM" in t for t in texts):
        os._exit(1)
    return spans_of(texts)


def test_a_worker_process_dying_fails_only_its_article(lib):
    from store.entities.spacy_backend import ParallelExtractor

    ids = [store_text(lib, f"w{i}", f"W{i}", NEWS if i != 3 else "KABOOM in Rome.") for i in range(6)]
    ex = ParallelExtractor(2, work=die_on_marker)
    try:
        report = lib.enrich(extractor=ex, batch_size=4)
    finally:
        ex.close()
    assert [i for i, _ in report.failed] == [ids[3]]
    assert "BrokenProcessPool" in report.failed[0][1]
    assert report.enriched == 5
    assert all(lib.record(i)["mentions"] for i in ids if i != ids[3])


def test_articles_left_unlinked_by_a_kill_between_the_stages_are_linked_by_the_next_run(lib, extractor):
    ids = [store_text(lib, f"k{i}", f"T{i}", NEWS.replace("Thursday", f"day {i}")) for i in range(4)]
    assert lib.enrich(extractor=extractor).enriched == 4
    assert lib.stats()["link_pending"] == 0
    c = lib.db.conn
    with c:  # what a run killed after the entities and before the links left behind
        c.execute("DELETE FROM related_state WHERE article_id IN (?, ?)", ids[:2])
        c.execute("DELETE FROM links WHERE src IN (?, ?) OR dst IN (?, ?)", ids[:2] * 2)
    stats = lib.stats()
    assert (stats["enrich_pending"], stats["link_pending"]) == (0, 2)
    again = lib.enrich(extractor=extractor)
    assert (again.enriched, again.linked) == (0, 2)
    assert lib.stats()["link_pending"] == 0
    assert all(lib.related.for_article(i) for i in ids[:2])


def test_entities_and_links_of_a_batch_are_committed_together(lib, extractor, monkeypatch):
    ids = [store_text(lib, f"k{i}", f"T{i}", NEWS) for i in range(2)]

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies while linking the batch

    monkeypatch.setattr(type(lib.related), "refresh", killed)
    with pytest.raises(KeyboardInterrupt):
        lib.enrich(extractor=extractor)
    monkeypatch.undo()
    stats = lib.stats()
    assert (stats["enrich_pending"], stats["link_pending"]) == (2, 0)
    assert lib.enrich(extractor=extractor).enriched == 2
    assert lib.stats()["link_pending"] == 0 and all(lib.related.for_article(i) is not None for i in ids)


def test_new_articles_pay_for_two_growth_relinks_each_and_the_backlog_waits_for_a_run_with_nothing_new(lib, extractor):
    """A backlog of outgrown articles (an upgraded library, a big `import --no-enrich`) must not
    make a fetch of a few articles relink the whole library: at 100,000 it ran for hours."""
    from store.related import linker

    conn = lib.db.conn
    topics = ["Rail workers in Germany strike over pay", "Lava flows near Grindavik after an eruption",
              "The central bank raises interest rates again"]
    for i in range(12):
        store_text(lib, f"old{i}", f"Story {i}", f"{topics[i % 3]}. Officials said on day {i} that more would follow.")
    lib.enrich(extractor=extractor)
    with conn:
        conn.execute("UPDATE related_state SET linked_n = 0")  # every article outgrown, as after an upgrade
    store_text(lib, "new", "A new story", f"{topics[0]}. Unions said the walkout would go on.")
    report = lib.enrich(extractor=extractor)
    assert report.enriched == 1 and report.relinked == 2
    assert len(linker.grown(conn, 100)) == 10
    drained = lib.enrich(extractor=extractor)  # nothing new to enrich: the backlog goes
    assert drained.relinked == 10 and linker.grown(conn, 100) == []

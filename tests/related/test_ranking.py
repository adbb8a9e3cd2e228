"""Related links as a list: N neighbours when the library has them, best first, labelled and
never filtered by their label; links scored in a small library are refreshed as it grows;
odd input never gives a crash, a NaN or a division by zero."""
from __future__ import annotations

import json
import math
import random
import subprocess
import sys

import pytest

from store.related import linker
from store.related.terms import unpack
from tests.related.test_links import add

TOPICS = {
    "rail": "train drivers union strike railway station commuters freight timetable signal platform"
            " locomotive carriage ticket conductor depot tracks walkout overtime wages",
    "volcano": "lava eruption fissure magma volcano ash evacuation seismic crater geologists plume"
               " tremor lava flow sulphur vent summit villagers scientists basalt",
    "bank": "interest rates inflation monetary policy bond yields lending deposit mortgage currency"
            " treasury governor tightening easing liquidity reserves credit",
}
COMMON = "people officials government report country public national local plan week month"


def story(rng: random.Random, topic: str, n_words: int = 60) -> tuple[str, str]:
    vocab, common = TOPICS[topic].split(), COMMON.split()
    words = [rng.choice(vocab) if rng.random() < 0.6 else rng.choice(common) for _ in range(n_words)]
    sentences = [" ".join(words[i:i + 12]).capitalize() + "." for i in range(0, n_words, 12)]
    return f"{topic} {rng.choice(vocab)} {rng.choice(vocab)}".title(), " ".join(sentences)


def library_of(lib, counts: dict[str, int], seed: int = 1) -> dict[int, str]:
    rng = random.Random(seed)
    topics = {}
    for topic, n in counts.items():
        for i in range(n):
            topics[add(lib, f"{topic}{i}", *story(rng, topic))] = topic
    return topics


def finite_everywhere(lib) -> bool:
    conn = lib.db.conn
    scores = [s for (s,) in conn.execute("SELECT score FROM links")]
    weights = [w for (v,) in conn.execute("SELECT vector FROM related_state WHERE vector IS NOT NULL")
               for w in unpack(v)[1].tolist()]
    return all(math.isfinite(x) for x in scores + weights)


def test_related_lists_n_neighbours_whenever_the_library_has_them(lib, library_path):
    topics = library_of(lib, {"rail": 30, "volcano": 8})
    first = next(iter(topics))
    for n in (1, 5, linker.MAX_LINKS, linker.MAX_LINKS + 5):
        assert len(lib.related.for_article(first, limit=n)) == n
    # through the command a user types, past what is stored per article
    out = subprocess.run([sys.executable, "-c", "from tui.cli import entry; entry()", "related", str(first),
                          "--limit", "25", "--json", "--library", str(library_path)],
                         check=False, capture_output=True, text=True,
                         env={"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "120"})
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    assert len(items) == 25 and first not in {i["id"] for i in items}
    assert all(set(i["reasons"]) >= {"entities", "terms"} for i in items)


def test_neighbours_come_best_first_with_the_closest_on_top(lib):
    topics = library_of(lib, {"rail": 12, "volcano": 12})
    rng = random.Random(9)
    title, body = story(rng, "volcano", 120)
    original = add(lib, "orig", title, body)
    words = body.split()
    half = " ".join(words[: len(words) // 2]) + " " + story(rng, "volcano", 60)[1]  # shares half its text
    close = add(lib, "close", title, half)
    items = lib.related.for_article(original, limit=15)
    assert items[0]["id"] == close
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    assert sum(topics.get(i["id"]) == "volcano" for i in items[1:11]) >= 9


def test_labels_are_kept_on_links_never_used_to_drop_one(lib):
    library_of(lib, {"rail": 6, "bank": 6})
    body = "Lava poured from the fissure as the volcano erupted. Geologists watched the crater and the ash plume."
    a = add(lib, "a", "Volcano erupts", body)
    copy = add(lib, "copy", "Volcano erupts", body)
    weak = add(lib, "weak", "Harbour report", "The harbour master said the ferry timetable holds. Geologists"
                                              " will speak at the town hall about the new ferry pier.")
    items = {i["id"]: i for i in lib.related.for_article(a, limit=20)}
    assert items[copy]["kind"] == "duplicate"
    assert weak in items and items[weak]["kind"] == "related"
    assert items[weak]["score"] < linker.SAME_STORY_MIN  # weak, shown anyway
    assert "geologists" in items[weak]["reasons"]["terms"]


def test_links_scored_in_a_small_library_are_refreshed_once_it_has_doubled(lib):
    rng = random.Random(4)
    first = add(lib, "first", *story(rng, "rail"))
    second = add(lib, "second", *story(rng, "rail"))
    conn = lib.db.conn
    assert conn.execute("SELECT linked_n FROM related_state WHERE article_id = ?", (first,)).fetchone()[0] == 1
    for i in range(6):
        add(lib, f"more{i}", *story(rng, "bank" if i % 2 else "rail"))
    assert set(linker.grown(conn, 100)) >= {first, second}
    before = {i["id"] for i in lib.related.for_article(first, limit=20)}
    report = lib.enrich()  # the background queue: nothing to extract, the grown links to refresh
    assert report.relinked >= 2 and linker.grown(conn, 100) == []
    assert conn.execute("SELECT linked_n FROM related_state WHERE article_id = ?", (first,)).fetchone()[0] == 8
    after = {i["id"] for i in lib.related.for_article(first, limit=20)}
    assert after >= before - {None} and len(after) >= len(before)
    assert finite_everywhere(lib)


def test_a_library_of_one_article_or_of_one_topic(lib):
    only = add(lib, "only", *story(random.Random(2), "bank"))
    assert lib.related.for_article(only, limit=30) == []
    assert lib.related.relink_all() == 1 and lib.related.for_article(only) == []
    topics = library_of(lib, {"bank": 15})
    some = next(iter(topics))
    items = lib.related.for_article(some, limit=10)
    assert len(items) == 10 and all(0 < i["score"] <= 1.0001 for i in items)
    assert finite_everywhere(lib)


def test_no_entities_one_sentence_and_non_english_bodies(lib):
    library_of(lib, {"rail": 5})
    one = add(lib, "one", "Strike", "Train drivers strike.")
    russian = add(lib, "ru", "Забастовка", "Машинисты поездов объявили забастовку на железной дороге. " * 3)
    russian2 = add(lib, "ru2", "Забастовка машинистов", "Машинисты поездов продолжают забастовку.")
    chinese = add(lib, "zh", "罢工", "火车司机工会宣布在全国范围内举行罢工。" * 5)
    arabic = add(lib, "ar", "إضراب", "أعلن سائقو القطارات إضرابا عن العمل في جميع أنحاء البلاد.")
    assert any(i["kind"] in ("related", "same-story") for i in lib.related.for_article(one, limit=5))
    assert russian2 in {i["id"] for i in lib.related.for_article(russian, limit=5)}
    for art in (chinese, arabic):
        assert isinstance(lib.related.for_article(art, limit=5), list)
    lib.related.relink_all()
    assert russian2 in {i["id"] for i in lib.related.for_article(russian, limit=5)}
    assert finite_everywhere(lib)


@pytest.mark.slow
def test_two_hundred_identical_copies_form_one_duplicate_group(lib):
    title, body = story(random.Random(3), "volcano", 90)
    ids = [add(lib, f"copy{i}", title, body) for i in range(200)]
    add(lib, "other", *story(random.Random(5), "bank"))
    groups = lib.related.duplicates()
    assert len(groups) == 1 and groups[0]["ids"] == ids
    for art in (ids[0], ids[100], ids[-1]):
        items = lib.related.for_article(art, limit=5)
        assert len(items) == 5 and all(i["kind"] == "duplicate" for i in items)
    assert finite_everywhere(lib)

"""Odd input never crashes enrichment, the vote or name resolution."""
from __future__ import annotations

import pytest

from store.entities.rules import Rules
from tests.entities.conftest import store_text
from tui.cli import main


def test_no_entities_one_sentence_and_non_english_text_enrich_cleanly(lib, extractor):
    texts = {
        "none": "the rain fell all day and nobody went out.",
        "one": "Short.",
        "de": "Die Bundesregierung in Berlin hat am Montag über den Haushalt beraten.",
        "ja": "東京で記者会見が行われた。首相は経済対策について説明した。",
        "ar": "قال الرئيس في القاهرة إن المحادثات ستستمر.",
        "mixed": "Ünïcödé ß STRASSE ﬁ 🙂 — « ÉLYSÉE » a réagi.",
    }
    ids = {k: store_text(lib, k, "", t) for k, t in texts.items()}
    report = lib.enrich(extractor=extractor)
    assert report.failed == [] and report.enriched == len(texts)
    assert lib.record(ids["none"])["mentions"] == []
    for i in ids.values():
        body = lib.article(i)["body"]
        for m in lib.record(i)["mentions"]:
            assert body[m["start"]:m["end"]] == m["text"]
    weights = [w for (w,) in lib.db.conn.execute("SELECT weight FROM entity_tally")]
    assert all(w == w and w > 0 for w in weights)  # no NaN, nothing negative


def test_rules_naming_missing_entities_or_articles_are_harmless(lib, extractor):
    store_text(lib, "a", "", "Vladimir Putin met Francois Hollande in Moscow.")
    with lib.db.conn:
        for action, subject, value in (
            ("merge", "Nobody At All", "Someone Else"), ("kind", "Nowhere", "place"),
            ("hide", "Ghost", None), ("rename", "Phantom", "Spectre"),
            ("split", "Moscow", '{"kind": "person", "article": "no-such-article"}'),
            ("split", "Moscow", "not json"),
        ):
            lib.db.conn.execute("INSERT INTO entity_rules (action, subject, value, created_at)"
                                " VALUES (?,?,?,'2024-01-01')", (action, subject, value))
    assert Rules.load(lib.db.conn).splits == {}
    report = lib.enrich(extractor=extractor)
    assert report.failed == [] and report.enriched == 1
    assert {m["entity"] for m in lib.record(1)["mentions"]} >= {"Vladimir Putin", "Moscow"}


@pytest.mark.parametrize("argv, message", [
    (["entities", "kind", "Nobody", "place"], "no entity named 'Nobody'"),
    (["entities", "merge", "Nobody", "Moscow"], "no entity named 'Nobody'"),
    (["entities", "hide", "Nobody"], "no entity named 'Nobody'"),
    (["entity", "Nobody"], "no entity named 'Nobody'"),
    (["notes", "backlinks", "Nobody"], None),
])
def test_a_correction_naming_a_missing_entity_says_so(lib, library_path, extractor, capsys, argv, message):
    store_text(lib, "a", "", "Vladimir Putin met Francois Hollande in Moscow.")
    lib.enrich(extractor=extractor)
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--library", str(library_path)])
    err = capsys.readouterr().err
    if message is None:
        assert exc.value.code == 0 and err == ""
    else:
        assert exc.value.code == 1 and message in err and err.count("\n") == 1


def test_a_library_from_before_the_vote_opens_keeps_its_rules_and_re_enriches(library_path, extractor):
    """m0016 on a library made before it: entity_rules rebuilt with its rows and ids,
    the vote tables created, every article queued again (ENRICH_VERSION 2)."""
    import sqlite3

    from store.library import Library

    lib = Library(library_path)
    store_text(lib, "a", "", "Vladimir Putin met Francois Hollande in Moscow.")
    lib.enrich(extractor=extractor)
    lib.close()
    old = sqlite3.connect(library_path)
    old.executescript("""
        DROP TABLE entity_votes; DROP TABLE entity_tally; DROP TABLE entity_kinds;
        DROP TABLE entity_rules;
        CREATE TABLE entity_rules (id INTEGER PRIMARY KEY,
            action TEXT NOT NULL CHECK (action IN ('merge', 'rename', 'kind', 'hide')),
            subject TEXT NOT NULL, value TEXT, created_at TEXT NOT NULL);
        INSERT INTO entity_rules VALUES (7, 'kind', 'Moscow', 'org', '2024-01-01');
        DELETE FROM _migrations WHERE name LIKE 'm0016%';
        UPDATE articles SET enrich_version = 1;
    """)
    old.commit()
    old.close()
    lib = Library(library_path)
    try:
        c = lib.db.conn
        assert c.execute("SELECT id, action, subject, value FROM entity_rules").fetchall() == [
            (7, "kind", "Moscow", "org")]
        assert lib.stats()["enrich_pending"] == 1
        lib.enrich(extractor=extractor)
        assert {m["entity"]: m["kind"] for m in lib.record(1)["mentions"]}["Moscow"] == "org"
        assert c.execute("SELECT count(*) FROM entity_votes").fetchone()[0] >= 2
        lib.entities.split("Moscow", "place", [1])  # the new action is accepted
    finally:
        lib.close()

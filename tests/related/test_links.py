import json

import pytest

from store.document import Document
from store.errors import MarginError

RAIL = ("Rail union calls strike across Germany",
        "The train drivers union called a three day strike, halting regional trains and freight across Germany.")
RAIL2 = ("Commuters stranded as rail strike begins",
         "Stations were empty as the drivers union strike halted regional trains; freight operators warned of delays.")
VOLCANO = ("Eruption on Reykjanes peninsula",
           "Lava fountains rose from a fissure near Grindavik as the volcano erupted.")


def add(lib, key, title, body, entities=()):
    with lib.db.conn:
        art = lib.store_document(key, Document.from_parts(title, [("paragraph", body)]), origin="text")
        for name, kind in entities:
            lib.db.conn.execute("INSERT OR IGNORE INTO entities (name, kind, key) VALUES (?, ?, lower(?))",
                                (name, kind, name))
            eid = lib.db.conn.execute("SELECT id FROM entities WHERE key = lower(?)", (name,)).fetchone()[0]
            start = body.find(name.split()[0])
            lib.db.conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?,?,?,?,?)',
                                (art.id, eid, max(start, 0), max(start, 0) + len(name), name))
        lib.related.refresh([art.id])
    return art.id


def test_related_articles_come_with_score_kind_and_reasons(lib):
    a = add(lib, "a", *RAIL, entities=[("Germany", "place")])
    b = add(lib, "b", *RAIL2, entities=[("Germany", "place")])
    c = add(lib, "c", *VOLCANO, entities=[("Reykjanes", "place")])
    related = lib.related.for_article(b)
    assert [r["id"] for r in related] == [a]
    item = related[0]
    assert item["kind"] in ("related", "same-story") and item["score"] > 0
    assert "strike" in item["reasons"]["terms"] or "union" in item["reasons"]["terms"]
    assert lib.related.for_article(c) == []
    assert lib.record(a)["related"][0]["id"] == b


def test_articles_without_entities_or_with_tiny_bodies_never_crash(lib):
    a = add(lib, "a", "x", "")
    b = add(lib, "b", "Hi", "ok")
    c = add(lib, "c", *RAIL)
    assert lib.related.for_article(a) == [] and lib.related.for_article(b) == []
    assert lib.related.for_article(c) == []


def test_the_same_story_twice_is_a_duplicate_group(lib):
    body = " ".join([RAIL[1]] * 3)
    a = add(lib, "a", RAIL[0], body)
    b = add(lib, "b", RAIL[0], body.replace("three day", "three-day") + " Legal Disclaimer: none.")
    assert lib.related.for_article(a)[0]["kind"] == "duplicate"
    assert lib.related.duplicates() == [{"ids": [a, b], "title": RAIL[0], "sources": [None, None]}]


def test_user_links_rank_first_and_survive_recomputation_unlinks_stay_away(lib):
    a = add(lib, "a", *RAIL)
    b = add(lib, "b", *RAIL2)
    c = add(lib, "c", *VOLCANO)
    lib.related.link(a, c, note="both disrupt travel")
    assert lib.related.for_article(a)[0] == {"id": c, "title": VOLCANO[0], "score": 1.0, "kind": "user",
                                             "reasons": {"entities": [], "terms": []}, "note": "both disrupt travel"}
    assert lib.related.for_article(c)[0]["id"] == a  # user links read both ways
    lib.related.unlink(a, b)
    lib.related.relink_all()
    ids = [r["id"] for r in lib.related.for_article(a)]
    assert ids == [c]
    with pytest.raises(MarginError):
        lib.related.link(a, a)


def test_links_to_deleted_articles_go_with_them(lib):
    a = add(lib, "a", *RAIL)
    b = add(lib, "b", *RAIL2)
    with lib.db.conn:
        lib.db.conn.execute("DELETE FROM articles WHERE id = ?", (b,))
    assert lib.related.for_article(a) == []


def test_stories_group_strong_links_with_entity_labels(lib):
    ents = [("Deutsche Bahn", "org"), ("Germany", "place")]
    a = add(lib, "a", *RAIL, entities=ents)
    b = add(lib, "b", *RAIL2, entities=ents)
    add(lib, "c", *VOLCANO, entities=[("Reykjanes", "place")])
    stories = lib.related.stories()
    assert [sorted(x["id"] for x in s["articles"]) for s in stories] == [[a, b]]
    assert set(stories[0]["label"]) == {"Deutsche Bahn", "Germany"}


def test_refresh_is_incremental_and_skips_unchanged_articles(lib):
    a = add(lib, "a", *RAIL)
    assert lib.related.refresh([a]) == 0
    with lib.db.conn:
        lib.store_document("a", Document.from_parts(RAIL[0], [("paragraph", RAIL[1] + " More.")]), origin="text")
    assert lib.related.refresh([a]) == 1


def test_a_full_relink_gives_each_link_the_kind_and_reasons_linking_article_by_article_gives(lib):
    """The relink reads dates, entities and weights once for the library (relink.py); the
    labels must be those an article linked on its own gets, read per article."""
    from store.related.linker import OFFERS, index_article, score_article

    ids = [add(lib, "a", *RAIL, entities=[("Germany", "place"), ("Deutsche Bahn", "org")]),
           add(lib, "b", *RAIL2, entities=[("Germany", "place")]),
           add(lib, "c", RAIL[0], RAIL[1] + " Deutsche Bahn said so.", entities=[("Deutsche Bahn", "org")]),
           add(lib, "d", *VOLCANO, entities=[("Grindavik", "place")])]
    conn = lib.db.conn
    with conn:
        lib.related.relink_all()
    stored = {(s, d): (k, json.loads(r)) for s, d, k, r in
              conn.execute("SELECT src, dst, kind, reason FROM links WHERE kind != 'user'")}
    assert any(reason["entities"] for _, reason in stored.values())
    compared = 0
    for aid in ids:
        with conn:
            indexed = index_article(conn, aid)
        for s in score_article(conn, aid, indexed, limit=OFFERS):
            if (aid, s.dst) in stored:
                assert stored[(aid, s.dst)] == (s.kind, {"entities": s.entities, "terms": s.terms})
                compared += 1
    assert compared >= 4

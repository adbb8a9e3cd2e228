"""Where a query matches inside an article: stemmed words and prefixes as the index
matches them, phrases, @entity mentions, noted passages matched by note:."""
from __future__ import annotations

from tests.search.corpus import add, entity


def spans_text(lib, art, query):
    body = lib.article(art)["body"]
    return [body[a:b] for a, b in lib.search_matches(art, query)]


def test_words_are_stemmed_as_the_index_stems_them(lib):
    art = add(lib, "m", "Talks", "Peace talks resumed. He talked of talking; the stalk is not a talk.")
    assert spans_text(lib, art, "talk") == ["talks", "talked", "talking", "talk"]
    assert lib.search("talk")[0].id == art  # the same article the search found


def test_prefixes_phrases_and_accents(lib):
    art = add(lib, "p", "P", "Presidents preside over the air strike. François said: air, then strike.")
    assert spans_text(lib, art, "presid*") == ["Presidents", "preside"]
    assert spans_text(lib, art, '"air strike"') == ["air strike"]
    assert spans_text(lib, art, "francois") == ["François"]
    assert spans_text(lib, art, "-strike air") == ["air", "air"]  # exclusions are not matches
    assert spans_text(lib, art, "title:air") == []  # a title-only term says nothing about the body
    assert spans_text(lib, art, '"unclosed') == []


def test_entity_mentions_and_noted_passages(lib):
    art = add(lib, "e", "E", "Putin met Hollande. Later Vladimir Putin left.")
    body = lib.article(art)["body"]
    conn = lib.db.conn
    with conn:
        putin = entity(conn, "Vladimir Putin", "person", "Putin")
        for start in (body.index("Putin"), body.index("Vladimir Putin")):
            text = "Putin" if start == body.index("Putin") else "Vladimir Putin"
            conn.execute('INSERT INTO mentions (article_id, entity_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                         (art, putin, start, start + len(text), text))
    assert spans_text(lib, art, "@putin") == ["Putin", "Vladimir Putin"]
    assert spans_text(lib, art, "@Putin kind:place") == []
    lib.notes.add(art, quote="met Hollande", body="a short meeting")
    assert spans_text(lib, art, "note:meeting") == ["met Hollande"]
    assert spans_text(lib, art, "note:meeting left") == ["met Hollande", "left"]

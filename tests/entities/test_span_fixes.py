"""The document rules added for real newswire: each on a short text, through the real model
where the model's own output is what the rule corrects."""
from __future__ import annotations

from store.entities.canonical import clean_span, clean_spans
from store.entities.casing import model_text
from store.entities.consistency import article_mentions, gazetteer_kinds, sports
from store.entities.gazetteer import gazetteer
from store.entities.protocol import Found, Span


def mentions(extractor, body: str, title: str = "") -> list[tuple[str, str]]:
    from store.entities.casing import model_inputs

    pieces = model_inputs(body)
    spans = extractor.extract([m for _, _, m in pieces])
    found = article_mentions(body, [(o, t, s, m) for (o, t, m), s in zip(pieces, spans, strict=False)], title)
    return [(f.text, f.kind) for f in found if not f.in_title]


def test_a_verb_inside_a_span_cuts_it_in_two():
    text = "Fabius told RTL on Sunday."
    found = clean_spans(text, [Span(0, 15, "PERSON")])
    assert [(f.text, f.kind) for f in found] == [("Fabius", "person"), ("RTL", "other")]
    inst = "The Syrian Observatory for Human Rights said."
    found = clean_spans(inst, [Span(4, 39, "ORG")])
    assert [(f.text, f.kind) for f in found] == [("Syrian Observatory for Human Rights", "org")]


def test_an_organisation_with_a_place_word_stays_an_organisation(extractor):
    body = ("The Syrian Observatory for Human Rights said 12 people died in Aleppo. "
            "The Britain-based Syrian Observatory for Human Rights monitors the war.")
    got = mentions(extractor, body)
    assert ("Syrian Observatory for Human Rights", "org") in got
    assert all(kind == "org" for text, kind in got if text == "Syrian Observatory for Human Rights")


def test_a_final_abbreviation_keeps_its_period():
    for text, want in (("U.S.", "U.S."), ("Washington , D.C.", "Washington , D.C."),
                       ("Clay Tice Jr.", "Clay Tice Jr."), ("London.", "London"), ("the U.N.'s", "U.N.")):
        s, e = clean_span(text, 0, len(text), "place")
        assert text[s:e] == want


def test_tokenised_datelines_and_shouted_headlines_are_readable_for_the_model():
    text = "AL-AIN , United Arab Emirates 1996-12-06\nLONDON 1996-08-30\nNATO , the alliance , and NATO said"
    seen = model_text(text)
    assert len(seen) == len(text)
    assert seen.startswith("Al-Ain , United Arab Emirates")
    assert "\nLondon 1996-08-30" in seen
    assert "\nNATO , the alliance" in seen  # written in capitals in the prose too: kept


def test_gazetteer_places_come_from_the_data_packages():
    gaz = gazetteer()
    assert gaz.is_country("Syria") and gaz.is_country("united kingdom")
    assert gaz.is_place("Kingston") and gaz.is_place("Texas") and gaz.is_place("Reykjavík")
    assert not gaz.is_place("Reuters")


def test_gazetteer_turns_a_misread_place_into_a_place_but_not_a_known_surname():
    body = "Moldova voted. Kingston grew. Jack Houston spoke; Houston left."
    found = [Found(body.index(t), body.index(t) + len(t), t, t, k, label) for t, k, label in (
        ("Moldova", "person", "PERSON"), ("Kingston", "org", "ORG"),
        ("Jack Houston", "person", "PERSON"), ("Houston", "org", "ORG"))]
    gazetteer_kinds(body, found)
    assert [f.kind for f in found] == ["place", "place", "person", "org"]


def test_in_a_match_report_a_town_is_a_club_only_where_the_words_say_so():
    body = ("Liverpool beat Everton 2-1 in the league on Sunday, their fifth win of the season. "
            "The striker, born in Houston , Texas , scored twice. Japan 2 Syria 1 in the cup final.")

    def f(t: str, label: str = "GPE") -> Found:
        i = body.index(t)
        return Found(i, i + len(t), t, t, "place", label)

    found = [f("Liverpool"), f("Everton"), f("Houston"), f("Texas"), f("Japan"), f("Syria")]
    sports(body, found)
    assert {x.text: x.kind for x in found} == {
        "Liverpool": "org", "Everton": "org",  # "beat" after, "beat" before
        "Houston": "place", "Texas": "place",  # "born in", a place qualified by a place
        "Japan": "place", "Syria": "place",  # national teams are their countries
    }


def test_a_place_cue_decides_the_kind_within_an_article(extractor):
    from store.entities.canonical import vote_kinds
    from store.entities.vote import mark_cues

    body = "Residents of Grindavik left. Grindavik said no. Police in Grindavik stayed."
    found = [Found(i, i + 9, "Grindavik", "Grindavik", k, "ORG" if k == "org" else "GPE")
             for i, k in zip([j for j in range(len(body)) if body.startswith("Grindavik", j)],
                             ("org", "org", "place"), strict=False)]
    mark_cues(body, found)
    vote_kinds(found)
    assert {f.kind for f in found} == {"place"}  # "in Grindavik" outweighs two bare org labels


def test_person_of_place_is_split_when_the_surname_stands_alone_and_the_place_is_known():
    from store.entities.consistency import split_person_of

    body = ("Novak Djokovic of Serbia won. Djokovic is 37. The Royal Bank of Scotland agreed. "
            "Maria Lopez of Spain lost. The Baseball Hall of Fame opened; Fame came late.")
    spans = ["Novak Djokovic of Serbia", "Royal Bank of Scotland", "Maria Lopez of Spain", "Baseball Hall of Fame"]
    found = [Found(body.index(t), body.index(t) + len(t), t, t, "org", "ORG") for t in spans]
    out = split_person_of(body, found)
    assert [(f.text, f.kind) for f in out] == [
        ("Novak Djokovic", "person"), ("Serbia", "place"),
        ("Royal Bank of Scotland", "org"),  # an institution
        ("Maria Lopez of Spain", "org"),  # "Lopez" never stands alone: left as the model said
        ("Baseball Hall of Fame", "org"),  # "Fame" is no place
    ]
    assert all(body[f.start:f.end] == f.text for f in out)


def test_a_sports_table_names_its_clubs_and_keeps_the_dateline_a_place(extractor):
    body = ("SOCCER - ENGLISH LEAGUE STANDINGS .\nLONDON 1996-08-31\n"
            "Standings after games played on Saturday ( played , won , drawn , lost , goals for ,"
            " against , points ) :\nBarnsley 4 4 0 0 10 3 12\nBolton 4 3 1 0 9 4 10\n"
            "Wolverhampton 4 3 0 1 8 2 9\n")
    got = dict(mentions(extractor, body))
    assert got["LONDON"] == "place"
    assert got["Barnsley"] == got["Bolton"] == got["Wolverhampton"] == "org"

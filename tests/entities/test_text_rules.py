"""Span clean-up, canonical names, casing for the model and chunking, without the model."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.entities.canonical import clean_span, link_short_forms, vote_kinds
from store.entities.casing import is_shouting, model_inputs, model_text
from store.entities.chunking import chunks
from store.entities.consistency import propagate
from store.entities.protocol import Found
from store.names import name_key


def span(text: str, piece: str, kind: str = "place") -> str | None:
    s = text.index(piece)
    out = clean_span(text, s, s + len(piece), kind)
    return None if out is None else text[out[0]:out[1]]


def test_clean_span_strips_possessive_the_quotes_and_punctuation():
    assert span("in Russia's north", "Russia's") == "Russia"
    assert span("in Russia’s north", "Russia’s") == "Russia"
    assert span("fight the “Islamic State” said", "the “Islamic State”", "org") == "Islamic State"
    assert span("said Putin.", "Putin.", "person") == "Putin"
    assert span("The Pentagon said", "The Pentagon", "org") == "Pentagon"
    assert span("RIA news agency cites", "RIA news agency", "org") == "RIA"
    assert span("beat Manchester City 2-1 at", "Manchester City 2-1", "org") == "Manchester City"
    assert span("against non-ISIS groups", "non-ISIS", "other") == "ISIS"
    assert span("Ursula von der Leyen", "von der Leyen", "person") == "von der Leyen"
    assert span("the 2014 one", "2014") is None
    assert span("a lowercase thing", "lowercase thing") is None


def test_short_forms_take_the_earlier_full_name_and_its_kind():
    found = [Found(0, 14, "Vladimir Putin", "Vladimir Putin", "person", "PERSON"),
             Found(30, 35, "Putin", "Putin", "person", "PERSON"),
             Found(40, 48, "Hollande", "Hollande", "org", "ORG"),
             Found(60, 77, "Francois Hollande", "Francois Hollande", "person", "PERSON"),
             Found(80, 88, "Hollande", "Hollande", "org", "ORG"),
             Found(90, 100, "Washington", "Washington", "place", "GPE")]
    link_short_forms(found)
    assert [(f.name, f.kind) for f in found[1:3]] == [("Vladimir Putin", "person"),
                                                      ("Francois Hollande", "person")]
    assert (found[4].name, found[4].kind) == ("Francois Hollande", "person")
    assert (found[5].name, found[5].kind) == ("Washington", "place")


def test_one_name_keeps_one_kind_in_an_article():
    found = [Found(0, 4, "Acme", "Acme", "org", "ORG"), Found(10, 14, "Acme", "Acme", "place", "GPE"),
             Found(20, 24, "ACME", "ACME", "org", "ORG")]
    vote_kinds(found)
    assert {f.kind for f in found} == {"org"}


def test_name_key_folds_case_diacritics_and_spaces():
    assert name_key("François  HOLLANDE") == name_key("francois hollande") == "francois hollande"


def test_propagation_finds_names_in_shouted_headlines_and_compounds():
    body = "PUTIN WARNS ISIS\n\nVladimir Putin spoke. Putin said anti-ISIS work goes on. ISIS lost."
    vp, p, i = body.index("Vladimir"), body.index("Putin said"), body.index("ISIS lost")
    found = [Found(vp, vp + 14, "Vladimir Putin", "Vladimir Putin", "person", "PERSON"),
             Found(p, p + 5, "Putin", "Vladimir Putin", "person", "PERSON"),
             Found(i, i + 4, "ISIS", "ISIS", "org", "ORG")]
    added = propagate(body, found)
    assert {(f.start, body[f.start:f.end], f.name) for f in added} == {
        (0, "PUTIN", "Vladimir Putin"),  # headline in capitals
        (12, "ISIS", "ISIS"),
        (body.index("anti-ISIS") + 5, "ISIS", "ISIS"),  # inside a compound
    }


def test_model_text_keeps_length_and_recases_shouting():
    body = ("LIVERPOOL STUN CITY LATE ON\n\nLiverpool beat City 2-1.\n\nBRUSSELS — Talks.\n\n"
            "Maria Santos    Labour    18,204")
    seen = model_text(body)
    assert len(seen) == len(body)
    assert seen.startswith("Liverpool stun City late on")
    assert "Brussels — Talks." in seen
    assert "Maria Santos\n   Labour\n   18,204" in seen
    assert is_shouting("EU LEADERS CLASH WITH LONDON") and not is_shouting("NATO and the EU met")


def test_one_megabyte_body_chunks_at_paragraphs_with_exact_offsets():
    para = "Vladimir Putin met Francois Hollande in Moscow on Tuesday. " * 30
    body = "\n\n".join([para.strip()] * 600)
    assert len(body) > 1_000_000
    pieces = chunks(body)
    assert all(len(p) <= 20_000 for _, p in pieces)
    assert all(body[o:o + len(p)] == p for o, p in pieces)
    assert all(p.startswith("Vladimir") for _, p in pieces)  # cut at paragraph boundaries
    covered = sum(len(p) for _, p in pieces)
    assert covered == len(body)
    assert [m for _, _, m in model_inputs(body)][0] == pieces[0][1]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab C\n.é"), max_size=400), st.integers(5, 50))
def test_chunks_always_slice_the_text(text, limit):
    for off, piece in chunks(text, limit):
        assert text[off:off + len(piece)] == piece
        assert len(piece) <= limit

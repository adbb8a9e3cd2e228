"""A surname or shortened name finds its full entity when the library has one candidate:
`margin entity`, `@Name` search, `[[Name]]` note links and `notes backlinks`; with
several candidates the user is shown them."""
from __future__ import annotations

import json

import pytest

from store.entities.resolve import Ambiguous
from store.errors import NotFound, QueryError
from tests.entities.conftest import store_text
from tests.entities.test_cli import run
from tests.entities.test_library_vote import Scripted

NEWS = "Vladimir Putin met Francois Hollande in Moscow on Thursday."
OTHER = "Francois Hollande spoke in Paris about the summit."


@pytest.fixture
def library(lib, extractor):
    """Two articles through the real model; neither names anyone by surname alone."""
    a = store_text(lib, "a", "Summit", NEWS)
    b = store_text(lib, "b", "Paris", OTHER)
    lib.enrich(extractor=extractor)
    names = {m["entity"] for i in (a, b) for m in lib.record(i)["mentions"]}
    assert {"Vladimir Putin", "Francois Hollande"} <= names  # what the rest relies on
    return lib, a, b


def test_margin_entity_finds_the_full_name_from_a_surname(library, library_path, capsys):
    code, out, err = run(capsys, "entity", "Hollande", "--library", str(library_path), "--json")
    assert code == 0, err
    ent = json.loads(out)
    assert ent["name"] == "Francois Hollande" and ent["kind"] == "person"
    assert len(ent["articles"]) == 2
    code, out, _ = run(capsys, "entity", "putin", "--library", str(library_path))
    assert code == 0 and out.startswith("Vladimir Putin")


def test_at_surname_in_search_finds_the_full_entity(library):
    lib, a, b = library
    assert {h.id for h in lib.search("@Hollande")} == {a, b}
    assert {h.id for h in lib.search("@Putin")} == {a}
    assert {h.id for h in lib.search("-@Putin")} == {b}
    assert lib.search("@Nobody") == []


def test_note_links_and_backlinks_resolve_partial_names(library, library_path, capsys):
    lib, a, b = library
    short = lib.notes.add(a, quote="Vladimir Putin met", body="Compare [[Hollande]] in Paris.")
    full = lib.notes.add(b, quote="spoke in Paris", body="See [[Francois Hollande]].")
    other = lib.notes.add(b, quote="about the summit", body="Nothing about [[Putin]].")
    assert {n.id for n in lib.notes.backlinks("Francois Hollande")} == {short.id, full.id}
    assert {n.id for n in lib.notes.backlinks("hollande")} == {short.id, full.id}
    assert {n.id for n in lib.notes.backlinks("Vladimir Putin")} == {other.id}
    assert lib.notes.backlinks("Nobody") == []
    code, out, err = run(capsys, "notes", "backlinks", "Hollande", "--library", str(library_path), "--json")
    assert code == 0, err
    assert {n["id"] for n in json.loads(out)} == {short.id, full.id}
    assert lib.entities.get("Hollande")["name"] == "Francois Hollande"  # what [[Hollande]] opens


def test_a_lone_surname_entity_leads_to_the_one_full_name(lib):
    """An article that never gave the full name stores "Erdogan" on its own: asking for
    it shows the full entity, with the lone one's articles."""
    texts = {"full": "Recep Tayyip Erdogan spoke in Ankara.", "lone": "Erdogan spoke again."}
    for key, text in texts.items():
        store_text(lib, key, "", text)
    lib.enrich(extractor=Scripted({"Recep": [("Recep Tayyip Erdogan", "PERSON")],
                                   "again": [("Erdogan", "PERSON")]}))
    ent = lib.entities.get("Erdogan")
    assert ent["name"] == "Recep Tayyip Erdogan"
    assert "Erdogan" in ent["aliases"] and len(ent["articles"]) == 2
    assert len(lib.search("@Erdogan")) == 2


def test_several_candidates_are_listed_not_guessed(lib, library_path, capsys):
    texts = {"w": "Willy Brandt spoke in Bonn.", "a": "Anneliese Brandt spoke in Frankfurt."}
    for key, text in texts.items():
        store_text(lib, key, "", text)
    lib.enrich(extractor=Scripted({"Willy": [("Willy Brandt", "PERSON")],
                                   "Anneliese": [("Anneliese Brandt", "PERSON")]}))
    with pytest.raises(Ambiguous) as exc:
        lib.entities.get("Brandt")
    assert {c.name for c in exc.value.candidates} == {"Willy Brandt", "Anneliese Brandt"}
    code, _, err = run(capsys, "entity", "Brandt", "--library", str(library_path))
    assert code == 1
    assert "'Brandt' could mean 2 entities" in err and "Willy Brandt (person)" in err
    assert "Anneliese Brandt (person)" in err and err.count("\n") == 1
    with pytest.raises(QueryError) as qexc:
        lib.search("spoke @Brandt")
    assert "Willy Brandt" in str(qexc.value) and qexc.value.column == 7
    with pytest.raises(Ambiguous):
        lib.notes.backlinks("Brandt")
    assert len(lib.search('@"Willy Brandt"')) == 1


def test_an_unknown_name_is_not_found(lib):
    with pytest.raises(NotFound):
        lib.entities.get("Nobody")

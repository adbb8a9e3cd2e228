"""One name, one kind across the library: the vote, homonyms kept apart on evidence, and the
user's split and kind rules."""
from __future__ import annotations

import json
import re

import pytest

from store.entities.protocol import Span
from tests.entities.conftest import store_text
from tui.cli import main


class Scripted:
    """The model's labels for a name, given per article text: what the small model does
    with "Anneliese Brandt" in the demo (a person three times, a work of art once),
    made repeatable. Every other step of the queue is the real one."""

    name, version = "scripted", "1"

    def __init__(self, labels: dict[str, list[tuple[str, str]]]) -> None:
        self.labels = labels  # text fragment -> [(name, spaCy label)]

    def extract(self, texts):
        out = []
        for text in texts:
            spans = []
            for fragment, names in self.labels.items():
                if fragment in text:
                    for name, label in names:
                        for m in re.finditer(re.escape(name), text):
                            spans.append(Span(m.start(), m.end(), label))
            out.append(sorted(spans, key=lambda s: s.start))
        return out

    def close(self) -> None:
        return None


BRANDT = [
    ("a", "Anneliese Brandt said rates would hold.", "PERSON"),
    ("b", "Anneliese Brandt spoke at the bank on Monday.", "PERSON"),
    ("c", "Economist Anneliese Brandt warned of inflation.", "PERSON"),
    ("d", "Anneliese Brandt wrote the report on prices.", "WORK_OF_ART"),
]


def kinds_of(lib, name: str) -> dict[int, str]:
    out = {}
    for art in lib.db.conn.execute("SELECT id FROM articles ORDER BY id"):
        for m in lib.record(art[0])["mentions"]:
            if m["entity"] == name:
                out[art[0]] = m["kind"]
    return out


def test_a_name_gets_the_kind_most_of_the_library_gives_it(lib):
    for key, text, _ in BRANDT:
        store_text(lib, key, "", text)
    lib.enrich(extractor=Scripted({text: [("Anneliese Brandt", label)] for _, text, label in BRANDT}))
    assert set(kinds_of(lib, "Anneliese Brandt").values()) == {"person"}
    assert len(kinds_of(lib, "Anneliese Brandt")) == 4
    assert [r for r in lib.entities.list() if r["name"] == "Anneliese Brandt"] == [
        {"id": lib.entities.find("Anneliese Brandt")[0], "name": "Anneliese Brandt", "kind": "person",
         "articles": 4, "mentions": 4}]
    assert len(lib.search("@Brandt")) == len(lib.search('@"Anneliese Brandt"')) == 4


def test_an_article_enriched_later_follows_the_library_and_can_turn_it(lib):
    """The vote runs as articles arrive: a lone early label is outvoted later."""
    store_text(lib, "d", "", BRANDT[3][1])
    labels = {text: [("Anneliese Brandt", label)] for _, text, label in BRANDT}
    lib.enrich(extractor=Scripted(labels))
    assert kinds_of(lib, "Anneliese Brandt") == {1: "other"}
    for key, text, _ in BRANDT[:3]:
        store_text(lib, key, "", text)
    lib.enrich(extractor=Scripted(labels))
    assert set(kinds_of(lib, "Anneliese Brandt").values()) == {"person"}
    rows = lib.db.conn.execute("SELECT kind FROM entities WHERE key = 'anneliese brandt'").fetchall()
    assert rows == [("person",)]  # the outvoted entity went with its last mention


GRIND = [
    ("g1", "Lava reached the edge of Grindavik overnight.", "ORG"),
    ("g2", "Police in Grindavik closed the road.", "GPE"),
    ("g3", "Grindavik was evacuated again.", "PERSON"),
    ("g4", "Residents returned to Grindavik on Friday.", "GPE"),
    ("g5", "Grindavik lies on the Reykjanes peninsula.", "NORP"),
]


def test_a_name_read_four_ways_becomes_one_entity(lib):
    for key, text, _ in GRIND:
        store_text(lib, key, "", text)
    lib.enrich(extractor=Scripted({text: [("Grindavik", label)] for _, text, label in GRIND}))
    assert set(kinds_of(lib, "Grindavik").values()) == {"place"}
    assert [r["kind"] for r in lib.entities.list() if r["name"] == "Grindavik"] == ["place"]


def test_a_homonym_is_kept_apart_only_on_evidence(lib):
    texts = [
        ("w1", "Talks in Washington ended.", "GPE"),
        ("w2", "Officials in Washington agreed.", "GPE"),
        ("w3", "Washington was quiet.", "PERSON"),  # no evidence: follows the library
        ("w4", "President Washington crossed the river.", "PERSON"),  # a title: a person here
    ]
    for key, text, _ in texts:
        store_text(lib, key, "", text)
    lib.enrich(extractor=Scripted({text: [("Washington", label)] for _, text, label in texts}))
    assert kinds_of(lib, "Washington") == {1: "place", 2: "place", 3: "place", 4: "person"}


def test_the_user_splits_a_homonym_and_it_survives_re_enrichment(lib, library_path, capsys):
    texts = [("s1", "Talks in Jordan ended.", "GPE"), ("s2", "Fans in Jordan cheered.", "GPE"),
             ("s3", "Jordan scored 40 points.", "GPE")]
    for key, text, _ in texts:
        store_text(lib, key, "", text)
    ex = Scripted({text: [("Jordan", label)] for _, text, label in texts})
    lib.enrich(extractor=ex)
    assert kinds_of(lib, "Jordan") == {1: "place", 2: "place", 3: "place"}
    with pytest.raises(SystemExit) as exc:
        main(["entities", "split", "Jordan", "person", "--article", "3", "--library", str(library_path), "--json"])
    assert exc.value.code == 0
    assert json.loads(capsys.readouterr().out) == {"name": "Jordan", "kind": "person", "articles": [3]}
    lib.db.conn.execute("PRAGMA data_version")  # the CLI wrote through its own connection
    assert kinds_of(lib, "Jordan") == {1: "place", 2: "place", 3: "person"}
    with lib.db.conn:
        lib.db.conn.execute("UPDATE articles SET enriched_hash = NULL")  # everything again
    lib.enrich(extractor=ex)
    assert kinds_of(lib, "Jordan") == {1: "place", 2: "place", 3: "person"}


def test_split_names_what_was_wrong(lib, library_path, capsys):
    store_text(lib, "x", "", "Talks in Jordan ended.")
    lib.enrich(extractor=Scripted({"Talks": [("Jordan", "GPE")]}))
    for argv, message in (
        (["Jordan", "person", "--article", "99"], "no article 99"),
        (["Nowhere", "person", "--article", "1"], "no entity named 'Nowhere'"),
    ):
        with pytest.raises(SystemExit) as exc:
            main(["entities", "split", *argv, "--library", str(library_path)])
        err = capsys.readouterr().err
        assert exc.value.code == 1 and message in err and err.count("\n") == 1


def test_a_kind_rule_beats_the_vote(lib):
    for key, text, _ in GRIND:
        store_text(lib, key, "", text)
    ex = Scripted({text: [("Grindavik", label)] for _, text, label in GRIND})
    lib.enrich(extractor=ex)
    lib.entities.set_kind("Grindavik", "org")
    with lib.db.conn:
        lib.db.conn.execute("UPDATE articles SET enriched_hash = NULL")
    lib.enrich(extractor=ex)
    assert set(kinds_of(lib, "Grindavik").values()) == {"org"}


def test_with_the_real_model_every_name_has_one_kind_across_the_library(lib, extractor):
    """Whatever the small model says article by article, no name is stored as two kinds
    unless a context cue keeps a homonym apart."""
    texts = [
        "Lava reached Grindavik on Sunday. Residents of Grindavik were evacuated.",
        "Grindavik said the harbour would reopen. Grindavik beat Keflavik 2-1 in the final.",
        "Police in Grindavik closed the road to the Blue Lagoon.",
        "Anneliese Brandt, chief economist of the Bundesbank, said rates would hold.",
        "The Bundesbank economist Anneliese Brandt warned of inflation in Berlin.",
    ]
    for i, text in enumerate(texts):
        store_text(lib, f"r{i}", "", text)
    lib.enrich(extractor=extractor)
    c = lib.db.conn
    split = c.execute(
        "SELECT e.key, count(DISTINCT e.kind) FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " GROUP BY e.key HAVING count(DISTINCT e.kind) > 1").fetchall()
    for key, _ in split:  # only cue-protected homonyms may differ
        cues = c.execute("SELECT DISTINCT cue FROM entity_votes WHERE key = ? AND cue IS NOT NULL", (key,)).fetchall()
        assert cues, key
    tally = dict(c.execute("SELECT kind, weight FROM entity_tally WHERE key = 'grindavik'").fetchall())
    assert tally and all(w > 0 for w in tally.values())


def test_splitting_every_mention_leaves_no_empty_entity(lib):
    store_text(lib, "x", "", "Talks in Jordan ended.")
    lib.enrich(extractor=Scripted({"Talks": [("Jordan", "GPE")]}))
    lib.entities.split("Jordan", "person", [1])
    rows = lib.db.conn.execute("SELECT kind FROM entities WHERE key = 'jordan'").fetchall()
    assert rows == [("person",)]
    assert lib.entities.get("Jordan")["kind"] == "person"

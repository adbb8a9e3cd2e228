"""User corrections: merge, rename, kind, hide, unhide; stored now and as rules."""
from __future__ import annotations

import pytest

from store.errors import MarginError, NotFound
from tests.entities.conftest import store_text

ONE = "Vladimir Putin met Francois Hollande in Moscow. Putin said Russia would help."
TWO = "François Hollande flew to Berlin. Hollande met Angela Merkel and the Kremlin."


@pytest.fixture
def enriched(lib, extractor):
    a = store_text(lib, "one", "Talks in Moscow", ONE)
    b = store_text(lib, "two", "Hollande in Berlin", TWO)
    lib.enrich(extractor=extractor)
    return lib, a, b


def names(lib, art):
    return {m.entity for m in lib.entities.mentions_for(art)}


def test_library_shares_one_entity_across_case_and_diacritics(enriched):
    lib, a, b = enriched
    ent = lib.entities.get("hollande")
    assert ent["name"] == "Francois Hollande" and ent["kind"] == "person"
    assert [x["id"] for x in ent["articles"]] == [b, a]  # newest first
    assert "Hollande" in ent["aliases"]  # "François Hollande" is the same key as the name
    assert "Vladimir Putin" in {c["name"] for c in ent["co_occurring"]}
    listed = lib.entities.list(kind="person")
    assert listed[0]["name"] == "Francois Hollande" and listed[0]["articles"] == 2
    assert all(e["kind"] == "person" for e in listed)


def test_merge_rename_kind_hide_unhide(enriched):
    lib, a, b = enriched
    lib.entities.merge("Vladimir Putin", "Kremlin")
    assert "Kremlin" not in names(lib, b) and "Vladimir Putin" in names(lib, b)
    assert "Kremlin" in lib.entities.get("Putin")["aliases"]
    lib.entities.rename("Moscow", "Moskva")
    assert lib.entities.get("Moscow")["name"] == "Moskva"
    lib.entities.set_kind("Russia", "other")
    assert lib.entities.get("Russia")["kind"] == "other"
    lib.entities.hide("Berlin")
    assert "Berlin" not in names(lib, b)
    assert "Berlin" not in {e["name"] for e in lib.entities.list()}
    assert all(m["entity"] != "Berlin" for m in lib.record(b)["mentions"])
    with pytest.raises(NotFound):
        lib.entities.get("Berlin")
    lib.entities.unhide("Berlin")
    assert "Berlin" in names(lib, b)


def test_rules_survive_re_enrichment(enriched, extractor):
    lib, a, b = enriched
    lib.entities.merge("Vladimir Putin", "Kremlin")
    lib.entities.rename("Moscow", "Moskva")
    lib.entities.set_kind("Russia", "other")
    lib.entities.hide("Berlin")
    with lib.db.conn:
        lib.db.conn.execute("UPDATE articles SET enrich_version = 0")
    assert lib.enrich(extractor=extractor).enriched == 2
    assert "Kremlin" not in names(lib, b) and "Berlin" not in names(lib, b)
    assert "Moskva" in names(lib, a) and "Moscow" not in names(lib, a)
    assert lib.entities.get("Russia")["kind"] == "other"
    lib.entities.unhide("Berlin")
    lib.enrich(extractor=extractor, retry_failed=True)
    with lib.db.conn:
        lib.db.conn.execute("UPDATE articles SET enrich_version = 0")
    lib.enrich(extractor=extractor)
    assert "Berlin" in names(lib, b)


def test_bad_corrections_are_refused(enriched):
    lib, _, _ = enriched
    with pytest.raises(NotFound):
        lib.entities.merge("Vladimir Putin", "Nobody At All")
    with pytest.raises(MarginError):
        lib.entities.set_kind("Russia", "planet")
    with pytest.raises(MarginError):
        lib.entities.merge("Putin", "Vladimir Putin")
    with pytest.raises(MarginError):
        lib.entities.list(kind="planet")

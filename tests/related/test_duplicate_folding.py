"""A story stored twice (two feeds, or a plain-text copy) shows once in search and lists,
with the other copies named as "also in"; counts and pages agree with what is shown."""
from store.document import Document
from tests.related.test_links import RAIL, RAIL2, VOLCANO, add

BODY = " ".join([RAIL[1]] * 3)


def copy_of(lib, key, source):
    with lib.db.conn:
        doc = Document.from_parts(RAIL[0], [("paragraph", BODY + " Legal Disclaimer: none.")])
        doc.source = source
        art = lib.store_document(key, doc, origin="text")
        lib.related.refresh([art.id])
    return art.id


def test_a_duplicate_shows_once_in_search_with_the_copy_named(lib):
    first = add(lib, "a", RAIL[0], BODY)
    second = copy_of(lib, "b", "Wire Two")
    other = add(lib, "c", *RAIL2)
    hits = lib.search("strike")
    assert [h.id for h in hits].count(first) == 1 and second not in [h.id for h in hits]
    assert {h.id for h in hits} == {first, other}
    folded = next(h for h in hits if h.id == first)
    assert folded.also_in == [{"id": second, "source": "Wire Two"}]
    assert folded.to_json()["also_in"] == [{"id": second, "source": "Wire Two"}]
    assert lib.count("strike") == 2


def test_lists_without_words_fold_duplicates_and_count_what_is_shown(lib):
    first = add(lib, "a", RAIL[0], BODY)
    second = copy_of(lib, "b", "Wire Two")
    add(lib, "v", *VOLCANO)
    ids = [h.id for h in lib.search("", limit=10)]
    assert first in ids and second not in ids and len(ids) == 2 == lib.count("")
    # pages of one row each walk every shown article exactly once
    assert sorted(h.id for off in range(3) for h in lib.search("", limit=1, offset=off)) == sorted(ids)


def test_a_query_matching_only_the_later_copy_still_finds_it(lib):
    first = add(lib, "a", RAIL[0], BODY)
    second = copy_of(lib, "b", "Wire Two")
    hits = lib.search('source:"Wire Two"')
    assert [h.id for h in hits] == [second]
    assert hits[0].also_in == [{"id": first, "source": None}]
    assert lib.count('source:"Wire Two"') == 1


def test_unlinking_a_duplicate_unfolds_it_and_show_names_the_copies(lib):
    first = add(lib, "a", RAIL[0], BODY)
    second = copy_of(lib, "b", "Wire Two")
    assert lib.record(first)["also_in"] == [{"id": second, "source": "Wire Two"}]
    lib.related.unlink(first, second)
    assert {h.id for h in lib.search("strike")} == {first, second}
    assert lib.record(first)["also_in"] == []


def test_the_sidebar_views_count_what_their_lists_show(lib):
    first = add(lib, "a", RAIL[0], BODY)
    copy_of(lib, "b", "Wire Two")
    add(lib, "v", *VOLCANO)
    lib.set_starred(first, True)
    views = {e.label: (e.total, e.unread) for e in lib.sidebar() if e.section == "views"}
    assert views["All articles"] == (2, 2) == (lib.count(""), lib.count("is:unread"))
    assert views["Unread"] == (2, 2)
    assert views["Starred"] == (1, 0)
    sources = {e.label: e.total for e in lib.sidebar() if e.section == "sources"}
    assert sources["Wire Two"] == 1  # the copy is still counted, and listed, under its own source


def test_reading_or_starring_a_group_reaches_every_copy(lib):
    """Issue 16.3: a folded copy left unread kept the story under is:unread."""
    first = add(lib, "a", RAIL[0], BODY)
    second = copy_of(lib, "b", "Wire Two")
    add(lib, "v", *VOLCANO)
    assert lib.duplicate_group(second) == lib.duplicate_group(first) == sorted([first, second])
    assert lib.count("is:unread") == 2
    assert lib.set_read(first, True, group=True) == 2
    assert lib.count("is:unread") == 1 and first not in [h.id for h in lib.search("is:unread")]
    assert lib.set_read(first, True, group=True) == 0  # nothing left to change
    lib.set_read(second, False, group=True)
    assert lib.count("is:unread") == 2 and not lib.article(first)["read"]
    lib.set_starred(first, True, group=True)
    assert lib.article(second)["starred"] and lib.count("is:starred") == 1
    lib.set_read(first, True)  # without group: only that one
    assert not lib.article(second)["read"]

"""Note drafts kept for the editor (issue 16.4): saved, found by key, dropped, kept apart per
library; a damaged file is never a blocker."""
from store.notes.drafts import Drafts


def test_a_draft_is_kept_by_key_until_dropped(tmp_path):
    path = tmp_path / "sub" / "drafts.json"
    drafts = Drafts(path, "/lib.db")
    assert drafts.load("article 1 0-5") is None
    drafts.save("article 1 0-5", {"body": "b", "tags": ["t"], "color": "red"})
    drafts.save("note 3", {"body": "other", "tags": [], "color": "yellow"})
    assert drafts.load("article 1 0-5") == {"body": "b", "tags": ["t"], "color": "red"}
    drafts.drop("article 1 0-5")
    assert drafts.load("article 1 0-5") is None
    assert drafts.load("note 3")["body"] == "other"
    assert Drafts(path, "/other.db").load("note 3") is None  # another library's drafts stay its own


def test_a_damaged_drafts_file_reads_as_no_drafts(tmp_path):
    path = tmp_path / "drafts.json"
    path.write_bytes(b"\xff{not json")
    drafts = Drafts(path, "/lib.db")
    assert drafts.load("x") is None
    drafts.save("x", {"body": "new"})
    assert drafts.load("x") == {"body": "new"}


def test_a_library_in_memory_keeps_no_drafts():
    from store.library import Library

    with Library(None) as lib:
        assert lib.drafts is None and "purple" in lib.note_colours

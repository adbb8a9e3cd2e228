"""Note drafts kept for the editor (issue 16.4): saved, found by key, dropped; a damaged
file is never a blocker."""
from store.notes.drafts import drop_draft, load_draft, save_draft


def test_a_draft_is_kept_by_key_until_dropped(tmp_path):
    path = tmp_path / "sub" / "drafts.json"
    assert load_draft(path, "lib | article 1 0-5") is None
    save_draft(path, "lib | article 1 0-5", {"body": "b", "tags": ["t"], "color": "red"})
    save_draft(path, "lib | note 3", {"body": "other", "tags": [], "color": "yellow"})
    assert load_draft(path, "lib | article 1 0-5") == {"body": "b", "tags": ["t"], "color": "red"}
    drop_draft(path, "lib | article 1 0-5")
    assert load_draft(path, "lib | article 1 0-5") is None
    assert load_draft(path, "lib | note 3")["body"] == "other"


def test_a_damaged_drafts_file_reads_as_no_drafts(tmp_path):
    path = tmp_path / "drafts.json"
    path.write_bytes(b"\xff{not json")
    assert load_draft(path, "x") is None
    save_draft(path, "x", {"body": "new"})
    assert load_draft(path, "x") == {"body": "new"}

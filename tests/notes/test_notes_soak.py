"""Notes are never lost (issue 19): random edits to noted articles through the real re-import
path. The 1,000-edit run with its counts is tests/bench/bench_notes_soak.py."""
from tests.notes.soak import run_soak


def test_random_edits_through_reimport_delete_no_note_and_anchor_none_on_other_text(tmp_path):
    report = run_soak(tmp_path / "library.db", tmp_path, edits=150, seed=19)
    assert report.edits == 150
    assert report.deleted == 0
    assert report.mismatched == []
    assert report.misplaced == []
    # the run did exercise what it claims: every kind of edit, and notes in each outcome
    assert len(report.kinds) == 15
    assert {"anchored", "changed", "orphaned"} <= set(report.states)
    assert report.placements["relocated"] > 0
    assert sum(report.states.values()) == report.notes_added

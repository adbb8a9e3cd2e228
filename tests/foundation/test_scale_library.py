"""The scale benchmark's builder (tests/bench/scale_library.py) makes the library it promises."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.slow
def test_scale_builder_yields_the_promised_articles_notes_mentions_and_link_state(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from scale_library import build, is_current
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path / "scale.db"
    build(path, 30, 12, log=lambda line: None, corpus_root=tmp_path)
    with sqlite3.connect(path) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one("SELECT count(*) FROM articles") == 30
        assert one("SELECT count(*) FROM notes") == 12
        assert one("SELECT count(*) FROM notes WHERE state = 'anchored'") == 12
        assert one("SELECT count(DISTINCT article_id) FROM mentions") == 30
        assert one("SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
                   ' WHERE substr(a.body, m.start + 1, m."end" - m.start) != m.text') == 0
        assert one("SELECT count(*) FROM related_state WHERE vector IS NOT NULL") == 30
        assert one("SELECT count(*) FROM articles WHERE enriched_hash IS NOT body_hash") == 0
        assert one("SELECT count(*) FROM articles WHERE read") == 10
    assert is_current(path, 30, 12)
    assert not is_current(path, 31, 12)

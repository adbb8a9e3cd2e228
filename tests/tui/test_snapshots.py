"""Snapshots of the reader on the bundled demo library (120x40, and 80x24 narrow)."""
from __future__ import annotations

import shutil

import pytest

from tui.demo.build import DEMO_DB

OPEN_NOTED = ["slash", *'title:"summit opens"', "enter", "enter"]


@pytest.fixture
def demo_app(tmp_path):
    from tui.app import make_app

    path = tmp_path / "demo.db"
    shutil.copyfile(DEMO_DB, path)
    return make_app(path, demo=True)


def test_main_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(120, 40))


def test_article_with_entities_and_notes(snap_compare, demo_app):
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "right_square_bracket"], terminal_size=(120, 40))


def test_related_panel(snap_compare, demo_app):
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "l"], terminal_size=(120, 40))


def test_note_editor(snap_compare, demo_app):
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "right_curly_bracket", "v", "w", "w", "a"],
                        terminal_size=(120, 40))


def test_narrow_terminal(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["j", "enter"], terminal_size=(80, 24))


@pytest.fixture
def no_color_demo_app(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    from tui.app import make_app

    path = tmp_path / "demo.db"
    shutil.copyfile(DEMO_DB, path)
    return make_app(path, demo=True)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_article_under_no_color(snap_compare, no_color_demo_app, size):
    """Entities read by bold/italic and notes by underline when colour is off (issue 16.1)."""
    assert snap_compare(no_color_demo_app, press=[*OPEN_NOTED, "right_square_bracket"], terminal_size=size)


def test_main_screen_under_no_color(snap_compare, no_color_demo_app):
    assert snap_compare(no_color_demo_app, terminal_size=(120, 40))


SCREENS_80x24 = {  # issue 16.10: every screen whole at 80x24
    "main": [],
    "article": [*OPEN_NOTED, "right_square_bracket"],
    "related": [*OPEN_NOTED, "l"],
    "notes": [*OPEN_NOTED, "m"],
    "entities": [*OPEN_NOTED, "e"],
    "note_editor": [*OPEN_NOTED, "right_curly_bracket", "v", "w", "w", "a", *"Sets the tone."],
    "entity_page": [*OPEN_NOTED, "right_square_bracket", "enter"],
    "help": ["question_mark"],
    "search": ["slash", *"@Sousa", "enter"],
}


@pytest.mark.parametrize("keys", list(SCREENS_80x24.values()), ids=list(SCREENS_80x24))
def test_every_screen_at_80x24(snap_compare, demo_app, keys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the note editor's drafts
    assert snap_compare(demo_app, press=keys, terminal_size=(80, 24))


def test_article_in_the_light_theme(snap_compare, demo_app, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "margin").mkdir()
    (tmp_path / "margin" / "config.toml").write_text('theme = "textual-light"\n')
    assert snap_compare(demo_app, press=[*OPEN_NOTED, "right_square_bracket"], terminal_size=(120, 40))

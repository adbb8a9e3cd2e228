"""A small real library for the reader's tests: demo articles, enriched by spaCy, linked."""
from __future__ import annotations

import shutil
from datetime import UTC
from pathlib import Path

import pytest

from store.library import Library
from tests.conftest import ROOT

DEMO_ARTICLES = ROOT / "tui" / "demo" / "articles"


def write_config(tmp_path, monkeypatch, text: str) -> None:
    """The config file a test runs with, in a config folder of its own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "margin").mkdir(exist_ok=True)
    (tmp_path / "margin" / "config.toml").write_text(text)


@pytest.fixture(scope="session")
def reader_library_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reader") / "template.db"
    with Library(path) as lib:
        lib.import_paths([str(DEMO_ARTICLES)])
        lib.enrich()
        lib.related.relink_all()
        art = lib.db.conn.execute(
            "SELECT id FROM articles WHERE title LIKE 'Lisbon climate summit opens%'").fetchone()[0]
        lib.notes.add(art, quote="cannot end with another promise to promise", body="The line of the summit.",
                      tags=["climate"])
        evil = lib.import_text("[bold red]Loud[/] title \x1b[31mred\n\nBody with [link=x]markup[/link] stays text.\n")
        with lib.db.conn:  # a fixed date so the list order and snapshots do not move
            lib.db.conn.execute("UPDATE articles SET published_at = '2026-11-01T00:00:00+00:00' WHERE id = ?",
                                (evil.article_ids[0],))
        lib.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def reader_library(reader_library_template, tmp_path) -> Path:
    path = tmp_path / "library.db"
    shutil.copyfile(reader_library_template, path)
    return path


@pytest.fixture
def app(reader_library):
    from tui.app import make_app

    return make_app(reader_library)


@pytest.fixture(autouse=True)
def colour_unless_a_test_turns_it_off(monkeypatch):
    """The user's NO_COLOR (or TERM=dumb) must not change what the reader's tests see; the
    tests of NO_COLOR set it themselves."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture(autouse=True)
def fixed_clock_and_zone(monkeypatch):
    """Relative dates in the list ("3 h", "24 Nov" but "24 Nov 2026" next year) and times in
    the header (local time) would make snapshots age and move with the machine's zone."""
    import time
    from datetime import datetime

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("tui.widgets.dates.current_time", lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    yield
    monkeypatch.undo()
    time.tzset()

"""The hostile corpus (tests/fixtures/hostile/): escape sequences and Rich markup in every
field reach neither the CLI's output nor the reader's screen as anything but text; entity
bombs and external entities are not expanded; bad encodings import or get one line each."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import pytest

from store.feeds.lists import Subscription
from store.library import Library
from tests.conftest import ROOT
from tests.feeds.conftest import Route, server  # noqa: F401
from tests.hostile.procs import ENV, MARGIN

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
# ESC, BEL, and the C1 controls (CSI, DCS, OSC, PM, APC) a terminal acts on.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


def margin(*args: str, lib: Path) -> subprocess.CompletedProcess:
    res = subprocess.run([*MARGIN, *args, "--library", str(lib)], capture_output=True, text=True, env=ENV,
                         cwd=ROOT, timeout=120)
    assert "Traceback" not in res.stderr
    return res


@pytest.fixture
def hostile_library(tmp_path, server):  # noqa: F811
    path = tmp_path / "l.db"
    server.routes["/escapes.xml"] = Route((HOSTILE / "escapes.xml").read_bytes(),
                                          headers={"Content-Type": "application/rss+xml"})
    with Library(path) as lib:
        art = lib.import_paths([str(HOSTILE / "escapes.txt")]).article_ids[0]
        lib.feeds.subscribe(Subscription(server.url("/escapes.xml")))
        assert lib.feeds.fetch().new == 1
        nasty = "\x1b]52;c;ZXZpbA==\x07\x1b[2J[bold]Name[/bold]"
        with lib.db.conn:  # an entity whose name came from hostile text
            eid = lib.db.conn.execute("INSERT INTO entities (name, kind, key) VALUES (?, 'person', 'nasty')",
                                      (nasty,)).lastrowid
            lib.db.conn.execute("INSERT INTO mentions (article_id, entity_id, start, end, text) VALUES (?,?,0,5,?)",
                                (art, eid, nasty))
    res = margin("notes", "add", str(art), "--body", "Note \x1b[31mred\x1b[0m \x1b]0;title\x07 [bold]b[/bold]",
                 lib=path)
    assert res.returncode == 0, res.stderr
    return path, art


def test_cli_output_never_carries_escape_sequences_from_content(hostile_library):
    path, art = hostile_library
    outputs = [margin(*cmd, lib=path) for cmd in (
        ["show", str(art)], ["show", str(art), "--json"], ["search", "Moscow"], ["search", "markup"],
        ["feeds", "list"], ["notes", "list"], ["entities"], ["stats"], ["fetch", "--force", "--no-enrich"],
    )]
    for res in outputs:
        assert not CONTROL.search(res.stdout.replace("\n", "").replace("\t", "")), (res.args, res.stdout)
        assert not CONTROL.search(res.stderr.replace("\n", "")), (res.args, res.stderr)
    shown = outputs[0].stdout
    assert "[bold red]markup[/bold red]" in shown  # Rich markup stays visible text
    record = json.loads(outputs[1].stdout)
    assert "\x1b" not in record["title"] and "\x1b" not in record["body"]


async def test_reader_screen_shows_hostile_fields_as_text(hostile_library):
    from tui.app import make_app
    from tui.widgets.article_view import ArticleView

    path, art = hostile_library
    app = make_app(path)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screens = [app.export_screenshot()]
        await pilot.press("enter")
        await pilot.pause()
        screens.append(app.export_screenshot())
        assert app.screen.query_one(ArticleView).data is not None
        await pilot.press("q", "j", "enter")
        await pilot.pause()
        screens.append(app.export_screenshot())
    text = "\n".join(screens)
    assert not CONTROL.search(text)
    assert "markup" in text and "[bold red]" in text.replace("&#160;", " ")  # markup shown, not applied


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe.xml"])
def test_entity_bombs_and_external_entities_are_not_expanded(tmp_path, server, name):  # noqa: F811
    server.routes["/f.xml"] = Route((HOSTILE / name).read_bytes())
    server.routes["/ok.xml"] = Route((HOSTILE / "escapes.xml").read_bytes())
    with Library(tmp_path / "l.db") as lib:
        for p in ("/f.xml", "/ok.xml"):
            lib.feeds.subscribe(Subscription(server.url(p)))
        report = lib.feeds.fetch()
        assert report.new >= 1  # the good feed is stored whatever the bad one did
        rows = lib.db.conn.execute("SELECT coalesce(title,'') || body FROM articles").fetchall()
        feeds = lib.db.conn.execute("SELECT coalesce(title,'') FROM feeds").fetchall()
    everything = " ".join(r[0] for r in rows + feeds)
    assert "lollollol" not in everything and "root:" not in everything
    assert len(everything) < 10_000


def test_bad_encodings_binary_and_empty_files(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(HOSTILE, folder, ignore=shutil.ignore_patterns("*.xml", "*.md", "escapes.txt"))
    res = margin("import", str(folder), "--no-enrich", "--json", lib=tmp_path / "l.db")
    assert res.returncode == 1
    summary = json.loads(res.stdout)
    assert summary["imported"] == 2  # invalid UTF-8 and mixed encodings import (decoded as best can be)
    failed = {Path(f["file"]).name: f["reason"] for f in summary["failed"]}
    assert failed == {"binary.txt": "binary file (contains NUL bytes), not text", "empty.txt": "empty file"}
    with Library(tmp_path / "l.db") as lib:
        bodies = " ".join(b for (b,) in lib.db.conn.execute("SELECT body FROM articles"))
    assert "Moscow" in bodies and "more." in bodies


def test_utf8_declared_as_windows_1251_is_read_as_utf8_with_a_warning(tmp_path, server):  # noqa: F811
    server.routes["/ru.xml"] = Route((HOSTILE / "utf8-declared-cp1251.xml").read_bytes(),
                                     headers={"Content-Type": "application/rss+xml; charset=windows-1251"})
    with Library(tmp_path / "l.db") as lib:
        lib.feeds.subscribe(Subscription(server.url("/ru.xml")))
        report = lib.feeds.fetch()
        assert report.new == 1
        assert any("declared windows-1251 but is UTF-8" in reason for _, reason in report.warnings)
        assert lib.db.conn.execute("SELECT title FROM articles").fetchone()[0] == "Москва и Париж"


@pytest.mark.parametrize("header", ["Wed, 01 Jan 2099 00:00:00 GMT", "99999999999"])
def test_retry_after_far_in_the_future_waits_at_most_a_day(tmp_path, server, header):  # noqa: F811
    from datetime import datetime, timedelta

    server.routes["/busy.xml"] = Route(status=503, headers={"Retry-After": header})
    with Library(tmp_path / "l.db") as lib:
        lib.feeds.subscribe(Subscription(server.url("/busy.xml")))
        report = lib.feeds.fetch()
        assert len(report.failed) == 1
        (after,) = lib.db.conn.execute("SELECT next_fetch_after FROM feeds").fetchone()
    assert datetime.fromisoformat(after) <= datetime.now(UTC) + timedelta(days=1, minutes=1)

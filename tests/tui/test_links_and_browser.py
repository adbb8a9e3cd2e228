"""Links and the browser (issue 16.5): numbered links in the body, the links panel, `o`,
`y` and `|`, and the bad input around them (unsafe URLs, a failing $BROWSER, a command
that fails or never exits)."""
from __future__ import annotations

import asyncio
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import OptionList

from store.html import html_to_document
from store.library import Library
from tests.tui.conftest import write_config
from tui.links.article_links import article_links, refusal
from tui.widgets.article_view import ArticleView

SIZE = (120, 30)
STORY = (
    "<p>Read <a href='/report'>the full report</a> and <a href='javascript:alert(1)'>this trick</a>,"
    " <a href='data:text/html,hi'>an inline page</a> or <a href='file:///etc/passwd'>a local file</a>.</p>"
    "<p>The <a href='https://other.test/elsewhere'>elsewhere piece</a> is in the library too."
    " Plain address: https://plain.test/x.</p>"
)


@pytest.fixture
def links_library(tmp_path) -> Path:
    path = tmp_path / "links.db"
    with Library(path) as lib, lib.db.conn:
        doc = html_to_document("Linked story", STORY, base_url="https://site.test/news/")
        doc.url = "https://site.test/news/story"
        doc.published_at = datetime(2026, 11, 2, tzinfo=UTC)
        lib.store_document("story", doc, origin="feed")
        other = html_to_document("Elsewhere piece", "<p>The other article.</p>")
        other.url = "https://other.test/elsewhere"
        other.published_at = datetime(2026, 11, 1, tzinfo=UTC)
        lib.store_document("other", other, origin="feed")
    return path


@pytest.fixture
def links_app(links_library, monkeypatch, tmp_path):
    from tui.app import make_app

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return make_app(links_library)


def script(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


async def wait_for(pilot, predicate, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    assert predicate()


# -- finding and judging links --------------------------------------------------------------
def test_links_are_placed_by_their_anchor_text_and_numbered_in_reading_order():
    body = "Intro with the report here. Then a second report and https://bare.test/a."
    links = article_links(body, ["https://x.test/2", "https://x.test/1", "https://gone.test"],
                          ["second report", "report", "not in the body"])
    assert [(n.number, n.url, body[n.start:n.end] if n.start is not None else None) for n in links] == [
        (1, "https://x.test/1", "report"),
        (2, "https://x.test/2", "second report"),
        (3, "https://bare.test/a", "https://bare.test/a"),
        (4, "https://gone.test", None),
    ]


def test_javascript_data_and_file_urls_are_refused_with_what_they_are():
    assert refusal("https://example.org/a") is None and refusal("mailto:a@b.test") is None
    assert "runs code" in refusal("JavaScript:alert(1)")
    assert "data:" in refusal("data:text/html,x")
    assert "file on this computer" in refusal("file:///etc/passwd")
    assert "only http:" in refusal("ssh://host")
    assert "not a URL" in refusal("/relative/path")


# -- the article view and the links panel ----------------------------------------------------------
async def test_links_are_marked_with_numbers_and_listed_in_the_links_panel(links_app):
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "enter")  # the list is newest first: the story is second of two
        await pilot.pause()
        view = links_app.screen.query_one(ArticleView)
        assert view.data.title == "Linked story"
        text = "\n".join(view.render_line(y).text for y in range(12))
        assert "the full report[1]" in text and "this trick[2]" in text and "https://plain.test/x[6]" in text
        await pilot.press("f")
        await pilot.pause()
        panel = links_app.screen.query_one("#links", OptionList)
        assert panel.has_focus and panel.option_count == 6
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(6)]
        assert prompts[0].startswith("[1] the full report") and "https://site.test/report" in prompts[0]
        assert "not opened: a javascript: link runs code" in prompts[1]
        await pilot.press("j", "k", "G", "g")  # the reader's keys move here too
        assert panel.highlighted == 0


async def test_enter_on_a_link_to_an_article_in_the_library_opens_it_and_backspace_returns(links_app):
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "enter", "f")
        await pilot.pause()
        view = links_app.screen.query_one(ArticleView)
        story = view.data.id
        await pilot.press("j", "j", "j", "j", "enter")  # [5] elsewhere piece
        await pilot.pause()
        assert view.data.title == "Elsewhere piece"
        await pilot.press("backspace")
        assert view.data.id == story and links_app.screen.query_one("#links").has_focus


async def test_unsafe_links_are_never_opened_and_say_what_they_are(links_app, tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    monkeypatch.setenv("BROWSER", str(script(tmp_path, "browser", f'echo "$1" >> {opened}\n')))
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "enter", "f")
        await pilot.pause()
        for _ in range(3):  # [2] javascript:, [3] data:, [4] file:, each by enter (follow) and o (browser)
            await pilot.press("j", "enter")
            await pilot.pause()
            await pilot.press("o")
        await links_app.workers.wait_for_complete()
        refusals = [m for m in links_app.messages if m.startswith("Not opened:")]
        assert any("javascript:" in m for m in refusals) and any("data:" in m for m in refusals)
        assert any("file on this computer" in m for m in refusals)
        assert not opened.exists()


async def test_o_opens_the_article_with_browser_and_a_failing_browser_is_a_message(links_app, tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    monkeypatch.setenv("BROWSER", str(script(tmp_path, "browser", f'echo "$1" >> {opened}\n')))
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "o")
        await links_app.workers.wait_for_complete()
        assert opened.read_text().split() == ["https://site.test/news/story"]
        monkeypatch.setenv("BROWSER", str(script(tmp_path, "broken", "echo 'no display here' >&2; exit 3\n")))
        await pilot.press("o")
        await links_app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("$BROWSER failed: ") and "status 3: no display here" in m for m in links_app.messages)
        monkeypatch.setenv("BROWSER", str(tmp_path / "missing-browser"))
        await pilot.press("o")
        await links_app.workers.wait_for_complete()
        assert any("missing-browser" in m and "No such file" in m for m in links_app.messages)


async def test_a_browser_that_never_exits_does_not_hold_the_reader(links_app, tmp_path, monkeypatch):
    import tui.links.browser as browser

    monkeypatch.setattr(browser, "SETTLE", 0.3)
    monkeypatch.setenv("BROWSER", str(script(tmp_path, "forever", "exec sleep 30\n")))
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = links_app.screen.query_one("#articles")
        await pilot.press("o", "j")
        assert articles.cursor == 1  # keys work while the browser runs
        await links_app.workers.wait_for_complete()
        assert not any("failed" in m for m in links_app.messages)


async def test_y_copies_the_url_and_says_when_there_is_no_system_clipboard(links_app, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "y")
        await links_app.workers.wait_for_complete()
        await pilot.pause()
        assert links_app.clipboard == "https://site.test/news/story"
        assert any("no system clipboard tool" in m for m in links_app.messages)


async def test_y_also_copies_through_a_system_clipboard_tool(links_app, tmp_path, monkeypatch):
    copied = tmp_path / "copied.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script(bin_dir, "xclip", f"cat > {copied}\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "enter", "f", "y")  # in the links panel: the highlighted link
        await links_app.workers.wait_for_complete()
        await pilot.pause()
        assert copied.read_text() == "https://site.test/report"
        assert any("and xclip" in m for m in links_app.messages)


async def test_an_article_without_url_says_so(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o", "y")
        assert sum("has no URL" in m for m in app.messages) == 2


# -- pipe-to ------------------------------------------------------------------------------
async def test_pipe_sends_the_article_to_a_command_remembered_for_next_time(links_app, tmp_path):
    out = tmp_path / "piped.txt"
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "enter", "vertical_line")
        await pilot.pause()
        await pilot.press(*f"cat > {out}; echo done", "enter")
        await links_app.workers.wait_for_complete()
        await pilot.pause()
        text = out.read_text()
        assert text.startswith("Linked story\n\nRead the full report") and "done" in links_app.messages[-1]
        await pilot.press("vertical_line")
        await pilot.pause()
        assert links_app.screen.query_one("#prompt-input").value == f"cat > {out}; echo done"
        await pilot.press("escape")


async def test_pipe_sends_only_the_selection_when_there_is_one(links_app, tmp_path):
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "enter", "v", "w", "vertical_line")
        await pilot.pause()
        await pilot.press(*"tr a-z A-Z", "enter")
        await links_app.workers.wait_for_complete()
        await pilot.pause()
        assert links_app.messages[-1].endswith("READ THE")


async def test_a_failing_pipe_command_is_a_message(links_app):
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "vertical_line")
        await pilot.pause()
        await pilot.press(*"no-such-command-here", "enter")
        await links_app.workers.wait_for_complete()
        await pilot.pause()
        assert "exited with status 127" in links_app.messages[-1] and "not found" in links_app.messages[-1]


async def test_a_pipe_command_that_never_exits_keeps_the_reader_working_and_can_be_stopped(links_app, tmp_path):
    pid_file = tmp_path / "pid"
    async with links_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("vertical_line")
        await pilot.pause()
        await pilot.press(*f"echo $$ > {pid_file}; exec sleep 60", "enter")
        await wait_for(pilot, lambda: pid_file.exists() and pid_file.read_text().strip())
        pid = int(pid_file.read_text())
        articles = links_app.screen.query_one("#articles")
        await pilot.press("j")
        assert articles.cursor == 1  # keys work while the command runs
        await pilot.press("vertical_line")
        await pilot.pause()
        await pilot.press("y")  # "still running. Stop it?"
        await links_app.workers.wait_for_complete()
        await asyncio.sleep(0.2)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert "Stopped." in links_app.messages


async def test_the_new_keys_are_rebindable_like_every_other(links_library, tmp_path, monkeypatch):
    from tui.app import make_app

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    write_config(tmp_path, monkeypatch, '[keys]\n"reader.copy_url" = "Y"\n"reader.links" = "ctrl+l"\n'
                 '"reader.pipe" = "exclamation_mark"\n"view.fold_notes" = "Z"\n')
    app = make_app(links_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "Y")
        await app.workers.wait_for_complete()
        assert app.clipboard == "https://site.test/news/story"
        await pilot.press("enter", "Z")
        assert app.screen.query_one(ArticleView).notes_expanded
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen.query_one("#links").has_focus
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.screen.query("#prompt-input")

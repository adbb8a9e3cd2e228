"""The commands as a newcomer meets them (issue 16.12-16.15): whole times, refused options,
notes that say what they did, output that fits the terminal."""
from __future__ import annotations

import json
import re

import pytest

from tests.foundation.test_import_cli import run


@pytest.mark.slow
def test_import_reports_the_whole_time_with_enrichment_on_its_own_line(tmp_path):
    """16.12: "0.00 s" when the command took seconds loading spaCy and enriching."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Merkel in Paris\n\nAngela Merkel met Emmanuel Macron in Paris on Monday.\n")
    out = run("import", str(folder), "--library", str(tmp_path / "l.db"), env={"COLUMNS": "80"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert lines[0].startswith("imported 1,") and "stored in" in lines[0]
    enrich = re.fullmatch(r"enriched 1 articles \((\d+) mentions\) in ([\d.]+) s", lines[1])
    total = re.fullmatch(r"total ([\d.]+) s", lines[2])
    assert enrich and total, lines
    assert float(total.group(1)) >= float(enrich.group(2)) > 0.05  # spaCy's load counts
    again = json.loads(run("import", str(folder), "--library", str(tmp_path / "l.db"), "--json").stdout)
    assert again["total_seconds"] >= again["seconds"] and "enrichment" in again


@pytest.mark.parametrize("argv", [["demo", "--library", "x.db"], ["--library", "x.db", "demo", "--path"]])
def test_demo_refuses_library_and_says_why(tmp_path, argv):
    """16.13: `margin demo --library X` silently opened the demo instead."""
    out = run(*argv, env={"XDG_CACHE_HOME": str(tmp_path)}, cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == b""
    message = out.stderr.decode()
    assert message.count("\n") == 1 and "--library" in message and "margin --library x.db" in message
    assert not (tmp_path / "x.db").exists()


def test_piped_output_with_columns_set_wraps_to_that_width_without_styles(noted_library):
    out = run("show", "1", "--library", str(noted_library), env={"COLUMNS": "30"}).stdout.decode()
    assert max(len(line) for line in out.splitlines()) <= 30 and "\x1b" not in out


@pytest.fixture
def noted_library(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Rail strike\n\nThe strike began. The strike spread. The strike ended.\n")
    lib = tmp_path / "l.db"
    assert run("import", str(folder), "--library", str(lib), "--no-enrich").returncode == 0
    return lib


def test_notes_add_says_when_the_quote_occurs_several_times(noted_library):
    """16.14: a quote found three times silently took the first."""
    out = run("notes", "add", "1", "--quote", "The strike", "--occurrence", "2", "--body", "b",
              "--library", str(noted_library))
    assert out.returncode == 0
    warning = out.stderr.decode()
    assert warning.count("\n") == 1 and "occurs 3 times" in warning and "--occurrence" in warning
    assert "occurrence 2" in warning
    assert "occurrence 2 of 3" in out.stdout.decode()
    data = json.loads(run("notes", "add", "1", "--quote", "began", "--json",
                          "--library", str(noted_library)).stdout)
    assert data["occurrences"] == 1


def test_notes_color_must_be_in_the_palette(noted_library):
    out = run("notes", "add", "1", "--quote", "began", "--color", "chartreuse", "--library", str(noted_library))
    message = out.stderr.decode()
    assert out.returncode == 2 and "chartreuse" in message and "yellow, green, blue, red, purple" in message
    assert json.loads(run("notes", "--json", "--library", str(noted_library)).stdout) == []  # nothing added
    assert run("notes", "add", "1", "--quote", "began", "--color", "Blue", "--library",
               str(noted_library)).returncode == 0
    out = run("notes", "edit", "1", "--color", "mauve", "--library", str(noted_library))
    assert out.returncode == 2 and "purple" in out.stderr.decode()


def test_notes_events_shows_creation_and_edits(noted_library):
    """16.14: `notes events` printed nothing for created or edited notes."""
    run("notes", "add", "1", "--quote", "began", "--body", "first", "--library", str(noted_library))
    run("notes", "edit", "1", "--body", "second", "--tag", "x", "--library", str(noted_library))
    lines = run("notes", "events", "1", "--library", str(noted_library)).stdout.decode().splitlines()
    assert len(lines) == 2 and "created" in lines[0] and "“began”" in lines[0]
    assert "edited body, tags" in lines[1]
    events = json.loads(run("notes", "events", "1", "--json", "--library", str(noted_library)).stdout)
    assert [e["reason"] for e in events] == ["created", "edited body, tags"]


@pytest.fixture(scope="module")
def enriched_library(tmp_path_factory):
    """The demo's plain-text articles, enriched and linked, a note with a long body, and an
    article with a quote and a list item longer than a line."""
    from store.library import Library
    from tests.conftest import ROOT

    path = tmp_path_factory.mktemp("cli") / "l.db"
    extra = path.parent / "long.txt"
    extra.write_text("A title long enough to wrap in an eighty column terminal window when it follows "
                     "the id and date columns\n\n" + "An opening paragraph about Lisbon and the summit. " * 4
                     + "\n\n> " + "A quoted passage that goes on. " * 6 + "\n\n- " + "A list item that runs long. " * 6
                     + "\n")
    with Library(path) as lib:
        lib.import_paths([str(ROOT / "tui" / "demo" / "articles"), str(extra)])
        lib.enrich()
        lib.related.relink_all()
        art = lib.db.conn.execute(
            "SELECT id FROM articles WHERE title LIKE 'Lisbon climate summit opens%'").fetchone()[0]
        lib.notes.add(art, quote="Delegates", body="A note that says a great deal. " * 6, tags=["climate"])
    return path, art


CLI_VIEWS = {
    "related": lambda art: ["related", str(art)],
    "entity": lambda art: ["entity", "Lisbon"],
    "notes": lambda art: ["notes"],
    "stories": lambda art: ["stories"],
    "show": lambda art: ["show", "18"],
}


def piped_output(argv: list[str]) -> str:
    import os
    import subprocess

    from tests.foundation.test_import_cli import MARGIN

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run([*MARGIN, *argv], capture_output=True, env=env, timeout=60).stdout.decode()


@pytest.mark.slow
@pytest.mark.parametrize("view", list(CLI_VIEWS))
def test_cli_output_fits_an_80_column_terminal_and_is_plain_when_piped(enriched_library, view):
    """16.15: long lines wrapped back to column 0; `show` padded list items with spaces."""
    from tests.foundation.tty import run_on_tty, visible

    path, art = enriched_library
    argv = [*CLI_VIEWS[view](art), "--library", str(path)]
    lines = [line for line in visible(run_on_tty(*argv, columns=80)) if line]
    assert lines, view
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert not [line for line in lines if line != line.rstrip()]  # no padding
    piped = piped_output(argv).splitlines()
    assert "\x1b" not in "".join(piped)  # plain
    if view != "stories":  # the long article is in no story
        assert max(map(len, piped)) > 80  # one line per item: nothing wrapped for grep and cut
        assert len([p for p in piped if p]) < len(lines)  # fewer lines than on screen


@pytest.mark.slow
def test_wrapped_lines_hang_under_their_text(enriched_library):
    from tests.foundation.tty import run_on_tty, visible

    path, art = enriched_library
    lines = visible(run_on_tty("entity", "Lisbon", "--library", str(path), columns=80))
    first = next(i for i, line in enumerate(lines) if "A title long enough" in line)
    column = lines[first].index("A title")
    assert lines[first + 1].startswith(" " * column) and lines[first + 1].strip()
    lines = visible(run_on_tty("show", "18", "--library", str(path), columns=80))
    item = next(i for i, line in enumerate(lines) if line.startswith("  • A list item"))
    assert lines[item + 1].startswith("    A list") or lines[item + 1].startswith("    ")

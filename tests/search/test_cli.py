"""`margin search` as a user runs it: ranked text output, --json, --limit, exclusions
after the subcommand, and one-line query errors with exit status 2."""
import json
import os
import subprocess
import sys

from store.search.hits import SearchHit
from tests.conftest import ROOT
from tests.search.corpus import add
from tui.cli.search_cmds import hit_text, rewrite_argv

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]


def margin(*args, env=None):
    return subprocess.run([*MARGIN, *args], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "COLUMNS": "100", **(env or {})})


def test_text_output_and_json_contract(lib, library_path, corpus):
    out = margin("search", "syria", "--library", str(library_path))
    assert out.returncode == 0, out.stderr
    assert "Putin meets Hollande in Moscow" in out.stdout and "Wire One · 2015-11-27" in out.stdout
    assert "Talks on Syria and the airspace." in out.stdout
    data = json.loads(margin("--library", str(library_path), "search", "syria", "--json").stdout)
    assert [set(d) for d in data] == [{"id", "title", "source", "published_at", "score", "snippet", "also_in"}] * 2
    assert data[0]["id"] == corpus["putin"] and data[0]["published_at"].startswith("2015-11-27")
    assert data[0]["score"] >= data[1]["score"] > 0


def test_exclusions_limit_and_empty_query(lib, library_path, corpus):
    excl = json.loads(margin("search", "syria", "-aleppo", "--json", "--library", str(library_path)).stdout)
    assert [d["id"] for d in excl] == [corpus["putin"]]
    only = json.loads(margin("search", "-syria", "--library", str(library_path), "--json").stdout)
    assert [d["id"] for d in only] == [corpus["rail"]]
    newest = json.loads(margin("search", "", "--limit", "2", "--json", f"--library={library_path}").stdout)
    assert [d["id"] for d in newest] == [corpus["rail"], corpus["putin"]]
    none = margin("search", "zebra", "--library", str(library_path))
    assert none.returncode == 0 and "no matches" in none.stdout


def test_query_errors_are_one_line_with_the_column_and_exit_2(lib, library_path, corpus):
    for query, column in (('putin "air', 7), ("colour:red", 1), ("since:someday", 1)):
        out = margin("search", query, "--library", str(library_path))
        assert out.returncode == 2 and out.stdout == ""
        message, *marked = out.stderr.splitlines()
        assert message.startswith("margin: query: ") and message.endswith(f"(column {column})")
        assert len(marked) == 2 and marked[1].lstrip(" ").startswith("^")  # the query, its bad part marked
        assert "Traceback" not in out.stderr
    assert margin("search", "x", "--limit", "0", "--library", str(library_path)).returncode == 2


def test_stored_text_is_never_read_as_markup(lib, library_path):
    add(lib, "m", "A [bold red]title[/] with [link=x]markup[/link]", "Body about [i]tags[/i] and tags.")
    out = margin("search", "tags", "--library", str(library_path), env={"FORCE_COLOR": "1"})
    assert "[bold red]title[/]" in out.stdout and "[i]" in out.stdout


def test_matched_words_are_emphasised_from_highlight_spans():
    hit = SearchHit(id=3, title="T [b]", source="S", published_at="2015-11-27T00:00:00+00:00",
                    sort_at=None, score=1.0, snippet="talks on\nSyria", highlights=[(9, 14)])
    head, text = hit_text(hit)
    styled = [(text.plain[s.start:s.end], str(s.style)) for s in text.spans]
    assert ("Syria", "bold reverse") in styled
    assert "T [b]" in head.plain and "talks on Syria" in text.plain


def test_argv_rewrite_keeps_options_and_moves_words_behind_double_dash():
    assert rewrite_argv(["search", "a", "-b", "--limit", "3", "--json"]) == [
        "search", "--limit", "3", "--json", "--", "a", "-b"]
    assert rewrite_argv(["--library", "search", "search", "-x"]) == [
        "--library", "search", "search", "--", "-x"]
    assert rewrite_argv(["show", "3"]) == ["show", "3"]
    assert rewrite_argv(["search", "--json"]) == ["search", "--json"]


def test_saved_searches_from_the_command_line(lib, library_path, corpus):
    lib.close()
    added = margin("searches", "add", "Syria", "syria", "-aleppo", "--library", str(library_path))
    assert added.returncode == 0, added.stderr
    assert margin("searches", "add", "Bad", '"air', "--library", str(library_path)).returncode == 2
    listing = margin("searches", "--library", str(library_path))
    assert "Syria" in listing.stdout and "syria -aleppo" in listing.stdout and "1 unread / 1" in listing.stdout
    data = json.loads(margin("searches", "--json", "--library", str(library_path)).stdout)
    assert data == [{"name": "Syria", "query": "syria -aleppo", "total": 1, "unread": 1, "error": None}]
    assert margin("searches", "remove", "Syria", "--library", str(library_path)).returncode == 0
    gone = margin("searches", "remove", "Syria", "--library", str(library_path))
    assert gone.returncode == 1 and "no saved search named 'Syria'" in gone.stderr
    assert json.loads(margin("searches", "--json", "--library", str(library_path)).stdout) == []


def test_a_malformed_query_is_printed_with_the_bad_part_marked(lib, library_path, corpus):
    out = margin("search", 'putin since:someday air', "--library", str(library_path), env={"NO_COLOR": "1"})
    lines = out.stderr.splitlines()
    assert out.returncode == 2 and lines[0] == ("margin: query: 'someday' is not a date"
                                                " (use 2015-11-01 or 7d, 2w, 3m, 1y) (column 7)")
    assert lines[1] == '  putin since:someday air'
    assert lines[2] == "        ^^^^^^^^^^^^^"
    evil = margin("search", "\x1b[31m[bold]x colour:red", "--library", str(library_path))
    assert "\x1b[31m" not in evil.stderr and "[bold]x colour:red" in evil.stderr
    assert evil.stderr.splitlines()[2] == "  " + " " * 13 + "^" * 7

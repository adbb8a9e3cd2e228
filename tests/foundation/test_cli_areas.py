"""`margin`'s command line: every area's commands are there, and mistakes get one line."""
from __future__ import annotations

import subprocess
import sys

import pytest


def margin(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True)


def test_help_lists_every_command_and_a_mistyped_one_gets_one_line() -> None:
    out = margin("--help")
    for word in ("import", "show", "stats", "schema", "search", "feeds", "fetch", "enrich", "entities", "entity",
                 "notes", "backup", "restore", "related", "link", "unlink", "duplicates", "stories", "relink",
                 "demo", "config", "searches", "fulltext"):
        assert word in out.stdout
    wrong = margin("fecth")
    assert wrong.returncode == 2 and "invalid choice: 'fecth'" in wrong.stderr and "fetch" in wrong.stderr
    assert "Traceback" not in wrong.stderr


@pytest.mark.parametrize("argv", [[], ["--library", "x.db"], ["--library=x.db"], ["--library", "demo"]])
def test_margin_alone_is_read_as_the_full_parser_reads_it(argv: list[str]) -> None:
    from tui.cli import build_parser, reader_args

    assert reader_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["--library"], ["--library", "-x"], ["--lib", "x.db"], ["demo"], ["--help"],
                                  ["--library", "x.db", "search", "word"], ["--version"]])
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    from tui.cli import reader_args

    assert reader_args(argv) is None

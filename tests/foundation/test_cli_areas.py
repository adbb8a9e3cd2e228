"""`margin`'s command line: every area's commands are there, and mistakes get one line."""
from __future__ import annotations

import subprocess
import sys


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

"""`margin` imports only the area of the command it runs; the table that says which area
holds which command must match what each area registers."""
from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from tui.cli import AREAS, build_parser, command_word


@pytest.mark.parametrize("area", sorted(AREAS))
def test_each_area_registers_exactly_the_commands_the_table_gives_it(area: str) -> None:
    parser = build_parser([importlib.import_module(f"tui.cli.{area}")])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(sub.choices) == AREAS[area]


@pytest.mark.parametrize(("argv", "word"), [
    (["fetch"], "fetch"), (["--library", "fetch", "search", "x"], "search"), (["--library=a.db", "notes"], "notes"),
    (["--version"], None), ([], None), (["--library", "a.db"], None),
])
def test_the_command_word_skips_options_and_the_library_path(argv: list[str], word: str | None) -> None:
    assert command_word(argv) == word


def test_a_command_loads_only_its_own_area() -> None:
    code = ("import sys\nfrom tui.cli import main\ntry:\n    main(['fetch', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('tui.cli.') and m.endswith('_cmds')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['tui.cli.feed_cmds']"


def margin(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from tui.cli import entry; entry()", *argv],
                          capture_output=True, text=True)


def test_help_and_unknown_commands_still_see_every_command() -> None:
    out = margin("--help")
    assert all(word in out.stdout for commands in AREAS.values() for word in commands)
    wrong = margin("fecth")
    assert wrong.returncode == 2 and "invalid choice: 'fecth'" in wrong.stderr and "fetch" in wrong.stderr

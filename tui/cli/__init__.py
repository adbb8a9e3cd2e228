"""The `margin` command: argparse subcommands, each area registered from its own module.

Every subcommand also accepts `--library PATH` (before or after the subcommand);
`MARGIN_LIBRARY` sets it too. Exit status: 0 success, 1 some items failed, 2 usage
error or unusable library. No traceback reaches the user.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import signal
import sys
import time
from types import ModuleType
from typing import NoReturn

from tui.cli.output import EXIT_USAGE, fail

STARTED = time.perf_counter()  # a command's whole time counts from here (`margin import` reports it)

# Each area registers its subcommands from its own module.
AREAS = ("library_cmds", "search_cmds", "feed_cmds", "enrich_cmds", "entity_cmds", "note_cmds",
         "related_cmds", "app_cmds", "fulltext_cmds")


def _areas() -> list[ModuleType]:
    return [importlib.import_module(f"tui.cli.{name}") for name in AREAS]


def margin_version() -> str:
    from store.version import VERSION

    return VERSION


class VersionAction(argparse.Action):
    """`--version`, with the version looked up when asked rather than when the parser is built."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0,
                         help="show margin's version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        sys.stdout.write(f"margin {margin_version()}\n")
        parser.exit()


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        sys.stderr.write(f"margin: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_USAGE)


def build_parser(areas: list[ModuleType] | None = None) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library", metavar="PATH", default=argparse.SUPPRESS,
        help="library file (default: $MARGIN_LIBRARY or the user data directory)",
    )
    common.add_argument(
        "--init", action="store_true", default=argparse.SUPPRESS,
        help="make margin's library inside an SQLite file of another program (refused without it)",
    )
    parser = Parser(prog="margin", description="A terminal newsreader that reads with you.")
    parser.add_argument("--library", metavar="PATH", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for area in areas if areas is not None else _areas():
        area.register(sub, common)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the batch in hand is committed and the workers stop."""


def _terminated(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends margin at once
    raise Terminated()


def _stopped(stop: KeyboardInterrupt) -> NoReturn:
    """Ctrl-C or SIGTERM: what was committed is stored and the library is closed by now.
    Leave at once: a normal exit joins the worker pools' threads, which wait for the task
    each worker holds (minutes of spaCy on a loaded machine); the workers end with margin."""
    terminated = isinstance(stop, Terminated)
    sys.stderr.write("margin: terminated\n" if terminated else "margin: interrupted\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing reaches it anyway
            stream.flush()
    os._exit(128 + signal.SIGTERM if terminated else 130)


PARENT_ENV = "MARGIN_PARENT_PID"  # set by a margin process that starts margin (the reader's enrich)


def _die_with_parent() -> None:
    """A command the reader started ends with the reader, even one killed with SIGKILL:
    otherwise it held the library (and spaCy's hundreds of MB) for minutes."""
    parent = os.environ.pop(PARENT_ENV, "")
    if parent.isdigit():
        from store.worker_pool import die_with_parent

        die_with_parent(int(parent))


def reader_args(argv: list[str]) -> argparse.Namespace | None:
    """`margin` and `margin --library PATH`, which open the reader, read without importing
    every area and building its subcommands: needed for the reader's first-paint target
    (tests/bench/README.md, first paint). None for anything else, which the full parser reads."""
    if not argv:
        return argparse.Namespace(library=None, command=None)
    if len(argv) == 2 and argv[0] == "--library" and not argv[1].startswith("-"):
        return argparse.Namespace(library=argv[1], command=None)
    if len(argv) == 1 and argv[0].startswith("--library="):
        return argparse.Namespace(library=argv[0].removeprefix("--library="), command=None)
    return None


def main(argv: list[str] | None = None) -> int:
    _die_with_parent()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = reader_args(argv)
    if args is None:
        areas = _areas()
        for area in areas:
            argv = getattr(area, "rewrite_argv", lambda a: a)(argv)
        args = build_parser(areas).parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from tui.cli.app_cmds import run_tui

        handler = run_tui
    else:  # the reader keeps the terminal's own handling; a command stops as on Ctrl-C
        signal.signal(signal.SIGTERM, _terminated)
    try:
        code = handler(args)
    except KeyboardInterrupt as stop:
        _stopped(stop)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        code = fail(exc)
    sys.exit(code or 0)


def entry() -> None:
    """The `margin` console script: `main`, then an exit that skips the garbage collector's
    full passes over every object at interpreter shutdown (time each command would add at
    its end; tests/bench/README.md). Files and the library are closed by then; atexit handlers still run."""
    try:
        main()
    finally:
        gc.freeze()

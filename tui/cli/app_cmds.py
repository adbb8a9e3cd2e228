"""`margin` (no subcommand) opens the TUI; `margin demo` opens the bundled demo library."""
from __future__ import annotations

from tui.cli.output import EXIT_USAGE, error


def register(sub, common) -> None:
    return None


def run_tui(args) -> int:
    error("the reader is not built yet; try `margin --help`")
    return EXIT_USAGE

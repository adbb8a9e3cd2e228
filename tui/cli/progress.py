"""Progress bars on stderr for the long commands (import, fetch, enrich).

A bar is drawn only on a terminal (cron and scripts get none) and is built at its first
report: importing rich.progress and its console takes time that must not sit in front
of the work it reports on (`margin fetch` reports once its requests are on the wire)."""
from __future__ import annotations

import sys
from typing import Any


class LazyBar:
    def __init__(self, label: str, extra: str | None = None, *, eta: bool = False, **fields: Any) -> None:
        self.label, self.extra, self.eta, self.fields = label, extra, eta, fields
        self.enabled = sys.stderr is not None and sys.stderr.isatty()
        self._bar = None
        self._task = None

    def update(self, done: int, total: int | None, **fields: Any) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            self._start()
        self._bar.update(self._task, completed=done, total=total, **fields)

    def _start(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from tui.cli.output import err_console

        columns = [TextColumn(self.label), BarColumn(), MofNCompleteColumn()]
        if self.extra:
            columns.append(TextColumn(self.extra))
        columns.append(TimeRemainingColumn() if self.eta else TimeElapsedColumn())
        self._bar = Progress(*columns, console=err_console.get(), transient=True)
        self._task = self._bar.add_task(self.label, total=None, **self.fields)
        self._bar.start()

    def __enter__(self) -> LazyBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
